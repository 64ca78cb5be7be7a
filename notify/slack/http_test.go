package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// TestVerifySlackExample checks verify against the worked example of Slack's "Verifying
// requests from Slack" page (its published test vector).
func TestVerifySlackExample(t *testing.T) {
	const (
		key  = "8f742231b10e8888abcd99yyyzzz85a5"
		ts   = "1531420618"
		sig  = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
		body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	)
	at := time.Unix(1531420618, 0)
	h := func(sig, ts string) http.Header {
		h := http.Header{}
		if sig != "" {
			h.Set("X-Slack-Signature", sig)
		}
		if ts != "" {
			h.Set("X-Slack-Request-Timestamp", ts)
		}
		return h
	}
	tests := []struct {
		name string
		h    http.Header
		body string
		key  string
		now  time.Time
		want error
	}{
		{"the example", h(sig, ts), body, key, at.Add(10 * time.Second), nil},
		{"4m59s later", h(sig, ts), body, key, at.Add(4*time.Minute + 59*time.Second), nil},
		{"6 minutes later: a replay", h(sig, ts), body, key, at.Add(6 * time.Minute), errStale},
		{"6 minutes early", h(sig, ts), body, key, at.Add(-6 * time.Minute), errStale},
		{"body changed", h(sig, ts), body + "x", key, at, errSignature},
		{"other secret", h(sig, ts), body, key + "x", at, errSignature},
		{"timestamp changed", h(sig, "1531420619"), body, key, at, errSignature},
		{"no v0= prefix", h(strings.TrimPrefix(sig, "v0="), ts), body, key, at, errSignature},
		{"not hex", h("v0=zz", ts), body, key, at, errSignature},
		{"no signature", h("", ts), body, key, at, errMissingHeaders},
		{"no timestamp", h(sig, ""), body, key, at, errMissingHeaders},
		{"timestamp not a number", h(sig, "yesterday"), body, key, at, errTimestamp},
		{"no secret configured", h(sig, ts), body, "", at, errNoSecret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := verify(tt.h, []byte(tt.body), tt.key, tt.now); err != tt.want {
				t.Errorf("verify = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestRefused: a request that is not Slack's gets 401 on every endpoint, and nothing is
// recorded, called or posted. The first case, signed properly, shows the request would
// otherwise have escalated.
func TestRefused(t *testing.T) {
	body := slashBody(agent, chanTeam, "escalate MAGDA-1 chain down", "")
	tests := []struct {
		name    string
		headers func() http.Header
		status  int
		appends int
	}{
		{"valid", func() http.Header { return sign(secret, time.Now(), body) }, http.StatusOK, 1},
		{"wrong secret", func() http.Header { return sign("other", time.Now(), body) }, http.StatusUnauthorized, 0},
		{"signature of another body", func() http.Header { return sign(secret, time.Now(), body+"&x=1") }, http.StatusUnauthorized, 0},
		{"no headers", func() http.Header { return http.Header{} }, http.StatusUnauthorized, 0},
		{"no signature", func() http.Header {
			h := sign(secret, time.Now(), body)
			h.Del("X-Slack-Signature")
			return h
		}, http.StatusUnauthorized, 0},
		{"no timestamp", func() http.Header {
			h := sign(secret, time.Now(), body)
			h.Del("X-Slack-Request-Timestamp")
			return h
		}, http.StatusUnauthorized, 0},
		{"timestamp 6 minutes old", func() http.Header { return sign(secret, time.Now().Add(-6*time.Minute), body) }, http.StatusUnauthorized, 0},
	}
	for _, path := range []string{PathCommands, PathInteractivity, PathEvents} {
		for _, tt := range tests {
			if tt.status == http.StatusOK && path != PathCommands {
				continue
			}
			t.Run(path+"/"+tt.name, func(t *testing.T) {
				ta := newTestApp(t)
				w := ta.postWith(path, formType, body, tt.headers())
				ta.Wait()
				if w.Code != tt.status {
					t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
				}
				if got := len(ta.store.Appends()); got != tt.appends {
					t.Errorf("Append called %d times, want %d", got, tt.appends)
				}
				if tt.status != http.StatusOK {
					if calls := ta.slack.allCalls(); len(calls) > 0 {
						t.Errorf("Web API called: %+v", calls)
					}
					if got := ta.results.list(); !cmp.Equal(got, []string{"unauthorized"}) {
						t.Errorf("results %v", got)
					}
				}
			})
		}
	}
}

func TestBodyLimitAndMethod(t *testing.T) {
	ta := newTestApp(t)
	big := slashBody(agent, chanTeam, "escalate MAGDA-1 "+strings.Repeat("x", 1<<20), "")
	if w := ta.post(t, PathCommands, formType, big); w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("1 MiB body: status %d, want 413", w.Code)
	}
	head := `{"type":"url_verification","challenge":"c","pad":"`
	edge := head + strings.Repeat("x", 1<<20-len(head)-2) + `"}`
	if len(edge) != 1<<20 {
		t.Fatalf("edge body is %d bytes", len(edge))
	}
	if w := ta.post(t, PathEvents, "application/json", edge); w.Code != http.StatusOK {
		t.Errorf("body of exactly 1 MiB: status %d, want 200", w.Code)
	}
	req, _ := http.NewRequest(http.MethodGet, PathCommands, nil)
	if w := ta.postWith(PathCommands, formType, "", nil); w.Code != http.StatusUnauthorized {
		t.Errorf("unsigned empty POST: %d", w.Code)
	}
	w := httptest.NewRecorder()
	ta.ServeHTTP(w, req)
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET: status %d, want 405", w.Code)
	}
	if w := ta.post(t, "/slack/other", formType, ""); w.Code != http.StatusNotFound {
		t.Errorf("unknown path: status %d, want 404", w.Code)
	}
	if got := len(ta.store.Appends()); got != 0 {
		t.Errorf("Append called %d times", got)
	}
}

func TestURLVerification(t *testing.T) {
	ta := newTestApp(t)
	w := ta.post(t, PathEvents, "application/json", `{"token":"x","challenge":"3eZbrw1aBm2rZgRN","type":"url_verification"}`)
	var got map[string]string
	json.Unmarshal(w.Body.Bytes(), &got)
	if w.Code != http.StatusOK || got["challenge"] != "3eZbrw1aBm2rZgRN" {
		t.Errorf("status %d body %s", w.Code, w.Body)
	}
	if w := ta.post(t, PathEvents, "application/json", `{not json`); w.Code != http.StatusBadRequest {
		t.Errorf("malformed event: status %d, want 400", w.Code)
	}
}

// TestSlashAnswered: a fast command is answered in the acknowledgement itself.
func TestSlashAnswered(t *testing.T) {
	tests := []struct {
		name, user, channel, text string
		responseType              string
		header                    string // the first block's text
	}{
		{"card for the channel", agent, chanTeam, "sla MAGDA-1", "in_channel", ":red_circle: MAGDA-1 · P2 incident · Agentschap X"},
		{"help is private", agent, chanTeam, "help", "ephemeral", "/magda commands"},
		{"empty text is the help", outsider, chanTeam, "", "ephemeral", "/magda commands"},
		{"scoped to the customer's channel", outsider, chanX, "sla MAGDA-3", "ephemeral", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ta := newTestApp(t)
			w := ta.post(t, PathCommands, formType, slashBody(tt.user, tt.channel, tt.text, ta.slack.responseURL()))
			ta.Wait()
			var m struct {
				ResponseType string `json:"response_type"`
				Text         string
				Blocks       []struct {
					Type string
					Text struct{ Text string }
				}
			}
			if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil || w.Code != http.StatusOK {
				t.Fatalf("status %d body %s: %v", w.Code, w.Body, err)
			}
			if m.ResponseType != tt.responseType || len(m.Blocks) == 0 || m.Text == "" {
				t.Fatalf("answer %+v", m)
			}
			if tt.header != "" && m.Blocks[0].Text.Text != tt.header {
				t.Errorf("first block %q, want %q", m.Blocks[0].Text.Text, tt.header)
			}
			if tt.header == "" && !strings.Contains(m.Text, "I don't know ticket MAGDA-3") {
				t.Errorf("another customer's ticket shows: %q", m.Text)
			}
			if len(ta.slack.responses()) != 0 {
				t.Errorf("answered twice: %v", ta.slack.responses())
			}
		})
	}
}

// gated is a Runner that waits for release before answering: a slow store.
type gated struct {
	Runner
	release chan struct{}
}

func (g gated) Handle(ctx context.Context, c commands.Caller, text string) commands.Reply {
	<-g.release
	return g.Runner.Handle(ctx, c, text)
}

// TestSlashDeferred: a command slower than AckWithin is acknowledged with "working on
// it", and its answer follows through response_url.
func TestSlashDeferred(t *testing.T) {
	for _, tt := range []struct{ text, ack, header string }{
		{"sla MAGDA-1", "Working on it…", ":red_circle: MAGDA-1 · P2 incident · Agentschap X"},
		{"wanneer is MAGDA-1 due", "Even geduld…", ":red_circle: MAGDA-1 · P2 incident · Agentschap X"},
	} {
		t.Run(tt.text, func(t *testing.T) {
			release := make(chan struct{})
			ta := newTestApp(t, func(o *Options) {
				o.Handler = gated{o.Handler, release}
				o.AckWithin = 20 * time.Millisecond
			})
			w := ta.post(t, PathCommands, formType, slashBody(agent, chanTeam, tt.text, ta.slack.responseURL()))
			var ack message
			json.Unmarshal(w.Body.Bytes(), &ack)
			if w.Code != http.StatusOK || ack.ResponseType != "ephemeral" || ack.Text != tt.ack {
				t.Fatalf("ack %d %s", w.Code, w.Body)
			}
			close(release)
			ta.Wait()
			posts := ta.slack.responses()
			if len(posts) != 1 {
				t.Fatalf("%d response_url posts, want 1", len(posts))
			}
			p := posts[0]
			blocks := p["blocks"].([]any)
			if p["response_type"] != "in_channel" || p["replace_original"] != false ||
				blocks[0].(map[string]any)["text"].(map[string]any)["text"] != tt.header {
				t.Errorf("response_url got %v", p)
			}
			if got := ta.results.list(); !cmp.Equal(got, []string{"deferred"}) {
				t.Errorf("results %v", got)
			}
		})
	}
}

// TestSlashPrioOpensModal: `prio` opens the R4.3 wizard with views.open and the trigger
// id; when the modal cannot open, the acknowledgement shows the form as text instead.
func TestSlashPrioOpensModal(t *testing.T) {
	ta := newTestApp(t)
	w := ta.post(t, PathCommands, formType, slashBody(agent, chanTeam, "prio", ta.slack.responseURL()))
	if w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Fatalf("ack %d %q, want an empty 200", w.Code, w.Body)
	}
	opens := ta.slack.callsTo("views.open")
	if len(opens) != 1 {
		t.Fatalf("%d views.open calls", len(opens))
	}
	view := opens[0].JSON["view"].(map[string]any)
	meta := parseMeta(view["private_metadata"].(string))
	if opens[0].token() != "xoxb-test" || opens[0].JSON["trigger_id"] != "1111.2222.trigger-prio" || view["callback_id"] != commands.FormPriority ||
		meta.Channel != chanTeam || meta.Lang != commands.English {
		t.Errorf("views.open %v", opens[0].JSON)
	}

	ta.slack.failOpen = "expired_trigger_id"
	w = ta.post(t, PathCommands, formType, slashBody(agent, chanTeam, "prio", ta.slack.responseURL()))
	var m message
	json.Unmarshal(w.Body.Bytes(), &m)
	if m.ResponseType != "ephemeral" || !strings.Contains(m.Text, "prio scope=P2 users=P3") {
		t.Errorf("fallback ack %s", w.Body)
	}
}

// TestUnknownCommand: a slash command that is not /magda gets a one-line answer.
func TestUnknownCommand(t *testing.T) {
	ta := newTestApp(t)
	body := strings.Replace(slashBody(agent, chanTeam, "sla MAGDA-1", ""), "%2Fmagda", "%2Fother", 1)
	w := ta.post(t, PathCommands, formType, body)
	if !strings.Contains(w.Body.String(), "Unknown command /other") {
		t.Errorf("answer %s", w.Body)
	}
}

// TestUserGroups: membership of a configured user group makes a caller staff; members
// are read once per five minutes, and a failed read keeps the last members.
func TestUserGroups(t *testing.T) {
	clock := now
	ta := newTestApp(t, func(o *Options) {
		o.UserGroups = []string{agent, sdmGroup} // the access list, users and groups mixed
		o.Now = func() time.Time { return clock }
		o.SigningSecret = ""
	})
	ta.slack.groups[sdmGroup] = []string{"U-SDM"}
	ctx := context.Background()
	if got := ta.groups.of(ctx, "U-SDM"); !cmp.Equal(got, []string{sdmGroup}) {
		t.Errorf("groups %v", got)
	}
	if got := ta.groups.of(ctx, outsider); len(got) != 0 {
		t.Errorf("outsider in %v", got)
	}
	if n := len(ta.slack.callsTo("usergroups.users.list")); n != 1 {
		t.Errorf("%d reads, want 1 (only S-SDM, once)", n)
	}
	delete(ta.slack.groups, sdmGroup) // reads fail from now on
	clock = clock.Add(5 * time.Minute)
	if got := ta.groups.of(ctx, "U-SDM"); !cmp.Equal(got, []string{sdmGroup}) {
		t.Errorf("after a failed read: %v, want the last members", got)
	}
	if n := len(ta.slack.callsTo("usergroups.users.list")); n != 2 {
		t.Errorf("%d reads, want 2", n)
	}

	// A group member escalates through a button: Caller.Groups made them staff.
	r := ta.o.Handler.Run(ctx, ta.caller(ctx, "U-SDM", "Sam", chanTeam, "req-1"),
		commands.Command{Verb: commands.VerbEscalate, Ticket: "MAGDA-1", Lang: commands.English})
	if r.Kind != commands.KindRecorded || ta.store.Stored()[0].Type != sla.Escalated {
		t.Errorf("group member: %s", r.PlainText())
	}
}
