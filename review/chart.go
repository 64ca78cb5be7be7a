package review

import (
	"fmt"
	"image/color"
	"io"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// priorityColors are told apart also in grey and by colour-blind readers (Okabe-Ito),
// and each line has its own marker shape as well.
var priorityColors = [4]color.RGBA{{213, 94, 0, 255}, {0, 114, 178, 255}, {0, 158, 115, 255}, {204, 121, 167, 255}}

// Chart formats.
const (
	PNG = "png"
	SVG = "svg"
)

// chartSize is a portrait-ish 16 × 13 cm: on a phone the image fills the width and the
// 14 pt labels stay readable.
var chartW, chartH = 16 * vg.Centimeter, 13 * vg.Centimeter

// ChartAlt is the chart's text alternative, in the report's language.
func (r Report) ChartAlt() string {
	w := wordsFor(r.Lang)
	s := fmt.Sprintf(w.chartAlt, r.Trend[len(r.Trend)-1].Month)
	for _, m := range r.Trend {
		s += fmt.Sprintf(" %s: P1 %s, P2 %s, P3 %s, P4 %s, %d %s.", m.Month, w.percent(m.MetPct[0]), w.percent(m.MetPct[1]),
			w.percent(m.MetPct[2]), w.percent(m.MetPct[3]), m.Breaches, strings.ToLower(w.breaches))
	}
	return s
}

// WriteChart draws the trend (met % per priority over 12 months, and each month's
// breaches as bars) as PNG for chat or SVG for the page.
func (r Report) WriteChart(out io.Writer, format string) error {
	w := wordsFor(r.Lang)
	top, err := r.metPlot(w)
	if err != nil {
		return err
	}
	bottom, err := r.breachPlot(w)
	if err != nil {
		return err
	}
	var c interface {
		vg.CanvasSizer
		io.WriterTo
	}
	switch format {
	case SVG:
		c = vgsvg.New(chartW, chartH)
	case PNG:
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(chartW, chartH), vgimg.UseDPI(120))}
	default:
		return fmt.Errorf("chart format %q: want png or svg", format)
	}
	dc := draw.New(c)
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadTop: vg.Points(4), PadBottom: vg.Points(4), PadY: vg.Points(8)}
	plots := [][]*plot.Plot{{top}, {bottom}}
	canvases := plot.Align(plots, tiles, dc)
	top.Draw(canvases[0][0])
	bottom.Draw(canvases[1][0])
	_, err = c.WriteTo(out)
	return err
}

func (r Report) labels() []string {
	out := make([]string, len(r.Trend))
	for i, m := range r.Trend {
		out[i] = m.Month[5:] + "/" + m.Month[2:4]
	}
	return out
}

func style(p *plot.Plot) {
	p.Title.TextStyle.Font.Size = vg.Points(15)
	p.X.Tick.Label.Font.Size = vg.Points(11)
	p.Y.Tick.Label.Font.Size = vg.Points(12)
	p.Y.Label.TextStyle.Font.Size = vg.Points(12)
	p.Legend.TextStyle.Font.Size = vg.Points(12)
}

func (r Report) metPlot(w words) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = w.metPct + " — " + or(r.Name, or(r.Customer, w.all))
	p.Y.Min, p.Y.Max = 0, 100
	p.X.Min, p.X.Max = -0.5, float64(len(r.Trend))-0.5
	p.NominalX(r.labels()...)
	p.Legend.Top, p.Legend.Left = false, true
	p.Add(plotter.NewGrid())
	style(p)
	for pr := range 4 {
		var pts plotter.XYs
		for i, m := range r.Trend {
			if v := m.MetPct[pr]; v != nil {
				pts = append(pts, plotter.XY{X: float64(i), Y: *v})
			}
		}
		if len(pts) == 0 {
			continue
		}
		l, s, err := plotter.NewLinePoints(pts)
		if err != nil {
			return nil, err
		}
		l.Color, s.Color = priorityColors[pr], priorityColors[pr]
		l.Width = vg.Points(2.5)
		s.Shape = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.RingGlyph{}}[pr]
		s.Radius = vg.Points(4)
		p.Add(l, s)
		p.Legend.Add(fmt.Sprintf("P%d", pr+1), l, s)
	}
	return p, nil
}

func (r Report) breachPlot(w words) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = w.breaches
	vals := make(plotter.Values, len(r.Trend))
	for i, m := range r.Trend {
		vals[i] = float64(m.Breaches)
	}
	bars, err := plotter.NewBarChart(vals, vg.Points(14))
	if err != nil {
		return nil, err
	}
	bars.Color = color.RGBA{120, 120, 120, 255}
	bars.LineStyle.Width = 0
	p.Add(bars)
	p.NominalX(r.labels()...)
	p.X.Min, p.X.Max = -0.5, float64(len(r.Trend))-0.5
	p.Y.Min = 0
	if p.Y.Max < 1 {
		p.Y.Max = 1
	}
	style(p)
	return p, nil
}
