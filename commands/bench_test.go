package commands

import "testing"

func BenchmarkParse(b *testing.B) {
	texts := []string{"sla MAGDA-123", "wanneer is P2 due voor agentschap x", "prio scope=P2 users=P3 security=P4 env=tni motivation=keten plat", "slaa MAGDA-1"}
	for b.Loop() {
		for _, s := range texts {
			Parse(s)
		}
	}
}

func BenchmarkHandleCard(b *testing.B) {
	h, _ := newTest()
	for b.Loop() {
		h.Handle(ctx, staffCaller, "sla MAGDA-1")
	}
}

func BenchmarkHandleList(b *testing.B) {
	h, _ := newTest()
	for b.Loop() {
		h.Handle(ctx, staffCaller, "sla agentschap x")
	}
}
