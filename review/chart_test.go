package review_test

import (
	"bytes"
	"flag"
	"image/png"
	"os"
	"strings"
	"testing"
)

// TestChartDrawn: the trend chart (met % per priority over 12 months, the month's
// breaches) comes as a real PNG of the chosen size and as SVG with the priorities'
// legend, and its text alternative names every month's figures.
func TestChartDrawn(t *testing.T) {
	r := novemberReport("en")
	var p, s bytes.Buffer
	if err := r.WriteChart(&p, "png"); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(p.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() < 700 || b.Dy() < 600 {
		t.Errorf("PNG %v: too small to read on a phone", b)
	}
	// the P2 line's colour is drawn
	found := false
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y && !found; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			if r, g, b, _ := img.At(x, y).RGBA(); r>>8 == 0 && g>>8 == 114 && b>>8 == 178 {
				found = true
				break
			}
		}
	}
	if !found {
		t.Error("PNG: no pixel of the P2 line")
	}
	if err := r.WriteChart(&s, "svg"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<svg", "P1", "P2", "11/26"} {
		if !strings.Contains(s.String(), want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if err := r.WriteChart(&s, "gif"); err == nil {
		t.Error("gif: want an error")
	}
	if alt := r.ChartAlt(); !strings.Contains(alt, "2026-11: P1 100.0 %, P2 40.0 %, P3 –, P4 –, 3 breaches.") {
		t.Errorf("alt text = %q", alt)
	}
}

// TestChartFile writes the chart to testdata/ with -update, to look at.
func TestChartFile(t *testing.T) {
	var p bytes.Buffer
	if err := novemberReport("nl").WriteChart(&p, "png"); err != nil {
		t.Fatal(err)
	}
	if *updateChart {
		if err := os.WriteFile("testdata/chart.nl.png", p.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

var updateChart = flag.Bool("chart", false, "write testdata/chart.nl.png")
