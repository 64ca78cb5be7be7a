package mail

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"mime"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// received is one message as the loopback SMTP server got it.
type received struct {
	from    string
	to      []string
	data    string
	tls     bool
	authed  string
	subject string
}

type backend struct {
	mu   sync.Mutex
	got  []received
	user string
	pass string
}

type session struct {
	b   *backend
	c   *smtp.Conn
	cur received
}

func (b *backend) NewSession(c *smtp.Conn) (smtp.Session, error) { return &session{b: b, c: c}, nil }

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.b.user || pass != s.b.pass {
			return errors.New("invalid credentials")
		}
		s.cur.authed = user
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.b.user != "" && s.cur.authed == "" {
		return &smtp.SMTPError{Code: 530, Message: "authentication required"}
	}
	s.cur.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.to = append(s.cur.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.data = string(b)
	_, s.cur.tls = s.c.TLSConnectionState()
	if m, err := mail.ReadMessage(strings.NewReader(s.cur.data)); err == nil {
		s.cur.subject, _ = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	}
	s.b.mu.Lock()
	s.b.got = append(s.b.got, s.cur)
	s.b.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.cur = received{authed: s.cur.authed} }
func (s *session) Logout() error { return nil }

// startSMTP runs a real SMTP server on loopback; with tlsCert it offers STARTTLS.
func startSMTP(t *testing.T, b *backend, cert *tls.Certificate) string {
	t.Helper()
	s := smtp.NewServer(b)
	s.Domain = "localhost"
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	s.AllowInsecureAuth = cert == nil
	if cert != nil {
		s.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*cert}}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return ln.Addr().String()
}

// selfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned(t *testing.T) (*tls.Certificate, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

var escalation = Message{
	To:      []string{"magda.servicedelivery@vlaanderen.be", "sdm@example.org"},
	Subject: "ESCALATIE MAGDA-123: P1 incident Agentschap X",
	Text:    "MAGDA-123 · P1 incident · Agentschap X\nResolution: breached",
}

func TestSendPlain(t *testing.T) {
	b := &backend{}
	m, err := New("smtp://"+startSMTP(t, b, nil), "bot@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Send(context.Background(), escalation); err != nil {
		t.Fatal(err)
	}
	if len(b.got) != 1 {
		t.Fatalf("server got %d messages; want 1", len(b.got))
	}
	g := b.got[0]
	if g.from != "bot@example.org" || strings.Join(g.to, ",") != strings.Join(escalation.To, ",") {
		t.Errorf("envelope from %s to %v; want bot@example.org to %v", g.from, g.to, escalation.To)
	}
	if g.subject != escalation.Subject {
		t.Errorf("subject %q; want %q", g.subject, escalation.Subject)
	}
	if !strings.Contains(g.data, "Resolution: breached") {
		t.Errorf("body lacks the SLA card:\n%s", g.data)
	}
}

func TestSendUsesSTARTTLSWhenOffered(t *testing.T) {
	cert, pool := selfSigned(t)
	b := &backend{user: "bot", pass: "p@ss w0rd"}
	m, err := New("smtp://bot:p%40ss%20w0rd@"+startSMTP(t, b, cert), "bot@example.org",
		WithTLSConfig(&tls.Config{RootCAs: pool}))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Send(context.Background(), escalation); err != nil {
		t.Fatal(err)
	}
	if len(b.got) != 1 || !b.got[0].tls || b.got[0].authed != "bot" {
		t.Fatalf("got %+v; want one message over STARTTLS, authenticated as bot", b.got)
	}
}

func TestSendWrongPasswordKeepsItSecret(t *testing.T) {
	cert, pool := selfSigned(t)
	b := &backend{user: "bot", pass: "right"}
	m, err := New("smtp://bot:Wr0ngS3cret@"+startSMTP(t, b, cert), "bot@example.org", WithTLSConfig(&tls.Config{RootCAs: pool}))
	if err != nil {
		t.Fatal(err)
	}
	err = m.Send(context.Background(), escalation)
	if err == nil {
		t.Fatal("sent with a wrong password")
	}
	if strings.Contains(err.Error(), "Wr0ngS3cret") {
		t.Errorf("error shows the password: %v", err)
	}
	if len(b.got) != 0 {
		t.Errorf("server got %d messages", len(b.got))
	}
}

// TestRequiredTLSRefusesPlainServer (issue 10.9): with credentials STARTTLS is required
// by default, and on request without: a server (or a man in the middle that strips
// STARTTLS) that does not offer it gets neither the password nor the mail, and the
// error says why.
func TestRequiredTLSRefusesPlainServer(t *testing.T) {
	for _, u := range []string{"smtp://bot:s3cret@%s", "smtp://%s?tls=required"} {
		b := &backend{}
		addr := startSMTP(t, b, nil)
		m, err := New(strings.Replace(u, "%s", addr, 1), "bot@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if m.Policy() != TLSRequired {
			t.Errorf("%s: policy %s, want required", u, m.Policy())
		}
		err = m.Send(context.Background(), escalation)
		if err == nil || !strings.Contains(err.Error(), "STARTTLS") || !strings.Contains(err.Error(), "tls=required") {
			t.Errorf("%s: Send = %v; want a refusal naming STARTTLS and tls=required", u, err)
		}
		if err != nil && strings.Contains(err.Error(), "s3cret") {
			t.Errorf("error shows the password: %v", err)
		}
		if len(b.got) != 0 {
			t.Errorf("%s: the server got %d messages in clear", u, len(b.got))
		}
		t.Logf("%s: %v", u, err)
	}
}

// TestOpportunisticSendsInClear: tls=opportunistic (the default without credentials)
// sends in clear to a server without STARTTLS, as asked.
func TestOpportunisticSendsInClear(t *testing.T) {
	b := &backend{}
	m, err := New("smtp://"+startSMTP(t, b, nil)+"?tls=opportunistic", "bot@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Send(context.Background(), escalation); err != nil {
		t.Fatal(err)
	}
	if len(b.got) != 1 || b.got[0].tls {
		t.Errorf("got %+v; want one message, in clear", b.got)
	}
}

// TestStableMessageID: two tries of one message carry one Message-ID, made from its
// ID and the sender's domain, so a receiver can drop the repeat; without an ID each
// mail gets its own.
func TestStableMessageID(t *testing.T) {
	b := &backend{}
	m, err := New("smtp://"+startSMTP(t, b, nil), "MAGDA bot <bot@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	keyed := escalation
	keyed.ID = "42.MAGDA-1.escalation.1"
	for _, msg := range []Message{keyed, keyed, escalation, escalation} {
		if err := m.Send(context.Background(), msg); err != nil {
			t.Fatal(err)
		}
	}
	var ids []string
	for _, g := range b.got {
		mm, err := mail.ReadMessage(strings.NewReader(g.data))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, mm.Header.Get("Message-ID"))
	}
	if len(ids) != 4 || ids[0] != "<42.MAGDA-1.escalation.1@example.org>" || ids[1] != ids[0] {
		t.Errorf("Message-IDs %q; want <42.MAGDA-1.escalation.1@example.org> twice", ids)
	}
	if len(ids) == 4 && (ids[2] == ids[3] || ids[2] == ids[0]) {
		t.Errorf("Message-IDs without an ID %q, %q: want two new ones", ids[2], ids[3])
	}
}

func TestNewRejectsBadURLs(t *testing.T) {
	for _, u := range []string{"http://host", "smtp://", "smtp://host:99999", "::",
		"smtp://host?tls=maybe", "smtp://host?starttls=1", "smtps://host?tls=none", "smtp://u:pw@host?tls=none"} {
		if _, err := New(u, "bot@example.org"); err == nil {
			t.Errorf("New(%q) accepted", u)
		}
	}
	if _, err := New("smtp://u:topsecret@host:x", "bot@example.org"); err == nil || strings.Contains(err.Error(), "topsecret") {
		t.Errorf("bad port: %v; want an error without the password", err)
	}
	if _, err := New("smtp://u:topsecret@host?tls=none", "bot@example.org"); err == nil || strings.Contains(err.Error(), "topsecret") {
		t.Errorf("tls=none with a password: %v; want an error without the password", err)
	}
}

// TestPolicy: the TLS policy each SMTP_URL gets.
func TestPolicy(t *testing.T) {
	for u, want := range map[string]string{
		"smtp://relay":                      TLSOpportunistic,
		"smtp://relay?tls=none":             TLSNone,
		"smtp://u:p@host:587":               TLSRequired,
		"smtp://u:p@host?tls=opportunistic": TLSOpportunistic,
		"smtps://u:p@host":                  TLSRequired,
		"smtps://host?tls=required":         TLSRequired,
	} {
		m, err := New(u, "bot@example.org")
		if err != nil || m.Policy() != want {
			t.Errorf("New(%q): policy %v, %v; want %s", u, m, err, want)
		}
	}
}
