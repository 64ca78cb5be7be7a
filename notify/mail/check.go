package mail

import (
	"context"
	"fmt"
)

// Check connects to the SMTP server as Send does, with the same TLS policy and login,
// and leaves without sending, for `bot check`: a server without STARTTLS, a wrong
// certificate or password shows now, not at the first escalation (R7).
func (m *Mailer) Check(ctx context.Context) error {
	c, err := m.client()
	if err != nil {
		return err
	}
	if err := c.DialWithContext(ctx); err != nil {
		return fmt.Errorf("%s (tls=%s): %w", m.Server(), m.Policy(), err)
	}
	return c.Close()
}
