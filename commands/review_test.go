package commands

import (
	"context"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/review"
)

// fakeReviews records what was asked and counts an empty report: the counting itself
// is review's, tested there.
type fakeReviews struct{ asked []string }

func (f *fakeReviews) Review(_ context.Context, customer string, p review.Period, lang string) (review.Report, ReviewLinks, error) {
	f.asked = append(f.asked, customer+" "+p.Key()+" "+lang)
	r := review.Build(review.Options{Customer: customer, Period: p, Now: now, Lang: lang, Cals: testCals}, nil)
	return r, ReviewLinks{Page: "https://bot/review/p", Chart: "https://bot/review/c", XLSX: "https://bot/review/x"}, nil
}

// TestParseReview: the review words, English and Dutch, and the period words resolved
// at a moment (R1.2 service reviews).
func TestParseReview(t *testing.T) {
	at := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ in, customer, period string }{
		{"review agency-x", "agency-x", "2026-11"},
		{"review agency-x november", "agency-x", "2026-11"},
		{"/magda review agency-x 2026-10", "agency-x", "2026-10"},
		{"rapport agentschap x vorige maand", "agentschap x", "2026-11"},
		{"review agency-x last quarter", "agency-x", "2026-Q3"},
		{"review agency-x 2026-q4", "agency-x", "2026-Q4"},
		{"review december", "", "2026-12"},
		{"review agency-x may", "agency-x", "2026-05"},
		{"review", "", "2026-11"},
	} {
		c, err := Parse(tc.in)
		if err != nil || c.Verb != VerbReview || c.Customer != tc.customer {
			t.Errorf("%q: %+v %v", tc.in, c, err)
			continue
		}
		p, err := resolvePeriod(c.Period, at)
		if err != nil || p.Key() != tc.period {
			t.Errorf("%q: period %s %v, want %s", tc.in, p.Key(), err, tc.period)
		}
		if back, err := Parse(c.String()); err != nil || back != c {
			t.Errorf("%q: String %q parses to %+v", tc.in, c.String(), back)
		}
	}
	if _, err := Parse("review agency-x 2026-13"); err == nil {
		// 2026-13 is not a period, so it is read as part of the customer's name and
		// matched (and refused) there
		c, _ := Parse("review agency-x 2026-13")
		if c.Customer != "agency-x 2026-13" {
			t.Errorf("2026-13: %+v", c)
		}
	}
}

// TestReviewAccess: staff get any customer's review; in a customer's channel only
// that customer's own; anyone else is refused, with one line and nothing counted.
func TestReviewAccess(t *testing.T) {
	f := &fakeReviews{}
	h, _ := newTest(func(o *Options) { o.Reviews = f })
	r := h.Handle(ctx, staffCaller, "review agency-x november")
	if r.Kind != KindReview || len(r.Files) != 2 || r.Files[0].ContentType != "image/png" || len(r.Files[0].Data) < 1000 ||
		r.Files[0].Alt == "" || len(r.Links) != 3 || r.Links[0].URL != "https://bot/review/p" {
		t.Errorf("staff: %+v", r)
	}
	if own := h.Handle(ctx, customerCaller, "review"); own.Kind != KindReview {
		t.Errorf("customer in own channel: %s %v", own.Kind, own.Lines)
	}
	for _, c := range []struct {
		who  Caller
		text string
	}{{customerCaller, "review agency-y"}, {Caller{UserID: outsider, ChannelID: "D-1", Platform: "slack"}, "review agency-x"}} {
		if got := h.Handle(ctx, c.who, c.text); got.Kind != KindError || got.Error != CodeForbidden || !got.Ephemeral {
			t.Errorf("%s as %s: %s %s", c.text, c.who.UserID, got.Kind, got.Error)
		}
	}
	if len(f.asked) != 2 || f.asked[1] != "agency-x 2026-06 en" {
		t.Errorf("counted %v", f.asked)
	}
}
