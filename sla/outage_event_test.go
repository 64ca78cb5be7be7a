package sla

import (
	"strings"
	"testing"
)

func TestDecodeOutageEventR6_1(t *testing.T) {
	e, err := DecodeOutageEvent([]byte(`{"type":"outage_started","component":"database","at":"2026-11-10T10:00:00+01:00","note":"primary lost"}`))
	if err != nil || e.Component != Database || !e.At.Equal(dt(2026, 11, 10, 10, 0)) || e.Note != "primary lost" {
		t.Fatalf("%+v, %v", e, err)
	}
	for body, want := range map[string]string{
		`{"type":"outage_started","component":"disk","at":"2026-11-10T10:00:00Z"}`:                 `component "disk"`,
		`{"type":"outage_started","at":"2026-11-10T10:00:00Z"}`:                                    `missing required field "component"`,
		`{"type":"outage_ended","component":"server"}`:                                             `missing required field "at"`,
		`{"type":"outage_ended","component":"server","at":"2026-11-10 10:00"}`:                     `not RFC 3339`,
		`{"type":"outage_ended","component":"server","at":"1900-11-10T10:00:00Z"}`:                 `outside the years`,
		`{"type":"outage_ended","component":"server","at":"2026-11-10T10:00:00Z","Note":"x"}`:      `unknown field "Note"`,
		`{"type":"outage_ended","component":"server","at":"2026-11-10T10:00:00Z","note":"\u0007"}`: `control character`,
		`{"type":"outage_ended","component":"server","at":"2026-11-10T10:00:00Z"} {}`:              `trailing data`,
	} {
		if _, err := DecodeOutageEvent([]byte(body)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", body, err, want)
		}
	}
	if !IsOutageType([]byte(`{"type":"outage_ended"}`)) || IsOutageType([]byte(`{"type":"created"}`)) {
		t.Fatal("IsOutageType")
	}
}
