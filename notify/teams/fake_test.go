package teams

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/commands/commandstest"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

const (
	appID      = "0b6fe6d1-fece-44f7-9a48-56465e2d5ab8"
	appSecret  = "s3cret-password"
	botAccount = "28:" + appID
	teamChan   = "19:6848757105754c8981c67612732d9aa7@thread.tacv2"  // a team channel of nobody
	custChan   = "19:agencyx00000000000000000000000000@thread.tacv2" // agency-x's channel
	staffAAD   = "b15a9416-0ad3-4172-9210-7beb711d3f70"
	tenantID   = "50612dbb-0237-4969-b378-8d42590f9c00"
)

func dt(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, sla.Brussels)
}

// start is Friday 10 July 2026 16:30, the contract's example instant.
var start = dt(2026, time.July, 10, 16, 30)

// clock is the tests' time: Sleep records the wait and steps Now by it.
type clock struct {
	mu     sync.Mutex
	t      time.Time
	slept  []time.Duration
	failAt int // Sleep fails with context.Canceled on this call (1-based); 0 = never
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Sleep(_ context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept = append(c.slept, d)
	if c.failAt == len(c.slept) {
		return context.Canceled
	}
	c.t = c.t.Add(d)
	return nil
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (c *clock) sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.slept...)
}

// refs is an in-memory References.
type refs struct {
	mu    sync.Mutex
	byID  map[string]Reference
	saves int
	err   error // when set, SaveReference fails with it and saves nothing
}

func newRefs() *refs { return &refs{byID: make(map[string]Reference)} }

func (r *refs) SaveReference(_ context.Context, ref Reference) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.err
	}
	r.saves++
	r.byID[ref.ChannelID] = ref
	return nil
}

func (r *refs) Reference(_ context.Context, channelID string) (Reference, bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ref, ok := r.byID[channelID]
	return ref, ok, nil
}

func (r *refs) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.saves
}

var customers = []commands.Customer{
	{ID: "agency-x", Name: "Agentschap X", Tier: sla.Dedicated},
	{ID: "agency-y", Name: "Agentschap Y", Tier: sla.Standard},
}

func tierOf(id string) (sla.Tier, bool) {
	for _, c := range customers {
		if c.ID == id {
			return c.Tier, true
		}
	}
	return sla.Standard, false
}

var cals = sla.NewCalendars(nil)

func created(key string, at time.Time, p sla.Priority) sla.Event {
	return sla.Event{ID: key + "-c", Ticket: key, Type: sla.Created, At: at, Customer: "agency-x", Kind: sla.Incident,
		Priority: p, Env: sla.Prod, Source: sla.Portal}
}

// newStore has MAGDA-1 (P2, responded, resolution at risk) and MAGDA-2 (P1, response
// breached, escalated once), both agency-x's.
func newStore() *commandstest.Store {
	return commandstest.NewStore(cals, tierOf,
		created("MAGDA-1", dt(2026, time.July, 9, 10, 0), sla.P2),
		sla.Event{ID: "MAGDA-1-r", Ticket: "MAGDA-1", Type: sla.Responded, At: dt(2026, time.July, 9, 11, 0)},
		created("MAGDA-2", dt(2026, time.July, 10, 14, 0), sla.P1),
		sla.Event{ID: "MAGDA-2-e", Ticket: "MAGDA-2", Type: sla.Escalated, At: dt(2026, time.July, 10, 15, 30), By: "Sofie"},
	)
}

// recorder is a Commander that remembers the callers and passes on to a real handler.
type recorder struct {
	h       *commands.Handler
	mu      sync.Mutex
	callers []commands.Caller
	cmds    []commands.Command
}

func (r *recorder) Handle(ctx context.Context, c commands.Caller, text string) commands.Reply {
	r.mu.Lock()
	r.callers = append(r.callers, c)
	r.mu.Unlock()
	return r.h.Handle(ctx, c, text)
}

func (r *recorder) Run(ctx context.Context, c commands.Caller, cmd commands.Command) commands.Reply {
	r.mu.Lock()
	r.callers, r.cmds = append(r.callers, c), append(r.cmds, cmd)
	r.mu.Unlock()
	return r.h.Run(ctx, c, cmd)
}

func (r *recorder) last() (commands.Caller, []commands.Command) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.callers) == 0 {
		return commands.Caller{}, nil
	}
	return r.callers[len(r.callers)-1], append([]commands.Command(nil), r.cmds...)
}

// commandsHandler is the real commands handler over st at the clock's time.
func commandsHandler(st *commandstest.Store, c *clock) *commands.Handler {
	return commands.New(commands.Options{Store: st, Customers: customers, Calendars: cals, Now: c.Now,
		Access: commands.Access{Agents: []string{staffAAD}, ChannelCustomer: map[string]string{custChan: "agency-x"}}})
}

// env is one test's bot with its local Bot Framework.
type env struct {
	bot   *Bot
	bf    *bf
	clock *clock
	store *commandstest.Store
	refs  *refs
	rec   *recorder

	mu      sync.Mutex
	results []string // what OnResult was told, in order
}

// counted gives the results counted so far.
func (e *env) counted() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.results...)
}

func newEnv(t *testing.T) *env {
	t.Helper()
	c := &clock{t: start}
	e := &env{bf: newBF(t, c), clock: c, store: newStore(), refs: newRefs()}
	e.rec = &recorder{h: commandsHandler(e.store, c)}
	bot, err := New(Options{AppID: appID, AppPassword: appSecret, Commands: e.rec, References: e.refs,
		OpenIDMetadataURL: e.bf.srv.URL + "/openid", TokenURL: e.bf.srv.URL + "/token",
		HTTPClient: e.bf.srv.Client(), Now: c.Now, Sleep: c.Sleep,
		OnResult: func(r string) { e.mu.Lock(); e.results = append(e.results, r); e.mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	bot.conn.jitter = func(d time.Duration) time.Duration { return d }
	e.bot = bot
	return e
}

// serve posts an activity to the bot with the given Authorization header.
func (e *env) serve(authz string, act any) *httptest.ResponseRecorder {
	body, _ := json.Marshal(act)
	req := httptest.NewRequest(http.MethodPost, "/api/messages", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	w := httptest.NewRecorder()
	e.bot.ServeHTTP(w, req)
	return w
}

// channelMessage is a team channel message that @mentions the bot, after Teams' shape.
func (e *env) channelMessage(id, channel, text string) map[string]any {
	return map[string]any{
		"type": "message", "id": id, "channelId": "msteams", "serviceUrl": e.bf.serviceURL(),
		"text": "<at>MAGDA SLA</at> " + text, "textFormat": "plain",
		"from":      map[string]any{"id": "29:staff", "name": "Ann Agent", "aadObjectId": staffAAD},
		"recipient": map[string]any{"id": botAccount, "name": "MAGDA SLA"},
		"conversation": map[string]any{"id": channel + ";messageid=1759881511856", "isGroup": true,
			"conversationType": "channel", "tenantId": tenantID},
		"channelData": map[string]any{"channel": map[string]any{"id": channel}, "team": map[string]any{"id": "19:team@thread.tacv2"},
			"tenant": map[string]any{"id": tenantID}},
		"entities": []any{
			map[string]any{"type": "mention", "text": "<at>MAGDA SLA</at>", "mentioned": map[string]any{"id": botAccount, "name": "MAGDA SLA"}},
			map[string]any{"type": "clientInfo", "locale": "en-US"},
		},
		"timestamp": "2026-07-10T14:30:01.4953744Z",
	}
}

// personalMessage is a message in the personal chat with the bot.
func (e *env) personalMessage(id, text string) map[string]any {
	return map[string]any{
		"type": "message", "id": id, "channelId": "msteams", "serviceUrl": e.bf.serviceURL(), "text": text,
		"from":         map[string]any{"id": "29:staff", "name": "Ann Agent", "aadObjectId": staffAAD},
		"recipient":    map[string]any{"id": botAccount, "name": "MAGDA SLA"},
		"conversation": map[string]any{"id": "a:personal-chat", "conversationType": "personal", "tenantId": tenantID},
		"channelData":  map[string]any{"tenant": map[string]any{"id": tenantID}},
	}
}
