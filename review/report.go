package review

import (
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// Input is one ticket as the report reads it: its state as stored (as of its last
// event) and, for the tickets of the period and the one before, all its events.
type Input struct {
	Ticket sla.Ticket
	Events []sla.Event
}

// Availability is the R6.1 infrastructure figure of a period, given by an optional
// AvailabilitySource (the availability issue builds it); the report leaves it out
// without one.
type Availability struct {
	Percent float64 `json:"percent"`
	Target  float64 `json:"target"`
	Note    string  `json:"note,omitempty"`
}

// AvailabilitySource is the hook through which the R6 availability of a customer ("" for
// all) over a period joins the report. ok is false when it has no figure.
type AvailabilitySource interface {
	Availability(customer string, p Period) (a Availability, ok bool)
}

// Options says what report to count.
type Options struct {
	Customer string // "" for all customers
	Name     string // the customer's name, for headings
	Period   Period
	Now      time.Time
	Lang     string // "en" or "nl"
	TierOf   func(customer string) (sla.Tier, bool)
	Cals     *sla.Calendars
	// Availability, when set, adds the R6 figure (see AvailabilitySource).
	Availability AvailabilitySource
}

// Report is a service review (R1.2) of one customer or all, for one period.
type Report struct {
	Customer  string    `json:"customer"`
	Name      string    `json:"name,omitempty"`
	Period    string    `json:"period"`
	From      time.Time `json:"from"`
	To        time.Time `json:"to"` // exclusive
	Previous  string    `json:"previous_period"`
	Generated time.Time `json:"generated"`
	Lang      string    `json:"lang"`

	Created         []KindCount      `json:"created"`
	Clocks          []ClockLine      `json:"clocks"`
	Breaches        []Breach         `json:"breaches"`
	Escalations     []Escalation     `json:"escalations"`
	MissedUpdates   int              `json:"missed_updates"`
	Paused          Paused           `json:"paused"`
	PriorityChanges []PriorityChange `json:"priority_changes"`
	NoSL            []NoSL           `json:"no_sl"`
	Tickets         []Row            `json:"tickets"`
	Trend           []TrendMonth     `json:"trend"`
	Availability    *Availability    `json:"availability,omitempty"`
}

// KindCount is how many tickets of a kind and (effective) priority were created in the
// period; Priority is "" for connection requests (R2.3).
type KindCount struct {
	Kind     sla.Kind `json:"kind"`
	Priority string   `json:"priority"`
	Count    int      `json:"count"`
}

// Clock names of the report.
const (
	Response   = "response"
	Resolution = "resolution"
	UpdateFreq = "updates" // R5.3
)

// ClockLine is one clock at one priority over the period (see Build for which clocks
// belong to a period). MetPct is met / (met + breached) in percent, nil when none was
// decided; Change is its difference with the previous period in percentage points.
// Median and P90 are the business seconds counted by the clocks stopped in the period
// (response and resolution only), Target the priority's target (the interval for
// updates).
type ClockLine struct {
	Clock      string   `json:"clock"`
	Kind       sla.Kind `json:"kind"`
	Priority   string   `json:"priority"`
	WithSL     int      `json:"with_sl"`
	Met        int      `json:"met"`
	Breached   int      `json:"breached"`
	Open       int      `json:"open"`
	MetPct     *float64 `json:"met_pct"`
	PrevMetPct *float64 `json:"previous_met_pct"`
	Change     *float64 `json:"change_pp"`
	TargetS    int64    `json:"target_s"`
	MedianS    *int64   `json:"median_s"`
	P90S       *int64   `json:"p90_s"`
}

// Breach is one clock breached in the period, due at Due: by how much business time it was late (at
// the period's end when it still ran), or how many updates were missed (R5.3).
type Breach struct {
	Ticket   string    `json:"ticket"`
	Clock    string    `json:"clock"`
	Priority string    `json:"priority"`
	Due      time.Time `json:"due,omitzero"` // none for updates
	OverS    int64     `json:"over_s,omitempty"`
	Missed   int       `json:"missed,omitempty"`
}

// Escalation is one R7 step taken in the period.
type Escalation struct {
	Ticket string    `json:"ticket"`
	Level  int       `json:"level"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
}

// Paused is how much of the business time the tickets were open in the period they
// waited on the customer or on a third party (R3.4); "other" is a pause without reason.
type Paused struct {
	OpenS         int64    `json:"open_s"`
	CustomerS     int64    `json:"customer_s"`
	ThirdPartyS   int64    `json:"third_party_s"`
	OtherS        int64    `json:"other_s"`
	CustomerPct   *float64 `json:"customer_pct"`
	ThirdPartyPct *float64 `json:"third_party_pct"`
}

// PriorityChange is one change of the effective priority in the period, beside the
// customer's own estimate (R4.1).
type PriorityChange struct {
	Ticket   string    `json:"ticket"`
	At       time.Time `json:"at"`
	Estimate string    `json:"estimate"`
	From     string    `json:"from"`
	To       string    `json:"to"`
	By       string    `json:"by"`
	Reason   string    `json:"reason"`
}

// NoSL is a ticket of the period without any service level, and why: "source" (not
// logged through the portal, R3.1) or "no_target" (R5 has none, e.g. a standard
// customer's question).
type NoSL struct {
	Ticket string     `json:"ticket"`
	Kind   sla.Kind   `json:"kind"`
	Source sla.Source `json:"source"`
	Reason string     `json:"reason"`
}

// Row is one ticket of the period with every clock fact, as of the period's end: the
// CSV and XLSX line.
type Row struct {
	Ticket         string     `json:"ticket"`
	Customer       string     `json:"customer"`
	Tier           sla.Tier   `json:"tier"`
	Kind           sla.Kind   `json:"kind"`
	Priority       string     `json:"priority"`
	Estimate       string     `json:"estimate"`
	Source         sla.Source `json:"source"`
	Env            sla.Env    `json:"env"`
	State          sla.State  `json:"state"`
	Created        time.Time  `json:"created"`
	Resolved       *time.Time `json:"resolved"`
	Response       *RowClock  `json:"response"`
	Resolution     *RowClock  `json:"resolution"`
	UpdatesMissed  int        `json:"updates_missed"`
	Escalation     int        `json:"escalation_level"`
	PausedCustomer int64      `json:"paused_customer_s"`
	PausedThird    int64      `json:"paused_third_party_s"`
}

// RowClock is a clock of a Row: Result is met, breached or open at the period's end,
// and "" when it does not belong to the period (decided before it).
type RowClock struct {
	TargetS  int64      `json:"target_s"`
	CountedS int64      `json:"counted_s"`
	Due      *time.Time `json:"due"`
	DoneAt   *time.Time `json:"done_at"`
	Result   string     `json:"result"`
}

// TrendMonth is one month of the trend chart: met % per priority (P1..P4; nil: nothing
// decided) of the response and resolution clocks decided in it, and its breaches.
type TrendMonth struct {
	Month    string      `json:"month"`
	MetPct   [4]*float64 `json:"met_pct"`
	Breaches int         `json:"breaches"`
}
