package review

import (
	"fmt"
	"io"
)

// Formats are the export formats of `bot review --format` and the page's downloads.
var Formats = []string{"text", "html", "csv", "xlsx", "json"}

// ContentType is the media type of a format.
func ContentType(format string) string {
	switch format {
	case "html":
		return "text/html; charset=utf-8"
	case "csv":
		return "text/csv; charset=utf-8; header=present"
	case "xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case "json":
		return "application/json"
	case PNG:
		return "image/png"
	case SVG:
		return "image/svg+xml"
	}
	return "text/plain; charset=utf-8"
}

// FileName is the download name of a format: review-agency-x-2026-11.csv.
func (r Report) FileName(format string) string {
	ext := map[string]string{"text": "txt"}[format]
	if ext == "" {
		ext = format
	}
	return fmt.Sprintf("review-%s-%s.%s", or(r.Customer, "all"), r.Period, ext)
}

// Write renders the report in one of Formats (or the chart as png/svg).
func (r Report) Write(out io.Writer, format string) error {
	switch format {
	case "text":
		return r.WriteText(out)
	case "html":
		return r.WriteHTML(out, nil)
	case "csv":
		return r.WriteCSV(out)
	case "xlsx":
		return r.WriteXLSX(out)
	case "json":
		return r.WriteJSON(out)
	case PNG, SVG:
		return r.WriteChart(out, format)
	}
	return fmt.Errorf("format %q: want text, html, csv, xlsx or json", format)
}
