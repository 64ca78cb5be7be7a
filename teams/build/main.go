// Command build writes the Microsoft Teams app package to upload in Teams: a zip of
// teams/manifest.json with the bot's app id filled in, and its two icons.
//
//	go run ./teams/build [-manifest teams/manifest.json] [-app-id GUID] -o magda-teams.zip
//
// The app id defaults to $MICROSOFT_APP_ID. Bad input gives a one-line error and exit
// status 2, and no file.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/digitaal-vlaanderen/magda-sla-bot/notify/teams"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "build:", err)
		os.Exit(2)
	}
}

func run(_ context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	manifest := fs.String("manifest", "teams/manifest.json", "the app manifest with "+teams.AppIDPlaceholder)
	appID := fs.String("app-id", getenv("MICROSOFT_APP_ID"), "the bot's app id (MICROSOFT_APP_ID)")
	out := fs.String("o", "", "the zip to write")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		// -h is a question, not a mistake: the flags, on stdout, exit 0.
		fmt.Fprintln(stdout, "usage: go run ./teams/build [-manifest FILE] [-app-id GUID] -o magda-teams.zip")
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		return nil
	} else if err != nil {
		return err
	}
	switch {
	case *out == "":
		return errors.New("-o: name the zip to write")
	case fs.NArg() > 0:
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	m, err := os.ReadFile(*manifest)
	if err != nil {
		return fmt.Errorf("-manifest: %w", err)
	}
	var zip bytes.Buffer
	if err := teams.AppPackage(&zip, m, *appID); err != nil {
		return err
	}
	if err := os.WriteFile(*out, zip.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%d bytes): manifest.json, color.png, outline.png\n", *out, zip.Len())
	return nil
}
