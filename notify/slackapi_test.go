package notify_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
)

// answer is how the local Slack API answers one chat.postMessage.
type answer int

const (
	answerOK      answer = iota
	answerSlow           // posts, then answers after slackAPI.slow
	answer500            // posts, then answers 500
	answerReset          // posts, then resets the connection without an answer
	answerHang           // posts, then never answers (until the client goes away)
	answer429            // posts nothing: 429 with Retry-After: 30
	answerRefused        // posts nothing: ok:false, channel_not_found
)

// apiMessage is a message in a channel of the local Slack API.
type apiMessage struct {
	TS       string          `json:"ts"`
	Text     string          `json:"text"`
	Metadata json.RawMessage `json:"metadata,omitempty"`
	token    string
	at       time.Time
}

// slackAPI is a local Slack Web API over real HTTP on loopback: chat.postMessage keeps
// each message in its channel, with its metadata, as Slack does, and
// conversations.history reads them back, newest first, a few per page, with the
// metadata only when include_all_metadata is set.
type slackAPI struct {
	srv  *httptest.Server
	now  func() time.Time // the instant a message is posted at: its ts
	slow time.Duration    // answerSlow's delay
	// answer decides the answer to the nth chat.postMessage (from 1), per token.
	answer func(n int, token string) answer
	// historyError, when set, is conversations.history's ok:false error.
	historyError string

	mu        sync.Mutex
	posts     int
	histories int
	seq       int
	channels  map[string][]apiMessage
}

const historyPage = 3

func newSlackAPI(t testing.TB, now func() time.Time) *slackAPI {
	s := &slackAPI{now: now, slow: 300 * time.Millisecond, channels: map[string][]apiMessage{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *slackAPI) url() string { return s.srv.URL + "/api/" }

// chatter fills a channel with messages of people, without metadata, around at.
func (s *slackAPI) chatter(channel string, at time.Time, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range n {
		s.seq++
		s.channels[channel] = append(s.channels[channel], apiMessage{TS: ts(at, s.seq), Text: fmt.Sprintf("chatter %d", i), at: at})
	}
}

func ts(at time.Time, seq int) string { return fmt.Sprintf("%d.%06d", at.Unix(), seq) }

func (s *slackAPI) serve(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(b))
	switch r.URL.Path {
	case "/api/chat.postMessage":
		s.post(w, r, form)
	case "/api/conversations.history":
		s.history(w, form)
	default:
		http.NotFound(w, r)
	}
}

func (s *slackAPI) post(w http.ResponseWriter, r *http.Request, form url.Values) {
	token := form.Get("token")
	s.mu.Lock()
	s.posts++
	a := answerOK
	if s.answer != nil {
		a = s.answer(s.posts, token)
	}
	switch a {
	case answer429:
		s.mu.Unlock()
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusTooManyRequests)
		return
	case answerRefused:
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":false,"error":"channel_not_found"}`)
		return
	}
	s.seq++
	now := s.now()
	m := apiMessage{TS: ts(now, s.seq), Text: form.Get("text"), token: token, at: now}
	if md := form.Get("metadata"); md != "" {
		m.Metadata = json.RawMessage(md)
	}
	ch := form.Get("channel")
	s.channels[ch] = append(s.channels[ch], m)
	s.mu.Unlock()
	switch a {
	case answerSlow:
		time.Sleep(s.slow)
	case answer500:
		w.WriteHeader(http.StatusInternalServerError)
		return
	case answerReset:
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				tc.SetLinger(0) // RST, not FIN
			}
			conn.Close()
		}
		return
	case answerHang:
		<-r.Context().Done()
		return
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":%q}`, ch, m.TS)
}

func (s *slackAPI) history(w http.ResponseWriter, form url.Values) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.histories++
	if s.historyError != "" {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"ok":false,"error":%q}`, s.historyError)
		return
	}
	oldest, _ := strconv.ParseFloat(form.Get("oldest"), 64)
	var msgs []apiMessage
	for _, m := range slices.Backward(s.channels[form.Get("channel")]) {
		if f, _ := strconv.ParseFloat(m.TS, 64); f >= oldest {
			if form.Get("include_all_metadata") != "1" {
				m.Metadata = nil
			}
			msgs = append(msgs, m)
		}
	}
	from, _ := strconv.Atoi(form.Get("cursor"))
	to := min(from+historyPage, len(msgs))
	page := struct {
		OK       bool         `json:"ok"`
		Messages []apiMessage `json:"messages"`
		HasMore  bool         `json:"has_more"`
		Meta     struct {
			NextCursor string `json:"next_cursor"`
		} `json:"response_metadata"`
	}{OK: true, Messages: msgs[min(from, to):to], HasMore: to < len(msgs)}
	if page.HasMore {
		page.Meta.NextCursor = strconv.Itoa(to)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(page)
}

// tagged gives, per outbox key in the metadata, the messages posted with it.
func (s *slackAPI) tagged() map[string][]apiMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][]apiMessage{}
	for _, msgs := range s.channels {
		for _, m := range msgs {
			var md struct {
				Type    string         `json:"event_type"`
				Payload map[string]any `json:"event_payload"`
			}
			if json.Unmarshal(m.Metadata, &md) == nil && md.Type == "magda_notification" {
				k := fmt.Sprint(md.Payload["key"])
				out[k] = append(out[k], m)
			}
		}
	}
	return out
}

func (s *slackAPI) calls() (posts, histories int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.posts, s.histories
}
