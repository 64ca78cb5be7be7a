package teams

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"regexp"
	"time"
)

// AppIDPlaceholder is replaced by the bot's app id in the app manifest.
const AppIDPlaceholder = "${MICROSOFT_APP_ID}"

var guid = regexp.MustCompile(`^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$`)

// packageTime stamps the zip's files, so that the same manifest and app id always give
// the same package.
var packageTime = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)

// AppPackage writes the Teams app package to w: a zip of manifest.json, with appID (a
// GUID, the bot's MICROSOFT_APP_ID) in place of AppIDPlaceholder, and the two icons
// Teams asks for, color.png (192×192) and outline.png (32×32, white on transparent).
func AppPackage(w io.Writer, manifest []byte, appID string) error {
	if !guid.MatchString(appID) {
		return fmt.Errorf("app id %q is not a GUID (MICROSOFT_APP_ID)", appID)
	}
	m := bytes.ReplaceAll(manifest, []byte(AppIDPlaceholder), []byte(appID))
	if i := bytes.Index(m, []byte("${")); i >= 0 {
		end := min(len(m), i+40)
		return fmt.Errorf("manifest: placeholder left at %q", m[i:end])
	}
	if !json.Valid(m) {
		return errors.New("manifest: not valid JSON")
	}
	var colour, outline bytes.Buffer
	if err := png.Encode(&colour, icon(192, false)); err != nil {
		return err
	}
	if err := png.Encode(&outline, icon(32, true)); err != nil {
		return err
	}
	z := zip.NewWriter(w)
	for _, f := range []struct {
		name string
		data []byte
	}{{"manifest.json", m}, {"color.png", colour.Bytes()}, {"outline.png", outline.Bytes()}} {
		fw, err := z.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: packageTime})
		if err != nil {
			return err
		}
		if _, err := fw.Write(f.data); err != nil {
			return err
		}
	}
	return z.Close()
}

// icon draws the bot's clock: black on Flemish yellow for the colour icon, white on
// transparent for the outline icon (Teams accepts no other colours there).
func icon(size int, outline bool) image.Image {
	ink, paper := color.NRGBA{0, 0, 0, 255}, color.NRGBA{0xFF, 0xE6, 0x15, 255}
	if outline {
		ink, paper = color.NRGBA{255, 255, 255, 255}, color.NRGBA{}
	}
	s := float64(size)
	c := s / 2
	radius, stroke := s*0.34, math.Max(2, s*0.06)
	if outline {
		radius = s*0.5 - stroke
	}
	hands := [][2]float64{{c, c - radius*0.75}, {c + radius*0.5, c}} // three o'clock
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for y := range size {
		for x := range size {
			px, py := float64(x)+0.5, float64(y)+0.5
			on := math.Abs(math.Hypot(px-c, py-c)-radius) <= stroke/2
			for _, h := range hands {
				on = on || segmentDistance(px, py, c, c, h[0], h[1]) <= stroke/2
			}
			if on {
				img.SetNRGBA(x, y, ink)
			} else {
				img.SetNRGBA(x, y, paper)
			}
		}
	}
	return img
}

// segmentDistance is the distance from (px, py) to the segment (ax, ay)-(bx, by).
func segmentDistance(px, py, ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	t := math.Max(0, math.Min(1, ((px-ax)*dx+(py-ay)*dy)/(dx*dx+dy*dy)))
	return math.Hypot(px-(ax+t*dx), py-(ay+t*dy))
}
