package slack

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/benchfixture"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/population"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// defaultBenchTickets is the store's size unless MAGDA_BENCH_TICKETS says otherwise.
const defaultBenchTickets = 100_000

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

// benchStore is a SQLite store holding the generated population the storage and notify
// benchmarks use too (benchfixture.Shared: MAGDA_BENCH_TICKETS tickets, default 100,000,
// about half of them open, over agency-x and agency-y), built in the benchmark's
// temporary directory, or kept at MAGDA_BENCH_FIXTURE when set. It gives the number of
// tickets too.
func benchStore(b *testing.B) (dbStore, int) {
	b.Helper()
	n, err := benchfixture.Tickets(defaultBenchTickets)
	if err != nil {
		b.Fatal(err)
	}
	opts := storage.Options{Derive: func(evs []sla.Event) sla.Ticket { return sla.Replay(evs, tierOf, cals) }}
	start := time.Now()
	path, err := benchfixture.Population(b.TempDir(), "", benchfixture.SharedLabel, benchfixture.Shared(n), opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d tickets ready in %s", n, time.Since(start).Round(time.Millisecond))
	db, err := storage.Open(path, opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return dbStore{db}, n
}

// BenchmarkSlashCommand measures a signed `/magda sla MAGDA-…` through the HTTP handler
// up to its acknowledgement (signature, parsing, a SQLite read among the stored tickets,
// the sla engine, Block Kit), and reports the 99th percentile; the target is 20 ms.
func BenchmarkSlashCommand(b *testing.B) {
	store, n := benchStore(b)
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
		body := slashBody(agent, chanTeam, "sla "+population.Key(1+i*97%n), "")
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
