package slack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack/slacktest"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/commands/commandstest"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

var cals = sla.NewCalendars(nil)

var testCustomers = []commands.Customer{
	{ID: "agency-x", Name: "Agentschap X", Tier: sla.Dedicated},
	{ID: "agency-y", Name: "Agentschap Y", Tier: sla.Standard},
}

func tierOf(id string) (sla.Tier, bool) {
	for _, c := range testCustomers {
		if c.ID == id {
			return c.Tier, true
		}
	}
	return sla.Standard, false
}

// newStore is an event log holding events, replayed with the tests' calendars and tiers.
func newStore(events ...sla.Event) *commandstest.Store {
	return commandstest.NewStore(cals, tierOf, events...)
}

func dt(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, sla.Brussels)
}

// now is Friday 10 July 2026 16:30 Brussels time.
var now = dt(2026, time.July, 10, 16, 30)

func created(key, customer string, at time.Time, p sla.Priority) sla.Event {
	return sla.Event{ID: key + "-c", Ticket: key, Type: sla.Created, At: at, Customer: customer,
		Kind: sla.Incident, Priority: p, Env: sla.Prod, Source: sla.Portal}
}

// fixture: MAGDA-1 agency-x P2 at risk; MAGDA-2 agency-x P1 response breached;
// MAGDA-3 agency-y P4 on track.
func fixture() []sla.Event {
	return []sla.Event{
		created("MAGDA-1", "agency-x", dt(2026, time.July, 9, 10, 0), sla.P2),
		{ID: "MAGDA-1-r", Ticket: "MAGDA-1", Type: sla.Responded, At: dt(2026, time.July, 9, 11, 0)},
		created("MAGDA-2", "agency-x", dt(2026, time.July, 10, 14, 0), sla.P1),
		created("MAGDA-3", "agency-y", dt(2026, time.July, 9, 10, 0), sla.P4),
	}
}

const (
	secret   = "test-signing-secret"
	agent    = "U-AGENT"
	sdmGroup = "S-SDM"
	chanTeam = "C-TEAM"
	chanX    = "C-AGENCY-X"
	outsider = "U-OUTSIDER"
)

var testAccess = commands.Access{
	Agents:          []string{agent},
	SDMs:            []string{sdmGroup},
	ChannelCustomer: map[string]string{chanX: "agency-x"},
}

func newHandler(store commands.Store, lang commands.Lang) *commands.Handler {
	return commands.New(commands.Options{Store: store, Customers: testCustomers, Access: testAccess,
		Calendars: cals, Now: func() time.Time { return now }, Language: lang})
}

// call is one Web API call the fake Slack saw.
type call struct {
	Method string
	Form   url.Values     // form-encoded calls (chat.*, usergroups.*)
	JSON   map[string]any // JSON calls (views.*)
	Auth   string         // the Authorization header
}

// token is the token the call was made with: slack-go sends it as a form field or in
// the Authorization header.
func (c call) token() string {
	if t := c.Form.Get("token"); t != "" {
		return t
	}
	return strings.TrimPrefix(c.Auth, "Bearer ")
}

// fakeSlack is slacktest's server with the methods the app calls recorded, and a
// response_url endpoint.
type fakeSlack struct {
	srv      *slacktest.Server
	hooks    *httptest.Server
	mu       sync.Mutex
	calls    []call
	posts    []map[string]any // response_url posts
	groups   map[string][]string
	users    map[string]string // users.info: id → real name; others are user_not_found
	failOpen string            // views.open answers this error when set
	failHook bool              // the response_url answers 404 ("expired_url") when set
}

func newFakeSlack(t testing.TB) *fakeSlack {
	f := &fakeSlack{groups: map[string][]string{}, users: map[string]string{}}
	record := func(method string, answer func(call) string) func(slacktest.Customize) {
		return func(c slacktest.Customize) {
			c.Handle("/"+method, func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				cl := call{Method: method, Auth: r.Header.Get("Authorization")}
				if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
					json.Unmarshal(b, &cl.JSON)
				} else {
					cl.Form, _ = url.ParseQuery(string(b))
				}
				f.mu.Lock()
				f.calls = append(f.calls, cl)
				f.mu.Unlock()
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, answer(cl))
			})
		}
	}
	ok := func(call) string { return `{"ok":true}` }
	f.srv = slacktest.NewTestServer(
		record("views.open", func(call) string {
			f.mu.Lock()
			defer f.mu.Unlock()
			if f.failOpen != "" {
				return `{"ok":false,"error":"` + f.failOpen + `"}`
			}
			return `{"ok":true,"view":{"id":"V-OPENED"}}`
		}),
		record("views.publish", ok),
		record("chat.postMessage", func(c call) string {
			return `{"ok":true,"channel":"` + c.Form.Get("channel") + `","ts":"1783600000.000100"}`
		}),
		record("chat.postEphemeral", func(call) string { return `{"ok":true,"message_ts":"1783600000.000200"}` }),
		record("apps.connections.open", func(call) string {
			return `{"ok":true,"url":"ws://` + f.srv.ServerAddr + `/ws"}`
		}),
		record("users.info", func(c call) string {
			f.mu.Lock()
			defer f.mu.Unlock()
			name, known := f.users[c.Form.Get("user")]
			if !known {
				return `{"ok":false,"error":"user_not_found"}`
			}
			b, _ := json.Marshal(name)
			return `{"ok":true,"user":{"id":"` + c.Form.Get("user") + `","name":"handle","real_name":` + string(b) + `}}`
		}),
		record("usergroups.users.list", func(c call) string {
			f.mu.Lock()
			defer f.mu.Unlock()
			users, known := f.groups[c.Form.Get("usergroup")]
			if !known {
				return `{"ok":false,"error":"no_such_subteam"}`
			}
			b, _ := json.Marshal(users)
			return `{"ok":true,"users":` + string(b) + `}`
		}),
	)
	f.srv.Start()
	f.hooks = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]any
		json.NewDecoder(r.Body).Decode(&m)
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.failHook {
			http.Error(w, "expired_url", http.StatusNotFound)
			return
		}
		f.posts = append(f.posts, m)
	}))
	t.Cleanup(func() { f.hooks.Close(); f.srv.Stop() })
	return f
}

func (f *fakeSlack) apiURL() string { return f.srv.GetAPIURL() }

func (f *fakeSlack) responseURL() string { return f.hooks.URL + "/commands/T1/1/abc" }

// callsTo gives the recorded calls of one method.
func (f *fakeSlack) callsTo(method string) []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []call
	for _, c := range f.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

func (f *fakeSlack) allCalls() []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]call(nil), f.calls...)
}

func (f *fakeSlack) responses() []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]any(nil), f.posts...)
}

// testApp is an App over a fake store and a fake Slack.
type testApp struct {
	*App
	store   *commandstest.Store
	slack   *fakeSlack
	results *results
}

type results struct {
	mu  sync.Mutex
	got []string
}

func (r *results) add(s string) { r.mu.Lock(); r.got = append(r.got, s); r.mu.Unlock() }

func (r *results) list() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.got...)
}

func newTestApp(t testing.TB, mod ...func(*Options)) *testApp {
	t.Helper()
	store := newStore(fixture()...)
	fs := newFakeSlack(t)
	res := &results{}
	o := Options{SigningSecret: secret, BotToken: "xoxb-test", APIURL: fs.apiURL(), Handler: newHandler(store, ""),
		OnEvent: res.add, Now: time.Now, Logger: slog.New(slog.DiscardHandler)}
	for _, m := range mod {
		m(&o)
	}
	a, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Wait)
	return &testApp{App: a, store: store, slack: fs, results: res}
}

// sign signs body as Slack does, independently of verify: v0=hex(HMAC-SHA256(secret,
// "v0:ts:body")).
func sign(key string, ts time.Time, body string) http.Header {
	sec := strconv.FormatInt(ts.Unix(), 10)
	m := hmac.New(sha256.New, []byte(key))
	io.WriteString(m, "v0:"+sec+":"+body)
	h := http.Header{}
	h.Set("X-Slack-Request-Timestamp", sec)
	h.Set("X-Slack-Signature", "v0="+hex.EncodeToString(m.Sum(nil)))
	return h
}

// post sends a signed request to the app and gives the response.
func (ta *testApp) post(t testing.TB, path, contentType, body string) *httptest.ResponseRecorder {
	t.Helper()
	return ta.postWith(path, contentType, body, sign(secret, time.Now(), body))
}

func (ta *testApp) postWith(path, contentType, body string, h http.Header) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	for k, v := range h {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", contentType)
	w := httptest.NewRecorder()
	ta.ServeHTTP(w, req)
	return w
}

const formType = "application/x-www-form-urlencoded"

// slashBody is a slash command's form, as Slack sends it.
func slashBody(user, channel, text, responseURL string) string {
	return url.Values{
		"token": {"legacy"}, "team_id": {"T1"}, "team_domain": {"digitaal-vlaanderen"},
		"channel_id": {channel}, "channel_name": {"team"}, "user_id": {user}, "user_name": {"ann.agent"},
		"command": {"/magda"}, "text": {text}, "response_url": {responseURL},
		"trigger_id": {"1111.2222.trigger-" + text}, "api_app_id": {"A1"},
	}.Encode()
}

// interactionBody wraps an interaction payload in the form Slack posts.
func interactionBody(payload any) string {
	b, _ := json.Marshal(payload)
	return url.Values{"payload": {string(b)}}.Encode()
}
