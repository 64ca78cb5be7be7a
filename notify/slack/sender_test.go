package slack

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
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

// TestSendKeyedFind: a keyed message carries the key in its metadata; Find reads the
// channel's history from `since` with the metadata, page after page, and finds it by
// the key alone, not by another key or a message without metadata.
func TestSendKeyedFind(t *testing.T) {
	var history []url.Values
	var posted url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/chat.postMessage":
			posted = r.PostForm
			w.Write([]byte(`{"ok":true,"channel":"C1","ts":"1783600000.000100"}`))
		case "/api/conversations.history":
			history = append(history, r.PostForm)
			meta := func(key string) string {
				return `"metadata":{"event_type":"magda_notification","event_payload":{"key":"` + key + `"}}`
			}
			switch r.PostForm.Get("cursor") {
			case "":
				w.Write([]byte(`{"ok":true,"has_more":true,"response_metadata":{"next_cursor":"p2"},"messages":[
					{"ts":"1783600009.000000","text":"people"},{"ts":"1783600008.000000",` + meta("7.MAGDA-2.p1_reported.1") + `}]}`))
			case "p2":
				w.Write([]byte(`{"ok":true,"has_more":false,"messages":[{"ts":"1783600007.000000",` + meta("7.MAGDA-1.p1_reported.1") + `}]}`))
			}
		}
	}))
	defer srv.Close()
	s := NewSender("xoxb-test", srv.URL+"/api/", nil)
	ctx := context.Background()
	if _, err := s.SendKeyed(ctx, "C1", commands.Reply{Title: "P1 reported"}, "7.MAGDA-1.p1_reported.1"); err != nil {
		t.Fatal(err)
	}
	if got := posted.Get("metadata"); got != `{"event_type":"magda_notification","event_payload":{"key":"7.MAGDA-1.p1_reported.1"}}` {
		t.Errorf("metadata %s", got)
	}
	since := time.Unix(1783600000, 0)
	ts, found, err := s.Find(ctx, "C1", "7.MAGDA-1.p1_reported.1", since)
	if err != nil || !found || ts != "1783600007.000000" {
		t.Fatalf("Find = %q, %v, %v; want the message on the second page", ts, found, err)
	}
	if len(history) != 2 || history[0].Get("oldest") != "1783600000.000000" || history[0].Get("include_all_metadata") != "1" || history[0].Get("channel") != "C1" {
		t.Errorf("history calls %v", history)
	}
	if _, found, err := s.Find(ctx, "C1", "8.MAGDA-3.p1_reported.1", since); found || err != nil {
		t.Errorf("Find of an unknown key = %v, %v; want not found", found, err)
	}
}

// TestFindBounded: a history longer than Find reads is an error, not "not found".
func TestFindBounded(t *testing.T) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"ok":true,"has_more":true,"response_metadata":{"next_cursor":"more"},"messages":[{"ts":"1.0","text":"x"}]}`))
	}))
	defer srv.Close()
	_, found, err := NewSender("xoxb-test", srv.URL+"/api/", nil).Find(context.Background(), "C1", "k", time.Unix(0, 0))
	if err == nil || found || calls != findPages {
		t.Errorf("Find over an endless history = %v, %v after %d calls; want an error after %d", found, err, calls, findPages)
	}
}

// TestRejected: only Slack's clear refusals say nothing was posted; a 500, a timeout,
// a rate limit and the errors after which Slack may have done part of the call do not.
func TestRejected(t *testing.T) {
	tests := []struct {
		name     string
		handle   http.HandlerFunc
		rejected bool
	}{
		{"channel_not_found", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"ok":false,"error":"channel_not_found"}`))
		}, true},
		{"not_in_channel", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"ok":false,"error":"not_in_channel"}`))
		}, true},
		{"internal_error", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"ok":false,"error":"internal_error"}`))
		}, false},
		{"500", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusInternalServerError) }, false},
		{"429", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
		}, false},
		{"timeout", func(w http.ResponseWriter, r *http.Request) { time.Sleep(200 * time.Millisecond) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handle)
			defer srv.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			_, err := NewSender("xoxb-test", srv.URL+"/api/", nil).SendKeyed(ctx, "C1", commands.Reply{Title: "x"}, "k")
			if err == nil {
				t.Fatal("no error")
			}
			if got := Rejected(err); got != tt.rejected {
				t.Errorf("Rejected(%v) = %v, want %v", err, got, tt.rejected)
			}
		})
	}
}
