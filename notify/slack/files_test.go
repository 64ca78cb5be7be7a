package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack/slacktest"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/review"
)

// reviewsOf counts an empty report for any customer: what is tested here is the
// delivery, the counting is review's.
type reviewsOf struct{}

func (reviewsOf) Review(_ context.Context, customer string, p review.Period, lang string) (review.Report, commands.ReviewLinks, error) {
	r := review.Build(review.Options{Customer: customer, Name: customer, Period: p, Now: now, Lang: lang, Cals: cals}, nil)
	return r, commands.ReviewLinks{Page: "https://bot.example/review/agency-x/2026-06.html?sig=1"}, nil
}

// uploads is a local Slack files API: files.getUploadURLExternal gives an upload URL on
// the same server, the upload is kept, files.completeUploadExternal shares it.
type uploads struct {
	mu       sync.Mutex
	names    []string
	data     map[string][]byte
	channels []string
}

// TestReviewFilesUploaded: `/magda review agency-x` answers with the summary card and
// the page link, and shares the chart (PNG) and the export (XLSX) in the channel
// through the files upload API (files:write), against a local Slack.
func TestReviewFilesUploaded(t *testing.T) {
	up := &uploads{data: map[string][]byte{}}
	var srv *slacktest.Server
	srv = slacktest.NewTestServer(func(c slacktest.Customize) {
		c.Handle("/files.getUploadURLExternal", func(w http.ResponseWriter, r *http.Request) {
			r.ParseForm()
			name := r.Form.Get("filename")
			up.mu.Lock()
			up.names = append(up.names, name)
			id := "F" + string(rune('0'+len(up.names)))
			up.mu.Unlock()
			io.WriteString(w, `{"ok":true,"upload_url":"`+srv.GetAPIURL()+`upload/`+id+`","file_id":"`+id+`"}`)
		})
		c.Handle("/upload/", func(w http.ResponseWriter, r *http.Request) {
			r.ParseMultipartForm(10 << 20)
			f, _, err := r.FormFile("file")
			if err != nil {
				http.Error(w, err.Error(), 400)
				return
			}
			b, _ := io.ReadAll(f)
			up.mu.Lock()
			up.data[strings.TrimPrefix(r.URL.Path, "/upload/")] = b
			up.mu.Unlock()
		})
		c.Handle("/files.completeUploadExternal", func(w http.ResponseWriter, r *http.Request) {
			r.ParseForm()
			up.mu.Lock()
			up.channels = append(up.channels, r.Form.Get("channel_id"))
			up.mu.Unlock()
			io.WriteString(w, `{"ok":true,"files":[{"id":"F1","title":"x"}]}`)
		})
	})
	srv.Start()
	defer srv.Stop()
	ta := newTestApp(t, func(o *Options) {
		o.APIURL = srv.GetAPIURL()
		o.Handler = commands.New(commands.Options{Store: newStore(fixture()...), Customers: testCustomers, Access: testAccess,
			Calendars: cals, Now: func() time.Time { return now }, Reviews: reviewsOf{}})
	})
	w := ta.post(t, "/slack/commands", formType, slashBody(agent, "C-TEAM", "review agency-x", ta.slack.responseURL()))
	ta.Wait()
	// The answer comes within Slack's 3 s, or (a slow machine) through response_url.
	answer := w.Body.String()
	if strings.Contains(answer, "Working on it") {
		for _, r := range ta.slack.responses() {
			b, _ := json.Marshal(r)
			answer = string(b)
		}
	}
	if w.Code != 200 || !strings.Contains(answer, "bot.example/review/agency-x") || !strings.Contains(answer, "in_channel") {
		t.Fatalf("answer %d: %s", w.Code, answer)
	}
	up.mu.Lock()
	defer up.mu.Unlock()
	if len(up.names) != 2 || !strings.HasSuffix(up.names[0], ".png") || !strings.HasSuffix(up.names[1], ".xlsx") {
		t.Fatalf("uploaded %v", up.names)
	}
	if _, err := png.Decode(bytes.NewReader(up.data["F1"])); err != nil {
		t.Errorf("the chart uploaded is no PNG: %v", err)
	}
	if !bytes.HasPrefix(up.data["F2"], []byte("PK")) {
		t.Error("the XLSX uploaded is no zip")
	}
	if len(up.channels) != 2 || up.channels[0] != "C-TEAM" {
		t.Errorf("shared in %v, want C-TEAM", up.channels)
	}
}
