package server

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// serveLoopback serves h as the bot does (NewHTTP's limits, at most maxConns
// connections) on a loopback port until the test ends.
func serveLoopback(t *testing.T, h http.Handler, maxConns int) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := NewHTTP(h, slog.New(slog.DiscardHandler))
	go srv.Serve(LimitListener(ln, maxConns))
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// signedHook stands for Slack's and Jira's handlers: it reads the body, then checks its
// HMAC, as they must.
func signedHook(secret string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		m := hmac.New(sha256.New, []byte(secret))
		m.Write(body)
		if !hmac.Equal([]byte(hex.EncodeToString(m.Sum(nil))), []byte(r.Header.Get("X-Signature"))) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		fmt.Fprintln(w, "signed")
	})
}

func signedRequest(t *testing.T, url, secret, body string) *http.Request {
	t.Helper()
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(body))
	req, err := http.NewRequest("POST", url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Signature", hex.EncodeToString(m.Sum(nil)))
	return req
}

// slowSender opens a connection that sends a request's headers announcing a body of
// 10,000 bytes, then the body one byte at a time (trickle), and reads the answer.
type slowSender struct {
	conn   net.Conn
	answer chan string // the status and reason, or "closed: ..."
}

func startSlow(t *testing.T, addr, path, headers string) *slowSender {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: 10000\r\n%s\r\nx", path, headers)
	s := &slowSender{conn: c, answer: make(chan string, 1)}
	go func() {
		c.SetReadDeadline(time.Now().Add(10 * time.Second)) // the test stops by itself
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			s.answer <- "closed: " + err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		s.answer <- fmt.Sprintf("%d %s", resp.StatusCode, strings.TrimSpace(string(b)))
	}()
	return s
}

// trickle sends one byte on every sender every period until stop is closed.
func trickle(senders []*slowSender, period time.Duration, stop <-chan struct{}) {
	tick := time.NewTicker(period)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
			for _, s := range senders {
				s.conn.Write([]byte("x")) // fails once the server has cut it: fine
			}
		}
	}
}

// TestSlowBodyFloodLeavesSignedRequestsAndHealth (issue 10.4): a flood of connections
// trickling their bodies to a route that must read the body before it can check the
// signature neither stops signed requests nor health checks while it lasts; each slow
// sender past the few slow-body slots is cut after Fast, the ones in a slot at Timeout,
// all with 408 and a one-line reason.
func TestSlowBodyFloodLeavesSignedRequestsAndHealth(t *testing.T) {
	const flood = 200
	lim := BodyLimits{Fast: 250 * time.Millisecond, Timeout: time.Second, Slots: 4}
	bodies := NewBodies(lim, nil)
	mux := http.NewServeMux()
	mux.Handle("POST /hook", bodies.Wrap("hook", signedHook("s3cret")))
	mux.Handle("GET /healthz", Health())
	addr := serveLoopback(t, mux, 1024)

	var senders []*slowSender
	for range flood {
		senders = append(senders, startSlow(t, addr, "/hook", ""))
	}
	stop := make(chan struct{})
	defer close(stop)
	go trickle(senders, 50*time.Millisecond, stop)

	client := &http.Client{Timeout: 3 * time.Second}
	for i := range 5 {
		resp, err := client.Do(signedRequest(t, "http://"+addr+"/hook", "s3cret", fmt.Sprintf(`{"n":%d}`, i)))
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("signed request %d during the flood: %v %v; want 200", i, resp, err)
		}
		resp.Body.Close()
		if resp, err := client.Get("http://" + addr + "/healthz"); err != nil || resp.StatusCode != 200 {
			t.Fatalf("health check %d during the flood: %v %v; want 200", i, resp, err)
		}
	}
	// The flood was on all along: the senders in a slot are cut only at Timeout.
	answers := make([]string, flood)
	open := 0
	for i, s := range senders {
		select {
		case answers[i] = <-s.answer:
		default:
			open++
		}
	}
	if open < lim.Slots {
		t.Fatalf("only %d slow senders were still sending when the signed requests were done; want at least %d: they were not served during the flood", open, lim.Slots)
	}
	resp, err := client.Do(signedRequest(t, "http://"+addr+"/hook", "guess", `{}`))
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("badly signed request: %v %v; want 401", resp, err)
	}

	shed, timedOut := 0, 0
	for i, s := range senders {
		a := answers[i]
		if a == "" {
			a = <-s.answer
		}
		switch {
		case strings.HasPrefix(a, "408 request body too slow: still arriving after 250ms"):
			shed++
		case strings.HasPrefix(a, "408 request body too slow: not received within 1s"):
			timedOut++
		default:
			t.Fatalf("slow sender %d: %q; want 408 and why", i, a)
		}
	}
	if timedOut != lim.Slots || shed != flood-lim.Slots {
		t.Errorf("%d cut after Fast, %d at Timeout; want %d and %d (one per slot)", shed, timedOut, flood-lim.Slots, lim.Slots)
	}
}

// An authenticated request (the events API checks its bearer token first) needs no
// slow-body slot: it may trickle its body while every slot is taken, but no body may
// take longer than Timeout.
func TestTrustedBodyNeedsNoSlotButHasATimeout(t *testing.T) {
	bodies := NewBodies(BodyLimits{Fast: 100 * time.Millisecond, Timeout: time.Second, Slots: 1}, nil)
	store := &fakeStore{}
	mux := http.NewServeMux()
	mux.Handle("POST /hook", bodies.Wrap("hook", signedHook("s3cret")))
	mux.Handle("POST "+EventsPath, Events(EventsOptions{Token: "tok", Store: store, Bodies: bodies}))
	addr := serveLoopback(t, mux, 64)

	holder := startSlow(t, addr, "/hook", "")
	stop := make(chan struct{})
	defer close(stop)
	go trickle([]*slowSender{holder}, 50*time.Millisecond, stop)
	for deadline := time.Now().Add(5 * time.Second); len(bodies.slots) == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the slow sender never took the slot")
		}
	}
	shed := startSlow(t, addr, "/hook", "")
	if a := <-shed.answer; !strings.HasPrefix(a, "408 request body too slow: still arriving") {
		t.Fatalf("second slow sender: %q; want 408: the one slot is taken", a)
	}

	// Authenticated, sent in three parts over three Fast periods: stored.
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer tok\r\nContent-Length: %d\r\n\r\n", EventsPath, len(created))
	for i, part := range []string{created[:20], created[20:60], created[60:]} {
		if i > 0 {
			time.Sleep(100 * time.Millisecond)
		}
		c.Write([]byte(part))
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.StatusCode != 200 || len(store.calls) != 1 {
		t.Fatalf("authenticated slow body: %v %v, %d stored; want 200 and the event stored", resp, err, len(store.calls))
	}
	// Authenticated but never finished: cut at Timeout, nothing stored.
	never := startSlow(t, addr, EventsPath, "Authorization: Bearer tok\r\n")
	if a := <-never.answer; !strings.HasPrefix(a, "408 request body too slow: not received within 1s") || len(store.calls) != 1 {
		t.Errorf("authenticated body that never ends: %q, %d stored; want 408 and nothing more stored", a, len(store.calls))
	}
}

// LimitListener holds the connection over the limit in the backlog, and accepts it
// when another closes.
func TestLimitListener(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := LimitListener(ln, 2)
	accepted := make(chan net.Conn, 3)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	for range 3 {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	first, second := <-accepted, <-accepted
	defer second.Close()
	select {
	case c := <-accepted:
		c.Close()
		t.Fatal("a third connection was accepted over the limit of 2")
	case <-time.After(200 * time.Millisecond):
	}
	first.Close()
	third := <-accepted
	third.Close()
	second.Close()
	second.Close() // a second Close frees no second slot
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Accept(); err == nil {
		t.Error("Accept after Close succeeded")
	}
}

// Headers over MaxHeaderBytes get 431, a request within them its answer.
func TestMaxHeaderBytes(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", Health())
	addr := serveLoopback(t, mux, 8)
	for _, tc := range []struct {
		size int
		code int
	}{{1 << 10, 200}, {64 << 10, http.StatusRequestHeaderFieldsTooLarge}} {
		req, _ := http.NewRequest("GET", "http://"+addr+"/healthz", nil)
		req.Header.Set("X-Padding", strings.Repeat("p", tc.size))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.code {
			t.Errorf("%d bytes of header: %d; want %d", tc.size, resp.StatusCode, tc.code)
		}
	}
}
