package notify_test

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// TestNoChatSDK: notify knows the platforms only through its Sender interface (STYLE.md):
// neither chat SDK is among its dependencies (its tests may use them).
func TestNoChatSDK(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		gobin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	out, err := exec.Command(gobin, "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/digitaal-vlaanderen/magda-sla-bot/commands") {
		t.Fatalf("go list -deps gave no plausible list:\n%s", out)
	}
	for _, d := range deps {
		for _, banned := range []string{"github.com/slack-go/", "github.com/infracloudio/msbotbuilder-go", "github.com/digitaal-vlaanderen/magda-sla-bot/notify/slack", "github.com/digitaal-vlaanderen/magda-sla-bot/notify/teams"} {
			if strings.HasPrefix(d, banned) {
				t.Errorf("notify depends on %s", d)
			}
		}
	}
}
