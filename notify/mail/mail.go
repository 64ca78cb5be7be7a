package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Message is one plain-text mail.
type Message struct {
	To      []string
	Subject string
	Text    string
}

// Mailer sends mail through one SMTP server. It is safe for concurrent use: each Send
// opens its own connection (escalations are rare; a pool would only hold idle sockets).
type Mailer struct {
	host     string
	port     int
	implicit bool // smtps://: TLS from the first byte
	user     string
	pass     string
	from     string
	tls      *tls.Config
}

// Option adjusts a Mailer.
type Option func(*Mailer)

// WithTLSConfig sets the TLS configuration (a private CA, in tests).
func WithTLSConfig(c *tls.Config) Option { return func(m *Mailer) { m.tls = c } }

// New reads SMTP_URL: smtp://[user:pass@]host[:port] (STARTTLS when offered, port 25 by
// default; 587 works the same) or smtps://[user:pass@]host[:port] (implicit TLS, 465).
// The password never appears in errors.
func New(smtpURL, from string, opts ...Option) (*Mailer, error) {
	u, err := url.Parse(smtpURL)
	if err != nil {
		return nil, errors.New("SMTP_URL is not a URL like smtp://user:pass@host:587")
	}
	m := &Mailer{host: u.Hostname(), from: from}
	switch u.Scheme {
	case "smtp":
		m.port = 25
	case "smtps":
		m.port, m.implicit = 465, true
	default:
		return nil, fmt.Errorf("SMTP_URL scheme %q: want smtp or smtps", u.Scheme)
	}
	if m.host == "" {
		return nil, errors.New("SMTP_URL has no host")
	}
	if p := u.Port(); p != "" {
		if m.port, err = strconv.Atoi(p); err != nil || m.port <= 0 || m.port > 65535 {
			return nil, fmt.Errorf("SMTP_URL port %q is not a port number", p)
		}
	}
	if u.User != nil {
		m.user = u.User.Username()
		m.pass, _ = u.User.Password()
	}
	if from == "" {
		return nil, errors.New("mail: no sender address")
	}
	for _, o := range opts {
		o(m)
	}
	return m, nil
}

// Server names the server for start-up messages, without credentials.
func (m *Mailer) Server() string { return fmt.Sprintf("%s:%d", m.host, m.port) }

// Send delivers msg, or returns why not (the caller retries).
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	if len(msg.To) == 0 {
		return errors.New("mail: no recipient")
	}
	g := gomail.NewMsg()
	if err := g.From(m.from); err != nil {
		return fmt.Errorf("mail from %q: %w", m.from, err)
	}
	if err := g.To(msg.To...); err != nil {
		return fmt.Errorf("mail to %v: %w", msg.To, err)
	}
	g.Subject(msg.Subject)
	g.SetDate()
	g.SetMessageID()
	g.SetBodyString(gomail.TypeTextPlain, msg.Text)

	opts := []gomail.Option{gomail.WithPort(m.port), gomail.WithTimeout(30 * time.Second)}
	if m.implicit {
		opts = append(opts, gomail.WithSSLPort(false))
	} else {
		opts = append(opts, gomail.WithTLSPortPolicy(gomail.TLSOpportunistic))
	}
	if m.tls != nil {
		tc := m.tls.Clone()
		if tc.ServerName == "" {
			tc.ServerName = m.host
		}
		opts = append(opts, gomail.WithTLSConfig(tc))
	}
	if m.user != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(m.user), gomail.WithPassword(m.pass))
	}
	c, err := gomail.NewClient(m.host, opts...)
	if err != nil {
		return fmt.Errorf("mail client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, g); err != nil {
		return fmt.Errorf("send mail via %s: %w", m.Server(), err)
	}
	return nil
}
