package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// alertmanagerBinary finds Debian's prometheus-alertmanager (or upstream's name).
func alertmanagerBinary(t *testing.T) string {
	for _, name := range []string{"prometheus-alertmanager", "alertmanager"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("prometheus-alertmanager is not installed (apt-get install prometheus-alertmanager; .ci/run installs it)")
	return ""
}

func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startAlertmanager runs a real Alertmanager on loopback whose route sends every alert
// to the bot's webhook with the right token, and those labelled team="other" with a
// wrong one. It gives the base URL of Alertmanager's API.
func startAlertmanager(t *testing.T, webhook, token string) string {
	bin := alertmanagerBinary(t)
	dir := t.TempDir()
	cfg := fmt.Sprintf(`route:
  receiver: magda
  group_by: [alertname, component]
  group_wait: 100ms
  group_interval: 1s
  repeat_interval: 1h
  routes:
    - receiver: wrong-token
      matchers: ['team="other"']
receivers:
  - name: magda
    webhook_configs:
      - url: %[1]s
        send_resolved: true
        http_config:
          authorization: {credentials: %[2]s}
  - name: wrong-token
    webhook_configs:
      - url: %[1]s
        send_resolved: true
        http_config:
          basic_auth: {username: alertmanager, password: not-the-token}
`, webhook, token)
	if err := os.WriteFile(filepath.Join(dir, "am.yml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := freePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	var logs bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "--config.file="+filepath.Join(dir, "am.yml"), "--storage.path="+dir,
		"--web.listen-address="+addr, "--cluster.listen-address=")
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		cmd.Wait()
		if t.Failed() {
			t.Logf("alertmanager's log:\n%s", logs.String())
		}
	})
	base := "http://" + addr
	eventually(t, "Alertmanager ready", func() bool {
		resp, err := http.Get(base + "/-/ready")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})
	return base
}

// postAlert posts one alert to Alertmanager's own API (v2), as Prometheus does.
func postAlert(t *testing.T, am string, labels map[string]string, starts, ends time.Time) {
	t.Helper()
	a := map[string]any{"labels": labels, "startsAt": starts.Format(time.RFC3339), "annotations": map[string]string{"summary": "end-to-end"}}
	if !ends.IsZero() {
		a["endsAt"] = ends.Format(time.RFC3339)
	}
	body, _ := json.Marshal([]any{a})
	resp, err := http.Post(am+"/api/v2/alerts", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("Alertmanager refused the alert: %s", resp.Status)
	}
}

// figure is `bot availability --format json` for this month.
func figure(t *testing.T, db string) availabilityJSON {
	t.Helper()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"availability", "--db", db, "--format", "json"}, env(nil), &out); err != nil {
		t.Fatal(err)
	}
	var a availabilityJSON
	if err := json.Unmarshal(out.Bytes(), &a); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	return a
}

func componentOf(a availabilityJSON, c string) componentJSON {
	for _, x := range a.Components {
		if x.Component == c {
			return x
		}
	}
	return componentJSON{}
}

// TestAlertmanagerEndToEndR6_1: a real Alertmanager, with a route to `bot serve`, sends
// the alerts posted to its API: firing opens a database outage at startsAt, resolved
// closes it at endsAt, and the month's figure moves by that time (less any maintenance
// it overlaps, R8); the route with a wrong token is refused (401) and stores nothing.
func TestAlertmanagerEndToEndR6_1(t *testing.T) {
	db := filepath.Join(t.TempDir(), "magda.db")
	s := startServing(t, map[string]string{"MAGDA_DB": db, "MAGDA_ALERTMANAGER_TOKEN": "am-s3cret"})
	am := startAlertmanager(t, s.base+"/webhooks/alertmanager", "am-s3cret")

	now := time.Now().Truncate(time.Second)
	monthStart, _ := sla.MonthOf(now).Bounds()
	starts := now.Add(-10 * time.Minute)
	if starts.Before(monthStart) {
		starts = monthStart
	}
	if got := componentOf(figure(t, db), "database"); got.DowntimeS != 0 || len(got.Outages) != 0 {
		t.Fatalf("before any alert: %+v", got)
	}
	labels := map[string]string{"alertname": "PostgresDown", "component": "database"}
	postAlert(t, am, labels, starts, time.Time{})
	postAlert(t, am, map[string]string{"alertname": "LinkDown", "component": "network", "team": "other"}, starts, time.Time{})
	eventually(t, "the firing alert stored as an open outage", func() bool {
		o := componentOf(figure(t, db), "database").Outages
		return len(o) == 1 && o[0].End == nil
	})
	eventually(t, "the wrong token refused", func() bool {
		_, body := do(t, http.MethodGet, s.base+"/metrics", "", "")
		return strings.Contains(body, `magda_events_received_total{result="unauthorized",source="alertmanager"}`)
	})

	ends := now
	postAlert(t, am, labels, starts, ends)
	eventually(t, "the resolved alert closing the outage", func() bool {
		o := componentOf(figure(t, db), "database").Outages
		return len(o) == 1 && o[0].End != nil
	})
	a := figure(t, db)
	got := componentOf(a, "database")
	if o := got.Outages[0]; o.Start != starts.In(sla.Brussels).Format(time.RFC3339) || *o.End != ends.In(sla.Brussels).Format(time.RFC3339) || o.Source != "alertmanager" {
		t.Errorf("outage %+v, want %s to %s from alertmanager", o, starts, ends)
	}
	// The expected downtime, less the overlap with this month's maintenance windows.
	want := int64(ends.Sub(starts) / time.Second)
	for _, w := range a.Windows {
		ws, _ := time.Parse(time.RFC3339, w.Start)
		we, _ := time.Parse(time.RFC3339, w.End)
		if from, to := maxTime(ws, starts), minTime(we, ends); to.After(from) {
			want -= int64(to.Sub(from) / time.Second)
		}
	}
	if got.DowntimeS != want || got.RemainingS != got.BudgetS-want || componentOf(a, "infrastructure").DowntimeS != want {
		t.Errorf("database %+v; want %d s down", got, want)
	}
	_, metrics := do(t, http.MethodGet, s.base+"/metrics", "", "")
	if line := fmt.Sprintf("magda_error_budget_remaining_seconds{component=%q} %d\n", "database", got.BudgetS-want); !strings.Contains(metrics, line) {
		t.Errorf("/metrics has no %q", line)
	}
	if n := componentOf(a, "network"); len(n.Outages) != 0 {
		t.Errorf("the alert sent with a wrong token was stored: %+v", n)
	}
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
