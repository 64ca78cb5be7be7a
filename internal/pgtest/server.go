package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// EnvServer names an already running server to use instead of starting one, as a
// postgres:// URL of a role that may create databases.
const EnvServer = "MAGDA_TEST_POSTGRES"

// ErrNoServer says that no server binaries were found and EnvServer is unset; the test
// is skipped with this line as its reason, so it names what to install.
var ErrNoServer = errors.New("pgtest: no PostgreSQL server binaries (initdb, postgres) in /usr/lib/postgresql/*/bin or on PATH: install Debian's package postgresql, or set " + EnvServer + "=postgres://user:password@host:port/db")

// ErrExternal is what stopping or restarting a server named by EnvServer gives: the
// harness does not own it. A failure test asks for a server of its own with Owned.
var ErrExternal = errors.New("pgtest: the server named by " + EnvServer + " is not the harness's to stop or restart")

// readyWithin bounds every wait for the server to accept connections or to stop, so a
// broken installation fails the test instead of hanging it.
const readyWithin = 60 * time.Second

// superuser is the role initdb creates and the harness connects as.
const superuser = "postgres"

// Server is one PostgreSQL server, started by the harness or named by EnvServer.
type Server struct {
	admin   *url.URL // the maintenance database "postgres", as the superuser
	managed bool

	bin      string   // the directory of initdb and postgres
	dir      string   // the server's temporary directory: data/, the socket, the log
	listen   []string // addresses besides 127.0.0.1
	settings []string // name=value, given as -c
	cred     *syscall.Credential

	mu     sync.Mutex
	port   int
	proc   *exec.Cmd
	exited chan struct{}

	seq atomic.Int64 // numbers the databases it creates
}

// Option changes how Launch starts a server.
type Option func(*options)

type options struct {
	listen   []string
	settings []string
	owned    bool
}

// Listen makes the server listen on these addresses as well as 127.0.0.1, such as the
// bridge address of an internal/netns network, so that processes in the test's own
// namespaces reach it. Each must be configured on this host before the server starts.
// An outside server cannot be told where to listen, so Listen implies Owned.
func Listen(addrs ...string) Option {
	return func(o *options) { o.listen, o.owned = append(o.listen, addrs...), true }
}

// Setting passes a server setting (postgres -c name=value), such as shared_buffers for
// a benchmark. A server named by EnvServer keeps its own settings.
func Setting(name, value string) Option {
	return func(o *options) { o.settings = append(o.settings, name+"="+value) }
}

// Owned asks for a server the test can stop, crash and restart, so EnvServer is not
// used; without server binaries the test is skipped.
func Owned() Option { return func(o *options) { o.owned = true } }

// Launch starts a server outside any test, for a TestMain; the caller must Close it.
// With EnvServer set (and no Owned option) it checks that server and uses it instead.
func Launch(opts ...Option) (*Server, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if env := os.Getenv(EnvServer); env != "" && !o.owned {
		return external(env)
	}
	bin, err := findBinaries()
	if err != nil {
		return nil, err
	}
	s := &Server{managed: true, bin: bin, listen: o.listen, settings: o.settings}
	if err := s.init(); err != nil {
		s.Close()
		return nil, err
	}
	// A free port found now may be taken before the server binds it; a second or
	// third pick is free unless something else is badly wrong.
	for try := 0; ; try++ {
		if s.port, err = freePort(); err != nil {
			s.Close()
			return nil, err
		}
		s.admin.Host = "127.0.0.1:" + strconv.Itoa(s.port)
		err = s.Start()
		if err == nil {
			return s, nil
		}
		if try == 2 || !strings.Contains(err.Error(), "already in use") {
			s.Close()
			return nil, err
		}
	}
}

func external(dsn string) (*Server, error) {
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
		// The value is not repeated: it may hold a password.
		return nil, fmt.Errorf("pgtest: %s must be a postgres://user:password@host:port/db URL", EnvServer)
	}
	s := &Server{admin: u}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.ping(ctx); err != nil {
		return nil, fmt.Errorf("pgtest: %s: %w", EnvServer, err)
	}
	return s, nil
}

// debianBins is where Debian's postgresql-NN packages put the server; a variable so that
// a test can look elsewhere.
var debianBins = "/usr/lib/postgresql/*/bin"

// findBinaries prefers Debian's newest installed major version, then a server on PATH
// (pg_ctl on PATH may be a link into Debian's directory, so links are followed).
func findBinaries() (string, error) {
	dirs, _ := filepath.Glob(debianBins)
	major := func(d string) int { n, _ := strconv.Atoi(filepath.Base(filepath.Dir(d))); return n }
	slices.SortFunc(dirs, func(a, b string) int { return major(b) - major(a) })
	for _, name := range []string{"postgres", "initdb", "pg_ctl"} {
		if p, err := exec.LookPath(name); err == nil {
			if r, err := filepath.EvalSymlinks(p); err == nil {
				dirs = append(dirs, filepath.Dir(r))
			}
			dirs = append(dirs, filepath.Dir(p))
		}
	}
	for _, d := range dirs {
		if isExec(filepath.Join(d, "postgres")) && isExec(filepath.Join(d, "initdb")) {
			return d, nil
		}
	}
	return "", ErrNoServer
}

func isExec(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// prepare gives a server command its user, directory and a fixed environment, and puts
// it in its own process group so that a ^C to go test reaches the test first, which then
// stops the server in order. Should the test binary die, the server gets SIGQUIT (its
// immediate shutdown) instead of living on. (Linux sends it when the starting thread
// ends; a Go thread ends only with a goroutine that stays locked to it.)
func prepare(cmd *exec.Cmd, dir string, cred *syscall.Credential) {
	cmd.Dir = dir
	cmd.Env = []string{"PATH=/usr/bin:/bin", "LC_ALL=C", "TZ=UTC"}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Setpgid: true, Pdeathsig: syscall.SIGQUIT}
}

func unprivileged() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err1 == nil && err2 == nil {
			// No supplementary groups: root's must not come along.
			return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}, nil
		}
	}
	return nil, errors.New("pgtest: running as root, and neither the postgres nor the nobody user exists to run the server as")
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgtest: finding a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
