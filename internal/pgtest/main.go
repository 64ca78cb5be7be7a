package pgtest

import (
	"errors"
	"os"
	"sync"
	"testing"
)

// shared is the one server of a test binary whose TestMain calls Main, started by the
// first test that asks for it, so a run that selects none of them starts none.
var shared struct {
	inMain bool
	once   sync.Once
	srv    *Server
	err    error
}

// Main runs a package's tests with one shared server, stopped and removed when they
// end: call it as the package's TestMain, func TestMain(m *testing.M) { pgtest.Main(m) }.
func Main(m *testing.M, opts ...Option) { os.Exit(Run(m)) }

// Run is Main for a TestMain that has more to do after the tests: it runs them with
// the shared server, stops it, and gives m.Run's exit code.
func Run(m *testing.M) int {
	shared.inMain = true
	code := m.Run()
	if shared.srv != nil {
		shared.srv.Close()
	}
	return code
}

// Shared gives the test binary's server (see Main), or without Main a server of this
// test's own. Where PostgreSQL cannot be had the test is skipped with ErrNoServer's line.
func Shared(t testing.TB) *Server {
	t.Helper()
	if !shared.inMain {
		return Start(t)
	}
	shared.once.Do(func() { shared.srv, shared.err = Launch() })
	if shared.err != nil {
		unavailable(t, shared.err)
	}
	return shared.srv
}

// Database is Shared(t).Database(t): a fresh, empty database for this test.
func Database(t testing.TB) string {
	t.Helper()
	return Shared(t).Database(t)
}

// Start starts a server for this test alone, stopped and removed when it ends. A test
// that stops or restarts the server passes Owned.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := Launch(opts...)
	if err != nil {
		unavailable(t, err)
	}
	t.Cleanup(s.Close)
	return s
}

// unavailable skips the test when there is no PostgreSQL to be had, except in CI, whose
// .ci/run installs it: a skip there would hide a broken install step. Any other error
// (the binaries are there but the server does not start) fails the test.
func unavailable(t testing.TB, err error) {
	t.Helper()
	if errors.Is(err, ErrNoServer) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	t.Fatal(err)
}
