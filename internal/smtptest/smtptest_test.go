package smtptest

import (
	"net"
	"net/smtp"
	"strings"
	"testing"
	"time"
)

// TestListenHold: a server told where to listen is there, and one that holds answers
// gives its 250 no sooner than the hold after the data ended; the message keeps its
// Message-ID and the client's address.
func TestListenHold(t *testing.T) {
	const hold = 200 * time.Millisecond
	s := Start(t, Listen("127.0.0.1:0"), Hold(hold))
	if host, _, _ := net.SplitHostPort(s.Addr); host != "127.0.0.1" {
		t.Fatalf("listens on %s", s.Addr)
	}
	msg := "Message-ID: <42.MAGDA-1.escalation.1@example.test>\r\nSubject: ESCALATIE MAGDA-1\r\n\r\nbody\r\n"
	start := time.Now()
	sent := make(chan error, 1)
	go func() {
		sent <- smtp.SendMail(s.Addr, nil, "bot@example.test", []string{"sd@example.test"}, []byte(msg))
	}()
	for s.Holding("127.0.0.1") == 0 && time.Since(start) < hold {
		time.Sleep(time.Millisecond)
	}
	if n := s.Holding("127.0.0.1"); n != 1 {
		t.Errorf("holding %d mails from 127.0.0.1 during the hold, want 1", n)
	}
	if err := <-sent; err != nil {
		t.Fatal(err)
	}
	if n := s.Holding("127.0.0.1"); n != 0 {
		t.Errorf("holding %d mails after the answer", n)
	}
	if took := time.Since(start); took < hold {
		t.Errorf("the client had its answer after %s, before the %s hold", took, hold)
	}
	got := s.Messages()
	if len(got) != 1 {
		t.Fatalf("%d messages, want 1", len(got))
	}
	m := got[0]
	if m.ID != "<42.MAGDA-1.escalation.1@example.test>" || m.Subject != "ESCALATIE MAGDA-1" || !strings.HasPrefix(m.Remote, "127.0.0.1:") {
		t.Errorf("got %+v", m)
	}
	if d := m.Answered.Sub(m.Received); d < hold {
		t.Errorf("answered %s after the data, want at least %s", d, hold)
	}
}

// TestDefaultAnswersAtOnce: without options the server is on 127.0.0.1 and answers
// without a hold, as its other users expect.
func TestDefaultAnswersAtOnce(t *testing.T) {
	s := Start(t)
	if err := smtp.SendMail(s.Addr, nil, "bot@example.test", []string{"sd@example.test"}, []byte("Subject: hi\r\n\r\nx\r\n")); err != nil {
		t.Fatal(err)
	}
	m := s.Messages()[0]
	if d := m.Answered.Sub(m.Received); d > 100*time.Millisecond {
		t.Errorf("answered %s after the data without a hold", d)
	}
}
