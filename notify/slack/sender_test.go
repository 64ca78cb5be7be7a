package slack

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
)

// TestSend: a notification goes out as Block Kit with its plain text, in a thread when
// asked, and gives the message's ts.
func TestSend(t *testing.T) {
	fs := newFakeSlack(t)
	s := NewSender("xoxb-test", strings.TrimSuffix(fs.apiURL(), "/"), nil) // either form of the URL
	r := commands.Reply{Kind: commands.KindTicket, Title: "MAGDA-1 at risk", Status: commands.StatusAtRisk,
		Facts: []commands.Fact{{Label: "Resolution", Value: "due Fri 10 Jul 17:00"}}}
	for _, thread := range []string{"", "1783600000.000100"} {
		ts, err := s.Send(context.Background(), "C-SDM", r, thread)
		if err != nil || ts != "1783600000.000100" {
			t.Fatalf("Send = %q, %v", ts, err)
		}
	}
	calls := fs.callsTo("chat.postMessage")
	if len(calls) != 2 {
		t.Fatalf("%d calls", len(calls))
	}
	for i, c := range calls {
		var blocks []map[string]any
		if err := json.Unmarshal([]byte(c.Form.Get("blocks")), &blocks); err != nil || len(blocks) != 2 {
			t.Errorf("blocks %s: %v", c.Form.Get("blocks"), err)
		}
		if c.token() != "xoxb-test" || c.Form.Get("channel") != "C-SDM" || c.Form.Get("text") != "MAGDA-1 at risk\nResolution: due Fri 10 Jul 17:00" {
			t.Errorf("call %d: %v", i, c.Form)
		}
	}
	if calls[0].Form.Has("thread_ts") || calls[1].Form.Get("thread_ts") != "1783600000.000100" {
		t.Errorf("threads %q %q", calls[0].Form.Get("thread_ts"), calls[1].Form.Get("thread_ts"))
	}
}

// TestRetryAfter: a 429 from Slack gives the Retry-After it sent, for the outbox to
// wait; other failures give none.
func TestRetryAfter(t *testing.T) {
	tests := []struct {
		name   string
		handle http.HandlerFunc
		wait   time.Duration
		rated  bool
	}{
		{"429 Retry-After: 7", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusTooManyRequests)
		}, 7 * time.Second, true},
		{"500", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusInternalServerError) }, 0, false},
		{"channel_not_found", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"ok":false,"error":"channel_not_found"}`))
		}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls++
				tt.handle(w, r)
			}))
			defer srv.Close()
			_, err := NewSender("xoxb-test", srv.URL+"/api/", nil).Send(context.Background(), "C1", commands.Reply{Title: "x"}, "")
			if err == nil {
				t.Fatal("no error")
			}
			wait, rated := RetryAfter(err)
			if wait != tt.wait || rated != tt.rated || calls != 1 {
				t.Errorf("RetryAfter = %v, %v after %d calls; want %v, %v after 1", wait, rated, calls, tt.wait, tt.rated)
			}
		})
	}
	if _, ok := RetryAfter(errors.New("x")); ok {
		t.Error("RetryAfter of a plain error")
	}
}
