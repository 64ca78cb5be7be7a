package teams

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// routing decodes a posted activity without its content (summary and card), which the
// card tests check.
func routing(t *testing.T, p posted) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(p.Raw, &m); err != nil {
		t.Fatalf("posted %s: %v", p.Raw, err)
	}
	if m["summary"] == nil || m["attachments"] == nil {
		t.Errorf("posted activity has no summary or card: %s", p.Raw)
	}
	delete(m, "summary")
	delete(m, "attachments")
	return m
}

// TestReplyComplete (issue 10.8): a reply is a complete activity, filled in from the
// activity it answers as the Connector's "reply to a message" guidance says: from is
// the bot's account (the incoming recipient), recipient the asker (the incoming from),
// conversation, locale, channelId and serviceUrl are the incoming ones, replyToId the
// message answered (for a card action: the card's message).
func TestReplyComplete(t *testing.T) {
	for _, tt := range []struct {
		file, replyTo string // replyTo: the incoming field replyToId is taken from
	}{
		{"activity_sample_channel_mention.json", "id"},
		{"activity_personal.json", "id"},
		{"activity_submit.json", "id"},
		{"activity_invoke.json", "replyToId"},
	} {
		t.Run(tt.file, func(t *testing.T) {
			e := newEnv(t)
			in := fixture(t, e, tt.file)
			if w := e.serve(e.bf.bearer(), in); w.Code != http.StatusOK || len(e.bf.sent()) != 1 {
				t.Fatalf("status %d, %d posts; want 200 and one answer", w.Code, len(e.bf.sent()))
			}
			want := map[string]any{"type": "message", "channelId": in["channelId"], "serviceUrl": in["serviceUrl"],
				"from": in["recipient"], "recipient": in["from"], "conversation": in["conversation"], "replyToId": in[tt.replyTo]}
			if locale, ok := in["locale"]; ok {
				want["locale"] = locale
			}
			p := e.bf.sent()[0]
			if diff := cmp.Diff(want, routing(t, p)); diff != "" {
				t.Errorf("reply (-want +got):\n%s", diff)
			}
			if wantPath := "/amer/v3/conversations/" + in["conversation"].(map[string]any)["id"].(string) + "/activities/" + in[tt.replyTo].(string); p.Path != wantPath {
				t.Errorf("posted to %s, want %s", p.Path, wantPath)
			}
		})
	}
	// The sample as Teams sent it, spelled out: the fields the bot must not lose.
	e := newEnv(t)
	e.serve(e.bf.bearer(), fixture(t, e, "activity_sample_channel_mention.json"))
	got := routing(t, e.bf.sent()[0])
	from, _ := got["from"].(map[string]any)
	to, _ := got["recipient"].(map[string]any)
	conv, _ := got["conversation"].(map[string]any)
	if got["channelId"] != "msteams" || got["locale"] != "en-US" || got["replyToId"] != "1759944781430" ||
		from["id"] != botAccount || to["aadObjectId"] != staffAAD || conv["tenantId"] != tenantID ||
		conv["id"] != "19:6848757105754c8981c67612732d9aa7@thread.tacv2;messageid=1759881511856" {
		t.Errorf("reply to the channel sample: %v", got)
	}
}

// TestProactiveComplete (issue 10.8): a proactive notice carries what its stored
// reference allows: channelId, serviceUrl, the bot as from, the conversation (its
// thread when given) with the tenant, and the notice's language as locale; no
// recipient and no replyToId, as it answers nobody.
func TestProactiveComplete(t *testing.T) {
	e := installed(t)
	s := e.bot.Sender()
	id, err := s.Send(t.Context(), teamChan, notice, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Send(t.Context(), teamChan, notice, id); err != nil {
		t.Fatal(err)
	}
	posts := e.bf.sent()
	for i, conv := range []string{teamChan, teamChan + ";messageid=" + id} {
		want := map[string]any{"type": "message", "channelId": "msteams", "serviceUrl": e.bf.serviceURL(),
			"from": map[string]any{"id": botAccount}, "conversation": map[string]any{"id": conv, "tenantId": tenantID},
			"locale": "en"}
		if diff := cmp.Diff(want, routing(t, posts[i])); diff != "" {
			t.Errorf("notice %d (-want +got):\n%s", i, diff)
		}
	}
}
