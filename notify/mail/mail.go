package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Message is one plain-text mail.
type Message struct {
	To      []string
	Subject string
	Text    string
	// ID makes the Message-ID <ID@the sender's domain>: the same for every try of one
	// message, so that a receiver can drop the copy a retry sent after a lost answer.
	// "": a random one.
	ID string `json:",omitempty"`
}

// TLS policies of SMTP_URL's tls parameter for smtp://.
const (
	TLSRequired      = "required"      // STARTTLS or nothing is sent
	TLSOpportunistic = "opportunistic" // STARTTLS when the server offers it
	TLSNone          = "none"          // never: a relay on a trusted network only
)

// Mailer sends mail through one SMTP server. It is safe for concurrent use: each Send
// opens its own connection (escalations are rare; a pool would only hold idle sockets).
type Mailer struct {
	host     string
	port     int
	implicit bool   // smtps://: TLS from the first byte
	policy   string // smtp://: TLSRequired, TLSOpportunistic or TLSNone
	user     string
	pass     string
	from     string
	tls      *tls.Config
}

// Option adjusts a Mailer.
type Option func(*Mailer)

// WithTLSConfig sets the TLS configuration (a private CA, in tests).
func WithTLSConfig(c *tls.Config) Option { return func(m *Mailer) { m.tls = c } }

// New reads SMTP_URL: smtp://[user:pass@]host[:port][?tls=required|opportunistic|none]
// (STARTTLS; port 25 by default, 587 works the same) or smtps://[user:pass@]host[:port]
// (implicit TLS, 465). With a user the tls default is required: a server, or a man in
// the middle, that does not offer STARTTLS gets nothing, neither the password nor the
// mail. Without a user it is opportunistic (an internal relay). tls=none with a
// password is refused. The password never appears in errors.
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
	if m.policy, err = policy(u, m.user != ""); err != nil {
		return nil, err
	}
	if from == "" {
		return nil, errors.New("mail: no sender address")
	}
	for _, o := range opts {
		o(m)
	}
	return m, nil
}

// policy reads SMTP_URL's query: tls, and nothing else.
func policy(u *url.URL, credentials bool) (string, error) {
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return "", errors.New("SMTP_URL's query is not key=value")
	}
	for k := range q {
		if k != "tls" {
			return "", fmt.Errorf("SMTP_URL parameter %q: only tls=required|opportunistic|none is known", k)
		}
	}
	p := q.Get("tls")
	switch {
	case u.Scheme == "smtps":
		if p != "" && p != TLSRequired {
			return "", fmt.Errorf("SMTP_URL tls=%s: smtps:// is always TLS", p)
		}
		return TLSRequired, nil
	case p == "" && credentials:
		return TLSRequired, nil
	case p == "":
		return TLSOpportunistic, nil
	case p == TLSNone && credentials:
		return "", errors.New("SMTP_URL tls=none with a user: the password would go in clear; use tls=required")
	case p == TLSRequired || p == TLSOpportunistic || p == TLSNone:
		return p, nil
	}
	return "", fmt.Errorf("SMTP_URL tls=%s: want required, opportunistic or none", p)
}

// Server names the server for start-up messages, without credentials.
func (m *Mailer) Server() string { return fmt.Sprintf("%s:%d", m.host, m.port) }

// Policy is how the mail is protected: TLSRequired (always for smtps://),
// TLSOpportunistic or TLSNone.
func (m *Mailer) Policy() string { return m.policy }

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
	if msg.ID != "" {
		g.SetMessageIDWithValue(messageID(msg.ID, m.from))
	} else {
		g.SetMessageID()
	}
	g.SetBodyString(gomail.TypeTextPlain, msg.Text)

	c, err := m.client()
	if err != nil {
		return err
	}
	if err := c.DialAndSendWithContext(ctx, g); err != nil {
		return fmt.Errorf("mail not sent via %s (tls=%s): %w", m.Server(), m.Policy(), err)
	}
	return nil
}

// client is an SMTP client with the URL's port, TLS policy and credentials.
func (m *Mailer) client() (*gomail.Client, error) {
	// WithTLSPolicy, not WithTLSPortPolicy: that one moves port 25 to 587.
	opts := []gomail.Option{gomail.WithPort(m.port), gomail.WithTimeout(30 * time.Second)}
	switch {
	case m.implicit:
		opts = append(opts, gomail.WithSSL())
	case m.policy == TLSRequired:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case m.policy == TLSOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
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
		return nil, fmt.Errorf("mail client: %w", err)
	}
	return c, nil
}

// messageID is <id@domain of from>, id kept to the characters a Message-ID may hold.
func messageID(id, from string) string {
	domain := "magda-sla-bot.invalid"
	if _, d, ok := strings.Cut(from, "@"); ok && d != "" {
		domain = strings.Trim(d, "<> ")
	}
	clean := strings.Map(func(r rune) rune {
		if r < 0x80 && (r == '.' || r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return r
		}
		return '-'
	}, id)
	return clean + "@" + domain
}
