package main

import (
	"context"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify/slack"
)

// wireSlack mounts Slack over HTTP (SLACK_SIGNING_SECRET) and runs Socket Mode
// (SLACK_APP_TOKEN); both need SLACK_BOT_TOKEN and share one dispatcher.
func (a *app) wireSlack(w *wiring, h *liveCommands) error {
	getenv := w.getenv
	token, signing, appToken := getenv("SLACK_BOT_TOKEN"), getenv("SLACK_SIGNING_SECRET"), getenv("SLACK_APP_TOKEN")
	if token == "" {
		w.state("Slack HTTP", false, "set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET")
		w.state("Slack Socket Mode", false, "set SLACK_BOT_TOKEN and SLACK_APP_TOKEN")
		return nil
	}
	app, err := slack.New(slack.Options{
		SigningSecret: signing,
		BotToken:      token,
		APIURL:        getenv("SLACK_API_URL"),
		Handler:       h,
		HomeTickets: func(ctx context.Context, c commands.Caller) (commands.Reply, error) {
			return h.Home(ctx, c, ""), nil
		},
		UserGroups: append(append([]string{}, a.cfg.Access.Agents...), a.cfg.Access.SDMs...),
		Logger:     a.log,
		OnEvent:    func(result string) { w.metrics.Event("slack", result) },
		Events:     a.db,
	})
	if err != nil {
		return err
	}
	if signing != "" {
		w.handle("POST "+slack.PathCommands, "slack_commands", app.Commands())
		w.handle("POST "+slack.PathInteractivity, "slack_interactivity", app.Interactivity())
		w.handle("POST "+slack.PathEvents, "slack_events", app.Events())
	}
	w.state("Slack HTTP", signing != "", "set SLACK_SIGNING_SECRET")
	if appToken != "" {
		w.loops = append(w.loops, func(ctx context.Context) error { return app.RunSocketMode(ctx, appToken) })
	}
	w.state("Slack Socket Mode", appToken != "", "set SLACK_APP_TOKEN")
	w.drain = append(w.drain, app.Wait)
	return nil
}
