package slack

import (
	"encoding/json"
	"net/http"
	"testing"
)

// FuzzEndpoints feeds signed bodies of any shape to the three endpoints: a body is
// answered 200 or 400, an answer with a body is JSON, and nothing panics (the work after
// the acknowledgement included: Wait runs it to the end).
func FuzzEndpoints(f *testing.F) {
	btn := `{"type":"block_actions","user":{"id":"U-AGENT","name":"ann"},"container":{"type":"message","message_ts":"1.2","channel_id":"C-TEAM"},"channel":{"id":"C-TEAM"},"actions":[{"action_id":"magda_escalate","value":"en|MAGDA-1","type":"button","action_ts":"1.3"}]}`
	view := `{"type":"view_submission","user":{"id":"U-AGENT"},"view":{"id":"V1","callback_id":"magda_update","private_metadata":"{\"v\":\"MAGDA-1\",\"l\":\"nl\"}","state":{"values":{"text":{"text":{"type":"plain_text_input","value":"x"}}}}}}`
	seeds := []struct {
		path int
		body string
	}{
		{0, slashBody(agent, chanTeam, "escalate MAGDA-1 down", "")},
		{0, slashBody(outsider, chanX, "prio scope=P1 env=tni", "")},
		{0, "command=%2Fmagda&text=%ZZ"},
		{1, interactionBody(json.RawMessage(btn))},
		{1, interactionBody(json.RawMessage(view))},
		{1, "payload=%7B%22type%22%3A%22view_submission%22%7D"},
		{2, eventBody("Ev1", mentionEvent("<@U1> sla MAGDA-2", "1.4", ""))},
		{2, eventBody("Ev2", map[string]any{"type": "app_home_opened", "user": agent, "tab": "home"})},
		{2, `{"type":"event_callback","event":null}`},
		{2, `{"type":"url_verification"}`},
	}
	for _, s := range seeds {
		f.Add(s.path, s.body)
	}
	paths := []string{PathCommands, PathInteractivity, PathEvents}
	ta := newTestApp(f)
	f.Fuzz(func(t *testing.T, path int, body string) {
		if len(body) > 1<<16 {
			return
		}
		w := ta.post(t, paths[uint(path)%3], formType, body)
		ta.Wait()
		if w.Code != http.StatusOK && w.Code != http.StatusBadRequest {
			t.Fatalf("status %d for %q", w.Code, body)
		}
		if w.Code == http.StatusOK && w.Body.Len() > 0 && !json.Valid(w.Body.Bytes()) {
			t.Fatalf("acknowledgement is not JSON: %s", w.Body)
		}
	})
}
