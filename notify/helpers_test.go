package notify_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify/mail"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// calendars are built once per test binary: they take tens of milliseconds.
var calendars = sync.OnceValue(func() *sla.Calendars { return sla.NewCalendars(nil) })

var tiers = map[string]sla.Tier{"agency-x": sla.Dedicated, "agency-y": sla.Standard}

func derive(evs []sla.Event) sla.Ticket {
	return sla.Replay(evs, func(c string) (sla.Tier, bool) { t, ok := tiers[c]; return t, ok }, calendars())
}

func dt(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, sla.Brussels)
}

func openStore(t testing.TB, path string) *storage.DB {
	t.Helper()
	db, err := storage.Open(path, storage.Options{Derive: derive})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func tempStore(t testing.TB) (*storage.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "magda.db")
	return openStore(t, path), path
}

func created(key, customer string, p sla.Priority, at time.Time) sla.Event {
	return sla.Event{Ticket: key, Type: sla.Created, At: at, Customer: customer, Kind: sla.Incident, Priority: p}
}

func ev(key string, typ sla.EventType, at time.Time) sla.Event {
	return sla.Event{Ticket: key, Type: typ, At: at}
}

func mustAppend(t testing.TB, db *storage.DB, evs ...sla.Event) {
	t.Helper()
	if _, err := db.Append(context.Background(), storage.SourceAPI, "", evs); err != nil {
		t.Fatal(err)
	}
}

// clock is a fake clock set by the test; its timers never fire.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

func (c *clock) After(time.Duration) <-chan time.Time { return nil }

// sent is one message a fake platform took.
type sent struct {
	Platform, Channel, Title string
	At                       time.Time
	Reply                    commands.Reply
}

// recorder is a fake Sender (one per platform) and Mailer that records what it is
// given, at the clock's time. fail, when set, decides a send's error.
type recorder struct {
	clock *clock
	delay time.Duration // a platform's round trip
	mu    sync.Mutex
	got   []sent
	fail  func(platform, channel string, r commands.Reply) error
}

func (r *recorder) platform(name string) notify.Sender { return platformSender{r, name} }

type platformSender struct {
	r    *recorder
	name string
}

func (p platformSender) Send(ctx context.Context, channel string, reply commands.Reply, thread string) (string, error) {
	return p.r.record(p.name, channel, reply)
}

func (r *recorder) Send(ctx context.Context, m mail.Message) error {
	_, err := r.record(notify.PlatformMail, fmt.Sprint(m.To), commands.Reply{Title: m.Subject, Lines: []string{m.Text}})
	return err
}

func (r *recorder) record(platform, channel string, reply commands.Reply) (string, error) {
	time.Sleep(r.delay)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		if err := r.fail(platform, channel, reply); err != nil {
			return "", err
		}
	}
	r.got = append(r.got, sent{platform, channel, reply.Title, r.clock.Now(), reply})
	return fmt.Sprintf("ts-%d", len(r.got)), nil
}

func (r *recorder) all() []sent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sent(nil), r.got...)
}

const serviceDelivery = "magda.servicedelivery@vlaanderen.be"

// options are those of a deployment with Slack, Teams and mail: agency-x (dedicated)
// on both chat platforms, agency-y (standard) on Slack.
func options(db *storage.DB, c *clock, rec *recorder) notify.Options {
	return notify.Options{
		Store:     db,
		Calendars: calendars(),
		Customers: []notify.Customer{
			{ID: "agency-x", Name: "Agentschap X", Channels: []notify.Channel{{Platform: "slack", ID: "C-X"}, {Platform: "teams", ID: "19:x"}}},
			{ID: "agency-y", Name: "Agentschap Y", Channels: []notify.Channel{{Platform: "slack", ID: "C-Y"}}},
		},
		SDM:             []notify.Channel{{Platform: "slack", ID: "C-SDM"}, {Platform: "teams", ID: "19:sdm"}},
		Announcements:   []notify.Channel{{Platform: "slack", ID: "C-NEWS"}},
		ServiceDelivery: []string{serviceDelivery},
		Platforms:       map[string]notify.Platform{"slack": {Sender: rec.platform("slack")}, "teams": {Sender: rec.platform("teams")}},
		Mailer:          rec,
		Clock:           c,
		Logger:          slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

func newNotifier(t testing.TB, o notify.Options) *notify.Notifier {
	t.Helper()
	n, err := notify.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// step runs a pass and a delivery round at now.
func step(t testing.TB, n *notify.Notifier, c *clock, now time.Time) {
	t.Helper()
	c.set(now)
	ctx := context.Background()
	if err := n.Tick(ctx, now); err != nil {
		t.Fatalf("Tick(%v): %v", now, err)
	}
	if _, err := n.Deliver(ctx, now); err != nil {
		t.Fatalf("Deliver(%v): %v", now, err)
	}
}
