// Package smtptest is a real SMTP server on loopback for tests: it keeps every message
// it is sent, with its envelope and its decoded subject and text. Options make it
// listen elsewhere (a network namespace's gateway) and answer slowly.
package smtptest

import (
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is one mail the server took.
type Message struct {
	From    string
	To      []string
	Subject string
	Body    string
	ID      string // the Message-ID header, as sent
	// Remote is the client's address (host:port): which process sent it.
	Remote string
	// Received is when the data ended (the client's final "."), so the mail is taken
	// whatever happens to the sender next; Answered is when the server gave its 250, Hold
	// later. In between the sender cannot know that the mail was taken.
	Received, Answered time.Time
}

// Server is a running SMTP server; Addr is its host:port.
type Server struct {
	Addr    string
	hold    time.Duration
	mu      sync.Mutex
	got     []Message
	holding map[string]int // client host → mails taken and not yet answered
}

// Option changes how Start runs a server.
type Option func(*options)

type options struct {
	addr string
	hold time.Duration
}

// Listen makes the server listen on addr (host:port, port 0 for a free one) instead of
// 127.0.0.1, such as an internal/netns gateway that processes in the test's namespaces
// reach.
func Listen(addr string) Option { return func(o *options) { o.addr = addr } }

// Hold makes the server keep each mail that long between its data and the 250 that
// takes it, so that a test can end a sender while its mail is in that window.
func Hold(d time.Duration) Option { return func(o *options) { o.hold = d } }

// Start runs a server on 127.0.0.1 (or where Listen says) until the test ends.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	o := options{addr: "127.0.0.1:0"}
	for _, opt := range opts {
		opt(&o)
	}
	srv := &Server{hold: o.hold, holding: map[string]int{}}
	s := smtp.NewServer(backend{srv})
	s.Domain, s.AllowInsecureAuth = "localhost", true
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		t.Fatal(err)
	}
	srv.Addr = ln.Addr().String()
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return srv
}

// Messages gives what the server took so far, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.got...)
}

// Holding is how many mails from the client at host (an IP address) the server has
// taken and not yet answered (see Hold).
func (s *Server) Holding(host string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.holding[host]
}

// WithSubject gives the messages whose subject starts with prefix.
func (s *Server) WithSubject(prefix string) []Message {
	var out []Message
	for _, m := range s.Messages() {
		if strings.HasPrefix(m.Subject, prefix) {
			out = append(out, m)
		}
	}
	return out
}

type backend struct{ s *Server }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: b.s, remote: c.Conn().RemoteAddr().String()}, nil
}

type session struct {
	s      *Server
	remote string
	cur    Message
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error { s.cur.From = from; return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.To = append(s.cur.To, to)
	return nil
}
func (s *session) Reset()        { s.cur = Message{} }
func (s *session) Logout() error { return nil }

func (s *session) Data(r io.Reader) error {
	m, err := netmail.ReadMessage(r)
	if err != nil {
		return err
	}
	var text io.Reader = m.Body
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		text = quotedprintable.NewReader(m.Body)
	}
	body, err := io.ReadAll(text)
	if err != nil {
		return err
	}
	if s.cur.Subject, err = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject")); err != nil {
		return errors.New("subject: " + err.Error())
	}
	s.cur.Body = string(body)
	s.cur.ID, s.cur.Remote, s.cur.Received = m.Header.Get("Message-ID"), s.remote, time.Now()
	host, _, _ := net.SplitHostPort(s.remote)
	s.s.mu.Lock()
	s.s.holding[host]++
	s.s.mu.Unlock()
	time.Sleep(s.s.hold)
	s.cur.Answered = time.Now()
	s.s.mu.Lock()
	s.s.holding[host]--
	s.s.got = append(s.s.got, s.cur)
	s.s.mu.Unlock()
	return nil
}
