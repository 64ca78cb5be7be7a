// Package pgtest starts a throwaway PostgreSQL server for tests: Debian's server binaries
// run as an unprivileged user in a temporary directory on a free loopback port, with
// fsync on as in production, so that what a benchmark of durable writes measures is
// what an operator gets. Each test gets a database of its
// own, cloned from a template, and the server and its directory go when the test (or,
// through Main, the test binary) ends. It is test support: only tests import it.
//
// A package's tests share one server:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
//	func TestAppend(t *testing.T) {
//		dsn := pgtest.Database(t) // postgres://postgres:…@127.0.0.1:PORT/magda_test_…
//		…
//	}
//
// A failure test takes a server of its own, which it may Stop, Crash and Start again on
// the same DSN: s := pgtest.Start(t, pgtest.Owned()). Where no server binaries are
// installed the tests are skipped with one line naming Debian's package postgresql and
// MAGDA_TEST_POSTGRES, which names a running server to use instead.
package pgtest
