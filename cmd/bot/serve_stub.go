package main

import (
	"context"
	"io"
)

func serve(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	return usagef("serve: not built yet")
}
func ask(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	return usagef("ask: not built yet")
}
func tickets(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	return usagef("tickets: not built yet")
}
func ticket(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	return usagef("ticket: not built yet")
}
