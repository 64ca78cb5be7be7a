package slack

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

const benchTickets = 100_000

// dbStore adapts storage.DB to commands.Store, as cmd/bot does.
type dbStore struct{ *storage.DB }

func (s dbStore) List(ctx context.Context, customer string, limit int) ([]sla.Ticket, int, error) {
	return s.DB.List(ctx, storage.ListFilter{Customer: customer, Limit: limit})
}

func (s dbStore) Urgent(ctx context.Context, now time.Time, limit int) ([]sla.Ticket, int, error) {
	return s.DB.List(ctx, storage.ListFilter{Urgent: true, Now: now, Limit: limit})
}

func (s dbStore) Queue(ctx context.Context, customer string, p sla.Priority, dueBy, riskBy time.Time, limit int) ([]sla.Ticket, int, error) {
	return s.DB.Queue(ctx, storage.QueueFilter{Customer: customer, Priority: p.String(), DueBy: dueBy, RiskBy: riskBy, Limit: limit})
}

func benchKey(i int) string { return fmt.Sprintf("MAGDA-%d", 100000+i) }

// benchStore is a SQLite store with benchTickets tickets: created and responded, half of
// them resolved, spread over two customers and the four priorities.
func benchStore(b *testing.B) dbStore {
	b.Helper()
	start := time.Now()
	db, err := storage.Open(filepath.Join(b.TempDir(), "magda.db"), storage.Options{
		Derive: func(evs []sla.Event) sla.Ticket { return sla.Replay(evs, tierOf, cals) },
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	const perCall = 2500
	for first := 0; first < benchTickets; first += perCall {
		var evs []sla.Event
		for i := first; i < first+perCall; i++ {
			key, at := benchKey(i), dt(2026, time.January, 5, 9, 0).Add(time.Duration(i)*time.Minute)
			evs = append(evs, created(key, testCustomers[i%2].ID, at, sla.Priority(1+i%4)),
				sla.Event{ID: key + "-r", Ticket: key, Type: sla.Responded, At: at.Add(20 * time.Minute)})
			if i%2 == 0 {
				evs = append(evs, sla.Event{ID: key + "-x", Ticket: key, Type: sla.Resolved, At: at.Add(26 * time.Hour)})
			}
		}
		if _, err := db.Append(context.Background(), storage.SourceAPI, "", evs); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("built %d tickets in %s", benchTickets, time.Since(start).Round(time.Millisecond))
	return dbStore{db}
}

// BenchmarkSlashCommand measures a signed `/magda sla MAGDA-…` through the HTTP handler
// up to its acknowledgement (signature, parsing, a SQLite read among 100,000 tickets,
// the sla engine, Block Kit), and reports the 99th percentile; the target is 20 ms.
func BenchmarkSlashCommand(b *testing.B) {
	store := benchStore(b)
	fs := newFakeSlack(b)
	a, err := New(Options{SigningSecret: secret, BotToken: "xoxb-bench", APIURL: fs.apiURL(),
		Handler: newHandler(store, ""), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	defer a.Wait()
	type signed struct {
		body string
		h    http.Header
	}
	reqs := make([]signed, 1000)
	for i := range reqs {
		body := slashBody(agent, chanTeam, "sla "+benchKey(i*97%benchTickets), "")
		reqs[i] = signed{body, sign(secret, time.Now(), body)}
	}
	var times []time.Duration
	i := 0
	for b.Loop() {
		s := reqs[i%len(reqs)]
		i++
		req := httptest.NewRequest(http.MethodPost, PathCommands, strings.NewReader(s.body))
		req.Header = s.h.Clone()
		req.Header.Set("Content-Type", formType)
		w := httptest.NewRecorder()
		t0 := time.Now()
		a.ServeHTTP(w, req)
		times = append(times, time.Since(t0))
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"type":"header"`) {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
	slices.Sort(times)
	pct := func(p float64) float64 {
		return float64(times[min(len(times)-1, int(p*float64(len(times))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

var _ commands.Store = dbStore{}
