// Package smtptest is a real SMTP server on loopback for tests: it keeps every message
// it is sent, with its envelope and its decoded subject and text.
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
}

// Server is a running SMTP server; Addr is its host:port.
type Server struct {
	Addr string
	mu   sync.Mutex
	got  []Message
}

// Start runs a server on 127.0.0.1 until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	srv := &Server{}
	s := smtp.NewServer(backend{srv})
	s.Domain, s.AllowInsecureAuth = "localhost", true
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
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

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s   *Server
	cur Message
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
	s.s.mu.Lock()
	s.s.got = append(s.s.got, s.cur)
	s.s.mu.Unlock()
	return nil
}
