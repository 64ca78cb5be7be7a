package slack

import (
	"context"
	"strings"

	slackgo "github.com/slack-go/slack"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
)

// interaction handles a button click or a modal submission. What it gives is the
// acknowledgement's body: nil, or a view_submission response with field errors.
func (a *App) interaction(ctx context.Context, cb slackgo.InteractionCallback) any {
	switch cb.Type {
	case slackgo.InteractionTypeBlockActions:
		a.result("action")
		a.background(ctx, func(ctx context.Context) { a.clicked(ctx, cb) })
		return nil
	case slackgo.InteractionTypeViewSubmission:
		if resp := a.submitted(ctx, cb); resp != nil {
			return resp
		}
		return nil
	}
	a.result("ignored")
	return nil
}

// clicked runs the command of each of our buttons in a click, as the user who clicked,
// in the channel of the message, and answers through response_url: not replacing the
// card, in its thread when it is one for the channel.
func (a *App) clicked(ctx context.Context, cb slackgo.InteractionCallback) {
	ct := cb.Container
	to := target{responseURL: cb.ResponseURL, trigger: cb.TriggerID, channel: or(cb.Channel.ID, ct.ChannelID),
		user: cb.User.ID, thread: ct.ThreadTs, inThread: ct.ThreadTs != ""}
	if to.thread == "" && !ct.IsEphemeral {
		to.thread = ct.MessageTs
	}
	for _, act := range cb.ActionCallback.BlockActions {
		if !strings.HasPrefix(act.ActionID, "magda_") {
			continue
		}
		l, value := parseButtonValue(act.Value)
		// One id per button of one message (or of one App Home view): a double click
		// escalates once, and the second click gets the first answer.
		where := or(ct.MessageTs, or(cb.View.Hash, act.ActionTs))
		c := a.caller(ctx, cb.User.ID, cb.User.Name, to.channel, where+":"+act.ActionID+":"+value)
		var r commands.Reply
		if cmd, err := commands.ActionCommand(act.ActionID, value, l); err != nil {
			r = commands.ErrorReply(err, cmd.Lang)
		} else {
			r = a.o.Handler.Run(ctx, c, cmd)
		}
		a.deliver(ctx, to, r)
	}
}

// submitted handles a modal of ours: a field error keeps the modal open with the
// reason under the field; otherwise the modal closes and the command runs, its answer
// shown privately to the user where the modal was opened.
func (a *App) submitted(ctx context.Context, cb slackgo.InteractionCallback) *slackgo.ViewSubmissionResponse {
	id := cb.View.CallbackID
	if id != commands.FormPriority && id != commands.FormUpdate {
		a.result("ignored")
		return nil
	}
	m := parseMeta(cb.View.PrivateMetadata)
	cmd, err := commands.FormCommand(id, m.Value, formValues(cb.View.State), m.Lang)
	if err != nil {
		if block := firstInput(cb.View.Blocks); block != "" {
			a.result("bad_request")
			return slackgo.NewErrorsViewSubmissionResponse(map[string]string{block: commands.ErrorReply(err, cmd.Lang).Lines[0]})
		}
	}
	a.result("submitted")
	to := target{channel: m.Channel, user: cb.User.ID, thread: m.Thread, inThread: m.Thread != ""}
	a.background(ctx, func(ctx context.Context) {
		var r commands.Reply
		if err != nil {
			r = commands.ErrorReply(err, cmd.Lang)
		} else {
			// The modal's id: a submission Slack sends twice records once.
			r = a.o.Handler.Run(ctx, a.caller(ctx, cb.User.ID, cb.User.Name, m.Channel, cb.View.ID), cmd)
		}
		r.Ephemeral = true // the customer hears of an update through commands.OnUpdated
		a.post(ctx, to, r)
	})
	return nil
}

func firstInput(bs slackgo.Blocks) string {
	for _, b := range bs.BlockSet {
		if in, ok := b.(*slackgo.InputBlock); ok && in.BlockID != "" {
			return in.BlockID
		}
	}
	return ""
}
