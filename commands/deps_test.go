package commands

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestNoPlatformDependency: commands stays platform-neutral (STYLE.md): no chat SDK and
// no database driver is among its dependencies, tests included.
func TestNoPlatformDependency(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		gobin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	out, err := exec.Command(gobin, "list", "-deps", "-test", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 || !contains(deps, "github.com/digitaal-vlaanderen/magda-sla-bot/sla") {
		t.Fatalf("go list -deps gave no plausible list:\n%s", out)
	}
	for _, d := range deps {
		for _, banned := range []string{"github.com/slack-go/", "github.com/infracloudio/msbotbuilder-go", "github.com/mattn/go-sqlite3"} {
			if strings.HasPrefix(d, banned) {
				t.Errorf("commands depends on %s", d)
			}
		}
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
