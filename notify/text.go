package notify

import (
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// lang picks the text of the configured language.
type lang commands.Lang

func (l lang) pick(en, nl string) string {
	if commands.Lang(l) == commands.Dutch {
		return nl
	}
	return en
}

// day gives "Mon 6 Jul" in Brussels, as the commands' cards do (a notice is about now:
// no year).
func (l lang) day(t time.Time) string { return commands.Lang(l).Day(t, t) }

// when gives "Mon 6 Jul 14:20" in Brussels (R3.2: every window is Brussels time).
func (l lang) when(t time.Time) string { return commands.Lang(l).When(t, t) }

// hm gives a duration as "1h30", rounded to the minute.
func hm(d time.Duration) string { return commands.Hours(d) }

// subject is what a notice names of its ticket.
type subject struct {
	key, customer string
	kind          sla.Kind
	priority      sla.Priority
	escalation    int
}

// title gives "MAGDA-1 · P1 incident · Agentschap X".
func (l lang) title(s subject) string { return l.ticket(s) + " · " + s.customer }

// ticket gives "MAGDA-1 · P1 incident", for where the customer goes without saying.
func (l lang) ticket(s subject) string {
	what := l.kind(s.kind)
	if s.priority != sla.NoPriority {
		what = s.priority.String() + " " + what
	}
	return s.key + " · " + what
}

func (l lang) kind(k sla.Kind) string { return commands.KindName(k, commands.Lang(l)) }

// level gives the meaning of an R7 escalation level.
func (l lang) level(level int) string { return commands.EscalationName(level, commands.Lang(l)) }

// clock renders a clock at now for a card: met, on track, at risk, breached, paused.
func (l lang) clock(v *sla.ClockView, share float64) (string, commands.Status) {
	if v == nil {
		return l.pick("no SL", "geen SL"), commands.StatusNone
	}
	left := time.Duration(v.Remaining) * time.Second
	switch {
	case v.DoneAt != nil && v.Met != nil && *v.Met:
		return l.pick("met", "gehaald") + " · " + l.when(*v.DoneAt), commands.StatusOK
	case v.DoneAt != nil:
		return l.pick("breached", "niet gehaald") + " · " + l.when(*v.DoneAt), commands.StatusBreached
	case v.Due == nil && v.Met != nil && !*v.Met:
		return l.pick("paused · breached", "gepauzeerd · niet gehaald"), commands.StatusBreached
	case v.Due == nil:
		return l.pick("paused · "+hm(left)+" left", "gepauzeerd · nog "+hm(left)), commands.StatusOK
	case v.Met != nil && !*v.Met || v.Remaining <= 0: // at the due instant the target is used up
		return l.pick("breached · was due ", "overschreden · deadline was ") + l.when(*v.Due), commands.StatusBreached
	case v.Used >= share:
		return l.pick("due ", "deadline ") + l.when(*v.Due) + l.pick(" · "+hm(left)+" left · at risk", " · nog "+hm(left)+" · in gevaar"), commands.StatusAtRisk
	}
	return l.pick("due ", "deadline ") + l.when(*v.Due) + l.pick(" · "+hm(left)+" left", " · nog "+hm(left)), commands.StatusOK
}
