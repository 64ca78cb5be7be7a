package notify_test

import (
	"context"
	"fmt"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/golden"
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// TestGoldenMessages renders every kind of notice, in English and in Dutch, as the
// platforms get them (PlainText, the chat messages' fallback text, and the mails), over
// a dedicated P1's morning with an escalation, a progress update, the digest and a
// maintenance notice; testdata/messages_LANG.golden holds them.
func TestGoldenMessages(t *testing.T) {
	for _, l := range []commands.Lang{commands.English, commands.Dutch} {
		t.Run(string(l), func(t *testing.T) {
			ctx := context.Background()
			db, _ := tempStore(t)
			c := &clock{}
			rec := &recorder{clock: c}
			o := options(db, c, rec)
			o.Language = l
			delete(o.Platforms, "teams")
			o.Maintenance = commands.Maintenance{Extra: []sla.MaintenanceWindow{
				{Start: dt(2026, 7, 7, 22, 0), End: dt(2026, 7, 8, 2, 0), Note: "Database upgrade"}}}
			n := newNotifier(t, o)
			mon := func(h, m int) time.Time { return dt(2026, 7, 6, h, m) }
			mustAppend(t, db, created("MAGDA-1", "agency-x", sla.P1, dt(2026, 7, 3, 16, 0)),
				created("MAGDA-2", "agency-y", sla.P3, dt(2026, 7, 3, 11, 0)))
			step(t, n, c, mon(7, 59)) // the outbox's first pass: what was due is history
			for now := mon(8, 0); !now.After(mon(16, 30)); now = now.Add(time.Minute) {
				switch now {
				case mon(9, 0):
					mustAppend(t, db, created("MAGDA-3", "agency-x", sla.P1, now))
				case mon(9, 50):
					mustAppend(t, db, ev("MAGDA-3", sla.Responded, now))
				case mon(11, 0):
					mustAppend(t, db, sla.Event{Ticket: "MAGDA-3", Type: sla.Escalated, At: now, By: "carol", Reason: "no workaround"})
				case mon(11, 30):
					mustAppend(t, db, sla.Event{Ticket: "MAGDA-3", Type: sla.Updated, At: now, By: "Ann", Reason: "fix in test"})
					n.Updated(ctx, ticketAfter(t, db, "MAGDA-3"), "Fix in test; in production by 15:00.", "Ann")
				}
				step(t, n, c, now)
			}
			var b strings.Builder
			for _, s := range rec.all() {
				fmt.Fprintf(&b, "=== %s %s at %s\n", s.Platform, s.Channel, s.At.Format("Mon 15:04"))
				if s.Platform == notify.PlatformMail {
					fmt.Fprintf(&b, "Subject: %s\n\n%s\n", s.Title, s.Reply.Lines[0])
					continue
				}
				fmt.Fprintf(&b, "kind=%s status=%q\n%s\n", s.Reply.Kind, s.Reply.Status, s.Reply.PlainText())
			}
			golden.Check(t, "messages_"+string(l)+".golden", []byte(b.String()))
		})
	}
}
