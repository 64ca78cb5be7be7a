package notify_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/google/go-cmp/cmp"
)

// ticketAfter gives a ticket's stored state, as commands hands it to its hooks.
func ticketAfter(t *testing.T, db interface {
	Ticket(context.Context, string) (sla.Ticket, bool, error)
}, key string) sla.Ticket {
	t.Helper()
	tk, found, err := db.Ticket(context.Background(), key)
	if err != nil || !found {
		t.Fatalf("Ticket(%s) = %v, %v", key, found, err)
	}
	return tk
}

// escalate stores an escalation to level as commands does (one event id per level) and
// lets n announce what is stored.
func escalate(t *testing.T, n *notify.Notifier, db interface {
	Append(context.Context, string, string, []sla.Event) (int, error)
}, key string, level int, by, reason string, at time.Time) {
	t.Helper()
	e := sla.Event{Ticket: key, Type: sla.Escalated, At: at, By: by, Reason: reason, Level: level,
		ID: fmt.Sprintf("bot:escalated:%s:%d", key, level)}
	if _, err := db.Append(context.Background(), "slack", "", []sla.Event{e}); err != nil {
		t.Fatal(err)
	}
	if _, err := n.Announce(context.Background(), at); err != nil {
		t.Fatal(err)
	}
}

// TestEscalated (R7): an escalation stored is announced once per level, however often
// it is stored or announced, with a mail to Service Delivery with ESCALATIE and the key
// in the subject and the SLA card in the body, and a post to the SDMs' channels.
func TestEscalated(t *testing.T) {
	ctx := context.Background()
	db, _ := tempStore(t)
	c := &clock{}
	rec := &recorder{clock: c}
	n := newNotifier(t, options(db, c, rec))
	at := dt(2026, 7, 6, 11, 0)
	c.set(at)
	mustAppend(t, db, created("MAGDA-7", "agency-x", sla.P2, dt(2026, 7, 6, 9, 0)))
	escalate(t, n, db, "MAGDA-7", 1, "carol", "no fix in sight", at)
	escalate(t, n, db, "MAGDA-7", 1, "carol", "no fix in sight", at) // a second report of the same step
	if _, err := n.Deliver(ctx, at); err != nil {
		t.Fatal(err)
	}
	es, err := db.Escalations(ctx, "MAGDA-7")
	if err != nil || len(es) != 1 || es[0].By != "carol" || es[0].Reason != "no fix in sight" || !es[0].At.Equal(at) || es[0].Level != 1 {
		t.Fatalf("trail = %+v, %v; want one level-1 escalation by carol at %v", es, err, at)
	}
	got := rec.all()
	var where []string
	for _, s := range got {
		where = append(where, s.Platform+" "+s.Channel)
	}
	if want := []string{"slack C-SDM", "teams 19:sdm", "mail [" + serviceDelivery + "]"}; !cmp.Equal(want, where) {
		t.Fatalf("sent to %v; want %v", where, want)
	}
	m := got[2]
	if !strings.HasPrefix(m.Title, "ESCALATIE MAGDA-7: ") {
		t.Errorf("mail subject %q; want ESCALATIE and the key first", m.Title)
	}
	for _, part := range []string{"MAGDA-7 escalated to level 1: 2nd line + MAGDA Service Delivery (R7) by carol", "Reason: no fix in sight", "Resolution:", "Response:"} {
		if !strings.Contains(m.Reply.Lines[0], part) {
			t.Errorf("mail body lacks %q:\n%s", part, m.Reply.Lines[0])
		}
	}
	if got[0].Reply.Kind != commands.KindRecorded || len(got[0].Reply.Buttons) != 1 || got[0].Reply.Buttons[0].Action != commands.ActTicket {
		t.Errorf("SDM post: %+v", got[0].Reply)
	}

	// Level 2 (3rd line) is another step: recorded and sent too.
	escalate(t, n, db, "MAGDA-7", 2, "dave", "", at)
	if k, err := n.Deliver(ctx, at); k != 3 || err != nil {
		t.Errorf("level 2: %d sent, %v; want 3", k, err)
	}
	if es, _ := db.Escalations(ctx, "MAGDA-7"); len(es) != 2 {
		t.Errorf("%d escalations recorded, want 2", len(es))
	}
}

// TestEscalatedCard: with Options.Card the mail carries the card commands renders.
func TestEscalatedCard(t *testing.T) {
	ctx := context.Background()
	db, _ := tempStore(t)
	c := &clock{now: dt(2026, 7, 6, 11, 0)}
	rec := &recorder{clock: c}
	o := options(db, c, rec)
	o.Language = commands.Dutch
	o.Card = func(t sla.Ticket, l commands.Lang, now time.Time) commands.Reply {
		return commands.Reply{Title: t.Key + " card in " + string(l) + " at " + now.Format("15:04")}
	}
	n := newNotifier(t, o)
	mustAppend(t, db, created("MAGDA-8", "agency-y", sla.P3, dt(2026, 7, 6, 9, 0)))
	escalate(t, n, db, "MAGDA-8", 1, "carol", "", c.Now())
	if _, err := n.Deliver(ctx, c.Now()); err != nil {
		t.Fatal(err)
	}
	var mail *sent
	for _, s := range rec.all() {
		if s.Platform == notify.PlatformMail {
			mail = &s
		}
	}
	if mail == nil || mail.Title != "ESCALATIE MAGDA-8: MAGDA-8 · P3 incident · Agentschap Y (niveau 1)" ||
		!strings.Contains(mail.Reply.Lines[0], "MAGDA-8 card in nl at 11:00") {
		t.Errorf("mail = %+v", mail)
	}
}

// TestUpdated: a progress update goes to the customer's channels (R5.3), each once.
func TestUpdated(t *testing.T) {
	ctx := context.Background()
	db, _ := tempStore(t)
	c := &clock{now: dt(2026, 7, 6, 11, 0)}
	rec := &recorder{clock: c}
	n := newNotifier(t, options(db, c, rec))
	mustAppend(t, db, created("MAGDA-9", "agency-x", sla.P1, dt(2026, 7, 6, 9, 0)))
	n.Updated(ctx, ticketAfter(t, db, "MAGDA-9"), "Root cause found; fix in test.", "Ann")
	if _, err := n.Deliver(ctx, c.Now()); err != nil {
		t.Fatal(err)
	}
	got := rec.all()
	if len(got) != 2 || got[0].Channel != "C-X" || got[1].Channel != "19:x" {
		t.Fatalf("sent %+v; want agency-x's two channels", got)
	}
	r := got[0].Reply
	if r.Title != "Progress update on MAGDA-9 · P1 incident · Agentschap X" || r.Lines[0] != "Root cause found; fix in test." || r.Facts[0].Value != "Ann" {
		t.Errorf("update post: %+v", r)
	}
}
