package pgtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// DSN is the URL of the server's maintenance database as the superuser. Tests use a
// database of their own (Database) and leave this one to the harness.
func (s *Server) DSN() string { return s.admin.String() }

// Port is the TCP port the server listens on.
func (s *Server) Port() int {
	p, _ := strconv.Atoi(s.admin.Port())
	return p
}

// Managed tells whether the harness started the server, and so can stop and restart it.
func (s *Server) Managed() bool { return s.managed }

// Log is what the server has written to its log so far, for a failing test to show.
func (s *Server) Log() string {
	if !s.managed {
		return ""
	}
	b, _ := os.ReadFile(filepath.Join(s.dir, "log"))
	return string(b)
}

// Start starts the server again after Stop or Crash, on the same port and data
// directory, and returns once it accepts connections: clients that keep the DSN find
// it where it was.
func (s *Server) Start() error {
	if !s.managed {
		return ErrExternal
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc != nil {
		return errors.New("pgtest: the server is already running")
	}
	log, err := os.OpenFile(filepath.Join(s.dir, "log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	defer log.Close()
	from, _ := log.Seek(0, io.SeekEnd) // this start's lines begin here, for the error below
	// fsync, synchronous_commit and full_page_writes are PostgreSQL's defaults, named
	// here because the durability tests depend on them. The socket goes in the
	// temporary directory: the default /var/run/postgresql may not exist or be
	// another cluster's.
	args := []string{"-D", filepath.Join(s.dir, "data"), "-p", strconv.Itoa(s.port),
		"-c", "listen_addresses=" + strings.Join(append([]string{"127.0.0.1"}, s.listen...), ","),
		"-c", "unix_socket_directories=" + s.dir,
		"-c", "fsync=on", "-c", "synchronous_commit=on", "-c", "full_page_writes=on",
		"-c", "TimeZone=UTC", "-c", "log_timezone=UTC"}
	for _, kv := range s.settings {
		args = append(args, "-c", kv)
	}
	cmd := exec.Command(filepath.Join(s.bin, "postgres"), args...)
	prepare(cmd, s.dir, s.cred)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("pgtest: starting postgres: %w", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	s.proc, s.exited = cmd, exited

	ctx, cancel := context.WithTimeout(context.Background(), readyWithin)
	defer cancel()
	for {
		pctx, pcancel := context.WithTimeout(ctx, time.Second)
		err := s.ping(pctx)
		pcancel()
		if err == nil {
			return nil
		}
		select {
		case <-exited:
			s.proc = nil
			b, _ := os.ReadFile(log.Name())
			return fmt.Errorf("pgtest: postgres exited at start: %s", lastLines(string(b[min(int(from), len(b)):]), 5))
		case <-ctx.Done():
			s.kill()
			return fmt.Errorf("pgtest: postgres did not accept connections within %s: %v", readyWithin, err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Stop shuts the server down the way an operator's restart does (fast shutdown: open
// transactions are rolled back, clients disconnected, a checkpoint written).
func (s *Server) Stop() error { return s.signal(syscall.SIGINT) }

// Crash stops the server without a checkpoint (immediate shutdown), as a crash of the
// server leaves it: the next Start replays the WAL, so what was committed must still be
// there. (Not a power cut: the kernel keeps what was written but not yet flushed.)
func (s *Server) Crash() error { return s.signal(syscall.SIGQUIT) }

// Restart is Stop then Start.
func (s *Server) Restart() error {
	if err := s.Stop(); err != nil {
		return err
	}
	return s.Start()
}

func (s *Server) signal(sig syscall.Signal) error {
	if !s.managed {
		return ErrExternal
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil {
		return errors.New("pgtest: the server is not running")
	}
	s.proc.Process.Signal(sig)
	select {
	case <-s.exited:
	case <-time.After(readyWithin):
		s.kill()
		return fmt.Errorf("pgtest: postgres did not stop within %s after %v", readyWithin, sig)
	}
	s.proc = nil
	return nil
}

// kill ends a server that does not answer, with its whole process group; s.mu is held.
func (s *Server) kill() {
	if s.proc == nil {
		return
	}
	syscall.Kill(-s.proc.Process.Pid, syscall.SIGKILL)
	<-s.exited
	s.proc = nil
}

// Close stops a server the harness started and removes its directory. It does nothing
// to a server named by EnvServer.
func (s *Server) Close() {
	if !s.managed {
		return
	}
	s.mu.Lock()
	running := s.proc != nil
	s.mu.Unlock()
	if running {
		s.Stop()
	}
	if s.dir != "" {
		os.RemoveAll(s.dir)
	}
}

func (s *Server) ping(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, s.DSN())
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	return conn.Ping(ctx)
}
