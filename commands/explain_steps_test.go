package commands

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// phoneWidth is about what a phone shows on one line of a chat message at the default
// text size; the steps of an explanation stay within it.
const phoneWidth = 60

// TestExplainChristmas_R3_3_GroupsClosedDays: a P4 of a standard customer reported on
// 14 December counts 240h over the Christmas period: the closed days are one line, the
// whole working weeks one line each, nothing hidden behind a fold, and it fits a phone.
func TestExplainChristmas_R3_3_GroupsClosedDays(t *testing.T) {
	for _, tt := range []struct {
		name, text, christmas string
	}{
		{"explain_christmas", "explain MAGDA-11", "Fri 25 Dec – Fri 1 Jan 2027: Christmas period (R3.3)"},
		{"explain_christmas_nl", "uitleg MAGDA-11", "vr 25 dec – vr 1 jan 2027: kerstperiode (R3.3)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			at := dt(2026, time.December, 15, 10, 0)
			h, log := newTest(func(o *Options) { o.Now = func() time.Time { return at } })
			log.Add(created("MAGDA-11", "agency-y", dt(2026, time.December, 14, 10, 0), sla.Incident, sla.P4))
			r := h.Handle(context.Background(), staffCaller, tt.text)
			goldenReply(t, tt.name, r)
			res := r.Items[len(r.Items)-1]
			if !contains(res.Lines, tt.christmas) {
				t.Errorf("resolution lines %q; want %q", res.Lines, tt.christmas)
			}
			checkPhone(t, r)
			if got := sumCounted(res.Lines); got != 240*time.Hour {
				t.Errorf("the lines count %s; want the whole 240h target", Hours(got))
			}
		})
	}
}

// TestExplainLongStory_FoldsOnlyTheOldest: a clock paused fifty times has more steps
// than a phone screen; the oldest are summed into one line and the last ones, which
// put the due time where it is, are all shown, with the counts still adding up.
func TestExplainLongStory_FoldsOnlyTheOldest(t *testing.T) {
	start := dt(2026, time.March, 2, 9, 0) // a Monday
	at := start.AddDate(0, 3, 0)
	h, log := newTest(func(o *Options) { o.Now = func() time.Time { return at } })
	log.Add(created("MAGDA-12", "agency-y", start, sla.Incident, sla.P4))
	day := start
	for i := 0; i < 50; i++ {
		p := ev("MAGDA-12", sla.Paused, day.Add(time.Hour))
		p.ID, p.Reason = fmt.Sprintf("p%d", i), sla.WaitCustomer
		r := ev("MAGDA-12", sla.Resumed, day.Add(2*time.Hour))
		r.ID = fmt.Sprintf("r%d", i)
		log.Add(p, r)
		day = day.AddDate(0, 0, 1)
	}
	r := h.Handle(context.Background(), staffCaller, "explain MAGDA-12")
	res := r.Items[len(r.Items)-1]
	checkPhone(t, r)
	if !strings.Contains(strings.Join(res.Lines, "\n"), "earlier steps counted") {
		t.Fatalf("lines %q; want the oldest folded", res.Lines)
	}
	if got := sumCounted(res.Lines); got != 240*time.Hour {
		t.Errorf("the lines count %s; want the whole 240h target", Hours(got))
	}
	if last := res.Lines[len(res.Lines)-3]; !strings.Contains(last, "counted") {
		t.Errorf("line before the due %q; want the step that reached the target", last)
	}
}

// checkPhone: every clock tells its story in at most maxLines steps plus start, due and
// total, each step line within a phone's width.
func checkPhone(t *testing.T, r Reply) {
	t.Helper()
	for _, it := range r.Items {
		if len(it.Lines) > maxLines+3 {
			t.Errorf("%s: %d lines; want at most %d", it.Title, len(it.Lines), maxLines+3)
		}
		for _, l := range it.Lines {
			if n := utf8.RuneCountInString(l); n > phoneWidth {
				t.Errorf("%s: line %q is %d characters; want at most %d", it.Title, l, n, phoneWidth)
			}
			if strings.Contains(l, "more steps") || strings.Contains(l, "nog ") && strings.Contains(l, "stappen") {
				t.Errorf("line %q hides steps", l)
			}
		}
	}
}

var countedRE = regexp.MustCompile(`(?:counted|telt|telden) (\d+)h(\d\d)`)

// sumCounted adds the business time the lines say they counted.
func sumCounted(lines []string) time.Duration {
	var d time.Duration
	for _, l := range lines {
		if m := countedRE.FindStringSubmatch(l); m != nil {
			var h, min int
			fmt.Sscan(m[1], &h)
			fmt.Sscan(m[2], &min)
			d += time.Duration(h)*time.Hour + time.Duration(min)*time.Minute
		}
	}
	return d
}

func contains(lines []string, s string) bool {
	for _, l := range lines {
		if l == s {
			return true
		}
	}
	return false
}

// TestExplainRaisedPastCount_R4_4: a P3 raised to P1 after two hours counted is
// breached at once, due where the count reached the new target; the change that did it
// is in the story, though it came after that due.
func TestExplainRaisedPastCount_R4_4(t *testing.T) {
	mon := dt(2026, time.July, 13, 9, 0)
	at := mon.Add(3 * time.Hour)
	h, log := newTest(func(o *Options) { o.Now = func() time.Time { return at } })
	raise := ev("MAGDA-13", sla.PriorityChanged, mon.Add(2*time.Hour))
	raise.Priority = sla.P1
	log.Add(created("MAGDA-13", "agency-x", mon, sla.Incident, sla.P3), raise)
	r := h.Handle(context.Background(), staffCaller, "explain MAGDA-13")
	resp := r.Items[0]
	want := []string{"start Mon 13 Jul 09:00", "Mon 13 Jul 09:00-10:00 counted 1h00", "Mon 13 Jul 11:00 P3 → P1: breached (R4.4)",
		"due Mon 13 Jul 10:00 (R3.5)", "total 1h00, target 1h00"}
	if strings.Join(resp.Lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("response lines\n%s\nwant\n%s", strings.Join(resp.Lines, "\n"), strings.Join(want, "\n"))
	}
	res := r.Items[1]
	if !contains(res.Lines, "Mon 13 Jul 11:00 P3 → P1: target 5h00 (R4.4)") {
		t.Errorf("resolution lines %q; want the change re-targeting it to 5h00", res.Lines)
	}
}
