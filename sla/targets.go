package sla

import "time"

// Targets are a ticket's service levels (R5), in business time; zero means "no SL".
type Targets struct {
	Response   time.Duration
	Resolution time.Duration
	// UpdatesPerDay is the R5.3 minimum number of progress updates per working day, and
	// UpdateInterval the business time between two of them (window / N).
	UpdatesPerDay  int
	UpdateInterval time.Duration
}

// None reports whether no service level applies at all.
func (t Targets) None() bool { return t.Response == 0 && t.Resolution == 0 && t.UpdatesPerDay == 0 }

const h = time.Hour

// incidentTargets is the R5 incident table, by priority, per tier.
var incidentTargets = map[Tier][5]Targets{
	Standard: {
		P1: {Response: 2 * h, Resolution: 8 * h},
		P2: {Response: 4 * h, Resolution: 40 * h},
		P3: {Response: 8 * h, Resolution: 160 * h},
		P4: {Response: 8 * h, Resolution: 240 * h},
	},
	Dedicated: {
		P1: {Response: 1 * h, Resolution: 5 * h, UpdatesPerDay: 2},
		P2: {Response: 2 * h, Resolution: 16 * h, UpdatesPerDay: 1},
		P3: {Response: 3 * h, Resolution: 54 * h},
		P4: {Response: 4 * h, Resolution: 120 * h},
	},
}

// questionTargets is the R5 support question table (dedicated only; no response target).
var questionTargets = [5]time.Duration{P1: 24 * h, P2: 56 * h, P3: 80 * h, P4: 120 * h}

// TargetsFor gives the service levels of R5 for a portal ticket (R3.1: any other source
// has none). Connection requests ignore the priority (R2.3).
func TargetsFor(tier Tier, kind Kind, p Priority, src Source) Targets {
	if src != Portal && src != "" {
		return Targets{}
	}
	switch kind {
	case Incident:
		if p < P1 || p > P4 {
			return Targets{}
		}
		t := incidentTargets[tier][p]
		if t.UpdatesPerDay > 0 {
			open, close := Window(tier)
			t.UpdateInterval = time.Duration(close-open) * time.Minute / time.Duration(t.UpdatesPerDay)
		}
		return t
	case Question:
		if tier != Dedicated || p < P1 || p > P4 {
			return Targets{}
		}
		return Targets{Resolution: questionTargets[p]}
	case Connection:
		if tier == Dedicated {
			return Targets{Resolution: 240 * h}
		}
		return Targets{Resolution: 360 * h}
	}
	return Targets{}
}
