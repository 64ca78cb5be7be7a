package notify

import (
	"fmt"
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

var (
	daysEN   = [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	daysNL   = [7]string{"zo", "ma", "di", "wo", "do", "vr", "za"}
	monthsEN = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	monthsNL = [12]string{"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"}
)

// day gives "Mon 6 Jul" in Brussels, as the commands' cards do.
func (l lang) day(t time.Time) string {
	t = t.In(sla.Brussels)
	return fmt.Sprintf("%s %d %s", l.pick(daysEN[t.Weekday()], daysNL[t.Weekday()]), t.Day(),
		l.pick(monthsEN[t.Month()-1], monthsNL[t.Month()-1]))
}

// when gives "Mon 6 Jul 14:20" in Brussels (R3.2: every window is Brussels time).
func (l lang) when(t time.Time) string { return l.day(t) + " " + t.In(sla.Brussels).Format("15:04") }

// hm gives a duration as "1h30", rounded to the minute.
func hm(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	m := int((d + 30*time.Second) / time.Minute)
	return fmt.Sprintf("%dh%02d", m/60, m%60)
}

// subject is what a notice names of its ticket.
type subject struct {
	key, customer string
	kind          sla.Kind
	priority      sla.Priority
	escalation    int
}

// title gives "MAGDA-1 · P1 incident · Agentschap X".
func (l lang) title(s subject) string {
	what := l.kind(s.kind)
	if s.priority != sla.NoPriority {
		what = s.priority.String() + " " + what
	}
	return s.key + " · " + what + " · " + s.customer
}

func (l lang) kind(k sla.Kind) string {
	switch k {
	case sla.Question:
		return l.pick("question", "vraag")
	case sla.Connection:
		return l.pick("connection request", "aansluitingsaanvraag")
	}
	return "incident"
}

// level gives the meaning of an R7 escalation level.
func (l lang) level(level int) string {
	switch level {
	case 0:
		return l.pick("none", "geen")
	case 1:
		return l.pick("level 1: 2nd line + MAGDA Service Delivery (R7)", "niveau 1: 2de lijn + MAGDA Service Delivery (R7)")
	}
	return l.pick(fmt.Sprintf("level %d: 3rd line (R7)", level), fmt.Sprintf("niveau %d: 3de lijn (R7)", level))
}

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
