package commands

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

func itemKeys(r Reply) []string {
	var keys []string
	for _, it := range r.Items {
		parts := strings.Split(it.Title, " · ")
		keys = append(keys, parts[0]+" "+parts[1])
	}
	return keys
}

// TestQueueSpans: the fixture at Friday 10 July 16:30 (R3.5: a breach is a clock past
// its due; at-risk share 0.75). Breached running clocks: MAGDA-4 (agency-y, due Tue 7
// Jul), MAGDA-8 (agency-y), MAGDA-6 and MAGDA-2 (agency-x), and MAGDA-1, whose update
// was missed (R5.3) and whose resolution is at risk, due today 17:00: it sorts at the
// update it missed (sla.CompareNextDue), before MAGDA-6. Paused (MAGDA-3), resolved
// (MAGDA-5) and no-SL (MAGDA-7) tickets never show. Customers are grouped, the one with
// the soonest due first.
func TestQueueSpans(t *testing.T) {
	h, _ := newTest()
	y, x := "Agentschap Y", "Agentschap X"
	tests := []struct {
		caller Caller
		text   string
		title  string
		want   []string
	}{
		{staffCaller, "breached", "Breached now: 5", []string{y + " MAGDA-4", y + " MAGDA-8", x + " MAGDA-1", x + " MAGDA-6", x + " MAGDA-2"}},
		{staffCaller, "at risk", "At risk or breached now: 5", []string{y + " MAGDA-4", y + " MAGDA-8", x + " MAGDA-1", x + " MAGDA-6", x + " MAGDA-2"}},
		{staffCaller, "what's due today", "Due or at risk today: 5", []string{y + " MAGDA-4", y + " MAGDA-8", x + " MAGDA-1", x + " MAGDA-6", x + " MAGDA-2"}},
		{staffCaller, "which P1 tickets are breached", "Breached now · P1: 1", []string{x + " MAGDA-2"}},
		{staffCaller, "overschreden voor agentschap y", "Nu overschreden · Agentschap Y (agency-y): 2", []string{y + " MAGDA-4", y + " MAGDA-8"}},
		{customerCaller, "deze week", "Te doen of in gevaar deze week · Agentschap X (agency-x): 3", []string{x + " MAGDA-1", x + " MAGDA-6", x + " MAGDA-2"}},
		{staffInX, "today", "Due or at risk today · Agentschap X (agency-x): 3", []string{x + " MAGDA-1", x + " MAGDA-6", x + " MAGDA-2"}},
		{staffCaller, "today P3 for agency-y", "Due or at risk today · P3 · Agentschap Y (agency-y): 0", nil},
	}
	for _, tt := range tests {
		r := h.Handle(ctx, tt.caller, tt.text)
		if r.Kind != KindTickets || r.Title != tt.title {
			t.Errorf("%q: %s %q %v, want title %q", tt.text, r.Kind, r.Title, r.Lines, tt.title)
			continue
		}
		if diff := cmp.Diff(tt.want, itemKeys(r)); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.text, diff)
		}
	}
}

// TestQueueScope: a customer's channel sees its own queue only; anyone else outside
// one is refused, and the store is not read.
func TestQueueScope(t *testing.T) {
	h, log := newTest()
	if r := h.Handle(ctx, customerCaller, "today for agency-y"); r.Error != CodeForbidden {
		t.Errorf("another customer's queue in agency-x's channel: %s %v", r.Error, r.Lines)
	}
	before := log.Calls()
	if r := h.Handle(ctx, Caller{UserID: outsider, ChannelID: chanTeam, Platform: "teams"}, "today"); r.Error != CodeForbidden {
		t.Errorf("an outsider's queue: %s %v", r.Error, r.Lines)
	}
	if log.Calls() != before {
		t.Errorf("a refused queue read the store")
	}
}

// TestQueueMore: past queueMax tickets the answer counts the rest ("15 more: …"), and a
// platform that can hold fewer cuts whole items and says how many (Reply.Shorten).
func TestQueueMore(t *testing.T) {
	h, log := newTest()
	for i := range 45 { // P3 incidents of agency-y created this morning: response due today (R5)
		log.Add(created(fmt.Sprintf("BULK-%d", i), "agency-y", dt(2026, time.July, 10, 9, i), sla.Incident, sla.P3))
	}
	r := h.Handle(ctx, staffCaller, "today for agency-y")
	if len(r.Items) != queueMax || !strings.HasPrefix(r.Title, "Due or at risk today · Agentschap Y (agency-y): 47") {
		t.Fatalf("%q with %d items", r.Title, len(r.Items))
	}
	if len(r.Notes) != 1 || !strings.HasPrefix(r.Notes[0], "17 more: ") {
		t.Errorf("notes %q, want the 17 more counted", r.Notes)
	}
	short := r.Shorten(func(s Reply) bool { return len(s.Items) <= 12 })
	if len(short.Items) != 12 || !strings.Contains(short.Notes[len(short.Notes)-1], "18 more not shown") {
		t.Errorf("shortened: %d items, notes %q", len(short.Items), short.Notes)
	}
}

func TestSpanEnd(t *testing.T) {
	tests := []struct {
		span Span
		end  time.Time
		risk bool
	}{
		{SpanToday, dt(2026, time.July, 11, 0, 0), true},
		{SpanWeek, dt(2026, time.July, 13, 0, 0), true},
		{SpanAtRisk, now, true},
		{SpanBreached, now, false},
	}
	for _, tt := range tests {
		end, risk := spanEnd(tt.span, now)
		if !end.Equal(tt.end) || risk != tt.risk {
			t.Errorf("%s: %v %t, want %v %t", tt.span, end, risk, tt.end, tt.risk)
		}
	}
	// On a Sunday the week ends at midnight.
	if end, _ := spanEnd(SpanWeek, dt(2026, time.July, 12, 23, 0)); !end.Equal(dt(2026, time.July, 13, 0, 0)) {
		t.Errorf("Sunday: %v", end)
	}
}

// TestMomentResolve: a what-if's moment against Friday 10 July 2026 16:30.
func TestMomentResolve(t *testing.T) {
	tests := []struct {
		m    Moment
		want time.Time
	}{
		{Moment{}, now},
		{Moment{Clock: "09:15"}, dt(2026, time.July, 10, 9, 15)},
		{Moment{Day: "today", Clock: "16:45"}, dt(2026, time.July, 10, 16, 45)},
		{Moment{Day: "tomorrow", Clock: "16:00"}, dt(2026, time.July, 11, 16, 0)},
		{Moment{Day: "overmorrow"}, dt(2026, time.July, 12, 0, 0)},
		{Moment{Day: "friday", Clock: "16:45"}, dt(2026, time.July, 10, 16, 45)}, // still to come today
		{Moment{Day: "friday", Clock: "16:00"}, dt(2026, time.July, 17, 16, 0)},  // passed: next week
		{Moment{Day: "monday"}, dt(2026, time.July, 13, 0, 0)},
		{Moment{Day: "sunday", Clock: "20:00"}, dt(2026, time.July, 12, 20, 0)},
		{Moment{Day: "2026-12-24", Clock: "15:00"}, dt(2026, time.December, 24, 15, 0)},
		{Moment{Day: "12-24", Clock: "15:00"}, dt(2026, time.December, 24, 15, 0)},
		{Moment{Day: "07-01"}, dt(2027, time.July, 1, 0, 0)}, // passed this year: next year's
	}
	for _, tt := range tests {
		if got := tt.m.Resolve(now); !got.Equal(tt.want) {
			t.Errorf("%+v: %v, want %v", tt.m, got, tt.want)
		}
	}
}

// TestWhatIfAtMoment: the due times of a report at the moment asked (R3.2-R3.5), with
// the days that do not count named once (R3.3), in the asker's language.
func TestWhatIfAtMoment(t *testing.T) {
	h, _ := newTest()
	r := h.Handle(ctx, staffCaller, "sla P1 for agency-x friday 16:45")
	want := []Fact{
		{"Customer", "Agentschap X (agency-x) · dedicated"},
		{"Reported", "Fri 10 Jul 16:45"},
		{"Priority", "P1"},
		{"Response due", "Mon 13 Jul 08:45 (1h00 business time)"},
		{"Resolution due", "Mon 13 Jul 12:45 (5h00 business time)"},
		{"Updates", "at least 2 updates a day, every 4h30 (R5.3)"},
	}
	if diff := cmp.Diff(want, r.Facts); diff != "" {
		t.Errorf("facts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Not counted: Sat 11 – Sun 12 Jul weekend (R3.3)."}, r.Lines); diff != "" {
		t.Errorf("reason (-want +got):\n%s", diff)
	}
	// A report on a Monday morning crosses no day without a window: no reason line.
	if r := h.Handle(ctx, staffCaller, "sla P1 for agency-x monday 9:00"); len(r.Lines) != 0 || r.Facts[4].Value != "Mon 13 Jul 14:00 (5h00 business time)" {
		t.Errorf("Monday: %q %v", r.Lines, r.Facts)
	}
	nl := h.Handle(ctx, staffCaller, "als ik morgen om 16u een P2 meld voor agentschap x, tegen wanneer?")
	if nl.Lang != Dutch || nl.Title != "P2 incident voor Agentschap X, gemeld za 11 jul 16:00" || nl.Facts[3].Value != "ma 13 jul 10:00 (2h00 werktijd)" {
		t.Errorf("Dutch what-if: %s %q %v", nl.Lang, nl.Title, nl.Facts)
	}
}

// TestCustomerAlias: a customer is found by an alias of the configuration (R1.1), in
// any case and with a small typo, as by its id or name; an unknown input that names a
// customer alone lists its tickets.
func TestCustomerAlias(t *testing.T) {
	h, _ := newTest(func(o *Options) {
		o.Customers = append([]Customer(nil), o.Customers...)
		o.Customers[0].Aliases = []string{"AIV", "informatie vlaanderen"}
	})
	for _, text := range []string{"sla P2 for aiv", "sla P2 voor AIV", "P2 informatie vlaanderen", "sla P2 for informatie vlaandren"} {
		if r := h.Handle(ctx, staffCaller, text); r.Kind != KindWhatIf || !strings.Contains(r.Title, "Agentschap X") {
			t.Errorf("%q: %s %q %v", text, r.Kind, r.Title, r.Lines)
		}
	}
	if r := h.Handle(ctx, staffCaller, "aiv"); r.Kind != KindTickets || !strings.HasPrefix(r.Title, "Open tickets of Agentschap X") {
		t.Errorf("alias alone: %s %q %v", r.Kind, r.Title, r.Lines)
	}
	if r := h.Handle(ctx, staffCaller, "sla P2 for aiw"); r.Error != CodeNotFound {
		t.Errorf("a three-letter alias with a typo: %s %q", r.Kind, r.Lines)
	}
}
