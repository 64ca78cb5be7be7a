package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/slack-go/slack/slacktest"
)

// TestReload (issue 14.4): SIGHUP and `bot reload` re-read the file. A good one
// applies at once to the events API (a new customer), chat (access), notifications (the
// SDM channel an escalation is announced in, R7) and new tickets' tiers, while stored tickets
// keep theirs (R1.1); a bad one is refused with the start-up's one line and the running
// configuration stays.
func TestReload(t *testing.T) {
	dir := t.TempDir()
	cfg, db := filepath.Join(dir, "magda.yml"), filepath.Join(dir, "magda.db")
	write := func(s string) { os.WriteFile(cfg, []byte(s), 0o600) }
	write("customers:\n  - {id: agency-x, tier: dedicated}\naccess: {agents: [U0OLD]}\nslack: {sdm_channel: C0SDM1}\n")
	var mu sync.Mutex
	posted := map[string]int{}
	api := slacktest.NewTestServer(func(c slacktest.Customize) {
		c.Handle("/chat.postMessage", func(w http.ResponseWriter, r *http.Request) {
			r.ParseForm()
			mu.Lock()
			posted[r.Form.Get("channel")]++
			mu.Unlock()
			fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":"1.%d"}`, r.Form.Get("channel"), time.Now().UnixNano())
		})
	})
	go api.Start()
	defer api.Stop()
	base, logs, _ := serveLogged(t, map[string]string{"MAGDA_API_TOKEN": "tok", "SLACK_SIGNING_SECRET": "sign",
		"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": api.GetAPIURL()}, "--db", db, "--config", cfg)
	post := func(key, customer, prio string) int {
		// Reported now: a P1 notice about a ticket older than the outbox is history.
		body := fmt.Sprintf(`{"ticket":%q,"type":"created","at":%q,"customer":%q,"kind":"incident","priority":%q}`,
			key, time.Now().Format(time.RFC3339), customer, prio)
		code, _ := do(t, "POST", base+"/api/v1/events", "Bearer tok", body)
		return code
	}
	ask := func(user string) string {
		resp := slackPost(t, base+"/slack/commands", "sign", url.Values{"command": {"/magda"}, "text": {"sla MAGDA-1"},
			"user_id": {user}, "channel_id": {"C0STAFF"}, "team_id": {"T1"}, "response_url": {"http://127.0.0.1:1/unused"}}, time.Now())
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	tier := func(key string) string {
		var out bytes.Buffer
		if err := run(context.Background(), []string{"ticket", key, "--db", db, "--config", cfg}, env(nil), &out); err != nil {
			t.Fatalf("ticket %s: %v", key, err)
		}
		return logValue(" "+strings.NewReplacer(`"tier":"`, " tier=", `",`, " ").Replace(out.String()), "tier")
	}
	reloads := func() int { return strings.Count(logs.String(), `msg="configuration reloaded"`) }
	hup := func(want int) {
		t.Helper()
		syscall.Kill(os.Getpid(), syscall.SIGHUP)
		for deadline := time.Now().Add(5 * time.Second); reloads()+strings.Count(logs.String(), "configuration not reloaded") < want; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("no reload logged:\n%s", logs.String())
			}
		}
	}

	if code := post("MAGDA-1", "agency-x", "P3"); code != 200 {
		t.Fatalf("MAGDA-1: %d", code)
	}
	if code := post("MAGDA-2", "agency-new", "P3"); code != 400 {
		t.Fatalf("an unconfigured customer: %d, want 400", code)
	}
	if got := ask("U0NEW"); !strings.Contains(got, "for the MAGDA team") {
		t.Fatalf("U0NEW before the reload: %s", got)
	}

	write("customers:\n  - {id: agency-x, tier: standard}\n  - {id: agency-new, tier: dedicated}\naccess: {agents: [U0NEW]}\nslack: {sdm_channel: C0SDM2}\n")
	hup(1)
	if code := post("MAGDA-2", "agency-new", "P3"); code != 200 {
		t.Errorf("the customer added by the reload: %d, want 200", code)
	}
	if got := ask("U0NEW"); !strings.Contains(got, "MAGDA-1") || strings.Contains(got, "for the MAGDA team") {
		t.Errorf("U0NEW after the reload made it an agent: %s", got)
	}
	if code := post("MAGDA-3", "agency-x", "P3"); code != 200 {
		t.Fatalf("MAGDA-3: %d", code)
	}
	esc := fmt.Sprintf(`{"ticket":"MAGDA-1","type":"escalated","at":%q,"by":"ann"}`, time.Now().Format(time.RFC3339))
	if code, _ := do(t, "POST", base+"/api/v1/events", "Bearer tok", esc); code != 200 {
		t.Fatalf("escalation: %d", code)
	}
	if tier("MAGDA-1") != "dedicated" || tier("MAGDA-3") != "standard" {
		t.Errorf("tiers MAGDA-1 %s, MAGDA-3 %s; want the stored one kept (dedicated), the new one standard (R1.1)", tier("MAGDA-1"), tier("MAGDA-3"))
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		mu.Lock()
		n1, n2 := posted["C0SDM1"], posted["C0SDM2"]
		mu.Unlock()
		if n2 > 0 && n1 == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the escalation went to C0SDM1 %d times, C0SDM2 %d; want the reloaded channel only (R7)", n1, n2)
		}
	}

	// A bad file: refused in one line naming file and line; everything stays.
	write("customers:\n  - {id: agency-x, tier: gold}\n")
	hup(2)
	line := logs.waitFor(t, `msg="configuration not reloaded: the running one stays"`)
	if !strings.Contains(line, "magda.yml:2") || !strings.Contains(line, `unknown tier \"gold\"`) {
		t.Errorf("refusal line %q does not name the file, line and value", line)
	}
	if code := post("MAGDA-4", "agency-new", "P3"); code != 200 {
		t.Errorf("after a refused reload the reloaded customer is gone: %d", code)
	}
	if got := ask("U0NEW"); !strings.Contains(got, "MAGDA-1") {
		t.Errorf("after a refused reload access changed: %s", got)
	}

	// bot reload refuses the bad file itself, exit 2, and sends nothing.
	before := reloads()
	err := run(context.Background(), []string{"reload", "--db", db, "--config", cfg}, env(nil), io.Discard)
	if !errors.As(err, new(usageError)) || !strings.Contains(err.Error(), "magda.yml:2") {
		t.Errorf("bot reload with a bad file: %v", err)
	}
	write("customers:\n  - {id: agency-x, tier: dedicated}\n")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"reload", "--db", db, "--config", cfg}, env(nil), &out); err != nil {
		t.Fatalf("bot reload: %v", err)
	}
	for deadline := time.Now().Add(5 * time.Second); reloads() == before; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("bot reload (%s) did not reload:\n%s", out.String(), logs.String())
		}
	}
	if code := post("MAGDA-5", "agency-new", "P3"); code != 400 {
		t.Errorf("a customer removed by bot reload: %d, want 400", code)
	}
}
