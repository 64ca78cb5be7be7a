package schemas

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// failures runs check with a testing.TB that records what it reports.
func failures(check func(t testing.TB)) []string {
	r := &recorder{TB: &testing.T{}}
	var wg sync.WaitGroup
	wg.Go(func() { check(r) })
	wg.Wait()
	return r.got
}

type recorder struct {
	testing.TB
	mu  sync.Mutex
	got []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}
func (r *recorder) Fatal(args ...any) {
	r.Errorf("%s", fmt.Sprint(args...))
	runtime.Goexit()
}

const goodCard = `{"$schema":"http://adaptivecards.io/schemas/adaptive-card.json","type":"AdaptiveCard","version":"1.5",
"body":[{"type":"TextBlock","text":"MAGDA-1","wrap":true}],"actions":[%s],"msteams":%s}`

const submit = `{"type":"Action.Submit","title":"Details","data":{"action":"magda_ticket"}}`

// TestCard: the checker accepts a good card and names each fault of a bad one.
func TestCard(t *testing.T) {
	six := strings.TrimSuffix(strings.Repeat(submit+",", 6), ",")
	tests := []struct {
		name string
		card string
		want string // "" for none
	}{
		{"good", fmt.Sprintf(goodCard, submit, `{"width":"Full"}`), ""},
		{"six actions", fmt.Sprintf(goodCard, six, `{"width":"Full"}`), ""},
		{"seven actions", fmt.Sprintf(goodCard, six+","+submit, `{"width":"Full"}`), "7 actions"},
		{"msteams other", fmt.Sprintf(goodCard, submit, `{"width":"Half"}`), "msteams"},
		{"unknown property", strings.Replace(fmt.Sprintf(goodCard, submit, `{"width":"Full"}`), `"wrap":true`, `"wrapp":true`, 1), "schema"},
		{"bad colour", strings.Replace(fmt.Sprintf(goodCard, submit, `{"width":"Full"}`), `"wrap":true`, `"color":"Red"`, 1), "schema"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := failures(func(t testing.TB) { Card(t, []byte(tt.card)) })
			if tt.want == "" && len(got) > 0 || tt.want != "" && (len(got) == 0 || !strings.Contains(strings.Join(got, "\n"), tt.want)) {
				t.Errorf("got %q, want a failure with %q", got, tt.want)
			}
		})
	}
}

// TestTeamsMessage: 28 KB counted in UTF-16, so half as many ASCII characters.
func TestTeamsMessage(t *testing.T) {
	act := func(text string) []byte {
		return []byte(`{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":` +
			`{"type":"AdaptiveCard","version":"1.5","body":[{"type":"TextBlock","text":"` + text + `"}]}}]}`)
	}
	small := act(strings.Repeat("a", 100))
	if got := failures(func(t testing.TB) { TeamsMessage(t, small) }); len(got) > 0 {
		t.Errorf("a small message: %q", got)
	}
	big := act(strings.Repeat("a", TeamsPayload/2))
	if len(big) > TeamsPayload {
		t.Fatal("the big message should be under the limit in UTF-8")
	}
	if got := failures(func(t testing.TB) { TeamsMessage(t, big) }); len(got) != 1 || !strings.Contains(got[0], "over") {
		t.Errorf("a message over 28 KB in UTF-16: %q", got)
	}
}

// TestBlocks: each of Slack's limits is checked.
func TestBlocks(t *testing.T) {
	section := func(n int) string {
		return `{"type":"section","text":{"type":"mrkdwn","text":"` + strings.Repeat("x", n) + `"}}`
	}
	many := func(n int, b string) string { return "[" + strings.TrimSuffix(strings.Repeat(b+",", n), ",") + "]" }
	tests := []struct {
		name   string
		blocks string
		max    int
		want   string
	}{
		{"good", `[{"type":"header","text":{"type":"plain_text","text":"T"}},` + section(3000) + `,{"type":"divider"}]`, MessageBlocks, ""},
		{"50 blocks", many(50, section(10)), MessageBlocks, ""},
		{"51 blocks", many(51, section(10)), MessageBlocks, "51 blocks"},
		{"100 in a view", many(100, section(10)), ViewBlocks, ""},
		{"section text", "[" + section(3001) + "]", MessageBlocks, "3001 characters"},
		{"block text ceiling", many(5, section(2500)), MessageBlocks, "msg_blocks_too_long"},
		{"header", `[{"type":"header","text":{"type":"mrkdwn","text":"T"}}]`, MessageBlocks, "type mrkdwn"},
		{"fields", `[{"type":"section","fields":[` + strings.TrimSuffix(strings.Repeat(`{"type":"mrkdwn","text":"f"},`, 11), ",") + `]}]`, MessageBlocks, "11 fields"},
		{"button", `[{"type":"actions","elements":[{"type":"button","action_id":"a","text":{"type":"plain_text","text":"` + strings.Repeat("b", 76) + `"}}]}]`, MessageBlocks, "76 characters"},
		{"empty text", `[{"type":"context","elements":[{"type":"mrkdwn","text":""}]}]`, MessageBlocks, "0 characters"},
		{"ids", `[{"type":"divider","block_id":"x"},{"type":"divider","block_id":"x"}]`, MessageBlocks, "twice"},
		{"image", `[{"type":"image"}]`, MessageBlocks, "block type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := failures(func(t testing.TB) { Blocks(t, []byte(tt.blocks), tt.max) })
			if tt.want == "" && len(got) > 0 || tt.want != "" && (len(got) == 0 || !strings.Contains(strings.Join(got, "\n"), tt.want)) {
				t.Errorf("got %q, want a failure with %q", got, tt.want)
			}
		})
	}
}

// TestManifest: a manifest Slack takes passes, and a misspelt key or too long a name
// does not.
func TestManifest(t *testing.T) {
	good := `_metadata: {major_version: 1, minor_version: 1}
display_information: {name: MAGDA SLA}
features:
  bot_user: {display_name: magda}
  slash_commands:
    - {command: /magda, url: "https://YOUR-HOST/slack/commands", description: SLA}
oauth_config: {scopes: {bot: [commands]}}
`
	if got := failures(func(t testing.TB) { Manifest(t, []byte(good)) }); len(got) > 0 {
		t.Errorf("a good manifest: %q", got)
	}
	for _, bad := range []string{
		strings.Replace(good, "display_information:", "display_informations:", 1),
		strings.Replace(good, "MAGDA SLA", strings.Repeat("M", 36), 1),
		strings.Replace(good, "command: /magda", "command: magda", 1),
	} {
		if got := failures(func(t testing.TB) { Manifest(t, []byte(bad)) }); len(got) == 0 {
			t.Errorf("passes:\n%s", bad)
		}
	}
}

// TestHostConfig: Teams shows six actions in a set.
func TestHostConfig(t *testing.T) {
	if n := TeamsMaxActions(t); n != 6 {
		t.Errorf("maxActions %d", n)
	}
}
