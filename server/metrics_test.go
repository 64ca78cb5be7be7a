package server

import (
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A connection request has no priority (R2.3): its ticket gauges read priority="none",
// not an empty label.
func TestTicketGaugesNameNoPriority_R2_3(t *testing.T) {
	m := NewMetrics(func(context.Context, time.Time) ([]TicketCount, error) {
		return []TicketCount{
			{Customer: "agency-x", Priority: "", Open: 2, Paused: 1},
			{Customer: "agency-x", Priority: "P1", Open: 1, Breached: 1},
		}, nil
	}, time.Now)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		`magda_open_tickets{customer="agency-x",priority="none"} 2`,
		`magda_paused_tickets{customer="agency-x",priority="none"} 1`,
		`magda_open_tickets{customer="agency-x",priority="P1"} 1`,
		`magda_clocks_breached{customer="agency-x",priority="P1"} 1`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(string(body), `priority=""`) {
		t.Error(`metrics hold priority=""`)
	}
}
