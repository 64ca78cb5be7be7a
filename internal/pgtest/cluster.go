package pgtest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
)

// init makes the temporary directory and the cluster in it. PostgreSQL refuses to run as
// root, so under root (as in CI) both initdb and the server run as Debian's postgres
// system user, or nobody, and the directory is theirs.
func (s *Server) init() error {
	var err error
	if s.cred, err = unprivileged(); err != nil {
		return err
	}
	if s.dir, err = tempDir(s.cred, "pgtest-"); err != nil {
		return err
	}
	pw, err := initdb(s.bin, s.dir, s.cred)
	if err != nil {
		return err
	}
	s.admin = &url.URL{Scheme: "postgres", User: url.UserPassword(superuser, pw), Path: "/postgres"}
	if len(s.listen) == 0 {
		return nil
	}
	// initdb lets clients in from loopback only. A client in a test's namespace comes
	// from its own address; the server listens on loopback and the given addresses
	// alone, so any client that can reach it may try, with the password.
	hba, err := os.OpenFile(filepath.Join(s.dir, "data", "pg_hba.conf"), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	defer hba.Close()
	if _, err := hba.WriteString("host all all 0.0.0.0/0 scram-sha-256\nhost all all ::/0 scram-sha-256\n"); err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	return hba.Close()
}

// initdb makes a cluster in dir/data with a new superuser password, which it returns.
func initdb(bin, dir string, cred *syscall.Credential) (string, error) {
	b := make([]byte, 16)
	rand.Read(b)
	pw := hex.EncodeToString(b)
	pwfile := filepath.Join(dir, "pwfile")
	if err := os.WriteFile(pwfile, []byte(pw+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("pgtest: %w", err)
	}
	defer os.Remove(pwfile)
	if cred != nil {
		if err := os.Chown(pwfile, int(cred.Uid), int(cred.Gid)); err != nil {
			return "", fmt.Errorf("pgtest: %w", err)
		}
	}
	// The C locale and UTF-8 make sorting and encoding the same on every machine,
	// whatever LANG the developer has; password authentication on TCP is what the
	// bot meets in production. --no-sync only skips initdb's own final flush: the
	// server itself runs with fsync on.
	cmd := exec.Command(filepath.Join(bin, "initdb"), "-D", filepath.Join(dir, "data"),
		"-U", superuser, "--pwfile", pwfile, "--auth", "scram-sha-256",
		"-E", "UTF8", "--locale", "C", "--no-sync", "--no-instructions")
	prepare(cmd, dir, cred)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("pgtest: initdb: %v: %s", err, lastLines(string(out), 5))
	}
	return pw, nil
}

// tempDir makes a directory under the system's temporary one for cred's user: not
// t.TempDir, whose parent is root's alone and so closed to the server's user.
func tempDir(cred *syscall.Credential, pattern string) (string, error) {
	dir, err := os.MkdirTemp("", pattern)
	if err != nil {
		return "", fmt.Errorf("pgtest: %w", err)
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			os.RemoveAll(dir)
			return "", fmt.Errorf("pgtest: %w", err)
		}
	}
	return dir, nil
}
