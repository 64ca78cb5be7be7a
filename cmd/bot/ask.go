package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// ask is `bot ask [--as USER] [--channel ID] "TEXT"`: one /magda command on the terminal,
// answered with the same words as in chat, from the same database and configuration.
// With --as the answer is the one chat gives that user in that channel (access applies);
// without it the terminal is the operator's, who may do what agents and SDMs may.
func ask(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	as := fs.String("as", "", "answer as this chat user id would be answered (access applies); default: the operator")
	channel := fs.String("channel", "", "ask as if in this chat channel (a customer's channel shows only its tickets)")
	a, args, err := openCLI(fs, args, getenv, func(args []string) error {
		if len(args) == 0 {
			return usagef("ask: want the command text, e.g. bot ask \"sla P2 for agency-x\"")
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer a.db.Close()
	if a.reviews, err = a.chatReviews(getenv); err != nil {
		return err
	}
	h := a.commands(nil)
	c := commands.Caller{UserID: *as, Name: *as, ChannelID: *channel, Platform: "cli"}
	if *as == "" {
		c.UserID, c.Name, c.Operator = "cli", "operator", true
	}
	r := h.Handle(ctx, c, strings.Join(args, " "))
	fmt.Fprintln(stdout, r.PlainText())
	return nil
}

// commands builds the platform-neutral command handler over the store.
func (a *app) commands(onUpdated func(context.Context, sla.Ticket, string, string)) *commands.Handler {
	cfg, cals := a.config(), a.calendars()
	customers := make([]commands.Customer, len(cfg.Customers))
	channels := map[string]string{}
	for i, c := range cfg.Customers {
		customers[i] = commands.Customer{ID: c.ID, Name: c.Name, Aliases: c.Aliases, Tier: c.Tier.T,
			SPOC: c.Contacts.SPOC, SDM: c.Contacts.SDM}
		for _, ch := range append(append([]string{}, c.SlackChannels...), c.TeamsChannels...) {
			channels[ch] = c.ID
		}
	}
	return commands.New(commands.Options{
		Store:     commandStore{a.db},
		Customers: customers,
		Access: commands.Access{
			Agents: cfg.Access.Agents, SDMs: cfg.Access.SDMs,
			ChannelCustomer: channels, CustomersMayEscalate: cfg.Access.CustomersMayEscalate,
		},
		Calendars:   cals,
		Maintenance: a.maintenance(cfg),
		Language:    commands.Lang(cfg.Language),
		AtRisk:      cfg.Notify.AtRiskShare,
		Logger:      a.log,
		OnUpdated:   onUpdated,
		Unavailable: storage.Unavailable,

		Availability: a.availability().counter,
		StatusPage:   a.availability().status,
		Reviews:      a.reviews,
	})
}

// commandStore adapts the store to the few methods commands declares.
type commandStore struct{ db *storage.DB }

func (s commandStore) Ticket(ctx context.Context, key string) (sla.Ticket, bool, error) {
	t, ok, err := s.db.Ticket(ctx, key)
	if ok || err != nil {
		return t, ok, err
	}
	n, err := s.db.Waiting(ctx, key)
	return sla.Ticket{Key: key}, n > 0, err
}

func (s commandStore) List(ctx context.Context, customer string, limit int) ([]sla.Ticket, int, error) {
	return s.db.List(ctx, storage.ListFilter{Customer: customer, Limit: limit})
}

func (s commandStore) Urgent(ctx context.Context, now time.Time, limit int) ([]sla.Ticket, int, error) {
	return s.db.List(ctx, storage.ListFilter{Urgent: true, Now: now, Limit: limit})
}

func (s commandStore) Queue(ctx context.Context, customer string, p sla.Priority, dueBy, riskBy time.Time, limit int) ([]sla.Ticket, int, error) {
	return s.db.Queue(ctx, storage.QueueFilter{Customer: customer, Priority: p.String(), DueBy: dueBy, RiskBy: riskBy, Limit: limit})
}

func (s commandStore) Append(ctx context.Context, source, deliveryID string, evs []sla.Event) (int, error) {
	return s.db.Append(ctx, source, deliveryID, evs)
}
