package notify_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack/slacktest"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/smtptest"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify/mail"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify/slack"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// Compile-time checks that the adapters fit the interfaces notify declares.
var (
	_ notify.Sender = (*slack.Sender)(nil)
	_ notify.Mailer = (*mail.Mailer)(nil)
)

// TestSlackRateLimit: delivery through the real Slack sender against slacktest. A 429
// with Retry-After: 7 sets the row's next try 7 seconds on, without counting a failure,
// and holds every Slack message until then; after it the message goes out once.
func TestSlackRateLimit(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	var posts []url.Values
	srv := slacktest.NewTestServer(func(c slacktest.Customize) {
		c.Handle("/chat.postMessage", func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			form, _ := url.ParseQuery(string(b))
			mu.Lock()
			defer mu.Unlock()
			posts = append(posts, form)
			if len(posts) == 1 {
				w.Header().Set("Retry-After", "7")
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"ok":true,"channel":"`+form.Get("channel")+`","ts":"1783600000.000100"}`)
		})
	})
	srv.Start()
	defer srv.Stop()
	calls := func() int { mu.Lock(); defer mu.Unlock(); return len(posts) }

	db, _ := tempStore(t)
	c := &clock{}
	o := options(db, c, &recorder{clock: c})
	o.Platforms = map[string]notify.Platform{"slack": {Sender: slack.NewSender("xoxb-test", srv.GetAPIURL(), nil), RetryAfter: slack.RetryAfter}}
	o.Mailer = nil
	n := newNotifier(t, o)
	at := dt(2026, 7, 6, 9, 0)
	mustAppend(t, db, created("MAGDA-1", "agency-x", sla.P1, at))
	if err := n.Tick(ctx, at); err != nil {
		t.Fatal(err)
	}
	if k, err := n.Deliver(ctx, at); k != 0 || err != nil || calls() != 1 {
		t.Fatalf("first round: %d sent, %v, %d calls; want a 429", k, err, calls())
	}
	d := pending(t, db, "slack")
	if d.State != storage.StatePending || d.Attempts != 0 || d.NotBefore.Before(at.Add(7*time.Second)) {
		t.Fatalf("after the 429: %+v; want pending, no attempt counted, next try 7s on", d)
	}
	if k, _ := n.Deliver(ctx, at.Add(6*time.Second)); k != 0 || calls() != 1 {
		t.Fatalf("Slack called again before Retry-After ran out (%d calls)", calls())
	}
	if k, err := n.Deliver(ctx, at.Add(7*time.Second)); k != 1 || err != nil {
		t.Fatalf("after Retry-After: %d sent, %v", k, err)
	}
	d = pending(t, db, "slack")
	if d.State != storage.StateSent || d.Ref != "1783600000.000100" || calls() != 2 {
		t.Errorf("row %+v after %d calls; want sent with Slack's ts", d, calls())
	}
	mu.Lock()
	last := posts[1]
	mu.Unlock()
	if last.Get("channel") != "C-SDM" || !strings.HasPrefix(last.Get("text"), "P1 reported: MAGDA-1") || !strings.Contains(last.Get("blocks"), "magda_escalate") {
		t.Errorf("posted %v; want the P1 notice with its Escalate button in C-SDM", last)
	}
	if got, _ := metric(t, n, "magda_notifications_failed_total", "platform", "slack"); got != 1 {
		t.Errorf("failed_total = %v, want 1 (the 429)", got)
	}
}

// TestEscalationMail (R7): the escalation mail goes through the real Mailer to a real
// SMTP server on loopback: to Service Delivery, with ESCALATIE and the key in the
// subject and the SLA card in the body, once however often the escalation is reported.
func TestEscalationMail(t *testing.T) {
	ctx := context.Background()
	srv := smtptest.Start(t)
	mailer, err := mail.New("smtp://"+srv.Addr, "magda-sla-bot@vlaanderen.be")
	if err != nil {
		t.Fatal(err)
	}

	db, _ := tempStore(t)
	c := &clock{now: dt(2026, 7, 6, 11, 0)}
	o := options(db, c, &recorder{clock: c})
	o.Mailer = mailer
	n := newNotifier(t, o)
	mustAppend(t, db, created("MAGDA-42", "agency-x", sla.P2, dt(2026, 7, 6, 9, 0)))
	for range 2 { // the same escalation twice
		escalate(t, n, db, "MAGDA-42", 1, "carol", "customer blocked for two days", c.Now())
	}
	if _, err := n.Deliver(ctx, c.Now()); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("the SMTP server got %d mails, want 1", len(got))
	}
	m := got[0]
	if m.From != "magda-sla-bot@vlaanderen.be" || len(m.To) != 1 || m.To[0] != serviceDelivery {
		t.Errorf("envelope from %s to %v; want to %s", m.From, m.To, serviceDelivery)
	}
	if want := "ESCALATIE MAGDA-42: MAGDA-42 · P2 incident · Agentschap X (level 1)"; m.Subject != want {
		t.Errorf("subject %q, want %q", m.Subject, want)
	}
	for _, part := range []string{"by carol", "customer blocked for two days", "Resolution:", "Escalation:"} {
		if !strings.Contains(m.Body, part) {
			t.Errorf("body lacks %q:\n%s", part, m.Body)
		}
	}
}
