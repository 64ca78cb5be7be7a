package teams

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFixtures runs the activities of testdata/activity_*.json, written after the Bot
// Framework's and Teams' documented shapes, through the handler.
func TestFixtures(t *testing.T) {
	tests := []struct {
		file  string
		posts int
		check func(t *testing.T, e *env, w *httptest.ResponseRecorder)
	}{
		{"activity_channel_mention.json", 1, func(t *testing.T, e *env, _ *httptest.ResponseRecorder) {
			if c, _ := e.rec.last(); c.ChannelID != teamChan || c.UserID != staffAAD {
				t.Errorf("caller %+v", c)
			}
		}},
		{"activity_personal.json", 1, func(t *testing.T, e *env, _ *httptest.ResponseRecorder) {
			if got := lastCard(t, e.bf, 0); got.Lang != "nl" || got.Body[0].Text != cardTitle {
				t.Errorf("card lang %q, title %q", got.Lang, got.Body[0].Text)
			}
		}},
		{"activity_submit.json", 1, func(t *testing.T, e *env, _ *httptest.ResponseRecorder) {
			// Recorded with the person's name Teams gives in from.name, not the AAD id.
			if evs := e.store.Stored(); len(evs) != 1 || evs[0].Reason != "Fix staat op TNI" || evs[0].By != "Ann Agent" {
				t.Errorf("stored %+v", evs)
			}
		}},
		{"activity_invoke.json", 1, func(t *testing.T, e *env, w *httptest.ResponseRecorder) {
			if !strings.Contains(w.Body.String(), `"statusCode":200`) {
				t.Errorf("invoke response %s", w.Body)
			}
		}},
		{"activity_install.json", 0, func(t *testing.T, e *env, _ *httptest.ResponseRecorder) {
			if _, ok, _ := e.refs.Reference(t.Context(), teamChan); !ok {
				t.Errorf("install stored no reference for %s", teamChan)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			e := newEnv(t)
			b, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			body := strings.ReplaceAll(string(b), "https://smba.example.invalid/amer/", e.bf.serviceURL())
			req := httptest.NewRequest(http.MethodPost, "/api/messages", strings.NewReader(body))
			req.Header.Set("Authorization", e.bf.bearer())
			w := httptest.NewRecorder()
			e.bot.ServeHTTP(w, req)
			if w.Code != http.StatusOK || len(e.bf.sent()) != tt.posts {
				t.Fatalf("status %d, %d posts; want 200, %d", w.Code, len(e.bf.sent()), tt.posts)
			}
			tt.check(t, e, w)
		})
	}
}
