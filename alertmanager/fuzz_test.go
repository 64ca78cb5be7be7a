package alertmanager

import (
	"testing"
	"time"
)

// FuzzWebhook: any body gives marks or an error, never a panic, and every mark has a
// fingerprint, a component of R6.1 and no end before its start.
func FuzzWebhook(f *testing.F) {
	f.Add([]byte(`{"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"component":"database"},"startsAt":"2026-11-10T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"a1"}]}`))
	f.Add([]byte(`{"version":"4","alerts":[{"status":"resolved","labels":{"component":"server"},"startsAt":"2026-11-10T10:00:00Z","endsAt":"2026-11-10T09:00:00Z","fingerprint":"a1"}]}`))
	f.Add([]byte(`{"version":"3"}`))
	h := &handler{Options{Rules: DefaultRules()}}
	f.Fuzz(func(t *testing.T, body []byte) {
		marks, _, err := h.marks(body)
		if err != nil {
			return
		}
		for _, m := range marks {
			if m.Ref == "" || m.Component == "" || !m.End.IsZero() && m.End.Before(m.Start) || m.Start.Equal(time.Time{}) {
				t.Fatalf("bad mark %+v from %s", m, body)
			}
		}
	})
}
