package commands

import (
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// StatusPage is the MAGDA status page as last read (R6.2), without the Statuspage API's
// own types.
type StatusPage struct {
	URL string // the page; "" when none is configured
	// Read is when the last good answer came; zero: none yet. FailingSince is the first
	// failed read since then; zero while reads succeed.
	Read, FailingSince time.Time
	Components         []StatusComponent // those not operational, in the last good answer
	Incidents          []StatusIncident  // unresolved, in the last good answer
}

// StatusComponent is a component of the page that is not operational.
type StatusComponent struct{ Name, Status string }

// StatusIncident is an unresolved incident of the page.
type StatusIncident struct {
	Name, Status, Impact, URL string
	Updated                   time.Time
}

// status answers "status" (R6.2): what the page says is not operational and its open
// incidents. A page that cannot be read is said to be so, never "all operational".
func (h *Handler) status(l Lang) Reply {
	now := h.o.Now()
	var p StatusPage
	if h.o.StatusPage != nil {
		p = h.o.StatusPage()
	}
	r := Reply{Kind: KindStatus, Title: l.pick("MAGDA status page (R6.2)", "MAGDA-statuspagina (R6.2)")}
	if p.URL == "" {
		r.Lines = []string{l.pick("No status page is configured (statuspage.url).", "Er is geen statuspagina ingesteld (statuspage.url).")}
		return r
	}
	r.Notes = []string{p.URL}
	switch {
	case !p.FailingSince.IsZero():
		r.Status = StatusAtRisk
		r.Lines = append(r.Lines, l.pick("Status page not reachable since ", "Statuspagina niet bereikbaar sinds ")+clock(p.FailingSince, l, now)+".")
		if p.Read.IsZero() {
			return r
		}
		r.Lines = append(r.Lines, l.pick("Last read at ", "Laatst gelezen om ")+clock(p.Read, l, now)+":")
	case p.Read.IsZero():
		r.Lines = append(r.Lines, l.pick("The status page has not been read yet.", "De statuspagina is nog niet gelezen."))
		return r
	}
	if len(p.Components) == 0 && len(p.Incidents) == 0 {
		if p.FailingSince.IsZero() {
			r.Status = StatusOK
			r.Lines = append(r.Lines, l.pick("All services operational, no open incidents.", "Alle services operationeel, geen open incidenten."))
		} else {
			r.Lines = append(r.Lines, l.pick("then no service was reported down and no incident was open.", "toen was geen service gestoord en geen incident open."))
		}
		return r
	}
	if r.Status == StatusNone {
		r.Status = StatusAtRisk
	}
	for _, c := range p.Components {
		r.Facts = append(r.Facts, Fact{c.Name, c.Status})
	}
	for _, in := range p.Incidents {
		it := Item{Title: in.Name, Facts: []Fact{{l.pick("Status", "Status"), in.Status}, {l.pick("Impact", "Impact"), in.Impact}}}
		if !in.Updated.IsZero() {
			it.Facts = append(it.Facts, Fact{l.pick("Updated", "Bijgewerkt"), l.When(in.Updated, now)})
		}
		if in.URL != "" {
			it.Lines = []string{in.URL}
		}
		r.Items = append(r.Items, it)
	}
	return r
}

// clock gives "10:42" today, else the day and time.
func clock(t time.Time, l Lang, now time.Time) string {
	if l.Day(t, now) == l.Day(now, now) {
		return t.In(sla.Brussels).Format("15:04")
	}
	return l.When(t, now)
}
