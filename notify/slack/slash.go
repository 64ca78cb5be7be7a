package slack

import (
	"context"
	"time"

	slackgo "github.com/slack-go/slack"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
)

// slash answers a slash command. The message it gives is the acknowledgement's body
// (nil: an empty acknowledgement, e.g. when a modal opened). The command runs with a
// deadline of AckWithin: a slower answer is acknowledged with "working on it" and
// follows through response_url, within Slack's three seconds either way.
func (a *App) slash(ctx context.Context, sc slackgo.SlashCommand) *message {
	if sc.Command != Command {
		a.result("ignored")
		return &message{ResponseType: "ephemeral", Text: "Unknown command " + escape(sc.Command) + "; try " + Command + " help."}
	}
	to := target{responseURL: sc.ResponseURL, trigger: sc.TriggerID, channel: sc.ChannelID, user: sc.UserID}
	done := make(chan commands.Reply, 1)
	a.background(ctx, func(ctx context.Context) {
		c := a.caller(ctx, sc.UserID, sc.UserName, sc.ChannelID, sc.TriggerID)
		done <- a.o.Handler.Handle(ctx, c, sc.Text)
	})
	timer := time.NewTimer(a.o.AckWithin)
	defer timer.Stop()
	select {
	case r := <-done:
		if r.Form != nil && sc.TriggerID != "" && a.openModal(ctx, to, r) == nil {
			return nil
		}
		a.result("answered")
		a.background(ctx, func(ctx context.Context) { a.uploadFiles(ctx, to, r) })
		return messageOf(r, "")
	case <-timer.C:
		a.result("deferred")
		a.background(ctx, func(ctx context.Context) {
			r := <-done
			a.deliver(ctx, to, r)
			a.uploadFiles(ctx, to, r)
		})
		l := commands.English
		if cmd, _ := commands.Parse(sc.Text); cmd.Lang == commands.Dutch && !cmd.Guessed {
			l = commands.Dutch
		}
		return &message{ResponseType: "ephemeral", Text: pick(l, "Working on it…", "Even geduld…")}
	}
}
