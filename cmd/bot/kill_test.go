package main

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// The child server's database, its environment as a JSON object (default: the events
// API token kill-token alone) and its listen address (default: 127.0.0.1:0; a replica in
// a network namespace listens on its host's address).
const (
	childDBEnv   = "MAGDA_TEST_CHILD_DB"
	childVarsEnv = "MAGDA_TEST_CHILD_VARS"
	childAddrEnv = "MAGDA_TEST_CHILD_ADDR"
)

// TestMain lets the test binary play the server process for the tests that kill it.
func TestMain(m *testing.M) {
	if db := os.Getenv(childDBEnv); db != "" {
		vars := map[string]string{"MAGDA_API_TOKEN": "kill-token"}
		if v := os.Getenv(childVarsEnv); v != "" {
			if err := json.Unmarshal([]byte(v), &vars); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
		addr := cmp.Or(os.Getenv(childAddrEnv), "127.0.0.1:0")
		err := run(context.Background(), []string{"serve", "--addr", addr, "--db", db}, env(vars), os.Stdout)
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	removeSeeded()
	os.Exit(code)
}

// An event acknowledged with 2xx is on disk: the server process is killed with SIGKILL
// while clients are sending, and every acknowledged event is there after the restart.
func TestAckedEventsSurviveKill(t *testing.T) {
	db := filepath.Join(t.TempDir(), "magda.db")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childDBEnv+"="+db)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	base, err := listenURL(bufio.NewReader(out))
	if err != nil {
		t.Fatalf("the child did not say where it listens: %v", err)
	}

	var (
		mu    sync.Mutex
		acked []string
		wg    sync.WaitGroup
	)
	client := &http.Client{Timeout: 5 * time.Second}
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 10000; i++ {
				key := fmt.Sprintf("KILL%d-%d", w, i)
				body := fmt.Sprintf(`{"id":"%s","ticket":"%s","type":"created","at":"2026-07-10T10:00:00+02:00","customer":"agency-x","kind":"incident","priority":"P3"}`, key, key)
				req, _ := http.NewRequest("POST", base+"/api/v1/events", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer kill-token")
				resp, err := client.Do(req)
				if err != nil {
					return // the server is gone
				}
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					mu.Lock()
					acked = append(acked, key)
					mu.Unlock()
				}
			}
		}(w)
	}
	senders := make(chan struct{})
	go func() { wg.Wait(); close(senders) }()
	for waiting := true; waiting; {
		select {
		case <-senders:
			t.Fatalf("the clients stopped before the kill, after %d acknowledgements", len(acked))
		case <-time.After(5 * time.Millisecond):
			mu.Lock()
			waiting = len(acked) < 300
			mu.Unlock()
		}
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	wg.Wait()
	cmd.Wait()

	cals := sla.NewCalendars(nil)
	store, err := storage.Open(db, storage.Options{Derive: func(evs []sla.Event) sla.Ticket {
		return sla.Replay(evs, func(string) (sla.Tier, bool) { return sla.Dedicated, true }, cals)
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	for _, key := range acked {
		if _, found, err := store.Ticket(context.Background(), key); err != nil || !found {
			t.Errorf("acknowledged %s is lost after SIGKILL (err %v)", key, err)
		}
	}
	t.Logf("%d acknowledged events, all on disk after SIGKILL", len(acked))
}
