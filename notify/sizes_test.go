package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack/slacktest"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/commands/commandstest"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/schemas"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify/slack"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify/teams"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// wire is a local Slack Web API and a local Bot Framework (token endpoint and
// connector) that keep what the real senders post, as they post it.
type wire struct {
	mu    sync.Mutex
	slack []url.Values      // chat.postMessage forms
	teams map[string][]byte // activity bodies by conversation, in order
	order []string          // "slack CHANNEL" / "teams CONVERSATION", in the order posted
}

func newWire(t *testing.T) (*wire, notify.Platform, notify.Platform) {
	w := &wire{teams: map[string][]byte{}}
	srv := slacktest.NewTestServer(func(c slacktest.Customize) {
		c.Handle("/chat.postMessage", func(rw http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			form, _ := url.ParseQuery(string(b))
			w.mu.Lock()
			w.slack = append(w.slack, form)
			w.order = append(w.order, "slack "+form.Get("channel"))
			n := len(w.slack)
			w.mu.Unlock()
			rw.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(rw, `{"ok":true,"channel":%q,"ts":"1783600000.%06d"}`, form.Get("channel"), n)
		})
	})
	srv.Start()
	t.Cleanup(srv.Stop)
	bf := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.URL.Path == "/token" {
			io.WriteString(rw, `{"token_type":"Bearer","expires_in":3600,"access_token":"connector-token"}`)
			return
		}
		conv, _ := url.PathUnescape(strings.TrimSuffix(strings.TrimPrefix(r.URL.EscapedPath(), "/v3/conversations/"), "/activities"))
		w.mu.Lock()
		key := conv + "#" + strconv.Itoa(len(w.order))
		w.teams[key] = b
		w.order = append(w.order, "teams "+key)
		w.mu.Unlock()
		io.WriteString(rw, `{"id":"1783600000123"}`)
	}))
	t.Cleanup(bf.Close)
	refs := &references{url: bf.URL}
	bot, err := teams.New(teams.Options{AppID: "app", AppPassword: "pw", Commands: noCommands{}, References: refs,
		TokenURL: bf.URL + "/token", HTTPClient: bf.Client(),
		Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	return w, notify.Platform{Sender: slack.NewSender("xoxb-test", srv.GetAPIURL(), nil), RetryAfter: slack.RetryAfter},
		notify.Platform{Sender: bot.Sender(), RetryAfter: teams.RetryAfter}
}

// references has the bot installed in every channel, the conversation named as it.
type references struct{ url string }

func (r *references) SaveReference(context.Context, teams.Reference) error { return nil }
func (r *references) Reference(_ context.Context, ch string) (teams.Reference, bool, error) {
	return teams.Reference{ChannelID: ch, ConversationID: ch, ServiceURL: r.url, TenantID: "t", BotID: "28:app"}, true, nil
}

type noCommands struct{}

func (noCommands) Handle(context.Context, commands.Caller, string) commands.Reply {
	return commands.Reply{}
}
func (noCommands) Run(context.Context, commands.Caller, commands.Command) commands.Reply {
	return commands.Reply{}
}

// check checks every message posted: Slack's blocks and text against Slack's limits,
// Teams' activities against 28 KB and the Adaptive Card 1.5 schema. It gives the
// messages' titles by destination, in the order posted.
func (w *wire) check(t *testing.T) []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	si := 0
	for _, o := range w.order {
		if strings.HasPrefix(o, "slack ") {
			f := w.slack[si]
			si++
			schemas.Blocks(t, []byte(f.Get("blocks")), schemas.MessageBlocks)
			schemas.FallbackOK(t, f.Get("text"))
			var bs []struct {
				Type string `json:"type"`
				Text struct {
					Text string `json:"text"`
				} `json:"text"`
			}
			json.Unmarshal([]byte(f.Get("blocks")), &bs)
			out = append(out, "slack "+f.Get("channel")+" "+bs[0].Text.Text)
			continue
		}
		key := strings.TrimPrefix(o, "teams ")
		b := w.teams[key]
		schemas.TeamsMessage(t, b)
		var a struct {
			Summary string `json:"summary"`
		}
		json.Unmarshal(b, &a)
		conv, _, _ := strings.Cut(key, "#")
		out = append(out, "teams "+conv+" "+a.Summary)
	}
	return out
}

// TestNoticesAtScale: with 200 customers of 20 open tickets each, every notice the bot
// sends, posted through the real Slack and Teams senders, keeps to each platform's
// limits and is a valid Adaptive Card 1.5 in Teams: the morning digest in parts; for
// agency-000's new P1s the P1 notice (R7.1), at-risk and breach warnings (R5.1, R5.2)
// and update reminders (R5.3); an escalation post (R7) and a progress update pasted
// whole.
func TestNoticesAtScale(t *testing.T) {
	ctx := context.Background()
	mon := func(h, m int) time.Time { return dt(2026, 7, 6, h, m) }
	crowd, db := storeCrowd(t, 200, 20, mon(8, 0))
	var ccs []commands.Customer
	var ncs []notify.Customer
	for _, cu := range crowd.Customers {
		ccs = append(ccs, commands.Customer{ID: cu.ID, Name: cu.Name, Tier: cu.Tier})
		ncs = append(ncs, notify.Customer{ID: cu.ID, Name: cu.Name})
	}
	ncs[0].Channels = []notify.Channel{{Platform: "slack", ID: "C-000"}, {Platform: "teams", ID: "19:000"}}
	h := commands.New(commands.Options{Customers: ccs, Calendars: calendars(), Now: func() time.Time { return mon(8, 0) }})
	w, sp, tp := newWire(t)
	c := &clock{}
	o := options(db, c, &recorder{clock: c})
	o.Customers, o.Card, o.Mailer = ncs, h.Card, nil
	o.Platforms = map[string]notify.Platform{"slack": sp, "teams": tp}
	n := newNotifier(t, o)

	// agency-000 (dedicated): a P1 answered on Friday, its update due Monday 11:00
	// (R5.3), and a P1 reported Monday 08:30 (R7.1), not answered.
	mustAppend(t, db, sla.Event{Ticket: "MAGDA-1", Type: sla.Created, At: dt(2026, 7, 3, 15, 0), Customer: "agency-000", Kind: sla.Incident, Priority: sla.P1},
		ev("MAGDA-1", sla.Responded, dt(2026, 7, 3, 15, 30)))
	step(t, n, c, mon(8, 29)) // the outbox's first pass: what was due is history
	mustAppend(t, db, sla.Event{Ticket: "MAGDA-2", Type: sla.Created, At: mon(8, 30), Customer: "agency-000", Kind: sla.Incident, Priority: sla.P1})
	long := strings.Repeat("Fix deployed on TNI; retest with the customer planned for tonight. ", 1000)
	// The instants MAGDA-1's and MAGDA-2's notices are due at (P1 dedicated: response
	// 1h, resolution 5h, at risk from 75 %; updates every 4h30, reminded 30 min before).
	for _, now := range []time.Time{mon(8, 30), mon(9, 0), mon(9, 15), mon(9, 30), mon(10, 30), mon(11, 0), mon(12, 15), mon(13, 30)} {
		step(t, n, c, now)
		c.set(now.Add(10 * time.Second)) // the digest's later parts
		if _, err := n.Deliver(ctx, now.Add(10*time.Second)); err != nil {
			t.Fatal(err)
		}
		switch now {
		case mon(9, 0):
			escalate(t, n, db, "MAGDA-2", 1, "carol", long[:len(long)/2], now)
		case mon(9, 15):
			n.Updated(ctx, ticketAfter(t, db, "MAGDA-1"), long, "Ann")
		}
	}
	got := w.check(t)

	var kinds []string
	for _, s := range got {
		for _, k := range []struct{ kind, re string }{
			{"digest", `C-SDM .*Morning digest Mon 6 Jul \(\d/5\): \d+ open tickets`},
			{"P1 reported", `C-SDM :large_orange_circle: P1 reported: MAGDA-2 `},
			{"response at risk", `C-000 .*MAGDA-2: response at risk`},
			{"response breached", `C-000 .*MAGDA-2: response target breached`},
			{"resolution at risk", `C-000 .*MAGDA-2: resolution at risk`},
			{"update due", `C-000 .*MAGDA-1: progress update due`},
			{"update overdue", `C-000 .*MAGDA-1: progress update overdue`},
			{"escalation", `C-SDM .*MAGDA-2 escalated to`},
			{"progress update", `C-000 Progress update on MAGDA-1`},
		} {
			if regexp.MustCompile(`^slack ` + k.re).MatchString(s) {
				kinds = append(kinds, k.kind)
			}
		}
	}
	want := []string{"digest", "P1 reported", "response at risk", "resolution at risk", "response breached", "progress update",
		"escalation", "update due", "update overdue"}
	for _, k := range want {
		if !slices.Contains(kinds, k) {
			t.Errorf("no %s notice; got:\n%s", k, strings.Join(got, "\n"))
		}
	}
	for _, platform := range []string{"slack", "teams"} {
		var parts []string
		for _, s := range got {
			if strings.HasPrefix(s, platform) && strings.Contains(s, "Morning digest") {
				parts = append(parts, s[strings.Index(s, "("):strings.Index(s, ")")+1])
			}
		}
		if diff := slices.Compare(parts, []string{"(1/5)", "(2/5)", "(3/5)", "(4/5)", "(5/5)"}); diff != 0 {
			t.Errorf("%s digest parts %v, want five in order", platform, parts)
		}
	}
	// Each customer is in the digest, listed or counted in the last part, and no part
	// had to be shortened to fit.
	listed, counted := 0, 0
	for _, f := range w.slack {
		b := f.Get("blocks")
		if f.Get("channel") != "C-SDM" || !strings.Contains(b, "Morning digest") {
			continue
		}
		if strings.Contains(b, "for one message") {
			t.Errorf("a digest part was shortened to fit: %.300s", b)
		}
		listed += len(regexp.MustCompile(`afdeling \d{3}: \d+ breached, \d+ at risk`).FindAllString(b, -1))
		if m := regexp.MustCompile(`(\d+) more customers with \d+ tickets`).FindStringSubmatch(b); m != nil {
			k, _ := strconv.Atoi(m[1])
			counted += k
		}
	}
	if listed+counted != len(crowd.Customers) || listed < 50 {
		t.Errorf("%d customers listed and %d counted, want all %d and at least 50 listed", listed, counted, len(crowd.Customers))
	}
	for key, b := range w.teams {
		if strings.HasPrefix(key, "19:sdm") && strings.Contains(string(b), "for one message") {
			t.Errorf("a Teams digest part was shortened to fit: %.300s", b)
		}
	}
}

// TestDigestSplit: the digest of issue 10.7, 40 customers with 20 tickets at risk or
// breached each, is split between customers into messages of at most 15 customers,
// each customer once with its five worst tickets and the command for the rest, the
// customers with the most breaches first.
func TestDigestSplit(t *testing.T) {
	mon := func(h, m int) time.Time { return dt(2026, 7, 6, h, m) }
	crowd, db := storeCrowd(t, 40, 20, mon(8, 0))
	c := &clock{}
	rec := &recorder{clock: c}
	o := options(db, c, rec)
	o.Customers = nil
	for _, cu := range crowd.Customers {
		o.Customers = append(o.Customers, notify.Customer{ID: cu.ID, Name: cu.Name})
	}
	o.SDM = []notify.Channel{{Platform: "slack", ID: "C-SDM"}}
	n := newNotifier(t, o)
	step(t, n, c, mon(8, 29))
	for _, at := range []time.Time{mon(8, 30), mon(8, 31)} {
		step(t, n, c, at)
	}
	var (
		titles   []string
		seen     = map[string]bool{}
		breaches []int
	)
	for _, s := range rec.all() {
		r := s.Reply
		titles = append(titles, r.Title)
		if len(r.Items) > 15 {
			t.Errorf("%s: %d customers", r.Title, len(r.Items))
		}
		for _, it := range r.Items {
			name, counts, _ := strings.Cut(it.Title, ": ")
			if seen[name] {
				t.Errorf("%s twice", name)
			}
			seen[name] = true
			var b, a int
			fmt.Sscanf(counts, "%d breached, %d at risk", &b, &a)
			breaches = append(breaches, b)
			if len(it.Lines) != 6 || !regexp.MustCompile("^… and \\d+ more: `sla agency-\\d{3}`$").MatchString(it.Lines[5]) {
				t.Errorf("%s: lines %q, want five tickets and the rest counted", name, it.Lines)
			}
		}
		checkFits(t, r)
	}
	if len(seen) != 40 || !slices.IsSortedFunc(breaches, func(a, b int) int { return b - a }) {
		t.Errorf("%d customers, breaches in the order %v; want all 40, most breaches first", len(seen), breaches)
	}
	for i, title := range titles {
		if want := fmt.Sprintf("Morning digest Mon 6 Jul (%d/%d): ", i+1, len(titles)); !strings.HasPrefix(title, want) || len(titles) < 3 {
			t.Errorf("part %d: %q, want %q… of at least 3 parts", i, title, want)
		}
	}
}

// checkFits renders r as each platform gets it and checks it there.
func checkFits(t *testing.T, r commands.Reply) {
	t.Helper()
	b, err := json.Marshal(slack.Blocks(r))
	if err != nil {
		t.Fatal(err)
	}
	schemas.Blocks(t, b, schemas.MessageBlocks)
	if b, err = json.Marshal(teams.Card(r)); err != nil {
		t.Fatal(err)
	}
	schemas.Card(t, b)
	if schemas.Size(b) > schemas.TeamsPayload {
		t.Errorf("a card of %d bytes", schemas.Size(b))
	}
}

// storeCrowd stores a commandstest.Crowd in a new SQLite file.
func storeCrowd(t *testing.T, customers, perCustomer int, now time.Time) (commandstest.Crowd, *storage.DB) {
	t.Helper()
	crowd := commandstest.NewCrowd(customers, perCustomer, now)
	db, err := storage.Open(filepath.Join(t.TempDir(), "magda.db"), storage.Options{Derive: func(evs []sla.Event) sla.Ticket {
		return sla.Replay(evs, crowd.TierOf, calendars())
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	mustAppend(t, db, crowd.Events...)
	return crowd, db
}
