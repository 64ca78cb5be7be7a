package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	slackgo "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
)

// fakeAcker records Socket Mode acknowledgements.
type fakeAcker struct {
	mu   sync.Mutex
	acks []ackRecord
}

type ackRecord struct {
	Envelope string
	Payload  string // JSON; "" for none
}

func (f *fakeAcker) Ack(req socketmode.Request, payload ...any) error {
	r := ackRecord{Envelope: req.EnvelopeID}
	if len(payload) > 0 {
		b, _ := json.Marshal(payload[0])
		r.Payload = string(b)
	}
	f.mu.Lock()
	f.acks = append(f.acks, r)
	f.mu.Unlock()
	return nil
}

// socketEventOf reads an envelope fixture and decodes it as socketmode.Client does
// before handing it to its consumer.
func socketEventOf(t *testing.T, name, responseURL string) socketmode.Event {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	raw = bytes.ReplaceAll(raw, []byte("RESPONSE_URL"), []byte(responseURL))
	var req socketmode.Request
	if err := json.Unmarshal(raw, &req); err != nil {
		t.Fatal(err)
	}
	evt := socketmode.Event{Request: &req}
	switch req.Type {
	case socketmode.RequestTypeEventsAPI:
		ev, err := slackevents.ParseEvent(req.Payload, slackevents.OptionNoVerifyToken())
		if err != nil {
			t.Fatal(err)
		}
		evt.Type, evt.Data = socketmode.EventTypeEventsAPI, ev
	case socketmode.RequestTypeSlashCommands:
		var sc slackgo.SlashCommand
		if err := json.Unmarshal(req.Payload, &sc); err != nil {
			t.Fatal(err)
		}
		evt.Type, evt.Data = socketmode.EventTypeSlashCommand, sc
	case socketmode.RequestTypeInteractive:
		var cb slackgo.InteractionCallback
		if err := json.Unmarshal(req.Payload, &cb); err != nil {
			t.Fatal(err)
		}
		evt.Type, evt.Data = socketmode.EventTypeInteractive, cb
	}
	return evt
}

// TestSocketMode: each envelope goes through the dispatcher of the HTTP endpoints and is
// acknowledged once, with the body an HTTP answer would have had.
func TestSocketMode(t *testing.T) {
	t.Run("slash command answered in the ack", func(t *testing.T) {
		ta := newTestApp(t)
		acker := &fakeAcker{}
		ta.socketEvent(context.Background(), socketEventOf(t, "socket_slash_commands.json", ta.slack.responseURL()), acker)
		ta.Wait()
		if len(acker.acks) != 1 || acker.acks[0].Envelope != "env-slash-1" {
			t.Fatalf("acks %+v", acker.acks)
		}
		// The same command over HTTP answers with the same body.
		sc := socketEventOf(t, "socket_slash_commands.json", ta.slack.responseURL()).Data.(slackgo.SlashCommand)
		form := url.Values{"channel_id": {sc.ChannelID}, "user_id": {sc.UserID}, "user_name": {sc.UserName},
			"command": {sc.Command}, "text": {sc.Text}, "response_url": {sc.ResponseURL}, "trigger_id": {sc.TriggerID}}
		w := ta.post(t, PathCommands, formType, form.Encode())
		if diff := cmp.Diff(strings.TrimSpace(w.Body.String()), acker.acks[0].Payload); diff != "" {
			t.Errorf("socket ack differs from the HTTP answer (-http +socket):\n%s", diff)
		}
		if !strings.Contains(acker.acks[0].Payload, `"text":":red_circle: MAGDA-1 · P2 incident · Agentschap X"`) {
			t.Errorf("ack payload %s", acker.acks[0].Payload)
		}
	})
	t.Run("button click", func(t *testing.T) {
		ta := newTestApp(t)
		acker := &fakeAcker{}
		ta.socketEvent(context.Background(), socketEventOf(t, "socket_interactive.json", ta.slack.responseURL()), acker)
		ta.Wait()
		if !cmp.Equal(acker.acks, []ackRecord{{Envelope: "env-interactive-1"}}) {
			t.Errorf("acks %+v", acker.acks)
		}
		posts := ta.slack.responses()
		if len(posts) != 1 || headerOf(posts[0]) != "How the due times of MAGDA-1 are counted" {
			t.Errorf("response_url posts %v", posts)
		}
	})
	t.Run("modal error in the ack", func(t *testing.T) {
		ta := newTestApp(t)
		acker := &fakeAcker{}
		form := newHandler(newStore(fixture()...), "").Handle(context.Background(), staff, "update MAGDA-1").Form
		payload, _ := json.Marshal(submission(t, form, formMeta{Value: "MAGDA-1", Lang: commands.English, Channel: chanTeam}, map[string]string{"text": ""}))
		var cb slackgo.InteractionCallback
		if err := json.Unmarshal(payload, &cb); err != nil {
			t.Fatal(err)
		}
		ta.socketEvent(context.Background(), socketmode.Event{Type: socketmode.EventTypeInteractive, Data: cb,
			Request: &socketmode.Request{EnvelopeID: "env-view-1", Type: "interactive"}}, acker)
		ta.Wait()
		want := []ackRecord{{Envelope: "env-view-1", Payload: `{"response_action":"errors","errors":{"text":"Write the update first."}}`}}
		if diff := cmp.Diff(want, acker.acks); diff != "" {
			t.Errorf("acks (-want +got):\n%s", diff)
		}
	})
	t.Run("app mention", func(t *testing.T) {
		ta := newTestApp(t)
		acker := &fakeAcker{}
		ev := socketEventOf(t, "socket_events_api.json", "")
		ta.socketEvent(context.Background(), ev, acker)
		ta.socketEvent(context.Background(), ev, acker) // Slack's retry
		ta.Wait()
		if len(acker.acks) != 2 || acker.acks[0] != (ackRecord{Envelope: "env-events-1"}) {
			t.Errorf("acks %+v", acker.acks)
		}
		posts := ta.slack.callsTo("chat.postMessage")
		if len(posts) != 1 || posts[0].Form.Get("thread_ts") != "1783600000.001000" ||
			!strings.Contains(posts[0].Form.Get("text"), "MAGDA-2 · P1 incident") {
			t.Errorf("chat.postMessage %+v", posts)
		}
	})
	t.Run("client events are not acknowledged", func(t *testing.T) {
		ta := newTestApp(t)
		acker := &fakeAcker{}
		for _, typ := range []socketmode.EventType{socketmode.EventTypeConnecting, socketmode.EventTypeConnected, socketmode.EventTypeHello} {
			ta.socketEvent(context.Background(), socketmode.Event{Type: typ, Request: &socketmode.Request{Type: string(typ)}}, acker)
		}
		if len(acker.acks) != 0 || len(ta.slack.allCalls()) != 0 {
			t.Errorf("acks %+v calls %+v", acker.acks, ta.slack.allCalls())
		}
	})
}

// TestRunSocketMode: the loop opens its connection through SLACK_API_URL with the
// app-level token, and returns nil when its context ends.
func TestRunSocketMode(t *testing.T) {
	ta := newTestApp(t)
	if err := ta.RunSocketMode(context.Background(), ""); err == nil || !strings.Contains(err.Error(), "SLACK_APP_TOKEN") {
		t.Errorf("without a token: err = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ta.RunSocketMode(ctx, "xapp-test") }()
	for len(ta.slack.callsTo("apps.connections.open")) == 0 {
		select {
		case err := <-done:
			t.Fatalf("RunSocketMode returned early: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	if auth := ta.slack.callsTo("apps.connections.open")[0].token(); auth != "xapp-test" {
		t.Errorf("apps.connections.open with %q, want the app-level token", auth)
	}
	if err := <-done; err != nil {
		t.Errorf("after cancel: %v", err)
	}
}
