package teams

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestResults (issue 10.8): every request counts once, with the result words the other
// sources of magda_events_received_total use.
func TestResults(t *testing.T) {
	tests := []struct {
		name string
		send func(e *env) *httptest.ResponseRecorder
		want string
	}{
		{"a question answered", func(e *env) *httptest.ResponseRecorder {
			return e.serve(e.bf.bearer(), e.personalMessage("m1", "sla MAGDA-1"))
		}, ResultAnswered},
		{"an escalation recorded (R7)", func(e *env) *httptest.ResponseRecorder {
			return e.serve(e.bf.bearer(), e.personalMessage("m1", "escalate MAGDA-1 chain down"))
		}, ResultStored},
		{"a refused command is an answer", func(e *env) *httptest.ResponseRecorder {
			return e.serve(e.bf.bearer(), e.personalMessage("m1", "escalate MAGDA-404"))
		}, ResultAnswered},
		{"the bot installed", func(e *env) *httptest.ResponseRecorder {
			return e.serve(e.bf.bearer(), fixture(t, e, "activity_install.json"))
		}, ResultStored},
		{"chatter not for the bot", func(e *env) *httptest.ResponseRecorder {
			return e.serve(e.bf.bearer(), groupChat(e.personalMessage("m1", "lunch?")))
		}, ResultIgnored},
		{"typing", func(e *env) *httptest.ResponseRecorder {
			a := e.personalMessage("m1", "")
			a["type"] = "typing"
			return e.serve(e.bf.bearer(), a)
		}, ResultIgnored},
		{"another app's card action", func(e *env) *httptest.ResponseRecorder {
			return e.serve(e.bf.bearer(), fixture(t, e, "activity_sample_invoke_foreign.json"))
		}, ResultRejected},
		{"malformed", func(e *env) *httptest.ResponseRecorder {
			req := httptest.NewRequest(http.MethodPost, "/api/messages", strings.NewReader("{"))
			req.Header.Set("Authorization", e.bf.bearer())
			w := httptest.NewRecorder()
			e.bot.ServeHTTP(w, req)
			return w
		}, ResultRejected},
		{"too large", func(e *env) *httptest.ResponseRecorder {
			return e.serve(e.bf.bearer(), e.personalMessage("m1", strings.Repeat("x", MaxBody)))
		}, ResultRejected},
		{"GET", func(e *env) *httptest.ResponseRecorder {
			w := httptest.NewRecorder()
			e.bot.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/api/messages", nil))
			return w
		}, ResultRejected},
		{"no token", func(e *env) *httptest.ResponseRecorder {
			return e.serve("", e.personalMessage("m1", "help"))
		}, ResultUnauthorized},
		{"the connector refuses the answer", func(e *env) *httptest.ResponseRecorder {
			e.bf.answers(answer{status: http.StatusForbidden})
			return e.serve(e.bf.bearer(), e.personalMessage("m1", "help"))
		}, ResultError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			w := tt.send(e)
			if diff := cmp.Diff([]string{tt.want}, e.counted()); diff != "" {
				t.Errorf("status %d; counted (-want +got):\n%s", w.Code, diff)
			}
		})
	}
}
