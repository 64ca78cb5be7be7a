package review_test

import (
	"bytes"
	"strings"
	"testing"
)

// TestHTMLSelfContained: the page has the customer's language, real headings and
// tables, the inline chart with its text alternative, a print style, and nothing that
// makes the browser fetch from elsewhere (no src, no http link, no script).
func TestHTMLSelfContained(t *testing.T) {
	var b bytes.Buffer
	if err := novemberReport("nl").WriteHTML(&b, [][2]string{{"CSV", "/r/x.csv"}}); err != nil {
		t.Fatal(err)
	}
	h := b.String()
	for _, want := range []string{`<html lang="nl">`, "<h1>Dienstverleningsoverleg Agentschap X — november 2026</h1>",
		`<svg role="img" aria-labelledby="chart-alt"`, `<figcaption id="chart-alt">Grafiek:`, "@media print",
		"<caption>Serviceniveaus</caption>", `<th scope="col">% gehaald</th>`, `<th scope="row">MAGDA-3</th>`, `href="/r/x.csv"`} {
		if !strings.Contains(h, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// SVG namespaces name w3.org but are never fetched
	stripped := strings.ReplaceAll(h, "http://www.w3.org/", "")
	for _, bad := range []string{"<script", " src=", "http://", "https://", "@import", "url("} {
		if strings.Contains(stripped, bad) {
			t.Errorf("page holds %q: it would not be self-contained", bad)
		}
	}
}
