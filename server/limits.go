package server

import (
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// The limits of every listener the bot serves (issue 10.4). Without them a client that
// never finishes its request holds a connection, a goroutine and a file descriptor for
// as long as it likes.
const (
	// ReadHeaderTimeout is how long the request line and headers may take.
	ReadHeaderTimeout = 10 * time.Second
	// ReadTimeout bounds a whole request, headers and body, on any route; the webhook
	// routes bound their bodies tighter with Bodies.
	ReadTimeout = 30 * time.Second
	// WriteTimeout bounds the answer, from the end of the headers: the slowest handler
	// (a 1 MiB batch of events committed to SQLite) takes about a second.
	WriteTimeout = 30 * time.Second
	// IdleTimeout closes a keep-alive connection that sends nothing more.
	IdleTimeout = 60 * time.Second
	// MaxHeaderBytes is ample for a Bot Framework JWT (about 2 KB) and Slack's headers;
	// more gets 431.
	MaxHeaderBytes = 16 << 10
)

// NewHTTP gives the http.Server for h with the limits above; its own errors (a failed
// accept, a malformed request) go to log as warnings.
func NewHTTP(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// DefaultMaxConns is the public listener's connection limit when MAGDA_MAX_CONNS is
// unset: half the process's file descriptors, so that SQLite, the outbound Slack, Teams
// and SMTP connections and the metrics listener always have theirs, and at most 1024.
func DefaultMaxConns() int {
	n := 1024
	if fds := openFiles(); fds > 0 {
		n = min(n, fds/2)
	}
	return max(n, 16)
}

// LimitListener accepts at most n connections at once. The next one waits in the
// kernel's backlog, holding no file descriptor of the process, until one closes.
func LimitListener(l net.Listener, n int) net.Listener {
	return &limitListener{Listener: l, slots: make(chan struct{}, n), done: make(chan struct{})}
}

type limitListener struct {
	net.Listener
	slots     chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.slots <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &limitConn{Conn: c, release: func() { <-l.slots }}, nil
}

// Close also ends an Accept waiting for a free slot.
func (l *limitListener) Close() error {
	err := l.Listener.Close()
	l.closeOnce.Do(func() { close(l.done) })
	return err
}

type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
