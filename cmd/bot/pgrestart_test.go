package main

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/pgtest"
)

// TestPostgresRestartUnderLoad_Issue16: one `bot serve` on PostgreSQL, four clients
// sending tickets, each request sent again with the same event ids until it gets a 200
// (the contract: after a 503, send the same events again). PostgreSQL is stopped the
// way an operator restarts it, stays down two seconds, and starts again on the same
// address. Every answer is a 200 or a 503 with a Retry-After, never anything else (no
// 500, no dropped connection); /readyz is 503 while PostgreSQL is down and 200 again
// after it is back, in the same process, which then stores events again; every
// acknowledged event is stored, once.
func TestPostgresRestartUnderLoad_Issue16(t *testing.T) {
	srv := pgtest.Start(t, pgtest.Owned())
	dsn := srv.Database(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()
	const token = "restart-api-token-77d0"
	bot := startReplica(ctx, t, "bot", nil, dsn, map[string]string{"MAGDA_API_TOKEN": token})
	bot.listening(t)

	var (
		mu        sync.Mutex
		acked     []int // tickets whose request got its 200
		ackedAt   []time.Time
		refused   int // 503s with a Retry-After
		next      atomic.Int64
		senders   sync.WaitGroup
		stop      = make(chan struct{})
		client    = &http.Client{Timeout: 40 * time.Second}
		createdAt = time.Now().Truncate(time.Second)
	)
	for range 4 {
		senders.Go(func() {
			for {
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond):
				}
				n := int(next.Add(1))
				body := ticketEvents(n, "P3", n%3 == 0, createdAt)
				for {
					code, retry, reply := post(ctx, client, bot.base, token, body)
					if code == http.StatusOK {
						mu.Lock()
						acked, ackedAt = append(acked, n), append(ackedAt, time.Now())
						mu.Unlock()
						break
					}
					if s, err := strconv.Atoi(retry); code != http.StatusServiceUnavailable || err != nil || s <= 0 {
						t.Errorf("ticket %d: %d Retry-After %q %q; want 200, or 503 with a Retry-After", n, code, retry, reply)
						return
					}
					mu.Lock()
					refused++
					mu.Unlock()
					if ctx.Err() != nil {
						t.Errorf("ticket %d never acknowledged", n)
						return
					}
					time.Sleep(100 * time.Millisecond) // sooner than Retry-After, to keep the test short
				}
			}
		})
	}
	ready := func() int {
		code, _ := do(t, "GET", bot.base+"/readyz", "", "")
		return code
	}
	count := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(acked)
	}
	for count() < 50 && ctx.Err() == nil {
		time.Sleep(10 * time.Millisecond)
	}
	if code := ready(); code != http.StatusOK {
		t.Fatalf("/readyz before the restart: %d", code)
	}

	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	downAt := time.Now()
	for range 4 { // while it is down, spread over the two seconds
		if code := ready(); code != http.StatusServiceUnavailable {
			t.Errorf("/readyz %s after PostgreSQL stopped: %d, want 503", time.Since(downAt).Round(time.Millisecond), code)
		}
		time.Sleep(500 * time.Millisecond)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	upAt := time.Now()
	for ready() != http.StatusOK {
		if time.Since(upAt) > 15*time.Second {
			t.Fatalf("/readyz not 200 within 15 s of PostgreSQL's start")
		}
		time.Sleep(50 * time.Millisecond)
	}
	readyAfter := time.Since(upAt)
	// The same process stores events again: 50 more acknowledgements.
	for n := count(); count() < n+50; {
		if ctx.Err() != nil {
			close(stop)
			senders.Wait()
			t.Fatalf("only %d acknowledgements after PostgreSQL was back", count()-n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(stop)
	senders.Wait()
	select {
	case <-bot.done:
		t.Fatal("the bot process ended")
	default:
	}

	mu.Lock()
	defer mu.Unlock()
	// No commit can happen while the server is down; an answer to one made just before
	// the stop may still be on its way, hence the margin.
	var during int
	for _, at := range ackedAt {
		if at.After(downAt.Add(500*time.Millisecond)) && at.Before(upAt) {
			during++
		}
	}
	if refused == 0 {
		t.Error("no request was answered 503 while PostgreSQL was down")
	}
	if during > 0 {
		t.Errorf("%d requests acknowledged while PostgreSQL was down", during)
	}
	st := readStore(t, dsn)
	for _, n := range acked {
		key := fmt.Sprintf("REP-%d", n)
		evs, err := st.Events(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{key + "-c"}
		if n%3 == 0 {
			want = append(want, key+"-e")
		}
		var ids []string
		for _, e := range evs {
			ids = append(ids, e.ID)
		}
		slices.Sort(ids)
		if !slices.Equal(ids, want) {
			t.Errorf("%s acknowledged: stored events %v, want %v once each", key, ids, want)
		}
	}
	t.Logf("%d tickets acknowledged, %d answers 503 with Retry-After; /readyz 200 again %s after PostgreSQL's start",
		len(acked), refused, readyAfter.Round(time.Millisecond))
	noSecrets(t, bot.name, bot.log.String(), token, dsnPassword(dsn))
}
