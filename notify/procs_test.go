package notify_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify/mail"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// p1s stores n dedicated P1s reported at `at`: each gives a P1 notice to the SDMs'
// Slack and Teams channels and to Service Delivery by mail (R7.1).
func p1s(t testing.TB, path string, n int, at time.Time) {
	t.Helper()
	db := openStore(t, path)
	var evs []sla.Event
	for i := range n {
		evs = append(evs, created(fmt.Sprintf("MAGDA-%d", i), "agency-x", sla.P1, at))
	}
	mustAppend(t, db, evs...)
}

// TestTwoProcesses: two notifiers, each with its own handle on one file and three
// workers, pass and deliver at the same time: every message goes out once.
func TestTwoProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "magda.db")
	at := dt(2026, 7, 6, 9, 0)
	p1s(t, path, 100, at)
	c := &clock{now: at}
	var ns []*notify.Notifier
	var recs []*recorder
	for range 2 {
		rec := &recorder{clock: c, delay: time.Millisecond}
		recs = append(recs, rec)
		ns = append(ns, newNotifier(t, options(openStore(t, path), c, rec)))
	}
	ctx := context.Background()
	// Both decide at once, then their six workers deliver at once.
	var wg sync.WaitGroup
	for _, n := range ns {
		wg.Go(func() {
			if err := n.Tick(ctx, at); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for _, n := range ns {
		for range 3 {
			wg.Go(func() {
				if _, err := n.Deliver(ctx, at); err != nil {
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()
	// A last round from both: whatever one pass left to the other is sent now.
	for _, n := range ns {
		step(t, n, c, at)
	}
	count := map[string]int{}
	for i, rec := range recs {
		t.Logf("process %d sent %d", i+1, len(rec.all()))
		for _, s := range rec.all() {
			count[s.Platform+" "+s.Channel+" "+s.Title]++
		}
	}
	if len(count) != 300 {
		t.Errorf("%d distinct messages sent, want 300", len(count))
	}
	for k, n := range count {
		if n != 1 {
			t.Errorf("sent %d times: %s", n, k)
		}
	}
	if got := len(delivered(t, openStore(t, path))); got != 300 {
		t.Errorf("%d outbox rows, want 300", got)
	}
}

const (
	killChildDB  = "NOTIFY_KILL_CHILD_DB"
	killChildLog = "NOTIFY_KILL_CHILD_LOG"
	killWorkers  = 3
	killAfter    = 40 // messages the child delivers before its sends hang
)

// TestDeliveryAfterSIGKILL: a child process runs the notifier (Run, three workers) on
// 30 P1s, with a sender that records each delivery in a file (fsync) and hangs from the
// 41st on; once all three workers hang mid-send it gets SIGKILL. After a restart the
// leases of the dead process run out and every message is delivered exactly once
// across both processes, and nothing is decided twice.
func TestDeliveryAfterSIGKILL(t *testing.T) {
	if path := os.Getenv(killChildDB); path != "" {
		runUntilKilled(path, os.Getenv(killChildLog))
		return
	}
	dir := t.TempDir()
	path, log := filepath.Join(dir, "magda.db"), filepath.Join(dir, "sent.log")
	at := dt(2026, 7, 6, 9, 0)
	p1s(t, path, 30, at)

	cmd := exec.Command(os.Args[0], "-test.run=^TestDeliveryAfterSIGKILL$")
	cmd.Env = append(os.Environ(), killChildDB+"="+path, killChildLog+"="+log)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for hanging(log) < killWorkers {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the child did not reach its hanging sends (%d lines)", len(lines(log)))
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if got := len(recorded(lines(log))); got != killAfter {
		t.Fatalf("the child delivered %d, want %d", got, killAfter)
	}

	// Restart after the dead process's leases (5 minutes) ran out.
	db := openStore(t, path)
	c := &clock{}
	rec := &recorder{clock: c}
	n := newNotifier(t, options(db, c, rec))
	step(t, n, c, at.Add(5*time.Minute+time.Second))

	count := map[string]int{}
	for _, l := range recorded(lines(log)) {
		count[l]++
	}
	for _, s := range rec.all() {
		count[s.Platform+"\t"+s.Channel+"\t"+s.Title]++
	}
	if len(count) != 90 {
		t.Errorf("%d distinct messages delivered, want 90 (30 P1s × Slack, Teams, mail)", len(count))
	}
	for k, n := range count {
		if n != 1 {
			t.Errorf("delivered %d times: %s", n, k)
		}
	}
	if got := len(rec.all()); got != 90-killAfter {
		t.Errorf("the restarted process sent %d, want %d", got, 90-killAfter)
	}
}

func lines(path string) []string {
	b, _ := os.ReadFile(path)
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func hanging(path string) int {
	n := 0
	for _, l := range lines(path) {
		if l == "hang" {
			n++
		}
	}
	return n
}

func recorded(ls []string) []string {
	var out []string
	for _, l := range ls {
		if l != "hang" && l != "" {
			out = append(out, l)
		}
	}
	return out
}

// runUntilKilled is the child: Run with a sender that records each delivery durably
// and hangs from the killAfter+1th send on.
func runUntilKilled(path, log string) {
	f, err := os.OpenFile(log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		panic(err)
	}
	s := &durableSender{f: f}
	db, err := storage.Open(path, storage.Options{Derive: derive})
	if err != nil {
		panic(err)
	}
	o := options(db, &clock{}, &recorder{})
	o.Clock = fixedClock{dt(2026, 7, 6, 9, 0)}
	o.Platforms = map[string]notify.Platform{"slack": {Sender: s.platform("slack")}, "teams": {Sender: s.platform("teams")}}
	o.Mailer = s
	o.Workers = killWorkers
	n, err := notify.New(o)
	if err != nil {
		panic(err)
	}
	n.Run(context.Background())
}

// fixedClock stands still at one instant; its timers are real, so the workers poll.
type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time                         { return c.t }
func (c fixedClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

type durableSender struct {
	mu    sync.Mutex
	f     *os.File
	sends atomic.Int64
}

func (s *durableSender) platform(name string) notify.Sender { return durablePlatform{s, name} }

type durablePlatform struct {
	s    *durableSender
	name string
}

func (p durablePlatform) Send(ctx context.Context, channel string, r commands.Reply, thread string) (string, error) {
	return "", p.s.deliver(p.name + "\t" + channel + "\t" + r.Title)
}

func (s *durableSender) Send(ctx context.Context, m mail.Message) error {
	return s.deliver(notify.PlatformMail + "\t" + fmt.Sprint(m.To) + "\t" + m.Subject)
}

// deliver writes line and fsyncs it: once it returns, the delivery is on record.
func (s *durableSender) deliver(line string) error {
	if s.sends.Add(1) > killAfter {
		s.write("hang")
		select {} // a send that never returns: the parent kills us here
	}
	time.Sleep(2 * time.Millisecond) // a platform's round trip
	s.write(line)
	return nil
}

func (s *durableSender) write(line string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.f.WriteString(line + "\n"); err != nil {
		panic(err)
	}
	if err := s.f.Sync(); err != nil {
		panic(err)
	}
}
