package slack

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// eventBody is an Events API event_callback around inner.
func eventBody(id string, inner map[string]any) string {
	b, _ := json.Marshal(map[string]any{"token": "legacy", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
		"event_id": id, "event_time": 1783600000, "event": inner})
	return string(b)
}

func mentionEvent(text, ts, threadTS string) map[string]any {
	e := map[string]any{"type": "app_mention", "user": agent, "text": text, "ts": ts, "channel": chanTeam, "event_ts": ts}
	if threadTS != "" {
		e["thread_ts"] = threadTS
	}
	return e
}

// TestAppMention: "@magda sla MAGDA-123" is answered in the mention's thread; a private
// answer to a top-level mention stays out of the (not yet existing) thread; Slack's
// retry of the same event is answered once; another bot's mention is not answered.
func TestAppMention(t *testing.T) {
	tests := []struct {
		name     string
		events   []string
		method   string
		threadTS string
		text     string
	}{
		{"card in the thread", []string{eventBody("Ev1", mentionEvent("<@UBOT> sla MAGDA-1", "1783600000.000300", ""))},
			"chat.postMessage", "1783600000.000300", "MAGDA-1 · P2 incident · Agentschap X"},
		{"retried event answered once", []string{
			eventBody("Ev2", mentionEvent("<@UBOT> sla MAGDA-1", "1783600000.000400", "")),
			eventBody("Ev2", mentionEvent("<@UBOT> sla MAGDA-1", "1783600000.000400", ""))},
			"chat.postMessage", "1783600000.000400", "MAGDA-1 · P2 incident"},
		{"within a thread", []string{eventBody("Ev3", mentionEvent("hey <@UBOT> explain MAGDA-2", "1783600000.000600", "1783600000.000500"))},
			"chat.postMessage", "1783600000.000500", "How the due times of MAGDA-2 are counted"},
		{"help is private, top level", []string{eventBody("Ev4", mentionEvent("<@UBOT>", "1783600000.000700", ""))},
			"chat.postEphemeral", "", "/magda commands"},
		{"escaped text", []string{eventBody("Ev5", mentionEvent("<@UBOT> escalate MAGDA-1 &lt;urgent&gt; &amp; now", "1783600000.000800", ""))},
			"chat.postMessage", "1783600000.000800", "Reason: &lt;urgent&gt; &amp; now"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ta := newTestApp(t)
			for _, ev := range tt.events {
				if w := ta.post(t, PathEvents, "application/json", ev); w.Code != http.StatusOK {
					t.Fatalf("status %d", w.Code)
				}
			}
			ta.Wait()
			calls := slices.DeleteFunc(ta.slack.allCalls(), func(c call) bool { return c.Method == "users.info" }) // the recorder's name
			if len(calls) != 1 || calls[0].Method != tt.method {
				t.Fatalf("calls %+v, want one %s", calls, tt.method)
			}
			f := calls[0].Form
			if f.Get("channel") != chanTeam || f.Get("thread_ts") != tt.threadTS || !strings.Contains(f.Get("text"), tt.text) {
				t.Errorf("%s channel %q thread %q text %q", tt.method, f.Get("channel"), f.Get("thread_ts"), f.Get("text"))
			}
			if tt.method == "chat.postEphemeral" && f.Get("user") != agent {
				t.Errorf("private answer to %q", f.Get("user"))
			}
		})
	}
}

func TestIgnoredEvents(t *testing.T) {
	bot := mentionEvent("<@UBOT> sla MAGDA-1", "1783600000.000900", "")
	bot["bot_id"] = "B1"
	for name, body := range map[string]string{
		"another bot's mention": eventBody("Ev6", bot),
		"messages tab opened":   eventBody("Ev7", map[string]any{"type": "app_home_opened", "user": agent, "channel": "D1", "tab": "messages"}),
		"unsubscribed event":    eventBody("Ev8", map[string]any{"type": "reaction_added", "user": agent}),
	} {
		t.Run(name, func(t *testing.T) {
			ta := newTestApp(t)
			if w := ta.post(t, PathEvents, "application/json", body); w.Code != http.StatusOK {
				t.Fatalf("status %d", w.Code)
			}
			ta.Wait()
			if calls := ta.slack.allCalls(); len(calls) != 0 {
				t.Errorf("calls %+v", calls)
			}
			if got := ta.results.list(); !cmp.Equal(got, []string{"ignored"}) {
				t.Errorf("results %v", got)
			}
		})
	}
}

// TestAppHome: opening the App Home publishes the user's tickets at risk (HomeTickets)
// above the command list; without tickets, or when they cannot be read, the list alone.
func TestAppHome(t *testing.T) {
	atRisk := func(_ context.Context, c commands.Caller) (commands.Reply, error) {
		if c.UserID != agent || c.Platform != "slack" {
			return commands.Reply{}, errors.New("wrong caller")
		}
		return commands.Reply{Kind: commands.KindTickets, Lang: commands.Dutch, Title: "Jouw tickets in gevaar: 1",
			Status: commands.StatusAtRisk, Items: []commands.Item{{Title: "MAGDA-1", Status: commands.StatusAtRisk,
				Buttons: []commands.Button{{Action: commands.ActTicket, Label: "Details", Value: "MAGDA-1"}}}}}, nil
	}
	tests := []struct {
		name    string
		home    func(context.Context, commands.Caller) (commands.Reply, error)
		headers []string
	}{
		{"tickets and the Dutch list", atRisk, []string{":large_orange_circle: Jouw tickets in gevaar: 1", "/magda-opdrachten"}},
		{"no tickets function", nil, []string{"/magda commands"}},
		{"tickets fail", func(context.Context, commands.Caller) (commands.Reply, error) {
			return commands.Reply{}, errors.New("database locked")
		}, []string{"/magda commands"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ta := newTestApp(t, func(o *Options) { o.HomeTickets = tt.home })
			body := eventBody("EvH", map[string]any{"type": "app_home_opened", "user": agent, "channel": "D1", "tab": "home", "event_ts": "1783600000.1"})
			ta.post(t, PathEvents, "application/json", body)
			ta.Wait()
			pubs := ta.slack.callsTo("views.publish")
			if len(pubs) != 1 || pubs[0].JSON["user_id"] != agent {
				t.Fatalf("views.publish %+v", pubs)
			}
			view := pubs[0].JSON["view"].(map[string]any)
			var headers []string
			for _, b := range view["blocks"].([]any) {
				if b := b.(map[string]any); b["type"] == "header" {
					headers = append(headers, b["text"].(map[string]any)["text"].(string))
				}
			}
			if view["type"] != "home" || !cmp.Equal(headers, tt.headers) {
				t.Errorf("home view type %v headers %q, want %q", view["type"], headers, tt.headers)
			}
		})
	}
}

func TestMentionText(t *testing.T) {
	for in, want := range map[string]string{
		"<@U1> sla MAGDA-1":             "sla MAGDA-1",
		"<@U1|magda> sla MAGDA-1":       "sla MAGDA-1",
		"hey <@U1>   explain MAGDA-1 ":  "explain MAGDA-1",
		"sla MAGDA-1":                   "sla MAGDA-1",
		"<@U1> update MAGDA-1 a &gt; b": "update MAGDA-1 a > b",
		"<@U1":                          "<@U1",
	} {
		if got := mentionText(in); got != want {
			t.Errorf("mentionText(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestEventRetryOtherReplica (issue 10.9): Slack retries an event it got no
// acknowledgement for (same event_id, X-Slack-Retry-Num) and the retry reaches the
// other replica. Both replicas keep the ids in the one database file, so the event is
// answered once; another event is answered at either.
func TestEventRetryOtherReplica(t *testing.T) {
	path := filepath.Join(t.TempDir(), "magda.db")
	var replicas []*testApp
	for range 2 {
		db, err := storage.Open(path, storage.Options{Derive: func(evs []sla.Event) sla.Ticket { return sla.Replay(evs, tierOf, cals) }})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		replicas = append(replicas, newTestApp(t, func(o *Options) { o.Events = db }))
	}
	mention := eventBody("Ev42", mentionEvent("<@UBOT> sla MAGDA-1", "1783600000.004200", ""))
	retry := sign(secret, time.Now(), mention)
	retry.Set("X-Slack-Retry-Num", "1")
	retry.Set("X-Slack-Retry-Reason", "http_timeout")
	for i, w := range []*httptest.ResponseRecorder{
		replicas[0].post(t, PathEvents, "application/json", mention),
		replicas[1].postWith(PathEvents, "application/json", mention, retry),
		replicas[1].post(t, PathEvents, "application/json", eventBody("Ev43", mentionEvent("<@UBOT> sla MAGDA-2", "1783600000.004300", ""))),
	} {
		if w.Code != http.StatusOK {
			t.Errorf("request %d: status %d; want 200 (an acknowledgement, or Slack retries)", i, w.Code)
		}
	}
	var answers []string
	for _, r := range replicas {
		r.Wait()
		for _, c := range r.slack.callsTo("chat.postMessage") {
			answers = append(answers, c.Form.Get("thread_ts"))
		}
	}
	if want := []string{"1783600000.004200", "1783600000.004300"}; !cmp.Equal(answers, want) {
		t.Errorf("answers in threads %v; want %v: each event answered once", answers, want)
	}
	if got := replicas[1].results.list(); !slices.Contains(got, "duplicate") {
		t.Errorf("the second replica's results %v; want the retry counted as a duplicate", got)
	}
}
