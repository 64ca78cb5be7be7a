package slack

import (
	"bytes"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/schemas"
)

// manifest is the part of Slack's app manifest schema (v1) that manifest.yml uses;
// decoding is strict, so a misspelt key fails.
type manifest struct {
	Metadata struct {
		Major int `yaml:"major_version"`
		Minor int `yaml:"minor_version"`
	} `yaml:"_metadata"`
	Display struct {
		Name            string `yaml:"name"`
		Description     string `yaml:"description"`
		BackgroundColor string `yaml:"background_color"`
		LongDescription string `yaml:"long_description"`
	} `yaml:"display_information"`
	Features struct {
		AppHome struct {
			Home         bool `yaml:"home_tab_enabled"`
			Messages     bool `yaml:"messages_tab_enabled"`
			MessagesRead bool `yaml:"messages_tab_read_only_enabled"`
		} `yaml:"app_home"`
		BotUser struct {
			DisplayName  string `yaml:"display_name"`
			AlwaysOnline bool   `yaml:"always_online"`
		} `yaml:"bot_user"`
		SlashCommands []struct {
			Command      string `yaml:"command"`
			URL          string `yaml:"url"`
			Description  string `yaml:"description"`
			UsageHint    string `yaml:"usage_hint"`
			ShouldEscape bool   `yaml:"should_escape"`
		} `yaml:"slash_commands"`
	} `yaml:"features"`
	OAuth struct {
		Scopes struct {
			Bot []string `yaml:"bot"`
		} `yaml:"scopes"`
	} `yaml:"oauth_config"`
	Settings struct {
		Events struct {
			RequestURL string   `yaml:"request_url"`
			BotEvents  []string `yaml:"bot_events"`
		} `yaml:"event_subscriptions"`
		Interactivity struct {
			Enabled    bool   `yaml:"is_enabled"`
			RequestURL string `yaml:"request_url"`
		} `yaml:"interactivity"`
		OrgDeploy     bool `yaml:"org_deploy_enabled"`
		SocketMode    bool `yaml:"socket_mode_enabled"`
		TokenRotation bool `yaml:"token_rotation_enabled"`
	} `yaml:"settings"`
}

func readManifest(t *testing.T) manifest {
	t.Helper()
	b, err := os.ReadFile("../../manifest.yml")
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var m manifest
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("manifest.yml: %v", err)
	}
	return m
}

// TestManifestSchema: manifest.yml is valid against Slack's app manifest schema (v1):
// its keys, types and lengths; and it has the app's choices: the App Home and
// interactivity on, HTTP mode by default.
func TestManifestSchema(t *testing.T) {
	b, err := os.ReadFile("../../manifest.yml")
	if err != nil {
		t.Fatal(err)
	}
	schemas.Manifest(t, b)
	m := readManifest(t)
	for what, ok := range map[string]bool{
		"home tab on":          m.Features.AppHome.Home,
		"interactivity on":     m.Settings.Interactivity.Enabled,
		"HTTP mode by default": !m.Settings.SocketMode && !m.Settings.OrgDeploy && !m.Settings.TokenRotation,
	} {
		if !ok {
			t.Errorf("manifest.yml: %s", what)
		}
	}
}

// TestManifestRoutes: each request URL of the manifest is an endpoint of the app, and
// each slash command reaches the commands handler.
func TestManifestRoutes(t *testing.T) {
	m := readManifest(t)
	paths := map[string]string{
		"event_subscriptions.request_url": m.Settings.Events.RequestURL,
		"interactivity.request_url":       m.Settings.Interactivity.RequestURL,
	}
	if len(m.Features.SlashCommands) == 0 {
		t.Fatal("no slash command")
	}
	for _, sc := range m.Features.SlashCommands {
		paths[sc.Command+" url"] = sc.URL
		ta := newTestApp(t)
		body := url.Values{"command": {sc.Command}, "text": {"help"}, "user_id": {agent}, "channel_id": {chanTeam}}.Encode()
		w := ta.post(t, PathCommands, formType, body)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"text":"/magda commands"`) {
			t.Errorf("%s does not reach the commands handler: %d %s", sc.Command, w.Code, w.Body)
		}
	}
	want := map[string]string{
		"event_subscriptions.request_url": PathEvents,
		"interactivity.request_url":       PathInteractivity,
	}
	for _, sc := range m.Features.SlashCommands {
		want[sc.Command+" url"] = PathCommands
	}
	for key, raw := range paths {
		u, err := url.Parse(raw)
		if err != nil || u.Scheme != "https" || u.Path != want[key] {
			t.Errorf("%s = %q, want https://…%s", key, raw, want[key])
		}
	}
}

// TestManifestWords: every word commands.Parse routes is told in the usage hint or the
// description of /magda.
func TestManifestWords(t *testing.T) {
	m := readManifest(t)
	var text string
	for _, sc := range m.Features.SlashCommands {
		if sc.Command == Command {
			text = sc.UsageHint + " " + sc.Description
		}
	}
	for _, spec := range commands.Commands() {
		for _, w := range append([]string{spec.Name, spec.Dutch}, spec.Words...) {
			re := regexp.MustCompile(`(^|[^\pL])` + regexp.QuoteMeta(w) + `($|[^\pL])`)
			if !re.MatchString(text) {
				t.Errorf("%s: the word %q is not in the usage hint or description", spec.Verb, w)
			}
		}
	}
}

// TestManifestEvents: each subscribed event is handled (it makes a Web API call), and
// each handled event is subscribed.
func TestManifestEvents(t *testing.T) {
	m := readManifest(t)
	samples := map[string]struct {
		event  map[string]any
		method string
	}{
		EventAppMention:    {mentionEvent("<@UBOT> sla MAGDA-1", "1783600000.000300", ""), "chat.postMessage"},
		EventAppHomeOpened: {map[string]any{"type": "app_home_opened", "user": agent, "channel": "D1", "tab": "home"}, "views.publish"},
	}
	for _, name := range m.Settings.Events.BotEvents {
		s, ok := samples[name]
		if !ok {
			t.Errorf("subscribed to %s, which the app does not handle", name)
			continue
		}
		ta := newTestApp(t)
		ta.post(t, PathEvents, "application/json", eventBody("Ev-"+name, s.event))
		ta.Wait()
		if calls := ta.slack.callsTo(s.method); len(calls) != 1 {
			t.Errorf("%s: %d %s calls, want 1", name, len(calls), s.method)
		}
	}
	for name := range samples {
		if !slices.Contains(m.Settings.Events.BotEvents, name) {
			t.Errorf("%s is handled but not subscribed", name)
		}
	}
}

// TestManifestScopes: the bot asks for exactly the scopes it uses.
func TestManifestScopes(t *testing.T) {
	need := []string{
		"app_mentions:read", // app_mention
		"channels:history",  // conversations.history (Sender.Find), public channels
		"chat:write",        // chat.postMessage, chat.postEphemeral
		"commands",          // /magda
		"groups:history",    // conversations.history (Sender.Find), private channels
		"usergroups:read",   // usergroups.users.list (Options.UserGroups)
		"users:read",        // users.info (the names events are recorded with)
	}
	got := slices.Sorted(slices.Values(readManifest(t).OAuth.Scopes.Bot))
	if !slices.Equal(got, need) {
		t.Errorf("bot scopes %v, want %v", got, need)
	}
}
