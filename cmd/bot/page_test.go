package main

import (
	"bytes"
	"context"
	"flag"
	"image/png"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/server"
)

var updateShot = flag.Bool("screenshot", false, "keep the page's screenshot in testdata/review-page.png")

// chromium finds Debian's headless browser; .ci/run installs it.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium not installed (apt-get install chromium): the page is not tested in a browser")
	return ""
}

// browse runs headless Chromium on url with args, with its own profile, every host
// but the bot's unreachable and a log of every request it made.
func browse(t *testing.T, bin, url string, args ...string) (stdout []byte, netlog string) {
	t.Helper()
	dir := t.TempDir()
	netlog = filepath.Join(dir, "net.json")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	all := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + filepath.Join(dir, "profile"), "--log-net-log=" + netlog,
		"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"}, args...)
	cmd := exec.CommandContext(ctx, bin, append(all, url)...)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, errb.String())
	}
	return out, netlog
}

// pageRequests are the URLs a page's own resources were requested from, from
// Chromium's net log: requests of Blink's resource loader (traffic annotation
// 101845102), not the browser's own background requests.
func pageRequests(t *testing.T, netlog string) []string {
	t.Helper()
	log, err := os.ReadFile(netlog)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile(`"traffic_annotation":101845102,"url":"([^"]+)"`).FindAllSubmatch(log, -1) {
		out = append(out, string(m[1]))
	}
	return out
}

// TestReviewPageInChromium loads the signed report link from `bot serve` in real
// headless Chromium: the chart is drawn, no request leaves the page, printing to PDF
// works, and an altered or expired link is refused with 403 (issue 11).
func TestReviewPageInChromium(t *testing.T) {
	bin := chromium(t)
	db := seedReview(t)
	base := startServe(t, map[string]string{"MAGDA_LINK_SECRET": "page-test-secret"}, "--db", db)
	s := server.Signer{Key: []byte("page-test-secret")}
	link := base + s.Link("agency-x", "2026-11", "html", "nl", time.Now().Add(time.Hour))

	dom, netlog := browse(t, bin, link, "--dump-dom", "--virtual-time-budget=3000")
	for _, want := range []string{`<html lang="nl">`, "<h1>Dienstverleningsoverleg Agentschap X — november 2026</h1>",
		"<caption>Serviceniveaus</caption>", `<figcaption id="chart-alt">Grafiek:`} {
		if !bytes.Contains(dom, []byte(want)) {
			t.Errorf("page DOM lacks %q", want)
		}
	}
	// The chart is drawn: the SVG has its lines and bars as paths in the DOM.
	if n := bytes.Count(dom, []byte("<path")); n < 10 {
		t.Errorf("chart: %d paths in the DOM, want the lines and bars drawn", n)
	}
	for _, u := range pageRequests(t, netlog) {
		if !strings.HasPrefix(u, base) {
			t.Errorf("the page made a request to %s", u)
		}
	}
	// The check itself sees a page's request: a page with one outside image.
	probe := filepath.Join(t.TempDir(), "probe.html")
	os.WriteFile(probe, []byte(`<html><body><img src="http://example.invalid/x.png"></body></html>`), 0o644)
	if _, nl := browse(t, bin, "file://"+probe, "--dump-dom", "--virtual-time-budget=2000"); !slices.Contains(pageRequests(t, nl), "http://example.invalid/x.png") {
		t.Error("the net log check does not see a page's outside request")
	}

	shot := filepath.Join(t.TempDir(), "page.png")
	browse(t, bin, link, "--screenshot="+shot, "--window-size=1000,1400", "--hide-scrollbars")
	img, err := os.ReadFile(shot)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(img)); err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if *updateShot {
		os.WriteFile(filepath.Join("testdata", "review-page.png"), img, 0o644)
	}
	pdf := filepath.Join(t.TempDir(), "page.pdf")
	browse(t, bin, link, "--print-to-pdf="+pdf, "--no-pdf-header-footer")
	if b, err := os.ReadFile(pdf); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) || len(b) < 5000 {
		t.Errorf("print to PDF: %d bytes, %v", len(b), err)
	}

	get := func(u string) (int, string) {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, strings.TrimSpace(string(b))
	}
	if code, _ := get(link); code != 200 {
		t.Errorf("signed link: %d", code)
	}
	for name, u := range map[string]string{
		"other customer": strings.Replace(link, "/agency-x/", "/agency-y/", 1),
		"other month":    strings.Replace(link, "2026-11", "2026-10", 1),
		"other language": strings.Replace(link, "lang=nl", "lang=en", 1),
		"later expiry":   regexp.MustCompile(`exp=\d+`).ReplaceAllString(link, "exp=9999999999"),
		"no signature":   regexp.MustCompile(`&?sig=[0-9a-f]+`).ReplaceAllString(link, ""),
		"expired":        base + s.Link("agency-x", "2026-11", "html", "nl", time.Now().Add(-time.Second)),
		"other key":      base + server.Signer{Key: []byte("guess")}.Link("agency-x", "2026-11", "html", "nl", time.Now().Add(time.Hour)),
	} {
		if code, body := get(u); code != 403 || strings.Contains(body, "\n") {
			t.Errorf("%s: %d %q, want 403 with one line", name, code, body)
		}
	}
	if code, _ := get(base + s.Link("agency-x", "2026-11", "csv", "nl", time.Now().Add(time.Hour))); code != 200 {
		t.Errorf("signed CSV download: %d", code)
	}
}
