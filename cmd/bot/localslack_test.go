package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// slackPosted is one chat.postMessage that the local Slack API took.
type slackPosted struct {
	Channel string
	TS      string
	Key     string // the outbox key in the bot's metadata; "" without
	Kind    string // the key's notification kind
	From    string // the sender's IP address: which replica posted it
	At      time.Time
}

// localSlack is a Slack Web API over real HTTP, on an address the test picks (a netns
// gateway, so that replicas in their namespaces reach it). chat.postMessage posts at
// once, as Slack does, and answers only `hold` later, so that a sender can die with its
// post made and its answer not yet read; conversations.history gives the channel's
// messages back with their metadata (include_all_metadata), newest first, a page at a
// time. Other methods answer ok.
type localSlack struct {
	URL  string // the API base, ending in /api/
	hold time.Duration

	mu        sync.Mutex
	seq       int
	posts     []slackPosted
	metadata  map[string]string   // ts → the metadata as posted
	inFlight  map[string][]string // sender's IP → kinds of the posts made and not yet answered
	histories map[string]int      // sender's IP → conversations.history calls
}

const localSlackPage = 50

func startLocalSlack(t *testing.T, host string, hold time.Duration) *localSlack {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Fatal(err)
	}
	s := &localSlack{URL: "http://" + ln.Addr().String() + "/api/", hold: hold,
		metadata: map[string]string{}, inFlight: map[string][]string{}, histories: map[string]int{}}
	srv := &http.Server{Handler: http.HandlerFunc(s.serve), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

func (s *localSlack) serve(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(b))
	from, _, _ := net.SplitHostPort(r.RemoteAddr)
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/api/chat.postMessage":
		s.post(w, form, from)
	case "/api/conversations.history":
		s.history(w, form, from)
	default:
		io.WriteString(w, `{"ok":true}`)
	}
}

func (s *localSlack) post(w http.ResponseWriter, form url.Values, from string) {
	var md struct {
		Type    string            `json:"event_type"`
		Payload map[string]string `json:"event_payload"`
	}
	json.Unmarshal([]byte(form.Get("metadata")), &md)
	p := slackPosted{Channel: form.Get("channel"), From: from, At: time.Now()}
	if md.Type == "magda_notification" {
		p.Key = md.Payload["key"]
		p.Kind = keyKind(p.Key)
	}
	s.mu.Lock()
	s.seq++
	p.TS = fmt.Sprintf("%d.%06d", p.At.Unix(), s.seq)
	s.posts = append(s.posts, p)
	s.metadata[p.TS] = form.Get("metadata")
	s.inFlight[from] = append(s.inFlight[from], p.Kind)
	s.mu.Unlock()
	time.Sleep(s.hold)
	s.mu.Lock()
	if i := slices.Index(s.inFlight[from], p.Kind); i >= 0 {
		s.inFlight[from] = slices.Delete(s.inFlight[from], i, i+1)
	}
	s.mu.Unlock()
	fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":%q}`, p.Channel, p.TS)
}

func (s *localSlack) history(w http.ResponseWriter, form url.Values, from string) {
	type message struct {
		TS       string          `json:"ts"`
		Text     string          `json:"text"`
		Metadata json.RawMessage `json:"metadata,omitempty"`
	}
	s.mu.Lock()
	s.histories[from]++
	oldest, _ := strconv.ParseFloat(form.Get("oldest"), 64)
	var msgs []message
	for _, p := range slices.Backward(s.posts) {
		if f, _ := strconv.ParseFloat(p.TS, 64); p.Channel == form.Get("channel") && f >= oldest {
			m := message{TS: p.TS, Text: "notice"}
			if form.Get("include_all_metadata") == "1" && s.metadata[p.TS] != "" {
				m.Metadata = json.RawMessage(s.metadata[p.TS])
			}
			msgs = append(msgs, m)
		}
	}
	s.mu.Unlock()
	at, _ := strconv.Atoi(form.Get("cursor"))
	to := min(at+localSlackPage, len(msgs))
	page := struct {
		OK       bool      `json:"ok"`
		Messages []message `json:"messages"`
		HasMore  bool      `json:"has_more"`
		Meta     struct {
			NextCursor string `json:"next_cursor"`
		} `json:"response_metadata"`
	}{OK: true, Messages: msgs[min(at, to):to], HasMore: to < len(msgs)}
	if page.HasMore {
		page.Meta.NextCursor = strconv.Itoa(to)
	}
	json.NewEncoder(w).Encode(page)
}

// keyKind is the notification kind in an outbox key, id.ticket.kind.slot (no part
// holds a dot).
func keyKind(key string) string {
	if parts := strings.Split(key, "."); len(parts) == 4 {
		return parts[2]
	}
	return ""
}

// posted gives what was posted so far, in order.
func (s *localSlack) posted() []slackPosted {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.posts)
}

// postsInFlight gives the kinds of the posts from the sender at ip that are made and
// not yet answered.
func (s *localSlack) postsInFlight(ip string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.inFlight[ip])
}

// lookups is how many conversations.history calls came from ip.
func (s *localSlack) lookups(ip string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.histories[ip]
}
