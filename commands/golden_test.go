package commands

import (
	"context"
	"fmt"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/golden"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// goldenReply compares a reply, as a header line and its PlainText, with testdata/NAME.golden.
func goldenReply(t *testing.T, name string, r Reply) {
	t.Helper()
	got := fmt.Sprintf("kind=%s lang=%s ephemeral=%t status=%q error=%q\n---\n%s",
		r.Kind, r.Lang, r.Ephemeral, r.Status, r.Error, r.PlainText())
	golden.Check(t, name+".golden", []byte(got))
}

func dutch(o *Options) { o.Language = Dutch }

func TestGolden(t *testing.T) {
	tests := []struct {
		name   string
		caller Caller
		text   string
		mod    func(*Options)
	}{
		{"card_at_risk", staffCaller, "sla MAGDA-1", nil},
		{"card_nl", staffCaller, "wanneer is MAGDA-1 due", nil},
		{"card_breached", staffCaller, "sla MAGDA-2", nil},
		{"card_paused", staffCaller, "sla MAGDA-3", nil},
		{"card_resolved", staffCaller, "sla MAGDA-5", nil},
		{"card_tni_default_nl", staffCaller, "sla MAGDA-6", dutch},
		{"card_no_sl", staffCaller, "sla MAGDA-7", nil},
		{"card_customer_channel", customerCaller, "sla MAGDA-1", nil},
		{"tickets", staffCaller, "sla agency-x", nil},
		{"tickets_nl_channel", customerCaller, "sla voor agentschap x", nil},
		{"tickets_empty", staffCaller, "sla dept-zorg", nil},
		{"whatif", staffCaller, "sla P2 for agency-x", nil},
		{"whatif_tni_nl", staffCaller, "wanneer is P1 tni due voor agentschap x", nil},
		{"whatif_question_standard", staffCaller, "sla P2 question for Agentschap Y", nil},
		{"whatif_connection", customerCaller, "sla connection", nil},
		{"whatif_at_christmas", staffCaller, "sla P2 for agency-x at 2026-12-24 15:00", nil},
		{"whatif_at_friday", staffCaller, "sla P1 for agency-x friday 16:45", nil},
		{"whatif_tomorrow_nl", staffCaller, "als ik morgen om 16u een P2 meld voor agentschap x, tegen wanneer?", nil},
		{"queue_today", staffCaller, "what's due today", nil},
		{"queue_week_nl", staffCaller, "welke tickets vervallen deze week", nil},
		{"queue_at_risk_channel", customerCaller, "at risk", nil},
		{"queue_breached_p1", staffCaller, "which P1 tickets are breached", nil},
		{"queue_empty", staffCaller, "vandaag voor dept-zorg", nil},
		{"queue_refused", Caller{UserID: outsider, ChannelID: chanTeam, Platform: "teams"}, "today", nil},
		{"explain", staffCaller, "explain MAGDA-8", nil},
		{"explain_nl", staffCaller, "waarom MAGDA-1", nil},
		{"explain_paused", staffCaller, "explain MAGDA-3", nil},
		{"prio_wizard", staffCaller, "prio", nil},
		{"prio_suggest", staffCaller, "prio scope=P3 users=P2 security=P2", nil},
		{"prio_capped_nl", staffCaller, "prioriteit omvang=P1 omgeving=tni", nil},
		{"prio_none", staffCaller, "prio scope=none", nil},
		{"escalated", staffCaller, "escalate MAGDA-1 customer chain down", nil},
		{"updated", staffCaller, "update MAGDA-1 Fix deployed on TNI,\nretest planned.", nil},
		{"update_form", staffCaller, "update MAGDA-1", nil},
		{"paused_nl", staffCaller, "pauzeer MAGDA-1 derde", nil},
		{"resumed", staffCaller, "resume MAGDA-3", nil},
		{"maintenance", staffCaller, "maintenance", nil},
		{"holidays_nl", staffCaller, "feestdagen 2026", nil},
		{"holidays", staffCaller, "holidays", nil},
		{"help", staffCaller, "help", nil},
		{"help_nl", staffCaller, "hulp", nil},
		{"help_unknown", staffCaller, "hello there", nil},
		{"error_not_found", staffCaller, "sla MAGDA-404", nil},
		{"error_customer", staffCaller, "sla P2 for agentschp z", nil},
		{"error_invalid_nl", staffCaller, "pauzeer MAGDA-1", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mods []func(*Options)
			if tt.mod != nil {
				mods = append(mods, tt.mod)
			}
			h, _ := newTest(mods...)
			goldenReply(t, tt.name, h.Handle(context.Background(), tt.caller, tt.text))
		})
	}
}

// TestGoldenHoliday explains a due time across Belgian National Day (R3.3).
func TestGoldenHoliday(t *testing.T) {
	later := dt(2026, time.July, 20, 10, 0)
	h, log := newTest(func(o *Options) { o.Now = func() time.Time { return later } })
	log.Add(created("MAGDA-9", "agency-x", dt(2026, time.July, 20, 9, 0), sla.Incident, sla.P2))
	goldenReply(t, "explain_holiday", h.Handle(context.Background(), staffCaller, "explain MAGDA-9"))
}
