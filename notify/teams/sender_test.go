package teams

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
)

var notice = commands.Reply{Kind: commands.KindTicket, Lang: commands.English, Title: "MAGDA-1 is at risk",
	Status: commands.StatusAtRisk, Facts: []commands.Fact{{Label: "Resolution", Value: "due Fri 10 Jul 17:00 · 0h30 left"}}}

// installed gives an env whose bot was installed in teamChan.
func installed(t *testing.T) *env {
	e := newEnv(t)
	e.refs.SaveReference(t.Context(), Reference{ChannelID: teamChan, ConversationID: teamChan, ServiceURL: e.bf.serviceURL(),
		TenantID: tenantID, BotID: botAccount, UpdatedAt: start})
	return e
}

// TestSend: a proactive message goes to the channel's conversation, in a thread when
// one is given, and its id comes back; a channel without the bot is an error.
func TestSend(t *testing.T) {
	e := installed(t)
	s := e.bot.Sender()
	id, err := s.Send(t.Context(), teamChan, notice, "")
	if err != nil || id != "msg-1" {
		t.Fatalf("Send = %q, %v", id, err)
	}
	if _, err := s.Send(t.Context(), teamChan, notice, id); err != nil {
		t.Fatal(err)
	}
	posts := e.bf.sent()
	paths := []string{posts[0].Path, posts[1].Path}
	want := []string{"/amer/v3/conversations/" + teamChan + "/activities", "/amer/v3/conversations/" + teamChan + ";messageid=msg-1/activities"}
	if diff := cmp.Diff(want, paths); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
	if p := posts[0]; p.Auth != "Bearer tok-1" || p.Body.Summary != notice.Title || p.Body.ReplyToID != "" ||
		len(p.Body.Attachments) != 1 || p.Body.Attachments[0].Content.Body[0].Text != notice.Title {
		t.Errorf("posted %+v", p)
	}
	if _, err := s.Send(t.Context(), "19:elsewhere@thread.tacv2", notice, ""); err == nil || len(e.bf.sent()) != 2 {
		t.Errorf("a channel without the bot: err %v, %d posts", err, len(e.bf.sent()))
	}
}

// TestSendRetries: 412, 429 and 5xx are tried again, after Retry-After or a doubling
// backoff, at most 5 times; a rate limit the tries don't outlast says how long to wait.
func TestSendRetries(t *testing.T) {
	tooMany := func(after string) answer {
		return answer{http.StatusTooManyRequests, map[string]string{"Retry-After": after}}
	}
	tests := []struct {
		name       string
		answers    []answer
		wantErr    bool
		wantSleeps []time.Duration
		wantPosts  int
		retryAfter time.Duration // 0: RetryAfter(err) is false
	}{
		{"429 with Retry-After, then success", []answer{tooMany("3")}, false, []time.Duration{3 * time.Second}, 2, 0},
		{"Retry-After as a date", []answer{tooMany(start.Add(7 * time.Second).UTC().Format(http.TimeFormat))}, false,
			[]time.Duration{7 * time.Second}, 2, 0},
		{"5xx and 412 back off doubling", []answer{{503, nil}, {502, nil}, {412, nil}}, false,
			[]time.Duration{time.Second, 2 * time.Second, 4 * time.Second}, 4, 0},
		{"429 throughout", []answer{tooMany("2"), tooMany("2"), tooMany("2"), tooMany("2"), tooMany("2")}, true,
			[]time.Duration{2 * time.Second, 2 * time.Second, 2 * time.Second, 2 * time.Second}, 5, 2 * time.Second},
		{"429 without Retry-After throughout", []answer{{429, nil}, {429, nil}, {429, nil}, {429, nil}, {429, nil}}, true,
			[]time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}, 5, 16 * time.Second},
		{"Retry-After longer than a minute", []answer{tooMany("120")}, true, nil, 1, 2 * time.Minute},
		{"400 is final", []answer{{400, nil}}, true, nil, 1, 0},
		{"403 is final", []answer{{403, nil}}, true, nil, 1, 0},
		{"401 renews the token once", []answer{{401, nil}}, false, nil, 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := installed(t)
			e.bf.answers(tt.answers...)
			_, err := e.bot.Sender().Send(t.Context(), teamChan, notice, "")
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %t", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.wantSleeps, e.clock.sleeps()); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
			if got := len(e.bf.sent()); got != tt.wantPosts {
				t.Errorf("%d posts, want %d", got, tt.wantPosts)
			}
			after, limited := RetryAfter(err)
			if limited != (tt.retryAfter > 0) || after != tt.retryAfter {
				t.Errorf("RetryAfter = %v, %t; want %v", after, limited, tt.retryAfter)
			}
		})
	}
	t.Run("401 renews with a new token", func(t *testing.T) {
		e := installed(t)
		e.bf.answers(answer{401, nil})
		e.bot.Sender().Send(t.Context(), teamChan, notice, "")
		if p := e.bf.sent(); len(p) != 2 || p[1].Auth != "Bearer tok-2" {
			t.Errorf("posts %+v", p)
		}
	})
	t.Run("cancelled while waiting", func(t *testing.T) {
		e := installed(t)
		e.clock.failAt = 1
		e.bf.answers(tooMany("3"))
		if _, err := e.bot.Sender().Send(t.Context(), teamChan, notice, ""); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
}

// TestRateLimits: however fast the notices come, no conversation gets more than Teams
// allows in any span (7 a second, 8 in 2 s, 60 in 30 s), and one conversation's queue
// does not hold up another's.
func TestRateLimits(t *testing.T) {
	e := installed(t)
	other := "19:other@thread.tacv2"
	e.refs.SaveReference(t.Context(), Reference{ChannelID: other, ConversationID: other, ServiceURL: e.bf.serviceURL()})
	s := e.bot.Sender()
	const n = 75
	for i := range n {
		if _, err := s.Send(t.Context(), teamChan, notice, ""); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	posts := e.bf.sent()
	for _, lim := range threadLimits[:3] {
		for i := range posts {
			in := 0
			for _, p := range posts[i:] {
				if p.Clock.Sub(posts[i].Clock) < lim.per {
					in++
				}
			}
			if in > lim.n {
				t.Fatalf("%d posts within %v from post %d, limit %d", in, lim.per, i, lim.n)
			}
		}
	}
	if took := posts[n-1].Clock.Sub(posts[0].Clock); took > 2*time.Minute {
		t.Errorf("%d posts took %v: the limits hold back more than needed", n, took)
	}
	before := len(e.clock.sleeps())
	if _, err := s.Send(t.Context(), other, notice, ""); err != nil || len(e.clock.sleeps()) != before {
		t.Errorf("another conversation waited (err %v)", err)
	}
}
