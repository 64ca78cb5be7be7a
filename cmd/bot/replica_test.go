package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/netns"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// replica is one `bot serve` process (this test binary again, see TestMain), in a
// network namespace of its own or in the test's.
type replica struct {
	name   string
	base   string // http://ADDR:PORT, once listening
	cmd    *exec.Cmd
	log    *lockedBuffer
	listen chan error    // where it listens is read, or not
	done   chan struct{} // closed once the process is gone
}

// lockedBuffer is a process's output, safe to read while it writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startReplica starts `bot serve` on db with vars as its environment, inside h (nil:
// in the test's own namespace, on loopback); listening waits until it listens. The
// process ends with ctx, or with the test.
func startReplica(ctx context.Context, t *testing.T, name string, h *netns.Host, db string, vars map[string]string) *replica {
	t.Helper()
	env, err := json.Marshal(vars)
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"-test.run=^$"}
	var cmd *exec.Cmd
	addr := "127.0.0.1:0"
	if h != nil {
		cmd, addr = h.Command(ctx, os.Args[0], args...), h.Addr.String()+":0"
	} else {
		cmd = exec.CommandContext(ctx, os.Args[0], args...)
	}
	cmd.Env = append(os.Environ(), childDBEnv+"="+db, childVarsEnv+"="+string(env), childAddrEnv+"="+addr)
	r := &replica{name: name, cmd: cmd, log: &lockedBuffer{}, listen: make(chan error, 1), done: make(chan struct{})}
	cmd.Stderr = r.log
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Everything it writes goes to its log, read to the end so that it never blocks on
	// a full pipe.
	lines := bufio.NewReader(io.TeeReader(out, r.log))
	go func() {
		defer close(r.done)
		base, err := listenURL(lines)
		r.base = base // read only after r.listen, which orders it
		r.listen <- err
		io.Copy(io.Discard, lines)
		cmd.Wait()
	}()
	t.Cleanup(func() {
		r.kill()
		<-r.done
		if t.Failed() {
			t.Logf("%s's log:\n%s", name, lastLogLines(r.log.String(), 40))
		}
	})
	return r
}

// listening waits until r listens (or its context ends, which ends it).
func (r *replica) listening(t *testing.T) {
	t.Helper()
	if err := <-r.listen; err != nil {
		t.Fatalf("%s did not say where it listens: %v\n%s", r.name, err, r.log.String())
	}
}

// kill sends SIGKILL: the process ends at once, without a word to anyone.
func (r *replica) kill() {
	select {
	case <-r.done:
	default:
		r.cmd.Process.Signal(syscall.SIGKILL)
	}
}

func lastLogLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// post sends a body to the events API and gives the status, Retry-After and body; 0
// when no answer came.
func post(ctx context.Context, client *http.Client, base, token, body string) (code int, retryAfter, reply string) {
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/events", strings.NewReader(body))
	if err != nil {
		return 0, "", err.Error()
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := client.Do(req)
	if err != nil {
		return 0, "", err.Error()
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Retry-After"), string(bytes.TrimSpace(b))
}

// readStore opens db (a DSN or a file) as the bot does, for the test to read what the
// replicas stored.
func readStore(t *testing.T, db string) *storage.DB {
	t.Helper()
	cals := sla.NewCalendars(nil)
	st, err := storage.Open(db, storage.Options{Derive: func(evs []sla.Event) sla.Ticket {
		return sla.Replay(evs, func(string) (sla.Tier, bool) { return sla.Dedicated, true }, cals)
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// execSQL runs one statement on db outside the bot, through database/sql (pgx's driver
// for PostgreSQL, go-sqlite3's for a file; storage registers both), and gives the rows
// it changed.
func execSQL(ctx context.Context, t *testing.T, db, query string) int64 {
	t.Helper()
	driver := "sqlite3"
	if strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://") {
		driver = "pgx"
	}
	conn, err := sql.Open(driver, db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	res, err := conn.ExecContext(ctx, query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// noSecrets fails the test when a log holds any of the secrets.
func noSecrets(t *testing.T, name, log string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(log, s) {
			t.Errorf("%s's log holds a secret (%d characters)", name, len(s))
		}
	}
}

// ticketEvents is the body of one request: ticket n's created event, and for some an
// escalation in the same request (all or nothing), each with an id so that a request
// sent again is stored once.
func ticketEvents(n int, priority string, escalate bool, at time.Time) string {
	key := fmt.Sprintf("REP-%d", n)
	evs := []string{fmt.Sprintf(`{"id":"%s-c","ticket":%q,"type":"created","at":%q,"customer":"agency-x","kind":"incident","priority":%q}`,
		key, key, at.Format(time.RFC3339), priority)}
	if escalate {
		evs = append(evs, fmt.Sprintf(`{"id":"%s-e","ticket":%q,"type":"escalated","at":%q,"by":"replica test","reason":"down"}`,
			key, key, at.Format(time.RFC3339)))
	}
	return "[" + strings.Join(evs, ",") + "]"
}
