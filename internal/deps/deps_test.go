package deps

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/digitaal-vlaanderen/magda-sla-bot/"

// depsOf lists what pkg depends on (its tests too when withTests), as `go list -deps`.
func depsOf(t *testing.T, pkg string, withTests bool) []string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		gobin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	args := []string{"list", "-deps"}
	if withTests {
		args = append(args, "-test")
	}
	out, err := exec.Command(gobin, append(args, module+pkg)...).CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "time") {
		t.Fatalf("go list -deps %s gave no plausible list:\n%s", pkg, out)
	}
	return deps
}

// TestImportDirection keeps each boundary of STYLE.md with `go list -deps`.
func TestImportDirection(t *testing.T) {
	chat := []string{"github.com/slack-go/", "github.com/infracloudio/msbotbuilder-go", module + "notify/slack", module + "notify/teams"}
	for _, tc := range []struct {
		pkg       string
		withTests bool
		allowed   func(dep string) bool // nil: anything not banned
		banned    []string
	}{
		// sla is pure: the standard library and rickar/cal only.
		{pkg: "sla", allowed: func(d string) bool {
			first, _, _ := strings.Cut(d, "/")
			return !strings.Contains(first, ".") || strings.HasPrefix(d, "github.com/rickar/cal/") || d == module+"sla"
		}},
		{pkg: "commands", withTests: true, banned: append(chat, "github.com/mattn/go-sqlite3", module+"storage")},
		{pkg: "notify", banned: chat},
	} {
		for _, d := range depsOf(t, tc.pkg, tc.withTests) {
			if tc.allowed != nil && !tc.allowed(d) {
				t.Errorf("%s depends on %s", tc.pkg, d)
			}
			for _, b := range tc.banned {
				if strings.HasPrefix(d, b) {
					t.Errorf("%s depends on %s", tc.pkg, d)
				}
			}
		}
	}
}
