package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestServeReportsTierChanges_R1_1: after a customer changed tier, or was removed from
// the configuration, serve says so at start-up, one line per customer, and the stored
// tickets keep the tier they were created under.
func TestServeReportsTierChanges_R1_1(t *testing.T) {
	dir := t.TempDir()
	cfg, db := filepath.Join(dir, "magda.yml"), filepath.Join(dir, "magda.db")
	write := func(yaml string) { os.WriteFile(cfg, []byte(yaml), 0o600) }
	write("customers:\n  - {id: agency-x, name: X, tier: dedicated}\n  - {id: agency-y, name: Y, tier: standard}\n")
	base := startServe(t, map[string]string{"MAGDA_API_TOKEN": "tok"}, "--db", db, "--config", cfg)
	at := time.Date(2026, 10, 5, 8, 0, 0, 0, time.UTC).Format(time.RFC3339)
	postEvents(t, base, "tok", `[{"ticket":"MAGDA-1","type":"created","at":"`+at+`","customer":"agency-x","kind":"incident","priority":"P2"},
		{"ticket":"MAGDA-2","type":"created","at":"`+at+`","customer":"agency-y","kind":"incident","priority":"P2"}]`)
	ticket := func(key string) string {
		var out strings.Builder
		if err := run(context.Background(), []string{"ticket", key, "--db", db, "--config", cfg}, env(nil), &out); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	before := ticket("MAGDA-1")

	// agency-x becomes standard, agency-y is removed; serve runs once more on the file.
	write("customers:\n  - {id: agency-x, name: X, tier: standard}\n")
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--config", cfg}, env(nil), pw)
		pw.Close()
	}()
	var log strings.Builder
	lines := bufio.NewScanner(pr)
	for lines.Scan() && !strings.Contains(lines.Text(), " msg=listening ") { // the report comes first
		log.WriteString(lines.Text() + "\n")
	}
	go io.Copy(io.Discard, pr)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`msg="customer changed tier: open tickets keep the tier they were created under" customer=agency-x kept=dedicated configured=standard open=1`,
		`msg="open tickets of a customer no longer configured keep their tier" customer=agency-y tier=standard open=1`,
	} {
		if strings.Count(log.String(), want) != 1 {
			t.Errorf("start-up log lacks, once, %s:\n%s", want, log.String())
		}
	}
	// remaining_s follows the wall clock: the two reads may straddle a second.
	clockless := regexp.MustCompile(`"remaining_s":-?[0-9]+`)
	if after := ticket("MAGDA-1"); clockless.ReplaceAllString(after, "") != clockless.ReplaceAllString(before, "") ||
		!strings.Contains(after, `"tier":"dedicated"`) {
		t.Errorf("MAGDA-1 after the change:\n%s\nbefore:\n%s", after, before)
	}
	if y := ticket("MAGDA-2"); !strings.Contains(y, `"tier":"standard"`) || strings.Contains(y, "unknown customer") {
		t.Errorf("MAGDA-2 of the removed customer: %s; want its stored tier, no invented one", y)
	}
}
