package pgtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Database creates an empty database for this test alone and gives its DSN; it is
// dropped when the test ends. Tests of one package share a server (Main) yet cannot see
// one another's rows.
func (s *Server) Database(t testing.TB) string {
	t.Helper()
	return s.DatabaseFrom(t, "template1")
}

// DatabaseFrom is Database cloned from template, a database made by Template: migrating
// once and cloning per test is much faster than migrating in every test.
func (s *Server) DatabaseFrom(t testing.TB, template string) string {
	t.Helper()
	// The process id keeps two test binaries sharing one EnvServer apart.
	name := fmt.Sprintf("magda_test_%d_%d", os.Getpid(), s.seq.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), readyWithin)
	defer cancel()
	if err := s.create(ctx, name, template); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.drop(t, name) })
	return s.dsnOf(name)
}

func (s *Server) create(ctx context.Context, name, template string) error {
	if err := s.exec(ctx, "CREATE DATABASE "+ident(name)+" TEMPLATE "+ident(template)); err != nil {
		return fmt.Errorf("pgtest: creating database %s from %s: %w", name, template, err)
	}
	return nil
}

// Template makes a database that DatabaseFrom can clone: fill gets its DSN and fills
// it (runs the migrations, say). Afterwards no one may connect to it, since PostgreSQL
// copies a template only while it has no sessions.
func (s *Server) Template(ctx context.Context, name string, fill func(dsn string) error) error {
	if err := s.exec(ctx, "CREATE DATABASE "+ident(name)); err != nil {
		return fmt.Errorf("pgtest: creating template %s: %w", name, err)
	}
	if err := fill(s.dsnOf(name)); err != nil {
		return fmt.Errorf("pgtest: preparing template %s: %w", name, err)
	}
	if err := s.exec(ctx, "ALTER DATABASE "+ident(name)+" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"); err != nil {
		return fmt.Errorf("pgtest: template %s: %w", name, err)
	}
	// A pool that fill forgot to close would make every clone fail.
	return s.exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", name)
}

// drop removes a test's database even while the test's pool still holds connections
// (FORCE ends them). A server the test left stopped goes whole at Close, so only a
// shared outside server's failure to drop is worth a line.
func (s *Server) drop(t testing.TB, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if s.managed {
		s.mu.Lock()
		running := s.proc != nil
		s.mu.Unlock()
		if !running {
			return
		}
	}
	if err := s.exec(ctx, "DROP DATABASE IF EXISTS "+ident(name)+" WITH (FORCE)"); err != nil {
		t.Logf("pgtest: dropping database %s: %v", name, err)
	}
}

func (s *Server) dsnOf(db string) string {
	u := *s.admin
	u.Path = "/" + db
	return u.String()
}

// exec runs one statement on the maintenance database in a connection of its own, so
// the harness holds no connection that a restart or a template would trip over.
func (s *Server) exec(ctx context.Context, sql string, args ...any) error {
	conn, err := pgx.Connect(ctx, s.DSN())
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, sql, args...)
	return err
}

func ident(name string) string { return pgx.Identifier{name}.Sanitize() }

// WithHost gives dsn with its host (not its port) replaced, for a client that reaches the
// server at another of its Listen addresses, such as from a network namespace.
func WithHost(dsn, host string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	port := u.Port()
	u.Host = host
	if port != "" {
		u.Host += ":" + port
	}
	return u.String()
}
