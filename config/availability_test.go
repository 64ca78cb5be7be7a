package config

import (
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

func TestAvailabilityKeysR6(t *testing.T) {
	base := "customers:\n  - {id: a, tier: standard}\n"
	for _, tc := range []struct{ name, yaml, want string }{
		{"unknown component", base + "alertmanager:\n  components:\n    disk: ['a=\"b\"']\n", `x.yml:4: alertmanager.components: component "disk"`},
		{"bad matcher", base + "alertmanager:\n  components:\n    server: ['job~node']\n", `x.yml:4: alertmanager.components: server: matcher "job~node"`},
		{"bad url", base + "statuspage:\n  url: status.magda.be\n", `x.yml:4: statuspage.url`},
		{"short interval", base + "statuspage:\n  url: https://status.magda.be\n  interval: 1s\n", `x.yml:5: statuspage.interval`},
		{"timeout over interval", base + "statuspage:\n  url: https://status.magda.be\n  timeout: 2m\n", `x.yml:5: statuspage.timeout`},
	} {
		if _, err := Parse("x.yml", []byte(tc.yaml)); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	c, err := Parse("x.yml", []byte(base+"alertmanager:\n  components:\n    database: ['alertname=~\"Postgres.*\"']\n    network: []\n"))
	if err != nil {
		t.Fatal(err)
	}
	rules := c.AlertRules()
	for labels, want := range map[string]sla.Component{"PostgresDown": sla.Database, "": sla.Server} {
		l := map[string]string{"alertname": labels, "component": "server"}
		if labels != "" {
			l = map[string]string{"alertname": labels}
		}
		if got, ok := rules.Component(l); !ok || got != want {
			t.Errorf("%v: %v %v, want %v", l, got, ok, want)
		}
	}
	if _, ok := rules.Component(map[string]string{"component": "network"}); ok {
		t.Error("network: [] still takes alerts")
	}
	if c.Statuspage.Interval.D != time.Minute || c.Statuspage.Timeout.D != 10*time.Second {
		t.Errorf("statuspage defaults %+v", c.Statuspage)
	}
}
