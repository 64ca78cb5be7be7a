// Package schemas checks what the bot sends against the platforms' own rules: the
// Adaptive Card 1.5 schema and the Microsoft Teams host config, and Slack's app manifest
// schema, kept unchanged under testdata/ with their licences. Block Kit has no published
// schema, so Blocks checks Slack's published limits instead. Only tests import it.
package schemas

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"unicode/utf16"

	"github.com/dlclark/regexp2/v2"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

//go:embed testdata
var files embed.FS

const (
	cardSchemaURL     = "http://adaptivecards.io/schemas/adaptive-card.json"
	manifestSchemaURL = "https://api.slack.com/schemas/manifest.schema.1.0.0.json"
)

// compiled are the schemas by URL, each compiled once per test binary.
var compiled sync.Map // url → func() (*jsonschema.Schema, error)

var schemaFiles = map[string]string{
	cardSchemaURL:     "testdata/adaptivecards/adaptive-card-1.5.0.json",
	manifestSchemaURL: "testdata/slack/manifest.schema.1.0.0.json",
}

func compile(url string) (*jsonschema.Schema, error) {
	file := schemaFiles[url]
	doc, err := decodeFile(file)
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7) // the manifest schema names none; the card's says draft-06
	// JSON Schema patterns are ECMA-262 regular expressions; the manifest schema's use
	// lookahead, which Go's regexp lacks.
	c.UseRegexpEngine(ecmaScript)
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return sch, nil
}

type ecmaRegexp struct{ *regexp2.Regexp }

func (re ecmaRegexp) MatchString(s string) bool {
	ok, err := re.Regexp.MatchString(s)
	return err == nil && ok
}

func ecmaScript(s string) (jsonschema.Regexp, error) {
	re, err := regexp2.Compile(s, regexp2.ECMAScript)
	if err != nil {
		return nil, err
	}
	return ecmaRegexp{re}, nil
}

func decodeFile(name string) (any, error) {
	b, err := files.ReadFile(name)
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return doc, nil
}

func schema(t testing.TB, url string) *jsonschema.Schema {
	t.Helper()
	once, _ := compiled.LoadOrStore(url, sync.OnceValues(func() (*jsonschema.Schema, error) { return compile(url) }))
	sch, err := once.(func() (*jsonschema.Schema, error))()
	if err != nil {
		t.Fatalf("schemas: %v", err)
	}
	return sch
}

// TeamsMaxActions is the Teams host config's actions.maxActions: Teams shows no more
// actions than that in one set.
func TeamsMaxActions(t testing.TB) int {
	t.Helper()
	doc, err := decodeFile("testdata/adaptivecards/hostconfig-microsoft-teams-light.json")
	if err != nil {
		t.Fatal(err)
	}
	n, ok := doc.(map[string]any)["actions"].(map[string]any)["maxActions"].(json.Number)
	if !ok {
		t.Fatal("host config: no actions.maxActions")
	}
	v, err := n.Int64()
	if err != nil {
		t.Fatal(err)
	}
	return int(v)
}

// TeamsPayload is the most a message to Teams may weigh, the JSON as posted, counted
// both in UTF-8 and in UTF-16 (which Teams documents its limits in): 28 KB.
const TeamsPayload = 28 << 10

// Size is what Teams counts of a payload: its bytes in UTF-8 or in UTF-16, whichever
// is more.
func Size(b []byte) int {
	return max(len(b), 2*len(utf16.Encode([]rune(string(b)))))
}

// Card validates an Adaptive Card (JSON) against the 1.5 schema. Its top-level
// "msteams" key, Teams' extension that the schema's additionalProperties: false refuses,
// is checked on its own and left out of the validation; every list of actions, the
// nested cards' too, holds no more than the Teams host config shows.
func Card(t testing.TB, card []byte) {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(card))
	if err != nil {
		t.Fatalf("card: %v", err)
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		t.Fatalf("card is no object: %.200s", card)
	}
	if ext, ok := obj["msteams"]; ok {
		if m, ok := ext.(map[string]any); !ok || len(m) != 1 || m["width"] != "Full" {
			t.Errorf(`card: msteams is %v, want {"width": "Full"}`, ext)
		}
		delete(obj, "msteams")
	}
	if err := schema(t, cardSchemaURL).Validate(obj); err != nil {
		t.Errorf("card against the Adaptive Card 1.5 schema: %v\n%.2000s", err, card)
	}
	limit := TeamsMaxActions(t)
	walk(obj, func(key string, v any) {
		if as, ok := v.([]any); ok && key == "actions" && len(as) > limit {
			t.Errorf("card: %d actions in one set, the Teams host config shows %d", len(as), limit)
		}
	})
}

// TeamsMessage checks a message activity as posted to Teams: within TeamsPayload, and
// every attachment an Adaptive Card that Card accepts.
func TeamsMessage(t testing.TB, activity []byte) {
	t.Helper()
	if n := Size(activity); n > TeamsPayload {
		t.Errorf("Teams message of %d bytes, over %d", n, TeamsPayload)
	}
	var a struct {
		Attachments []struct {
			ContentType string          `json:"contentType"`
			Content     json.RawMessage `json:"content"`
		} `json:"attachments"`
	}
	if err := json.Unmarshal(activity, &a); err != nil {
		t.Fatalf("activity: %v", err)
	}
	if len(a.Attachments) == 0 {
		t.Errorf("activity without a card: %.300s", activity)
	}
	for _, at := range a.Attachments {
		if at.ContentType != "application/vnd.microsoft.card.adaptive" {
			t.Errorf("attachment of type %q", at.ContentType)
			continue
		}
		Card(t, at.Content)
	}
}

// Manifest validates a Slack app manifest (YAML) against Slack's manifest schema v1.
func Manifest(t testing.TB, manifest []byte) {
	t.Helper()
	var doc any
	if err := yaml.Unmarshal(manifest, &doc); err != nil {
		t.Fatalf("manifest: %v", err)
	}
	if err := schema(t, manifestSchemaURL).Validate(doc); err != nil {
		t.Errorf("manifest against Slack's manifest schema: %v", err)
	}
}

// walk calls f with each key and value under v, depth first.
func walk(v any, f func(key string, v any)) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			f(k, x)
			walk(x, f)
		}
	case []any:
		for _, x := range v {
			walk(x, f)
		}
	}
}

func short(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return strings.ReplaceAll(s, "\n", `\n`)
}
