package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/config"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify/mail"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify/slack"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify/teams"
	"github.com/digitaal-vlaanderen/magda-sla-bot/statuspage"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// checkTimeout bounds each try of an outside system: a firewall that drops packets
// shows as a failure in seconds, not as a hanging check.
const checkTimeout = 10 * time.Second

// checker prints one line per check and counts the failures.
type checker struct {
	out    io.Writer
	failed int
}

func (c *checker) ok(name, format string, a ...any) {
	fmt.Fprintf(c.out, "ok   %-14s %s\n", name, fmt.Sprintf(format, a...))
}

func (c *checker) off(name, why string) { fmt.Fprintf(c.out, "off  %-14s %s\n", name, why) }

func (c *checker) fail(name string, err error) {
	c.failed++
	fmt.Fprintf(c.out, "FAIL %-14s %s\n", name, oneLine(err.Error()))
}

func oneLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// try runs f within checkTimeout.
func try(ctx context.Context, f func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	return f(ctx)
}

// check is `bot check`: validates the configuration and the environment and tries
// every integration that is on, as serve would use it, one line each; it fails (exit 1)
// when any check fails. It posts and mails nothing.
func check(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	s, err := settingsOnly("check", args, getenv)
	if err != nil {
		return err
	}
	c := &checker{out: stdout}
	cfg, err := config.Load(s.config)
	if err != nil {
		c.fail("configuration", err)
		return c.result()
	}
	c.ok("configuration", "%s: %d customer(s)", cfg.Source(), len(cfg.Customers))
	checkEnv(c, s, getenv)
	if a := checkDatabase(ctx, c, s); a != nil {
		defer a.db.Close()
	}
	onOff(c, "events API", getenv("MAGDA_API_TOKEN") != "", "set MAGDA_API_TOKEN")
	onOff(c, "Jira webhooks", getenv("JIRA_WEBHOOK_SECRET") != "", "set JIRA_WEBHOOK_SECRET")
	checkSlack(ctx, c, cfg, getenv)
	checkTeams(ctx, c, getenv)
	checkMail(ctx, c, cfg, getenv)
	checkStatusPage(ctx, c, cfg, getenv)
	return c.result()
}

// settingsOnly parses a command that takes the store's flags and no argument.
func settingsOnly(name string, args []string, getenv func(string) string) (settings, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	var s settings
	s.flags(fs, getenv)
	rest, err := parseFlags(fs, args)
	if err == nil && len(rest) > 0 {
		err = usagef("%s: unexpected argument %q", name, rest[0])
	}
	return s, err
}

func (c *checker) result() error {
	if c.failed > 0 {
		return fmt.Errorf("check: %d check(s) failed", c.failed)
	}
	return nil
}

func onOff(c *checker, name string, on bool, why string) {
	if on {
		c.ok(name, "on")
	} else {
		c.off(name, why)
	}
}

func checkEnv(c *checker, s settings, getenv func(string) string) {
	if _, _, err := net.SplitHostPort(s.addr); err != nil {
		c.fail("listen address", fmt.Errorf("MAGDA_ADDR / --addr %q: %w", s.addr, err))
	} else {
		c.ok("listen address", "%s", s.addr)
	}
	if lim, err := listenLimits(getenv); err != nil {
		c.fail("environment", err)
	} else {
		c.ok("environment", "at most %d connections; metrics on %s", lim.maxConns, or(lim.metricsAddr, "the listen address"))
	}
}

// checkDatabase opens the database as serve does, which applies the pending
// migrations and refuses a file a newer bot migrated; a missing file is a failure, not
// created.
func checkDatabase(ctx context.Context, c *checker, s settings) *app {
	if _, err := os.Stat(s.db); err != nil && !storage.IsPostgres(s.db) {
		c.fail("database", fmt.Errorf("no database at %s (`bot serve` creates it; check --db or MAGDA_DB)", s.db))
		return nil
	}
	a, err := openApp(s, slog.New(slog.DiscardHandler))
	if err != nil {
		c.fail("database", err)
		return nil
	}
	applied, missing, err := a.db.Migrations(ctx)
	switch {
	case err != nil:
		c.fail("database", err)
	case len(missing) > 0:
		c.fail("database", fmt.Errorf("migrations not applied: %s", strings.Join(missing, ", ")))
	default:
		c.ok("database", "%s: %d migration(s) applied, none pending", redactDSN(s.db), applied)
	}
	return a
}

// checkSlack tries the bot token and checks that the bot is in every configured
// channel: a reminder to a channel it was never invited to would fail later.
func checkSlack(ctx context.Context, c *checker, cfg *config.Config, getenv func(string) string) {
	token := getenv("SLACK_BOT_TOKEN")
	if token == "" {
		c.off("Slack", "set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN")
		return
	}
	if getenv("SLACK_SIGNING_SECRET") == "" && getenv("SLACK_APP_TOKEN") == "" {
		c.fail("Slack", errors.New("SLACK_BOT_TOKEN is set, but neither SLACK_SIGNING_SECRET (HTTP) nor SLACK_APP_TOKEN (Socket Mode): Slack cannot reach the bot"))
	}
	snd := slack.NewSender(token, getenv("SLACK_API_URL"), nil)
	var who string
	if err := try(ctx, func(ctx context.Context) (err error) { who, err = snd.Identity(ctx); return err }); err != nil {
		c.fail("Slack", err)
		return
	}
	c.ok("Slack", "%s", who)
	for _, ch := range slackChannels(cfg) {
		var member bool
		err := try(ctx, func(ctx context.Context) (err error) { member, err = snd.IsMember(ctx, ch); return err })
		switch {
		case err != nil:
			c.fail("Slack channel", err)
		case !member:
			c.fail("Slack channel", fmt.Errorf("%s: the bot is not a member; invite it there (/invite @the bot)", ch))
		default:
			c.ok("Slack channel", "%s: the bot is a member", ch)
		}
	}
}

// slackChannels are the configured Slack channels, each once, in the file's order.
func slackChannels(cfg *config.Config) []string {
	var out []string
	for _, cu := range cfg.Customers {
		out = append(out, cu.SlackChannels...)
	}
	for _, ch := range []string{cfg.Slack.SDMChannel, cfg.Slack.AnnouncementsChannel} {
		if ch != "" && !slices.Contains(out, ch) {
			out = append(out, ch)
		}
	}
	return out
}

// checkTeams fetches a token from the Bot Framework's token endpoint with the app id
// and password.
func checkTeams(ctx context.Context, c *checker, getenv func(string) string) {
	id, password := getenv("MICROSOFT_APP_ID"), getenv("MICROSOFT_APP_PASSWORD")
	switch {
	case id == "" && password == "":
		c.off("Teams", "set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD")
		return
	case id == "" || password == "":
		c.fail("Teams", errors.New("MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD are needed both; one is set"))
		return
	}
	err := try(ctx, func(ctx context.Context) error {
		return teams.CheckToken(ctx, id, password, getenv("MICROSOFT_TOKEN_URL"))
	})
	if err != nil {
		c.fail("Teams", err)
		return
	}
	c.ok("Teams", "the token endpoint gave the bot a token")
}

// checkMail connects to the SMTP server with SMTP_URL's TLS policy and login.
func checkMail(ctx context.Context, c *checker, cfg *config.Config, getenv func(string) string) {
	u := getenv("SMTP_URL")
	if u == "" {
		c.off("mail", "set SMTP_URL")
		return
	}
	m, err := mail.New(u, cfg.Escalation.From)
	if err == nil {
		err = try(ctx, m.Check)
	}
	if err != nil {
		c.fail("mail", err)
		return
	}
	c.ok("mail", "%s answers (tls=%s)", m.Server(), m.Policy())
}

// checkStatusPage reads the status page (R6.2, R8.2) once, with its configured timeout.
func checkStatusPage(ctx context.Context, c *checker, cfg *config.Config, getenv func(string) string) {
	u := cfg.Statuspage.URL
	if u == "" {
		c.off("status page", "set statuspage.url")
		return
	}
	timeout := cfg.Statuspage.Timeout.D
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	snap, err := statuspage.Check(ctx, &http.Client{Timeout: timeout}, u)
	if err != nil {
		c.fail("status page", fmt.Errorf("%s: %w", u, err))
		return
	}
	c.ok("status page", "%s: %d components not operational, %d open incidents", u, len(snap.Components), len(snap.Incidents))
}
