package teams

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

const cardTitle = "MAGDA-1 · P2 incident · Agentschap X"

// TestMessages: what is for the bot (an @mention, "magda …", a personal chat) is
// answered with a card replying to the message; the caller is the AAD user in the Teams
// channel (or the chat), so customer channels are scoped.
func TestMessages(t *testing.T) {
	type want struct {
		path    string // "" = nothing posted
		title   string
		channel string
	}
	thread := teamChan + ";messageid=1759881511856"
	tests := []struct {
		name string
		act  func(e *env) map[string]any
		want want
	}{
		{"channel @mention", func(e *env) map[string]any { return e.channelMessage("m1", teamChan, "sla MAGDA-1") },
			want{"/amer/v3/conversations/" + thread + "/activities/m1", cardTitle, teamChan}},
		{"personal chat", func(e *env) map[string]any { return e.personalMessage("m1", "sla MAGDA-1") },
			want{"/amer/v3/conversations/a:personal-chat/activities/m1", cardTitle, "a:personal-chat"}},
		{"html entities", func(e *env) map[string]any { return e.personalMessage("m1", "sla&nbsp;MAGDA-1 ") },
			want{"/amer/v3/conversations/a:personal-chat/activities/m1", cardTitle, "a:personal-chat"}},
		{"group chat, magda first", func(e *env) map[string]any { return groupChat(e.personalMessage("m1", "Magda, sla MAGDA-1")) },
			want{"/amer/v3/conversations/19:group@thread.v2/activities/m1", cardTitle, "19:group@thread.v2"}},
		{"group chat, not for the bot", func(e *env) map[string]any { return groupChat(e.personalMessage("m1", "sla MAGDA-1 is late")) },
			want{}},
		{"mention of someone else", func(e *env) map[string]any {
			a := e.channelMessage("m1", teamChan, "")
			a["text"] = "<at>Magda Peeters</at> sla MAGDA-1"
			a["entities"] = []any{map[string]any{"type": "mention", "text": "<at>Magda Peeters</at>", "mentioned": map[string]any{"id": "29:magda"}}}
			return a
		}, want{}},
		{"customer channel, customer asks", func(e *env) map[string]any {
			a := e.channelMessage("m1", custChan, "sla MAGDA-1")
			a["from"] = map[string]any{"id": "29:cust", "name": "Carl", "aadObjectId": "aad-customer"}
			return a
		}, want{"/amer/v3/conversations/" + custChan + ";messageid=1759881511856/activities/m1", cardTitle, custChan}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			if w := e.serve(e.bf.bearer(), tt.act(e)); w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			posts := e.bf.sent()
			if tt.want.path == "" {
				if len(posts) != 0 || e.store.Calls() != 0 {
					t.Errorf("a message not for the bot was answered: %d posts, %d store calls", len(posts), e.store.Calls())
				}
				return
			}
			if len(posts) != 1 {
				t.Fatalf("%d posts, want 1", len(posts))
			}
			p := posts[0]
			if p.Path != tt.want.path || p.Auth != "Bearer tok-1" || p.Body.Type != "message" || p.Body.ReplyToID != "m1" {
				t.Errorf("posted to %s with %q, type %q, replyToId %q", p.Path, p.Auth, p.Body.Type, p.Body.ReplyToID)
			}
			if len(p.Body.Attachments) != 1 || p.Body.Attachments[0].ContentType != CardContentType {
				t.Fatalf("attachments %+v", p.Body.Attachments)
			}
			card := p.Body.Attachments[0].Content
			if card.Version != CardVersion || card.Body[0].Text != tt.want.title {
				t.Errorf("card version %q, title %q; want %q", card.Version, card.Body[0].Text, tt.want.title)
			}
			caller, _ := e.rec.last()
			wantCaller := commands.Caller{UserID: caller.UserID, ChannelID: tt.want.channel, Platform: "teams", Name: caller.Name, RequestID: "m1"}
			if diff := cmp.Diff(wantCaller, caller); diff != "" {
				t.Errorf("caller (-want +got):\n%s", diff)
			}
		})
	}
}

func groupChat(a map[string]any) map[string]any {
	a["conversation"] = map[string]any{"id": "19:group@thread.v2", "conversationType": "groupChat", "isGroup": true, "tenantId": tenantID}
	return a
}

// TestReferences: installing the bot in a team or chat, and each message, store the
// conversation reference proactive messages need; the channel's, without the thread.
func TestReferences(t *testing.T) {
	e := newEnv(t)
	install := func(typ string, extra map[string]any) map[string]any {
		a := e.channelMessage("i1", teamChan, "")
		delete(a, "text")
		delete(a, "entities")
		a["type"] = typ
		a["conversation"] = map[string]any{"id": teamChan, "isGroup": true, "conversationType": "channel", "tenantId": tenantID}
		for k, v := range extra {
			a[k] = v
		}
		return a
	}
	steps := []struct {
		act   map[string]any
		saves int
	}{
		{install("conversationUpdate", map[string]any{"membersAdded": []any{map[string]any{"id": "29:someone"}}}), 0},
		{install("installationUpdate", map[string]any{"action": "remove"}), 0},
		{install("conversationUpdate", map[string]any{"membersAdded": []any{map[string]any{"id": botAccount}}}), 1},
		{install("installationUpdate", map[string]any{"action": "add"}), 2},
		{e.channelMessage("m1", teamChan, "help"), 3},
	}
	for i, s := range steps {
		if w := e.serve(e.bf.bearer(), s.act); w.Code != http.StatusOK {
			t.Fatalf("step %d: status %d", i, w.Code)
		}
		if got := e.refs.count(); got != s.saves {
			t.Fatalf("step %d: %d saves, want %d", i, got, s.saves)
		}
	}
	want := Reference{ChannelID: teamChan, ConversationID: teamChan, ServiceURL: e.bf.serviceURL(), TenantID: tenantID,
		BotID: botAccount, UpdatedAt: start.UTC()}
	got, ok, _ := e.refs.Reference(t.Context(), teamChan)
	if diff := cmp.Diff(want, got); !ok || diff != "" {
		t.Errorf("reference (-want +got):\n%s", diff)
	}
}

// TestSubmitRoundTrip: the card's buttons and forms come back as Action.Submit
// messages (and Action.Execute invokes) and run the command they stand for.
func TestSubmitRoundTrip(t *testing.T) {
	e := newEnv(t)
	ask := func(id, text string) AdaptiveCard {
		t.Helper()
		n := len(e.bf.sent())
		if w := e.serve(e.bf.bearer(), e.personalMessage(id, text)); w.Code != http.StatusOK {
			t.Fatalf("%s: status %d", text, w.Code)
		}
		return lastCard(t, e.bf, n)
	}
	click := func(id, replyTo string, data map[string]string, fields map[string]string) AdaptiveCard {
		t.Helper()
		n := len(e.bf.sent())
		value := map[string]any{}
		for k, v := range data {
			value[k] = v
		}
		for k, v := range fields {
			value[FieldPrefix+k] = v
		}
		a := e.personalMessage(id, "")
		a["value"], a["replyToId"] = value, replyTo
		if w := e.serve(e.bf.bearer(), a); w.Code != http.StatusOK {
			t.Fatalf("click %s: status %d", id, w.Code)
		}
		return lastCard(t, e.bf, n)
	}
	lastVerb := func() commands.Verb {
		_, cmds := e.rec.last()
		if len(cmds) == 0 {
			return ""
		}
		return cmds[len(cmds)-1].Verb
	}

	card := ask("m1", "sla MAGDA-1")
	escalate, update, explain := findAction(card, "Escalate"), findAction(card, "Post update"), findAction(card, "Explain")
	if escalate == nil || escalate.Card == nil || update == nil || explain == nil {
		t.Fatalf("card lacks Escalate (with confirmation), Post update or Explain: %+v", card.Actions)
	}
	yes := escalate.Card.Actions[0]
	if diff := cmp.Diff(map[string]string{"action": commands.ActEscalate, "value": "MAGDA-1@1", "lang": "en"}, yes.Data); diff != "" {
		t.Errorf("escalate data (-want +got):\n%s", diff)
	}

	if got := click("c1", "msg-1", explain.Data, nil); lastVerb() != commands.VerbExplain || !strings.Contains(got.Body[0].Text, "MAGDA-1") {
		t.Errorf("Explain ran %s, answered %q", lastVerb(), got.Body[0].Text)
	}
	// R7: the escalation is stored once, however often the same card's button is clicked.
	first := click("c2", "msg-1", yes.Data, nil)
	again := click("c3", "msg-1", yes.Data, nil)
	if lastVerb() != commands.VerbEscalate || countType(e.store.Stored(), sla.Escalated) != 1 {
		t.Errorf("Escalate ran %s and stored %d escalations, want 1", lastVerb(), countType(e.store.Stored(), sla.Escalated))
	}
	if diff := cmp.Diff(first, again); diff != "" {
		t.Errorf("a double click answers differently (-first +again):\n%s", diff)
	}

	// R5.3: Post update opens the form; its submit records the update.
	form := click("c4", "msg-1", update.Data, nil)
	submit := findAction(form, "Record")
	if submit == nil || !hasInput(form, FieldPrefix+"text") {
		t.Fatalf("update form has no text input or Record button: %+v", form)
	}
	click("c5", "msg-5", submit.Data, map[string]string{"text": "Fix deployed on TNI"})
	_, cmds := e.rec.last()
	if got := cmds[len(cmds)-1]; got.Verb != commands.VerbUpdate || got.Text != "Fix deployed on TNI" || countType(e.store.Stored(), sla.Updated) != 1 {
		t.Errorf("form submit ran %+v and stored %d updates", got, countType(e.store.Stored(), sla.Updated))
	}

	// R4.3: the priority wizard's choices come back as a suggestion.
	wizard := ask("m2", "prio")
	suggest := findAction(wizard, "Suggest")
	if suggest == nil || !hasInput(wizard, FieldPrefix+"scope") {
		t.Fatalf("wizard has no scope choice or Suggest button")
	}
	got := click("c6", "msg-7", suggest.Data, map[string]string{"scope": "P2", "users": "P3", "security": "none", "env": "prod"})
	if lastVerb() != commands.VerbPriority || got.Body[0].Text != "Suggested priority: P2" {
		t.Errorf("wizard ran %s, answered %q", lastVerb(), got.Body[0].Text)
	}

	// A button naming no ticket is refused politely, and runs nothing.
	_, cmds = e.rec.last()
	runs := len(cmds)
	bad := click("c7", "msg-1", map[string]string{"action": commands.ActEscalate, "value": "nonsense", "lang": "nl"}, nil)
	if _, cmds := e.rec.last(); len(cmds) != runs || bad.Body[0].Text != "Die knop noemt geen ticket." {
		t.Errorf("bad button: %d runs, answered %q", len(cmds)-runs, bad.Body[0].Text)
	}
}

// TestInvoke: an adaptiveCard/action invoke (Action.Execute) runs the button's command,
// posts the answer to the card's conversation and answers the invoke.
func TestInvoke(t *testing.T) {
	e := newEnv(t)
	a := e.personalMessage("f:17b96347", "")
	delete(a, "text")
	a["type"], a["name"], a["replyToId"] = "invoke", "adaptiveCard/action", "1767765488332"
	a["value"] = map[string]any{"action": map[string]any{"type": "Action.Execute", "title": "Explain",
		"data": map[string]string{"action": commands.ActExplain, "value": "MAGDA-1", "lang": "nl"}}, "trigger": "manual"}
	w := e.serve(e.bf.bearer(), a)
	var resp struct {
		StatusCode int    `json:"statusCode"`
		Type       string `json:"type"`
		Value      string `json:"value"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &resp); w.Code != http.StatusOK || err != nil {
		t.Fatalf("status %d, body %s", w.Code, w.Body)
	}
	if resp.StatusCode != 200 || resp.Type != "application/vnd.microsoft.activity.message" || !strings.Contains(resp.Value, "MAGDA-1") {
		t.Errorf("invoke response %+v", resp)
	}
	posts := e.bf.sent()
	if len(posts) != 1 || posts[0].Path != "/amer/v3/conversations/a:personal-chat/activities/1767765488332" {
		t.Fatalf("posts %+v", posts)
	}
	if _, cmds := e.rec.last(); len(cmds) != 1 || cmds[0].Verb != commands.VerbExplain || cmds[0].Lang != commands.Dutch {
		t.Errorf("ran %+v", cmds)
	}
	// Another app's card action is answered as a bad request, running nothing.
	a["value"] = map[string]any{"action": map[string]any{"type": "Action.Execute", "data": map[string]string{"feedback": "x"}}}
	w = e.serve(e.bf.bearer(), a)
	var refused struct {
		StatusCode int `json:"statusCode"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &refused); err != nil || refused.StatusCode != 400 || len(e.bf.sent()) != 1 {
		t.Errorf("foreign invoke: %s", w.Body)
	}
}

// TestBadRequests: 413 above 1 MiB, 400 for a malformed activity, 405 for GET; nothing
// recorded.
func TestBadRequests(t *testing.T) {
	e := newEnv(t)
	big := e.personalMessage("m1", "escalate MAGDA-1 "+strings.Repeat("x", MaxBody))
	tests := []struct {
		name   string
		method string
		body   string
		want   int
	}{
		{"too large", http.MethodPost, mustJSON(big), http.StatusRequestEntityTooLarge},
		{"not JSON", http.MethodPost, "{", http.StatusBadRequest},
		{"no conversation", http.MethodPost, `{"type":"message","serviceUrl":"` + e.bf.serviceURL() + `","channelId":"msteams","text":"escalate MAGDA-1"}`, http.StatusBadRequest},
		{"GET", http.MethodGet, "", http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		req := httptest.NewRequest(tt.method, "/api/messages", strings.NewReader(tt.body))
		req.Header.Set("Authorization", e.bf.bearer())
		w := httptest.NewRecorder()
		e.bot.ServeHTTP(w, req)
		if w.Code != tt.want || strings.Count(strings.TrimSpace(w.Body.String()), "\n") != 0 {
			t.Errorf("%s: status %d (%q), want %d with a one-line reason", tt.name, w.Code, w.Body, tt.want)
		}
	}
	if e.store.Calls() != 0 || e.refs.count() != 0 || len(e.bf.sent()) != 0 {
		t.Errorf("bad requests changed something")
	}
}

// TestToken: the bot's token is fetched with the client credentials once and reused
// until it nearly expires; a refused secret never shows in the logs.
func TestToken(t *testing.T) {
	e := newEnv(t)
	for i, id := range []string{"m1", "m2"} {
		if w := e.serve(e.bf.bearer(), e.personalMessage(id, "help")); w.Code != http.StatusOK {
			t.Fatalf("message %d: status %d", i, w.Code)
		}
	}
	if _, tokens := e.bf.counts(); tokens != 1 {
		t.Errorf("%d tokens fetched for 2 answers, want 1", tokens)
	}
	e.clock.add(56 * time.Minute) // the hour-long token is renewed 5 minutes early
	if w := e.serve(e.bf.bearer(), e.personalMessage("m3", "help")); w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	if _, tokens := e.bf.counts(); tokens != 2 {
		t.Errorf("%d tokens fetched, want a new one after expiry", tokens)
	}
	if got := e.bf.sent()[2].Auth; got != "Bearer tok-2" {
		t.Errorf("third answer sent with %q", got)
	}

	var logs bytes.Buffer
	e.bot.o.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	e.bot.conn.password, e.bot.conn.token = "wrong-"+appSecret, ""
	if w := e.serve(e.bf.bearer(), e.personalMessage("m4", "help")); w.Code != http.StatusBadGateway {
		t.Errorf("refused credentials: status %d, want 502", w.Code)
	}
	if !strings.Contains(logs.String(), "invalid_client") || strings.Contains(logs.String(), appSecret) {
		t.Errorf("log should name the error but not the secret:\n%s", logs.String())
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// lastCard is the card of the post after the first n.
func lastCard(t *testing.T, f *bf, n int) AdaptiveCard {
	t.Helper()
	posts := f.sent()
	if len(posts) != n+1 || len(posts[n].Body.Attachments) != 1 {
		t.Fatalf("%d posts after %d, want one more with a card", len(posts), n)
	}
	return posts[n].Body.Attachments[0].Content
}

// findAction finds an action by title in the card's actions or its action sets.
func findAction(c AdaptiveCard, title string) *Action {
	for i := range c.Actions {
		if c.Actions[i].Title == title {
			return &c.Actions[i]
		}
	}
	var walk func([]Element) *Action
	walk = func(es []Element) *Action {
		for _, el := range es {
			for i := range el.Actions {
				if el.Actions[i].Title == title {
					return &el.Actions[i]
				}
			}
			if a := walk(el.Items); a != nil {
				return a
			}
		}
		return nil
	}
	return walk(c.Body)
}

func hasInput(c AdaptiveCard, id string) bool {
	for _, el := range c.Body {
		if el.ID == id && strings.HasPrefix(el.Type, "Input.") {
			return true
		}
	}
	return false
}

func countType(evs []sla.Event, typ sla.EventType) int {
	n := 0
	for _, e := range evs {
		if e.Type == typ {
			n++
		}
	}
	return n
}
