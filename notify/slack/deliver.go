package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	slackgo "github.com/slack-go/slack"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
)

// message is an answer as a slash command's acknowledgement or a response_url post.
type message struct {
	ResponseType string          `json:"response_type,omitempty"` // ephemeral or in_channel
	Text         string          `json:"text"`
	Blocks       []slackgo.Block `json:"blocks,omitempty"`
	ThreadTS     string          `json:"thread_ts,omitempty"`
	// ReplaceOriginal is always false: an answer to a click never replaces the card.
	ReplaceOriginal bool `json:"replace_original"`
}

// messageOf renders r as a message, ephemeral or for the channel as r says.
func messageOf(r commands.Reply, thread string) *message {
	r = fit(r, messageRoom)
	m := &message{ResponseType: "in_channel", Text: fallback(r), Blocks: blocks(r), ThreadTS: thread}
	if r.Ephemeral {
		m.ResponseType = "ephemeral"
	}
	return m
}

// target is where an answer goes.
type target struct {
	responseURL string // of the slash command or the click; "" when there is none
	trigger     string // trigger_id, to open a modal (valid for 3 seconds)
	channel     string
	user        string
	thread      string // the thread an answer for the channel goes in
	inThread    bool   // the request came from within thread
}

// threadFor gives the thread for an answer. Slack shows an ephemeral message in a
// thread only when the thread exists, so a private answer to a top-level message stays
// out of threads.
func (t target) threadFor(ephemeral bool) string {
	if ephemeral && !t.inThread {
		return ""
	}
	return t.thread
}

// deliver gives r after the acknowledgement: a form opens as a modal, anything else
// (or a modal that would not open) goes through response_url, or the Web API when
// there is none.
func (a *App) deliver(ctx context.Context, to target, r commands.Reply) {
	if r.Form != nil && to.trigger != "" {
		if err := a.openModal(ctx, to, r); err == nil {
			return
		}
	}
	if to.responseURL != "" {
		err := a.respond(ctx, to.responseURL, messageOf(r, to.threadFor(r.Ephemeral)))
		if err == nil {
			return
		}
		a.failed("response_url post failed; posting instead", err)
	}
	a.post(ctx, to, r)
}

// post sends r with the Web API: to the channel, or privately to the user there when
// r is ephemeral; without a channel (the App Home), or when the private answer fails
// (a channel the bot is not in), in the app's direct message with the user.
func (a *App) post(ctx context.Context, to target, r commands.Reply) {
	switch {
	case to.channel != "" && !r.Ephemeral:
		if _, err := a.send.Send(ctx, to.channel, r, to.threadFor(false)); err != nil {
			a.failed("answer failed", err)
		}
		return
	case to.channel != "" && to.user != "":
		err := a.send.sendEphemeral(ctx, to.channel, to.user, r, to.threadFor(true))
		if err == nil {
			return
		}
		a.failed("private answer failed; sending a direct message", err)
	}
	if to.user == "" {
		return
	}
	if _, err := a.send.Send(ctx, to.user, r, ""); err != nil {
		a.failed("direct answer failed", err)
	}
}

// openModal opens r's form with views.open; the modal remembers where to answer.
func (a *App) openModal(ctx context.Context, to target, r commands.Reply) error {
	v := modal(*r.Form, formMeta{Value: r.Form.Value, Lang: r.Lang, Channel: to.channel, Thread: to.threadFor(true)})
	if _, err := a.send.api.OpenViewContext(ctx, to.trigger, v); err != nil {
		a.failed("views.open failed", err)
		return err
	}
	a.result("modal")
	return nil
}

// respond posts m to a response_url.
func (a *App) respond(ctx context.Context, url string, m *message) error {
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("response_url: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.http.Do(req)
	if err != nil {
		return fmt.Errorf("response_url: %w", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("response_url: %s", resp.Status)
	}
	return nil
}

func (a *App) failed(msg string, err error) {
	a.result("failed")
	a.log.Error("slack: "+msg, "err", err)
}
