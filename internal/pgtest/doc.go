// Package pgtest starts a throwaway PostgreSQL server for tests: Debian's server binaries
// run as an unprivileged user in a temporary directory on a free loopback port, with
// fsync on, so that a durability test proves something. Each test gets a database of its
// own, cloned from a template, and the server and its directory go when the test (or,
// through Main, the test binary) ends. It is test support: only tests import it.
package pgtest
