package notify_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify"
	"github.com/digitaal-vlaanderen/magda-sla-bot/review"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// monthly counts the real report from the store and renders the chat's summary card.
func monthly(db *storage.DB, toCustomers bool) *notify.MonthlyReviews {
	return &notify.MonthlyReviews{Customers: []string{"agency-x"}, ToCustomers: toCustomers,
		Reply: func(ctx context.Context, customer string, p review.Period, l commands.Lang, now time.Time) (commands.Reply, error) {
			read := func(ctx context.Context, c string, from, to, evFrom time.Time) ([]review.Input, error) {
				as, err := db.ActiveTickets(ctx, storage.ActiveQuery{Customer: c, From: from, To: to, EventsFrom: evFrom})
				in := make([]review.Input, len(as))
				for i, a := range as {
					in[i] = review.Input{Ticket: a.Ticket, Events: a.Events}
				}
				return in, err
			}
			r, err := review.Load(ctx, read, review.Options{Customer: customer, Name: "Agentschap X", Period: p, Now: now,
				Lang: string(l), TierOf: func(string) (sla.Tier, bool) { return sla.Dedicated, true }, Cals: calendars()})
			if err != nil {
				return commands.Reply{}, err
			}
			return commands.ReviewReply(r, commands.ReviewLinks{Page: "https://bot.example/r"}, l)
		}}
}

// TestMonthlyReviewPosted: each dedicated customer's review of the month before goes
// out once on the first working day of the month at DigestAt (R1.2), to the SDMs'
// channels and the customer's own, also with a second process on the database; in
// January the first working day is Monday 4 January (1 January and the 25/12-01/01
// period are closed, R3.3).
func TestMonthlyReviewPosted(t *testing.T) {
	db, path := tempStore(t)
	mustAppend(t, db, created("MAGDA-1", "agency-x", sla.P2, dt(2026, 11, 3, 9, 0)), ev("MAGDA-1", sla.Responded, dt(2026, 11, 3, 10, 0)))
	c := &clock{}
	rec := &recorder{clock: c}
	o := options(db, c, rec)
	o.Reviews = monthly(db, true)
	n := newNotifier(t, o)
	o2 := options(openStore(t, path), c, rec)
	o2.Reviews = monthly(db, true)
	other := newNotifier(t, o2)
	for now := dt(2026, 11, 30, 9, 0); now.Before(dt(2027, 1, 5, 0, 0)); now = now.Add(time.Hour) {
		step(t, n, c, now)
		step(t, other, c, now)
	}
	var got []string
	for _, s := range rec.all() {
		if s.Reply.Kind == commands.KindReview {
			got = append(got, s.At.Format("Mon 2 Jan 15:04")+" "+s.Channel+" "+s.Title)
		}
	}
	want := []string{
		"Tue 1 Dec 09:00 C-SDM Service review Agentschap X — November 2026",
		"Tue 1 Dec 09:00 19:sdm Service review Agentschap X — November 2026",
		"Tue 1 Dec 09:00 C-X Service review Agentschap X — November 2026",
		"Tue 1 Dec 09:00 19:x Service review Agentschap X — November 2026",
		"Mon 4 Jan 09:00 C-SDM Service review Agentschap X — December 2026",
		"Mon 4 Jan 09:00 19:sdm Service review Agentschap X — December 2026",
		"Mon 4 Jan 09:00 C-X Service review Agentschap X — December 2026",
		"Mon 4 Jan 09:00 19:x Service review Agentschap X — December 2026",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("review posts (-want +got):\n%s", diff)
	}
}
