package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
)

const appID = "0b6fe6d1-fece-44f7-9a48-56465e2d5ab8"

type manifest struct {
	ID   string `json:"id"`
	Bots []struct {
		BotID        string   `json:"botId"`
		Scopes       []string `json:"scopes"`
		CommandLists []struct {
			Scopes   []string `json:"scopes"`
			Commands []struct {
				Title       string `json:"title"`
				Description string `json:"description"`
			} `json:"commands"`
		} `json:"commandLists"`
	} `json:"bots"`
	ManifestVersion string `json:"manifestVersion"`
}

func readManifest(t *testing.T, b []byte) manifest {
	t.Helper()
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Bots) != 1 {
		t.Fatalf("%d bots, want 1", len(m.Bots))
	}
	return m
}

// TestManifestCommands: every command the manifest offers is one commands.Parse routes
// to that command, each command word is offered once, at most 10 to a list as Teams
// allows, in every scope the bot is in.
func TestManifestCommands(t *testing.T) {
	b, err := os.ReadFile("../manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	m := readManifest(t, b)
	verbs := map[string][]commands.Verb{}
	var names []string
	for _, s := range commands.Commands() {
		if verbs[s.Name] == nil {
			names = append(names, s.Name)
		}
		verbs[s.Name] = append(verbs[s.Name], s.Verb)
	}
	bot := m.Bots[0]
	if diff := cmp.Diff([]string{"team", "personal", "groupChat"}, bot.Scopes); diff != "" {
		t.Errorf("bot scopes (-want +got):\n%s", diff)
	}
	for _, list := range bot.CommandLists {
		var titles []string
		for _, c := range list.Commands {
			titles = append(titles, c.Title)
			cmd, _ := commands.Parse(c.Title)
			if !slices.Contains(verbs[c.Title], cmd.Verb) || cmd.Input != "" {
				t.Errorf("%q: Parse gives %s (input %q), not the command %q", c.Title, cmd.Verb, cmd.Input, c.Title)
			}
			if c.Description == "" || len(c.Description) > 128 || len(c.Title) > 32 {
				t.Errorf("%q: title or description too long or empty", c.Title)
			}
		}
		if len(titles) > 10 {
			t.Errorf("%d commands in a list; Teams takes 10", len(titles))
		}
		// Teams takes 10 commands to a list: the first ones in help order, and help.
		want := names
		if len(want) > 10 {
			want = append(slices.Clone(want[:9]), "help")
		}
		if diff := cmp.Diff(want, titles); diff != "" {
			t.Errorf("command list for %v (-commands.Commands +manifest):\n%s", list.Scopes, diff)
		}
		if diff := cmp.Diff(bot.Scopes, list.Scopes); diff != "" {
			t.Errorf("command list scopes (-bot +list):\n%s", diff)
		}
	}
	if m.ManifestVersion < "1.16" {
		t.Errorf("manifest version %s, want 1.16 or later", m.ManifestVersion)
	}
}

// TestBuild: the zip holds the manifest with the app id in place of the placeholder and
// the icons Teams asks for.
func TestBuild(t *testing.T) {
	out := filepath.Join(t.TempDir(), "app.zip")
	var stdout bytes.Buffer
	getenv := func(k string) string { return map[string]string{"MICROSOFT_APP_ID": appID}[k] }
	if err := run(context.Background(), []string{"-manifest", "../manifest.json", "-o", out}, getenv, &stdout); err != nil {
		t.Fatal(err)
	}
	z, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	files := map[string][]byte{}
	var names []string
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name], _ = io.ReadAll(r)
		r.Close()
		names = append(names, f.Name)
	}
	if diff := cmp.Diff([]string{"manifest.json", "color.png", "outline.png"}, names); diff != "" {
		t.Fatalf("zip files (-want +got):\n%s", diff)
	}
	m := readManifest(t, files["manifest.json"])
	if m.ID != appID || m.Bots[0].BotID != appID || strings.Contains(string(files["manifest.json"]), "${") {
		t.Errorf("app id not filled in: id %q, botId %q", m.ID, m.Bots[0].BotID)
	}
	checkIcon(t, files["color.png"], 192, false)
	checkIcon(t, files["outline.png"], 32, true)
}

// checkIcon: the size Teams asks for; an outline icon is white on transparent only.
func checkIcon(t *testing.T, b []byte, size int, outline bool) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if got := img.Bounds(); got != image.Rect(0, 0, size, size) {
		t.Errorf("icon is %v, want %d×%d", got, size, size)
	}
	colours := map[[4]uint32]int{}
	for y := range size {
		for x := range size {
			r, g, b, a := img.At(x, y).RGBA()
			colours[[4]uint32{r, g, b, a}]++
		}
	}
	if len(colours) != 2 {
		t.Errorf("icon has %d colours, want ink and paper", len(colours))
	}
	if outline {
		for c := range colours {
			if c != [4]uint32{0xffff, 0xffff, 0xffff, 0xffff} && c[3] != 0 {
				t.Errorf("outline icon has colour %v: only white and transparent are allowed", c)
			}
		}
	}
}

// TestBuildRefuses: no or a bad app id, or a missing manifest, is a one-line error and
// writes nothing.
func TestBuildRefuses(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "app.zip")
	none := func(string) string { return "" }
	tests := []struct {
		name string
		args []string
	}{
		{"no app id", []string{"-manifest", "../manifest.json", "-o", out}},
		{"not a GUID", []string{"-manifest", "../manifest.json", "-app-id", `x","evil":"`, "-o", out}},
		{"no manifest", []string{"-manifest", filepath.Join(dir, "none.json"), "-app-id", appID, "-o", out}},
		{"no output", []string{"-manifest", "../manifest.json", "-app-id", appID}},
		{"stray argument", []string{"-app-id", appID, "-o", out, "extra"}},
	}
	for _, tt := range tests {
		err := run(context.Background(), tt.args, none, io.Discard)
		if err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: err %v, want a one-line error", tt.name, err)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%s: wrote %s", tt.name, out)
		}
	}
}

// TestBuildHelp (issue 14.7): -h shows the flags on stdout and writes nothing.
func TestBuildHelp(t *testing.T) {
	var out strings.Builder
	if err := run(context.Background(), []string{"-h"}, func(string) string { return "" }, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"usage: go run ./teams/build", "-app-id", "-manifest", "-o"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, out.String())
		}
	}
}
