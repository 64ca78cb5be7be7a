package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify/mail"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// Platforms: the names of Options.Platforms and of the outbox rows' platform.
const (
	PlatformSlack = "slack"
	PlatformTeams = "teams"
	PlatformMail  = "mail"
)

// Sender posts a reply to a chat channel and gives the new message's id
// (notify/slack.Sender, notify/teams.Sender).
type Sender interface {
	Send(ctx context.Context, channel string, r commands.Reply, thread string) (string, error)
}

// Finder is a Sender that can tag a message with its outbox key and find it again
// (notify/slack.Sender: the message's metadata, conversations.history). A try after
// one whose outcome is unknown (a timeout, a reset connection, a 5xx, a killed
// process) first looks for the message and, when it is there, takes it as sent.
type Finder interface {
	Sender
	// SendKeyed posts r to channel, tagged with key.
	SendKeyed(ctx context.Context, channel string, r commands.Reply, key string) (string, error)
	// Find looks for the message tagged with key that was posted to channel since
	// `since`, and gives its id.
	Find(ctx context.Context, channel, key string, since time.Time) (ref string, found bool, err error)
}

// Mailer sends one mail (notify/mail.Mailer).
type Mailer interface {
	Send(ctx context.Context, m mail.Message) error
}

// Platform is a chat platform's sender and how to read its failures.
type Platform struct {
	Sender Sender
	// RetryAfter reports that err is a rate limit and how long to wait before the next
	// message to this platform (slack.RetryAfter, teams.RetryAfter); nil: never.
	RetryAfter func(error) (time.Duration, bool)
	// Rejected reports that err is the platform's clear answer that it did not post
	// the message (slack.Rejected): the next try need not look for it. Nil: any failure
	// but a rate limit leaves the outcome unknown.
	Rejected func(error) bool
	// PerChannel: the platform limits the rate per conversation (Teams), so a rate limit
	// holds only the channel it came from, not the whole platform (Slack).
	PerChannel bool
}

// Channel is a chat channel on a platform.
type Channel struct {
	Platform string // PlatformSlack or PlatformTeams
	ID       string
}

// Customer is a customer's name and its own channels (slack_channels, teams_channels).
type Customer struct {
	ID       string
	Name     string
	Channels []Channel
}

// Clock is the time the Notifier runs on: tests step it.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type wallClock struct{}

func (wallClock) Now() time.Time                         { return time.Now() }
func (wallClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Store is what the Notifier needs of the database (storage.DB).
type Store interface {
	Decide(ctx context.Context, now time.Time, decide func(storage.Running) ([]storage.Notification, storage.Next)) (int, error)
	ResetNoticesFor(ctx context.Context, fingerprint string) (reset int, ran bool, err error)
	DigestTickets(ctx context.Context, now time.Time, add func(storage.Running)) error
	Enqueue(ctx context.Context, ns ...storage.Notification) (int, error)
	AnnounceEscalations(ctx context.Context, decide func(sla.Ticket, storage.Escalation) []storage.Notification) (int, error)
	Decided(ctx context.Context, ticket, kind string, slot int64) (bool, error)
	OutboxStart(ctx context.Context, now time.Time) (time.Time, error)
	Claim(ctx context.Context, owner string, now time.Time, lease time.Duration, c storage.Claimable) (storage.Delivery, bool, error)
	MarkSent(ctx context.Context, id int64, owner string, at time.Time, ref string) error
	MarkFailed(ctx context.Context, id int64, owner string, f storage.Failure) error
	OutboxDepth(ctx context.Context) ([]storage.Depth, error)
	NoticesDue(ctx context.Context, now time.Time) (int, error)
}

// outboxWatcher is a store shared by several processes that tells when any of them
// adds outbox rows (storage.DB on PostgreSQL: LISTEN/NOTIFY, issue 16): the workers
// are then woken at once, not at their next poll, whichever replica decided.
type outboxWatcher interface {
	WatchOutbox(ctx context.Context, wake func())
}

// Options configure a Notifier; Store is required. Zero values take the defaults named.
type Options struct {
	Store     Store
	Calendars *sla.Calendars // nil: without closure days
	Customers []Customer
	// SDM are the SDMs' channels (R7.1 P1 notices, escalations, the digest);
	// Announcements get the maintenance notices (R8).
	SDM, Announcements []Channel
	// ServiceDelivery gets the escalation mails and P1 notices by mail (R7, R7.3).
	ServiceDelivery []string
	Maintenance     commands.Maintenance
	Language        commands.Lang // commands.English
	UpdateLead      time.Duration // before an R5.3 update is due; 30m
	AtRisk          float64       // share of a target from which a clock is at risk; 0.75
	DigestAt        time.Duration // after midnight, Brussels: the digest and maintenance notices; 8h30
	// Reviews posts the monthly service reviews (review.go); nil: none.
	Reviews *MonthlyReviews

	// Platforms are the chat senders by platform name; a channel on a platform without
	// one is skipped (and logged once). Mailer nil: no mail.
	Platforms map[string]Platform
	Mailer    Mailer
	// Card renders a ticket's SLA card for the escalation mail and post; nil: a
	// minimal rendering of the clocks.
	Card func(t sla.Ticket, l commands.Lang, now time.Time) commands.Reply

	Clock    Clock         // nil: the wall clock
	Interval time.Duration // between scheduler passes in Run; 30s
	Poll     time.Duration // a worker's wait when nothing is due; 2s
	Workers  int           // delivery workers in Run; 2
	// Lease is how long a claimed row is a worker's (5m); SendTimeout bounds one try
	// (1m, at most half the lease), the look for an earlier try included, so that a
	// try ends well before another process may take its row. Give the senders HTTP
	// clients without a shorter timeout of their own (slack.NewSender's default): an
	// answer that comes late but within SendTimeout is a success, not a failure to
	// retry.
	Lease       time.Duration
	SendTimeout time.Duration
	MaxAttempts int           // failed tries before a row is parked; 8
	Backoff     time.Duration // the wait after the first failure, doubling, up to 1h; 30s
	Owner       string        // this process in the leases; "" = host:pid:random
	Logger      *slog.Logger  // nil: slog.Default()

	// Availability counts R6.1 months for the SDMs' error budget warnings; nil: none.
	Availability Availability
}

// Notifier decides and delivers notifications. It is safe for concurrent use.
type Notifier struct {
	o         Options
	log       *slog.Logger
	customers map[string]Customer
	sendable  []string // the platforms with a sender, and mail with a mailer
	metrics   *metrics
	wake      chan struct{}

	firstMu sync.Mutex
	first   time.Time // the outbox's first pass ever (OutboxStart)

	// resetMu, not firstMu: a reset of a large file takes seconds, which Announce
	// (through start) must not wait for.
	resetMu sync.Mutex
	reset   bool // the notices checked against this Notifier's settings (Tick)

	mu      sync.Mutex
	skipped map[string]bool // platforms without a sender, logged once
}

// New checks o and fills in the defaults.
func New(o Options) (*Notifier, error) {
	if o.Store == nil {
		return nil, errors.New("notify: no store")
	}
	if o.AtRisk < 0 || o.AtRisk >= 1 {
		return nil, fmt.Errorf("notify: at-risk share %v is not between 0 and 1", o.AtRisk)
	}
	for name, p := range o.Platforms {
		if p.Sender == nil || name == PlatformMail {
			return nil, fmt.Errorf("notify: platform %q needs a sender and another name than mail", name)
		}
	}
	if o.Calendars == nil {
		o.Calendars = sla.NewCalendars(nil)
	}
	if o.Language != commands.Dutch {
		o.Language = commands.English
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.UpdateLead, 30*time.Minute)
	def(&o.DigestAt, 8*time.Hour+30*time.Minute)
	def(&o.Interval, 30*time.Second)
	def(&o.Poll, 2*time.Second)
	def(&o.Lease, 5*time.Minute)
	def(&o.SendTimeout, time.Minute)
	def(&o.Backoff, 30*time.Second)
	o.SendTimeout = min(o.SendTimeout, o.Lease/2)
	if o.AtRisk == 0 {
		o.AtRisk = 0.75
	}
	if o.Workers <= 0 {
		o.Workers = 2
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 8
	}
	if o.Clock == nil {
		o.Clock = wallClock{}
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Owner == "" {
		o.Owner = owner()
	}
	n := &Notifier{o: o, log: o.Logger, customers: make(map[string]Customer), metrics: newMetrics(o.Store),
		wake: make(chan struct{}, o.Workers), skipped: make(map[string]bool)}
	for _, c := range o.Customers {
		n.customers[strings.ToLower(c.ID)] = c
	}
	for name := range o.Platforms {
		n.sendable = append(n.sendable, name)
	}
	if o.Mailer != nil {
		n.sendable = append(n.sendable, PlatformMail)
	}
	slices.Sort(n.sendable)
	return n, nil
}

// owner names this process in the leases: host, pid and a random part, so that a
// restarted process with the same pid is another owner.
func owner() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b))
}

// Run passes the scheduler every Interval, looks for escalations to announce every
// Poll (R7: a person is waiting for them), and runs Workers delivery workers until ctx
// ends; it then waits for the sends in flight (at most SendTimeout) and returns nil.
func (n *Notifier) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for range n.o.Workers {
		wg.Go(func() { n.work(ctx) })
	}
	if w, ok := n.o.Store.(outboxWatcher); ok {
		wg.Go(func() { w.WatchOutbox(ctx, n.poke) })
	}
	wg.Go(func() { n.announceEvery(ctx) })
	for {
		if err := n.Tick(ctx, n.o.Clock.Now()); err != nil && ctx.Err() == nil {
			n.log.Error("notify: scheduler pass failed", "err", err)
		}
		select {
		case <-ctx.Done():
			wg.Wait()
			return nil
		case <-n.o.Clock.After(n.o.Interval):
		}
	}
}

// work delivers until ctx ends, waiting Poll (or a wake-up) when nothing is due.
func (n *Notifier) work(ctx context.Context) {
	for ctx.Err() == nil {
		claimed, _, err := n.deliverOne(ctx, n.o.Clock.Now())
		if err != nil && ctx.Err() == nil {
			n.log.Error("notify: delivery failed", "err", err)
		}
		if claimed && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
		case <-n.wake:
		case <-n.o.Clock.After(n.o.Poll):
		}
	}
}

// announceEvery announces new escalation steps every Poll until ctx ends; with none
// pending a pass is one indexed read.
func (n *Notifier) announceEvery(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-n.o.Clock.After(n.o.Poll):
		}
		if _, err := n.Announce(ctx, n.o.Clock.Now()); err != nil && ctx.Err() == nil {
			n.log.Error("notify: escalations not announced", "err", err)
		}
	}
}

// Announce decides at now the announcements of the escalation steps stored and not yet
// announced (R7) and wakes the workers for them; Tick does it too. It returns how many
// notifications were new.
func (n *Notifier) Announce(ctx context.Context, now time.Time) (int, error) {
	start, err := n.start(ctx, now)
	if err != nil {
		return 0, fmt.Errorf("notify: %w", err)
	}
	added, err := n.announce(ctx, now, start)
	if err != nil {
		return 0, fmt.Errorf("notify: %w", err)
	}
	if added > 0 {
		n.poke()
	}
	return added, nil
}

// poke wakes the idle workers: something new is in the outbox.
func (n *Notifier) poke() {
	for range n.o.Workers {
		select {
		case n.wake <- struct{}{}:
		default:
			return
		}
	}
}

func (n *Notifier) customer(id string) Customer {
	if c, ok := n.customers[strings.ToLower(id)]; ok {
		return c
	}
	return Customer{ID: id, Name: id}
}
