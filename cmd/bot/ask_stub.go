package main

import (
	"context"
	"io"
)

func ask(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	return usagef("ask: not built yet")
}
