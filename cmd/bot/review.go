package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify"
	"github.com/digitaal-vlaanderen/magda-sla-bot/review"
	"github.com/digitaal-vlaanderen/magda-sla-bot/server"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// reviewReader wires the report's Reader to the store.
func reviewReader(db *storage.DB) review.Reader {
	return func(ctx context.Context, customer string, from, to, eventsFrom time.Time) ([]review.Input, error) {
		as, err := db.ActiveTickets(ctx, storage.ActiveQuery{Customer: customer, From: from, To: to, EventsFrom: eventsFrom})
		if err != nil {
			return nil, err
		}
		in := make([]review.Input, len(as))
		for i, a := range as {
			in[i] = review.Input{Ticket: a.Ticket, Events: a.Events}
		}
		return in, nil
	}
}

// reviewOptions are the report options of a customer ("" for all) from the
// configuration.
func (a *app) reviewOptions(customer string, p review.Period, lang string, now time.Time) review.Options {
	o := review.Options{Customer: customer, Period: p, Now: now, Lang: lang, TierOf: a.cfg.TierOf, Cals: a.cals,
		Availability: reviewAvailability{counter: a.availability().counter, now: now}}
	if c, ok := a.cfg.Customer(customer); ok {
		o.Customer, o.Name = c.ID, c.Name
	}
	return o
}

// reviewCmd is `bot review --customer ID | --all --month M | --quarter Q | --from D --to D
// [--format F] [--lang en|nl] [-o FILE]`: a service review (R1.2) on the terminal or in
// a file.
func reviewCmd(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("review", flag.ContinueOnError)
	customer := fs.String("customer", "", "the customer's id")
	all := fs.Bool("all", false, "every customer")
	month := fs.String("month", "", "YYYY-MM")
	quarter := fs.String("quarter", "", "YYYY-Qn")
	from := fs.String("from", "", "first day, YYYY-MM-DD")
	to := fs.String("to", "", "last day, YYYY-MM-DD")
	format := fs.String("format", "text", "text, html, csv, xlsx or json")
	lang := fs.String("lang", "", "en or nl (default: the configured language)")
	outFile := fs.String("o", "", "write to FILE instead of standard output")
	var p review.Period
	a, _, err := openCLI(fs, args, getenv, func(rest []string) error {
		if len(rest) > 0 {
			return usagef("review: unexpected argument %q", rest[0])
		}
		if (*customer == "") == !*all {
			return usagef("review: want --customer ID or --all")
		}
		if !slices.Contains(review.Formats, *format) {
			return usagef("review: --format %q: want text, html, csv, xlsx or json", *format)
		}
		if *lang != "" && *lang != "en" && *lang != "nl" {
			return usagef("review: --lang %q: want en or nl", *lang)
		}
		var err error
		switch {
		case *month != "" && *quarter == "" && *from == "" && *to == "":
			p, err = review.ParseMonth(*month)
		case *quarter != "" && *month == "" && *from == "" && *to == "":
			p, err = review.ParseQuarter(*quarter)
		case *from != "" && *to != "" && *month == "" && *quarter == "":
			p, err = review.ParseRange(*from, *to)
		default:
			return usagef("review: want one of --month, --quarter or --from with --to")
		}
		if err != nil {
			return usagef("review: %v", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer a.db.Close()
	if *customer != "" && !a.cfg.Known(*customer) {
		return usagef("review: --customer: no customer %q in %s", *customer, a.cfg.Source())
	}
	if *lang == "" {
		*lang = a.cfg.Language
	}
	r, err := review.Load(ctx, reviewReader(a.db), a.reviewOptions(*customer, p, *lang, time.Now()))
	if err != nil {
		return err
	}
	if *outFile == "" {
		return r.Write(stdout, *format)
	}
	f, err := os.Create(*outFile)
	if err != nil {
		return usagef("review: -o: %v", err)
	}
	if err := r.Write(f, *format); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// linkTTL is how long a report link works: a review is prepared over a few weeks.
const linkTTL = 30 * 24 * time.Hour

// linkSigner gives the report links' key: MAGDA_LINK_SECRET when set, else the one the
// database keeps (generated at first use).
func (a *app) linkSigner(ctx context.Context, getenv func(string) string) (server.Signer, error) {
	if s := getenv("MAGDA_LINK_SECRET"); s != "" {
		return server.Signer{Key: []byte(s)}, nil
	}
	k, err := a.db.LinkSecret(ctx)
	return server.Signer{Key: k}, err
}

// renderReview renders a signed link's report: customer "all" is every customer.
func (a *app) renderReview(s server.Signer) server.ReviewRender {
	return func(ctx context.Context, customer, period, format, lang string) ([]byte, string, error) {
		if customer == "all" {
			customer = ""
		} else if !a.cfg.Known(customer) {
			return nil, "", fmt.Errorf("no customer %q", customer)
		}
		p, err := review.ParseKey(period)
		if err != nil {
			return nil, "", err
		}
		if lang != "nl" {
			lang = "en"
		}
		if format != review.PNG && format != review.SVG && !slices.Contains(review.Formats, format) {
			return nil, "", fmt.Errorf("format %q", format)
		}
		now := time.Now()
		r, err := review.Load(ctx, reviewReader(a.db), a.reviewOptions(customer, p, lang, now))
		if err != nil {
			return nil, "", err
		}
		var b bytes.Buffer
		if format == "html" {
			var links [][2]string
			for _, f := range []string{"csv", "xlsx", "json"} {
				links = append(links, [2]string{strings.ToUpper(f), s.Link(or(customer, "all"), period, f, lang, now.Add(linkTTL))})
			}
			err = r.WriteHTML(&b, links)
		} else {
			err = r.Write(&b, format)
		}
		return b.Bytes(), review.ContentType(format), err
	}
}

// wireReview mounts the signed report links (issue 11).
func (a *app) wireReview(w *wiring) error {
	s, err := a.linkSigner(context.Background(), w.getenv)
	if err != nil {
		return err
	}
	w.handle("GET "+server.ReviewPath, "review", server.Review(s, a.renderReview(s), time.Now, a.log))
	return nil
}

var _ commands.Reviews = chatReviews{}

// chatReviews counts reports for the chat command, with links signed for linkTTL on
// the bot's public address (MAGDA_PUBLIC_URL; without it the answer has no links).
type chatReviews struct {
	a      *app
	signer server.Signer
	base   string
}

func (c chatReviews) Review(ctx context.Context, customer string, p review.Period, lang string) (review.Report, commands.ReviewLinks, error) {
	now := time.Now()
	r, err := review.Load(ctx, reviewReader(c.a.db), c.a.reviewOptions(customer, p, lang, now))
	if err != nil || c.base == "" {
		return r, commands.ReviewLinks{}, err
	}
	link := func(format string) string {
		return c.base + c.signer.Link(or(customer, "all"), p.Key(), format, lang, now.Add(linkTTL))
	}
	return r, commands.ReviewLinks{Page: link("html"), Chart: link(review.PNG), CSV: link("csv"), XLSX: link("xlsx")}, nil
}

// chatReviews gives the chat command's report counter.
func (a *app) chatReviews(getenv func(string) string) (chatReviews, error) {
	s, err := a.linkSigner(context.Background(), getenv)
	if err != nil {
		return chatReviews{}, err
	}
	return chatReviews{a: a, signer: s, base: strings.TrimRight(getenv("MAGDA_PUBLIC_URL"), "/")}, nil
}

// monthlyReviews posts the dedicated customers' reviews on the first working day of
// each month (R1.2), with the chat's summary card and signed links.
func (a *app) monthlyReviews() *notify.MonthlyReviews {
	var ids []string
	for _, c := range a.cfg.Customers {
		if c.Tier.T == sla.Dedicated {
			ids = append(ids, c.ID)
		}
	}
	return &notify.MonthlyReviews{Customers: ids, ToCustomers: a.cfg.Notify.ReviewToCustomers,
		Reply: func(ctx context.Context, customer string, p review.Period, l commands.Lang, _ time.Time) (commands.Reply, error) {
			r, links, err := a.reviews.Review(ctx, customer, p, string(l))
			if err != nil {
				return commands.Reply{}, err
			}
			return commands.ReviewReply(r, links, l)
		}}
}
