package commands

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// maxReason bounds a reason on the card: the stored event keeps it whole, the card
// shows one line of it so that a long motivation does not push the clocks off screen.
const maxReason = 100

// historyItems gives the ticket's history as the card shows it: the customer's estimate
// with every priority change (R4.1), and the escalation trail (R7), each when, who, why.
func historyItems(t sla.Ticket, l Lang, now time.Time) []Item {
	var items []Item
	if len(t.PriorityChanges) > 0 {
		it := Item{Title: l.pick("Priority: customer's estimate ", "Prioriteit: inschatting van de klant ") +
			orNone(t.Estimate.String(), l) + l.pick(", now ", ", nu ") + t.Priority.String() + " (R4.1)"}
		for _, c := range t.PriorityChanges {
			it.Lines = append(it.Lines, trail(l.When(c.At, now)+" · "+c.From.String()+" → "+c.To.String(), c.By, c.Reason))
		}
		items = append(items, it)
	}
	if len(t.Escalations) > 0 {
		it := Item{Title: l.pick("Escalations (R7)", "Escalaties (R7)")}
		for _, e := range t.Escalations {
			it.Lines = append(it.Lines, trail(l.pick("level ", "niveau ")+strconv.Itoa(e.Level)+" · "+l.When(e.At, now), e.By, e.Reason))
		}
		items = append(items, it)
	}
	return items
}

// contactFacts gives the customer's SPOC and SDM (R1.2), those that are configured.
func contactFacts(cu Customer, l Lang) []Fact {
	var fs []Fact
	if cu.SPOC != "" {
		fs = append(fs, Fact{"SPOC", cu.SPOC})
	}
	if cu.SDM != "" {
		fs = append(fs, Fact{"SDM", cu.SDM})
	}
	return fs
}

// trail joins a step of a history with who did it and why, the reason on one line.
func trail(what, by, reason string) string {
	s := what
	if by != "" {
		s += " · " + by
	}
	if r := oneLine(reason, maxReason); r != "" {
		s += " · " + r
	}
	return s
}

// oneLine folds s's line breaks and tabs into spaces and cuts it at n runes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

func orNone(s string, l Lang) string {
	if s == "" {
		return l.pick("none", "geen")
	}
	return s
}
