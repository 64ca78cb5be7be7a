package main

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/config"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify/mail"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify/slack"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify/teams"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

var (
	_ notify.Finder = (*slack.Sender)(nil)
	_ notify.Sender = (*teams.Sender)(nil)
	_ notify.Mailer = (*mail.Mailer)(nil)
)

// hooks lets the command handler, built before the notifier, call it once it exists,
// and the one of the current configuration after a reload.
type hooks struct {
	n atomic.Pointer[notify.Notifier]
}

func (k *hooks) updated(ctx context.Context, t sla.Ticket, text, by string) {
	if n := k.n.Load(); n != nil {
		n.Updated(ctx, t, text, by)
	}
}

// wireNotify builds the scheduler and outbox (reminders, warnings, P1 notices,
// escalation mail, digests) over the senders that are configured, and runs it.
func (a *app) wireNotify(w *wiring, k *hooks, h *liveCommands, bot *teams.Bot) (*notifyLoop, error) {
	getenv := w.getenv
	platforms := map[string]notify.Platform{}
	if tok := getenv("SLACK_BOT_TOKEN"); tok != "" {
		platforms[notify.PlatformSlack] = notify.Platform{Sender: slack.NewSender(tok, getenv("SLACK_API_URL"), nil),
			RetryAfter: slack.RetryAfter, Rejected: slack.Rejected}
	}
	if bot != nil {
		platforms[notify.PlatformTeams] = notify.Platform{Sender: bot.Sender(), RetryAfter: teams.RetryAfter, PerChannel: true}
	}
	var mailer notify.Mailer
	if u := getenv("SMTP_URL"); u != "" {
		ml, err := mail.New(u, a.cfg.Escalation.From)
		if err != nil {
			return nil, err
		}
		mailer = ml
		w.state("mail", true, "")
	} else {
		w.state("mail", false, "set SMTP_URL")
	}
	// The senders come from the environment; the rest from the current configuration,
	// read again when a reload restarts the notifier.
	build := func() (*notify.Notifier, error) {
		return a.notifier(platforms, mailer, h)
	}
	n, err := build()
	if err != nil {
		return nil, err
	}
	loop := &notifyLoop{build: build, restarts: make(chan struct{}, 1), hooks: k, reg: w.metrics.Registry(), log: a.log}
	loop.use(n)
	done := make(chan struct{})
	w.loops = append(w.loops, func(ctx context.Context) error { defer close(done); return loop.run(ctx) })
	w.drain = append(w.drain, func() { <-done })
	w.state("reminders", len(platforms) > 0 || mailer != nil, "no Slack, Teams or mail to send through")
	return loop, nil
}

// notifier builds the scheduler and outbox over the current configuration.
func (a *app) notifier(platforms map[string]notify.Platform, mailer notify.Mailer, h *liveCommands) (*notify.Notifier, error) {
	cfg := a.config()
	return notify.New(notify.Options{
		Store: a.db, Calendars: a.calendars(), Customers: notifyCustomers(cfg),
		SDM:             channels(cfg.Slack.SDMChannel, cfg.Teams.SDMChannel),
		Announcements:   channels(cfg.Slack.AnnouncementsChannel, cfg.Teams.AnnouncementsChannel),
		ServiceDelivery: append([]string{cfg.Escalation.ServiceDelivery}, cfg.Escalation.SDMMail...),
		Maintenance:     a.maintenance(cfg),
		Language:        commands.Lang(cfg.Language),
		UpdateLead:      cfg.Notify.UpdateLead.D,
		AtRisk:          cfg.Notify.AtRiskShare,
		DigestAt:        time.Duration(cfg.Notify.DigestAt.Hour)*time.Hour + time.Duration(cfg.Notify.DigestAt.Minute)*time.Minute,
		Platforms:       platforms,
		Mailer:          mailer,
		Card:            h.Card,
		Logger:          a.log,
		Availability:    a.availability().counter,
	})
}

func notifyCustomers(cfg *config.Config) []notify.Customer {
	out := make([]notify.Customer, len(cfg.Customers))
	for i, c := range cfg.Customers {
		out[i] = notify.Customer{ID: c.ID, Name: c.Name}
		for _, ch := range c.SlackChannels {
			out[i].Channels = append(out[i].Channels, notify.Channel{Platform: notify.PlatformSlack, ID: ch})
		}
		for _, ch := range c.TeamsChannels {
			out[i].Channels = append(out[i].Channels, notify.Channel{Platform: notify.PlatformTeams, ID: ch})
		}
	}
	return out
}

// channels gives the configured Slack and Teams channels, leaving out the unset ones.
func channels(slackID, teamsID string) []notify.Channel {
	var out []notify.Channel
	if slackID != "" {
		out = append(out, notify.Channel{Platform: notify.PlatformSlack, ID: slackID})
	}
	if teamsID != "" {
		out = append(out, notify.Channel{Platform: notify.PlatformTeams, ID: teamsID})
	}
	return out
}
