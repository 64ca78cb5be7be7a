package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify/mail"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify/slack"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

var _ notify.Finder = (*slack.Sender)(nil)

// slackOnly are the test deployment's options with the real Slack sender as the only
// platform and no mail: the P1 notices go to C-SDM only.
func slackOnly(db *storage.DB, c *clock, s *slack.Sender) notify.Options {
	o := options(db, c, &recorder{clock: c})
	o.Platforms = map[string]notify.Platform{notify.PlatformSlack: {Sender: s, RetryAfter: slack.RetryAfter, Rejected: slack.Rejected}}
	o.Mailer = nil
	return o
}

// checkPostedOnce: every outbox row is sent, Slack holds exactly one message per row,
// tagged with the row's key, and each row's ref is that message's ts.
func checkPostedOnce(t *testing.T, db *storage.DB, api *slackAPI, rows int) {
	t.Helper()
	ds, err := db.Deliveries(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	tagged := api.tagged()
	if len(ds) != rows || len(tagged) != rows {
		t.Fatalf("%d outbox rows, %d notices in Slack; want %d of each", len(ds), len(tagged), rows)
	}
	byTS := map[string]bool{}
	for key, msgs := range tagged {
		if len(msgs) != 1 {
			t.Errorf("notice %s posted %d times", key, len(msgs))
		}
		byTS[msgs[0].TS] = true
	}
	for _, d := range ds {
		if d.State != storage.StateSent || !byTS[d.Ref] {
			t.Errorf("row %d: %s, ref %q; want sent with the ts of its message in Slack", d.ID, d.State, d.Ref)
		}
	}
}

// TestSlackUnclearTryPostsOnce (issue 10.1): Slack posts each of three P1 notices
// (R7.1) but the answer is lost: it comes after the HTTP client or the send gave up,
// or is a 500, or the connection is reset. The retry looks for the message by the key
// in its metadata, finds it and takes it as sent: each notice is in Slack once. A clear
// refusal (ok:false) is retried without a look.
func TestSlackUnclearTryPostsOnce(t *testing.T) {
	tests := []struct {
		name        string
		answer      answer
		client      *http.Client
		sendTimeout time.Duration
		histories   int // conversations.history calls of the retries
		posts       int
	}{
		{"slow answer, past the client's timeout", answerSlow, &http.Client{Timeout: 50 * time.Millisecond}, 0, 3, 3},
		{"slow answer, past SendTimeout", answerSlow, nil, 100 * time.Millisecond, 3, 3},
		{"posted, then 500", answer500, nil, 0, 3, 3},
		{"posted, then connection reset", answerReset, nil, 0, 3, 3},
		{"refused: channel_not_found", answerRefused, nil, 0, 0, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := dt(2026, 7, 6, 9, 0)
			db, path := tempStore(t)
			p1s(t, path, 3, at)
			c := &clock{}
			api := newSlackAPI(t, c.Now)
			api.chatter("C-SDM", at.Add(-time.Minute), 7) // people talk in the channel too
			api.answer = func(n int, _ string) answer {
				if n <= 3 {
					return tt.answer
				}
				return answerOK
			}
			o := slackOnly(db, c, slack.NewSender("xoxb-test", api.url(), tt.client))
			o.SendTimeout = tt.sendTimeout
			n := newNotifier(t, o)
			step(t, n, c, at)
			if ds, _ := db.Deliveries(context.Background(), storage.StatePending); len(ds) != 3 || ds[0].Attempts != 1 {
				t.Fatalf("after the first tries: %d pending rows (%+v); want 3 that failed once", len(ds), ds)
			}
			step(t, n, c, at.Add(30*time.Second)) // the backoff
			checkPostedOnce(t, db, api, 3)
			if posts, histories := api.calls(); posts != tt.posts || histories < tt.histories || tt.histories == 0 && histories != 0 {
				t.Errorf("%d chat.postMessage, %d conversations.history; want %d and %d", posts, histories, tt.posts, tt.histories)
			}
		})
	}
}

// TestSlackLookRefused: when Slack will not let the bot read the channel's history
// (an app installed before channels:history was asked for: missing_scope), a retry
// after a lost answer posts again, the one duplicate left, rather than losing the
// notice; a look that fails for a while (a 500) is retried later instead.
func TestSlackLookRefused(t *testing.T) {
	for _, tt := range []struct {
		historyError string
		posts        int
		sent         bool
	}{
		{"missing_scope", 2, true},
		{"internal_error", 1, false},
	} {
		t.Run(tt.historyError, func(t *testing.T) {
			at := dt(2026, 7, 6, 9, 0)
			db, path := tempStore(t)
			p1s(t, path, 1, at)
			c := &clock{}
			api := newSlackAPI(t, c.Now)
			api.historyError = tt.historyError
			api.answer = func(n int, _ string) answer {
				if n == 1 {
					return answer500
				}
				return answerOK
			}
			n := newNotifier(t, slackOnly(db, c, slack.NewSender("xoxb-test", api.url(), nil)))
			step(t, n, c, at)
			step(t, n, c, at.Add(30*time.Second))
			d := pending(t, db, "slack")
			if posts, _ := api.calls(); posts != tt.posts || (d.State == storage.StateSent) != tt.sent {
				t.Errorf("%d posts, row %s (%s); want %d posts, sent %v", posts, d.State, d.LastError, tt.posts, tt.sent)
			}
		})
	}
}

// TestSlackRateLimitHeldAcrossProcesses (issue 10.3): two processes on one database
// deliver ten P1 notices; Slack answers the first post of one of them 429 with
// Retry-After: 30. The hold is in the database, so the other process does not post
// either until it runs out; then each notice is posted once.
func TestSlackRateLimitHeldAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	at := dt(2026, 7, 6, 9, 0)
	path := filepath.Join(t.TempDir(), "magda.db")
	p1s(t, path, 10, at)
	c := &clock{now: at}
	api := newSlackAPI(t, c.Now)
	api.answer = func(n int, token string) answer {
		if n == 1 && token == "xoxb-a" {
			return answer429
		}
		return answerOK
	}
	var ns []*notify.Notifier
	var dbs []*storage.DB
	for _, token := range []string{"xoxb-a", "xoxb-b"} {
		db := openStore(t, path)
		dbs = append(dbs, db)
		o := slackOnly(db, c, slack.NewSender(token, api.url(), nil))
		o.Owner = token
		ns = append(ns, newNotifier(t, o))
	}
	if err := ns[0].Tick(ctx, at); err != nil {
		t.Fatal(err)
	}
	if k, err := ns[0].Deliver(ctx, at); k != 0 || err != nil {
		t.Fatalf("process a sent %d (%v); want the 429", k, err)
	}
	for _, now := range []time.Time{at, at.Add(10 * time.Second), at.Add(29 * time.Second)} {
		c.set(now)
		for i, n := range ns {
			if k, err := n.Deliver(ctx, now); k != 0 || err != nil {
				t.Fatalf("process %d sent %d at %v (%v), under the hold", i, k, now.Format("15:04:05"), err)
			}
		}
	}
	if posts, _ := api.calls(); posts != 1 {
		t.Fatalf("%d posts during the hold; want only the one that got 429", posts)
	}
	now := at.Add(30 * time.Second)
	c.set(now)
	done := make(chan int, 2)
	for _, n := range ns {
		go func() {
			k, err := n.Deliver(ctx, now)
			if err != nil {
				t.Error(err)
			}
			done <- k
		}()
	}
	if k := <-done + <-done; k != 10 {
		t.Errorf("%d sent after the hold, want 10", k)
	}
	checkPostedOnce(t, dbs[0], api, 10)
	for _, msgs := range api.tagged() {
		if msgs[0].at.Before(now) {
			t.Errorf("posted at %v, before Retry-After ran out", msgs[0].at)
		}
	}
}

const (
	slackKillDB  = "NOTIFY_SLACK_KILL_DB"
	slackKillURL = "NOTIFY_SLACK_KILL_URL"
)

// TestSlackKilledMidSend (issue 10.1): a child process runs the notifier (Run, three
// workers) on ten P1s against the local Slack API, which posts the first three
// messages and never answers; the child gets SIGKILL with those three sends in flight.
// The restarted process, once the dead one's leases ran out, finds the three in the
// channel's history and takes them as sent, and posts the seven others: each notice is
// in Slack once.
func TestSlackKilledMidSend(t *testing.T) {
	if path := os.Getenv(slackKillDB); path != "" {
		db, err := storage.Open(path, storage.Options{Derive: derive})
		if err != nil {
			panic(err)
		}
		o := slackOnly(db, &clock{}, slack.NewSender("xoxb-test", os.Getenv(slackKillURL), nil))
		o.Clock, o.Workers = fixedClock{dt(2026, 7, 6, 9, 0)}, 3
		n, err := notify.New(o)
		if err != nil {
			panic(err)
		}
		n.Run(context.Background())
		return
	}
	at := dt(2026, 7, 6, 9, 0)
	path := filepath.Join(t.TempDir(), "magda.db")
	p1s(t, path, 10, at)
	c := &clock{now: at}
	api := newSlackAPI(t, c.Now)
	hang := true
	api.answer = func(int, string) answer {
		if hang {
			return answerHang
		}
		return answerOK
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSlackKilledMidSend$")
	cmd.Env = append(os.Environ(), slackKillDB+"="+path, slackKillURL+"="+api.url())
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for posts, _ := api.calls(); posts < 3; posts, _ = api.calls() {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the child posted %d messages, want 3 hanging", posts)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	api.mu.Lock()
	hang = false
	api.mu.Unlock()

	db := openStore(t, path)
	n := newNotifier(t, slackOnly(db, c, slack.NewSender("xoxb-test", api.url(), nil)))
	step(t, n, c, at.Add(5*time.Minute+time.Second))
	checkPostedOnce(t, db, api, 10)
	if posts, histories := api.calls(); posts != 10 || histories < 3 {
		t.Errorf("%d posts, %d history reads; want 10 posts and a look for each of the 3 cut short", posts, histories)
	}
}

// errLimited is a fake platform's rate limit.
var errLimited = errors.New("429 Too Many Requests")

// TestHoldPerConversation (issue 10.3): on a platform that limits per conversation
// (Teams), a 429 from one channel holds that channel only, for Retry-After; the
// other channel's messages go out at once.
func TestHoldPerConversation(t *testing.T) {
	ctx := context.Background()
	db, _ := tempStore(t)
	at := dt(2026, 7, 6, 9, 0)
	c := &clock{now: at}
	limited := true
	rec := &recorder{clock: c, fail: func(_, channel string, _ commands.Reply) error {
		if channel == "19:busy" && limited {
			limited = false
			return errLimited
		}
		return nil
	}}
	o := options(db, c, rec)
	o.Platforms = map[string]notify.Platform{"teams": {Sender: rec.platform("teams"), PerChannel: true,
		RetryAfter: func(err error) (time.Duration, bool) { return 20 * time.Second, errors.Is(err, errLimited) }}}
	n := newNotifier(t, o)
	body, _ := json.Marshal(commands.Reply{Title: "maintenance"})
	for i, ch := range []string{"19:busy", "19:busy", "19:calm"} {
		nt := storage.Notification{Kind: notify.KindMaintenance, Slot: int64(i), At: at, Messages: func() ([]storage.Message, error) {
			return []storage.Message{{Platform: "teams", Channel: ch, Body: body}}, nil
		}}
		if _, err := db.Enqueue(ctx, nt); err != nil {
			t.Fatal(err)
		}
	}
	if k, err := n.Deliver(ctx, at); k != 1 || err != nil {
		t.Fatalf("sent %d (%v) at once; want the message to 19:calm", k, err)
	}
	if k, _ := n.Deliver(ctx, at.Add(19*time.Second)); k != 0 {
		t.Fatalf("sent %d to the held conversation", k)
	}
	if k, _ := n.Deliver(ctx, at.Add(20*time.Second)); k != 2 {
		t.Errorf("sent %d after Retry-After; want both messages to 19:busy", k)
	}
}

// TestMailMessageIDPerRow: every try of one mail carries the same ID, derived from its
// outbox row, and another row's mail another one.
func TestMailMessageIDPerRow(t *testing.T) {
	db, _ := tempStore(t)
	at := dt(2026, 7, 6, 9, 0)
	c := &clock{now: at}
	m := &idMailer{}
	o := options(db, c, &recorder{clock: c})
	o.Mailer = m
	n := newNotifier(t, o)
	mustAppend(t, db, created("MAGDA-1", "agency-x", sla.P1, at), created("MAGDA-2", "agency-x", sla.P1, at))
	step(t, n, c, at)
	step(t, n, c, at.Add(30*time.Second))
	if len(m.ids) != 4 || m.ids[0] == "" || m.ids[0] != m.ids[2] || m.ids[1] != m.ids[3] || m.ids[0] == m.ids[1] {
		t.Errorf("Message IDs of two mails tried twice: %q; want each mail's two tries alike, the mails apart", m.ids)
	}
}

// idMailer fails every first try and records the ID of each.
type idMailer struct {
	mu  sync.Mutex
	ids []string
}

func (m *idMailer) Send(_ context.Context, msg mail.Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ids = append(m.ids, msg.ID)
	if len(m.ids) <= 2 {
		return errors.New("connection reset")
	}
	return nil
}
