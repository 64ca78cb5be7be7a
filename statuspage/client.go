package statuspage

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// Maintenance is a scheduled maintenance of the page: an R8.2 window. Its fields are
// those of storage.ScheduledMaintenance, in the same order, so cmd/bot converts them.
type Maintenance struct {
	ID         string
	Name       string
	Start, End time.Time
	URL        string
}

// Store keeps the maintenances once read.
type Store interface {
	SaveMaintenances(ctx context.Context, ms []Maintenance) (int, error)
	Maintenances(ctx context.Context) ([]Maintenance, error)
}

// Component is a component of the page that is not operational.
type Component struct{ Name, Status string }

// Incident is an unresolved incident of the page.
type Incident struct {
	Name, Status, Impact, URL string
	Updated                   time.Time
}

// Snapshot is the page as last read.
type Snapshot struct {
	URL string
	// Read is when the last good answer came (zero: none yet); FailingSince the first
	// failed read after it (zero while reads succeed), Err why the last read failed.
	Read, FailingSince time.Time
	Err                string
	Components         []Component // not operational, in the last good answer
	Incidents          []Incident  // unresolved, in the last good answer
}

// Options configures a Client; URL and Store are required.
type Options struct {
	URL      string
	Interval time.Duration // between reads; default 1 min
	Timeout  time.Duration // of one read (all three endpoints); default 10 s
	// MaxBackoff bounds the wait after failures, which doubles from Interval; default
	// 10 × Interval.
	MaxBackoff time.Duration
	HTTP       *http.Client // default: a client of its own
	Store      Store
	Logger     *slog.Logger
	Now        func() time.Time
}

// Client reads the page and keeps what it said. It is safe for concurrent use.
type Client struct {
	o     Options
	mu    sync.Mutex
	snap  Snapshot
	fails int
	kept  []Maintenance // the store's, refreshed after each read
}

// New builds a Client; Load fills it from the store.
func New(o Options) *Client {
	if o.Interval <= 0 {
		o.Interval = time.Minute
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 10 * o.Interval
	}
	if o.HTTP == nil {
		o.HTTP = &http.Client{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Client{o: o, snap: Snapshot{URL: o.URL}}
}

// Load reads the maintenances kept from earlier reads, so they count from the start.
func (c *Client) Load(ctx context.Context) error {
	ms, err := c.o.Store.Maintenances(ctx)
	if err != nil {
		return fmt.Errorf("statuspage: %w", err)
	}
	c.mu.Lock()
	c.kept = ms
	c.mu.Unlock()
	return nil
}

// Run reads the page until ctx ends: every Interval while it answers, and after a
// failure at doubling waits up to MaxBackoff, so an unreachable page is not hammered.
func (c *Client) Run(ctx context.Context) error {
	if err := c.Load(ctx); err != nil {
		c.o.Logger.Error("status page: loading kept maintenances failed", "err", err)
	}
	for {
		wait := c.o.Interval
		if err := c.Poll(ctx); err != nil {
			wait = c.backoff()
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
}

// backoff is the wait after the failures so far: Interval doubled per failure, at
// most MaxBackoff.
func (c *Client) backoff() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return min(c.o.MaxBackoff, c.o.Interval<<min(c.fails, 16))
}

// Poll reads the page once within Timeout. A good answer replaces the snapshot and
// saves its scheduled maintenances; a failed one keeps the last good answer and
// records since when the page fails.
func (c *Client) Poll(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, c.o.Timeout)
	defer cancel()
	snap, ms, err := c.read(ctx)
	if err == nil {
		_, err = c.o.Store.SaveMaintenances(ctx, ms)
	}
	var kept []Maintenance
	if err == nil {
		kept, err = c.o.Store.Maintenances(ctx)
	}
	now := c.o.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		if c.snap.FailingSince.IsZero() {
			c.snap.FailingSince = now
			c.o.Logger.Warn("status page not reachable", "url", c.o.URL, "err", err)
		}
		c.snap.Err = err.Error()
		c.fails++
		return fmt.Errorf("statuspage: %w", err)
	}
	if !c.snap.FailingSince.IsZero() {
		c.o.Logger.Info("status page reachable again", "url", c.o.URL)
	}
	snap.URL, snap.Read = c.o.URL, now
	c.snap, c.fails, c.kept = snap, 0, kept
	return nil
}

// read gets the three endpoints; the answer counts only when all three came.
func (c *Client) read(ctx context.Context) (Snapshot, []Maintenance, error) {
	var (
		s  summary
		in incidents
		up maintenances
	)
	for path, v := range map[string]any{"/api/v2/summary.json": &s, "/api/v2/incidents/unresolved.json": &in,
		"/api/v2/scheduled-maintenances/upcoming.json": &up} {
		if err := get(ctx, c.o.HTTP, c.o.URL, path, v); err != nil {
			return Snapshot{}, nil, err
		}
	}
	var snap Snapshot
	for _, comp := range s.Components {
		if !comp.Group && comp.Status != "operational" {
			snap.Components = append(snap.Components, Component{comp.Name, comp.Status})
		}
	}
	for _, i := range in.Incidents {
		snap.Incidents = append(snap.Incidents, Incident{i.Name, i.Status, i.Impact, i.Shortlink, i.UpdatedAt})
	}
	// The summary also lists maintenances in progress, which "upcoming" no longer does.
	var ms []Maintenance
	seen := map[string]bool{}
	for _, m := range append(up.Scheduled, s.Scheduled...) {
		if seen[m.ID] || m.ID == "" || m.ScheduledFor == nil || m.ScheduledUntil == nil || !m.ScheduledUntil.After(*m.ScheduledFor) {
			continue
		}
		if sla.CheckInstant(*m.ScheduledFor) != nil || sla.CheckInstant(*m.ScheduledUntil) != nil {
			continue
		}
		seen[m.ID] = true
		ms = append(ms, Maintenance{ID: m.ID, Name: m.Name, Start: m.ScheduledFor.Truncate(time.Second),
			End: m.ScheduledUntil.Truncate(time.Second), URL: m.Shortlink})
	}
	return snap, ms, nil
}

// Snapshot gives the page as last read.
func (c *Client) Snapshot() Snapshot {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.snap
	s.Components, s.Incidents = slices.Clone(s.Components), slices.Clone(s.Incidents)
	return s
}

// Windows gives every scheduled maintenance ever read as an R8.2 window, by start.
func (c *Client) Windows() []sla.MaintenanceWindow {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]sla.MaintenanceWindow, len(c.kept))
	for i, m := range c.kept {
		out[i] = sla.MaintenanceWindow{Start: m.Start.In(sla.Brussels), End: m.End.In(sla.Brussels), Note: m.Name}
	}
	return out
}

// Check reads the page at url once, as a Client's poll does, without keeping anything:
// for `bot check`. It gives what the page says now, or why it could not be read.
func Check(ctx context.Context, hc *http.Client, url string) (Snapshot, error) {
	if hc == nil {
		hc = &http.Client{}
	}
	c := &Client{o: Options{URL: url, HTTP: hc}}
	snap, _, err := c.read(ctx)
	return snap, err
}
