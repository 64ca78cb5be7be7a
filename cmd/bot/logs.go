package main

import (
	"io"
	"log/slog"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// newLogger is the serve log: structured lines (log/slog's text form) on out, their
// time in Brussels, as every time the bot shows, whatever the server's own zone.
func newLogger(out io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Value.Kind() == slog.KindTime {
				a.Value = slog.TimeValue(a.Value.Time().In(sla.Brussels))
			}
			return a
		},
	}))
}
