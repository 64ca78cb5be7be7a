package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	slackgo "github.com/slack-go/slack"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

const cardTS = "1783600000.000100" // the ts of the message with the buttons

// buttonOf renders the card of key in lang and gives its button for action, as Slack
// would send it back.
func buttonOf(t *testing.T, key string, lang commands.Lang, action string) *slackgo.ButtonBlockElement {
	t.Helper()
	r := newHandler(newStore(fixture()...), lang).Handle(context.Background(), staff, "sla "+key)
	for _, b := range Blocks(r) {
		if a, ok := b.(*slackgo.ActionBlock); ok {
			for _, el := range a.Elements.ElementSet {
				if btn := el.(*slackgo.ButtonBlockElement); btn.ActionID == action {
					return btn
				}
			}
		}
	}
	t.Fatalf("no %s button on the card of %s", action, key)
	return nil
}

// click is a block_actions payload for a button on a message in channel.
func click(btn *slackgo.ButtonBlockElement, user, channel, trigger, responseURL string, ephemeral bool) map[string]any {
	return map[string]any{
		"type": "block_actions", "api_app_id": "A1", "trigger_id": trigger, "response_url": responseURL,
		"user":      map[string]any{"id": user, "username": "ann.agent", "name": "ann.agent", "team_id": "T1"},
		"team":      map[string]any{"id": "T1", "domain": "digitaal-vlaanderen"},
		"container": map[string]any{"type": "message", "message_ts": cardTS, "channel_id": channel, "is_ephemeral": ephemeral},
		"channel":   map[string]any{"id": channel, "name": "team"},
		"actions": []map[string]any{{"action_id": btn.ActionID, "block_id": replyActions, "value": btn.Value,
			"type": "button", "action_ts": trigger + ".ts", "text": map[string]any{"type": "plain_text", "text": btn.Text.Text}}},
	}
}

func headerOf(p map[string]any) string {
	bs, _ := p["blocks"].([]any)
	if len(bs) == 0 {
		return ""
	}
	text, _ := bs[0].(map[string]any)["text"].(map[string]any)
	s, _ := text["text"].(string)
	return s
}

// TestClickEscalate (R7): the Escalate button escalates as the user who clicked, and the
// answer goes through response_url into the card's thread without replacing the card.
// A second click on the same card records nothing and gets the first answer.
func TestClickEscalate(t *testing.T) {
	ta := newTestApp(t)
	btn := buttonOf(t, "MAGDA-1", commands.English, commands.ActEscalate)
	for i, trigger := range []string{"111.1.a", "111.2.b"} {
		w := ta.post(t, PathInteractivity, formType, interactionBody(click(btn, agent, chanTeam, trigger, ta.slack.responseURL(), false)))
		if w.Code != http.StatusOK || w.Body.Len() != 0 {
			t.Fatalf("click %d: ack %d %q", i, w.Code, w.Body)
		}
		ta.Wait()
	}
	if n := len(ta.store.Stored()); n != 1 || ta.store.Stored()[0].Type != sla.Escalated || ta.store.Stored()[0].By != "ann.agent" {
		t.Fatalf("stored %+v, want one escalation by ann.agent", ta.store.Stored())
	}
	posts := ta.slack.responses()
	if len(posts) != 2 {
		t.Fatalf("%d answers, want 2", len(posts))
	}
	for _, p := range posts {
		if p["replace_original"] != false || p["thread_ts"] != cardTS || p["response_type"] != "in_channel" ||
			!strings.HasPrefix(headerOf(p), ":red_circle: MAGDA-1 escalated to level 1") {
			t.Errorf("answer %v", p)
		}
	}
}

// TestClicks: each button runs its command in the language of the card.
func TestClicks(t *testing.T) {
	tests := []struct {
		name      string
		btn       *slackgo.ButtonBlockElement
		ephemeral bool   // the card was private
		header    string // of the answer; "" for a modal
		thread    any    // the answer's thread_ts
		respType  string
	}{
		{"explain", buttonOf(t, "MAGDA-1", commands.English, commands.ActExplain), false,
			"How the due times of MAGDA-1 are counted", cardTS, "in_channel"},
		{"explain on a Dutch card", buttonOf(t, "MAGDA-1", commands.Dutch, commands.ActExplain), false,
			"Hoe de deadlines van MAGDA-1 geteld worden", cardTS, "in_channel"},
		{"explain on a private card", buttonOf(t, "MAGDA-1", commands.English, commands.ActExplain), true,
			"How the due times of MAGDA-1 are counted", nil, "in_channel"},
		{"a button without a ticket", &slackgo.ButtonBlockElement{ActionID: commands.ActExplain, Value: "nl|",
			Text: plain("Uitleg", maxButtonText)}, false, "", nil, "ephemeral"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ta := newTestApp(t)
			ta.post(t, PathInteractivity, formType, interactionBody(click(tt.btn, agent, chanTeam, "222.1.c", ta.slack.responseURL(), tt.ephemeral)))
			ta.Wait()
			posts := ta.slack.responses()
			if len(posts) != 1 {
				t.Fatalf("%d answers", len(posts))
			}
			p := posts[0]
			if headerOf(p) != tt.header && tt.header != "" || p["thread_ts"] != tt.thread || p["response_type"] != tt.respType {
				t.Errorf("answer %v", p)
			}
			if tt.header == "" && !strings.Contains(p["text"].(string), "Die knop noemt geen ticket.") {
				t.Errorf("error answer %v", p["text"])
			}
		})
	}
}

// TestClickUpdateOpensModal (R5.3): Post update opens the update form for the ticket,
// remembering the channel to answer in.
func TestClickUpdateOpensModal(t *testing.T) {
	ta := newTestApp(t)
	btn := buttonOf(t, "MAGDA-1", commands.Dutch, commands.ActUpdate)
	ta.post(t, PathInteractivity, formType, interactionBody(click(btn, agent, chanTeam, "333.1.d", ta.slack.responseURL(), false)))
	ta.Wait()
	opens := ta.slack.callsTo("views.open")
	if len(opens) != 1 || len(ta.slack.responses()) != 0 {
		t.Fatalf("views.open %d, answers %d", len(opens), len(ta.slack.responses()))
	}
	view := opens[0].JSON["view"].(map[string]any)
	m := parseMeta(view["private_metadata"].(string))
	if opens[0].JSON["trigger_id"] != "333.1.d" || view["callback_id"] != commands.FormUpdate ||
		m != (formMeta{Value: "MAGDA-1", Lang: commands.Dutch, Channel: chanTeam}) {
		t.Errorf("views.open %v", opens[0].JSON)
	}
}

// submission is a view_submission of form, rendered by modal and filled in with values.
func submission(t *testing.T, form *commands.Form, meta formMeta, values map[string]string) map[string]any {
	t.Helper()
	b, _ := json.Marshal(modal(*form, meta))
	var view map[string]any
	json.Unmarshal(b, &view)
	state := map[string]any{}
	for _, f := range form.Fields {
		v, ok := values[f.ID]
		if !ok {
			continue
		}
		if f.Kind == commands.FieldChoice {
			state[f.ID] = map[string]any{f.ID: map[string]any{"type": "radio_buttons", "selected_option": map[string]any{"value": v}}}
		} else {
			state[f.ID] = map[string]any{f.ID: map[string]any{"type": "plain_text_input", "value": v}}
		}
	}
	view["id"], view["state"], view["hash"] = "V-"+meta.Value, map[string]any{"values": state}, "1783600000.hash"
	return map[string]any{"type": "view_submission", "api_app_id": "A1", "trigger_id": "444.1.e",
		"user": map[string]any{"id": agent, "username": "ann.agent", "name": "ann.agent"}, "view": view}
}

// TestSubmit: a submitted form runs its command; the answer is private to the user where
// the form was opened (or their direct message); a form error keeps the modal open.
func TestSubmit(t *testing.T) {
	h := newHandler(newStore(fixture()...), "")
	updateForm := h.Handle(context.Background(), staff, "update MAGDA-1").Form
	wizard := h.Handle(context.Background(), staff, "prio").Form
	tests := []struct {
		name    string
		form    *commands.Form
		meta    formMeta
		values  map[string]string
		ack     string // the acknowledgement's body
		method  string // the Web API call that answers
		channel string // its channel
		text    string // in its text
		stored  sla.EventType
	}{
		{"update (R5.3)", updateForm, formMeta{Value: "MAGDA-1", Lang: commands.English, Channel: chanTeam},
			map[string]string{"text": "Fix deployed on TNI"}, "", "chat.postEphemeral", chanTeam,
			"Progress update recorded for MAGDA-1 (R5.3)", sla.Updated},
		{"update without text", updateForm, formMeta{Value: "MAGDA-1", Lang: commands.Dutch, Channel: chanTeam},
			map[string]string{"text": "  "}, `{"response_action":"errors","errors":{"text":"Schrijf eerst de update."}}`, "", "", "", ""},
		{"priority wizard (R4.3)", wizard, formMeta{Lang: commands.English, Channel: chanTeam},
			map[string]string{"scope": "P3", "users": "P2", "security": "none", "env": "prod"}, "",
			"chat.postEphemeral", chanTeam, "Suggested priority: P2", ""},
		{"from the App Home: a direct message", wizard, formMeta{Lang: commands.English},
			map[string]string{"scope": "P1", "users": "none", "security": "none", "env": "tni"}, "",
			"chat.postMessage", agent, "Suggested priority: P3", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ta := newTestApp(t)
			w := ta.post(t, PathInteractivity, formType, interactionBody(submission(t, tt.form, tt.meta, tt.values)))
			ta.Wait()
			if w.Code != http.StatusOK || strings.TrimSpace(w.Body.String()) != tt.ack {
				t.Fatalf("ack %d %s, want %s", w.Code, w.Body, tt.ack)
			}
			calls := ta.slack.callsTo(tt.method)
			if tt.method == "" {
				if all := ta.slack.allCalls(); len(all) != 0 || len(ta.store.Appends()) != 0 {
					t.Errorf("calls %v, appends %d", all, len(ta.store.Appends()))
				}
				return
			}
			if len(calls) != 1 || calls[0].Form.Get("channel") != tt.channel || !strings.Contains(calls[0].Form.Get("text"), tt.text) {
				t.Fatalf("%s calls %+v", tt.method, calls)
			}
			if tt.method == "chat.postEphemeral" && calls[0].Form.Get("user") != agent {
				t.Errorf("private answer to %q", calls[0].Form.Get("user"))
			}
			if tt.stored != "" && (len(ta.store.Stored()) != 1 || ta.store.Stored()[0].Type != tt.stored || ta.store.Stored()[0].Reason != tt.values["text"]) {
				t.Errorf("stored %+v", ta.store.Stored())
			}
		})
	}
}

// TestSubmitOtherModal: a modal that is not ours is acknowledged and left alone.
func TestSubmitOtherModal(t *testing.T) {
	ta := newTestApp(t)
	form := &commands.Form{ID: "someone_else", Title: "X", Fields: []commands.Field{{ID: "a", Label: "A", Kind: commands.FieldText}}}
	w := ta.post(t, PathInteractivity, formType, interactionBody(submission(t, form, formMeta{}, map[string]string{"a": "b"})))
	ta.Wait()
	if w.Code != http.StatusOK || w.Body.Len() != 0 || len(ta.slack.allCalls()) != 0 {
		t.Errorf("ack %d %q, calls %v", w.Code, w.Body, ta.slack.allCalls())
	}
}

// TestClickInAppHome: a button of the App Home has no channel and no response_url; the
// answer goes to the user's direct message with the app.
func TestClickInAppHome(t *testing.T) {
	ta := newTestApp(t)
	p := click(buttonOf(t, "MAGDA-1", commands.English, commands.ActExplain), agent, "", "777.1.h", "", false)
	p["container"] = map[string]any{"type": "view", "view_id": "V-HOME"}
	delete(p, "channel")
	p["view"] = map[string]any{"id": "V-HOME", "type": "home", "hash": "1783600000.home"}
	ta.post(t, PathInteractivity, formType, interactionBody(p))
	ta.Wait()
	calls := ta.slack.allCalls()
	if len(calls) != 1 || calls[0].Method != "chat.postMessage" || calls[0].Form.Get("channel") != agent ||
		!strings.Contains(calls[0].Form.Get("text"), "How the due times of MAGDA-1 are counted") {
		t.Errorf("calls %+v", calls)
	}
}

// TestResponseURLFails: when the response_url refuses the answer (expired after 30
// minutes), it is posted with the Web API instead.
func TestResponseURLFails(t *testing.T) {
	ta := newTestApp(t)
	ta.slack.failHook = true
	btn := buttonOf(t, "MAGDA-1", commands.English, commands.ActExplain)
	ta.post(t, PathInteractivity, formType, interactionBody(click(btn, agent, chanTeam, "888.1.i", ta.slack.responseURL(), false)))
	ta.Wait()
	calls := ta.slack.callsTo("chat.postMessage")
	if len(calls) != 1 || calls[0].Form.Get("channel") != chanTeam || calls[0].Form.Get("thread_ts") != cardTS {
		t.Errorf("chat.postMessage %+v", calls)
	}
	if got := ta.results.list(); !cmp.Equal(got, []string{"action", "failed"}) {
		t.Errorf("results %v", got)
	}
}
