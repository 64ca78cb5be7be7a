package commands

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/review"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// los gives the words' lower-case forms.
func (p *parser) los() []string {
	out := make([]string, len(p.words))
	for i, w := range p.words {
		out[i] = w.lo
	}
	return out
}

// VerbReview asks for a customer's service review (R1.2): review agency-x [period].
const VerbReview Verb = "review"

// KindReview is a service review's summary card, with the chart and the export as
// Files and the full page as a Link.
const KindReview Kind = "review"

// File is a file a reply carries: Slack uploads it, Teams links to it (Link).
type File struct {
	Name        string
	Title       string
	ContentType string
	Alt         string // text alternative of an image
	Data        []byte
}

// Link is a download or page the reply points to.
type Link struct {
	Label string
	URL   string
	// Image: the link is an image (a review's chart) that a card may show, described by
	// Alt.
	Image bool
	Alt   string
}

// ReviewLinks are the signed, expiring links of one report ("" when the bot has no
// public address, MAGDA_PUBLIC_URL).
type ReviewLinks struct {
	Page, Chart, CSV, XLSX string
}

// Reviews counts reports for chat; cmd/bot gives it the store and the link signer.
type Reviews interface {
	Review(ctx context.Context, customer string, p review.Period, lang string) (review.Report, ReviewLinks, error)
}

// reviewWords are the words that name a review's period, English and Dutch.
var reviewPeriods = map[string]string{
	"last month": "last-month", "vorige maand": "last-month", "previous month": "last-month",
	"this month": "this-month", "deze maand": "this-month",
	"last quarter": "last-quarter", "vorig kwartaal": "last-quarter", "previous quarter": "last-quarter",
	"this quarter": "this-quarter", "dit kwartaal": "this-quarter",
}

var monthNames = map[string]time.Month{}

func init() {
	for i, n := range []string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"} {
		monthNames[n] = time.Month(i + 1)
		monthNames[n[:3]] = time.Month(i + 1)
	}
	for i, n := range []string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"} {
		monthNames[n] = time.Month(i + 1)
	}
}

// parseReview reads `review [CUSTOMER] [PERIOD]` (also `rapport`): the period is a
// month name, YYYY-MM, YYYY-Qn, last/this month or quarter (vorige/deze maand, vorig/dit
// kwartaal); without one, last month. The customer is the rest of the words.
func parseReview(words []string) (Command, error) {
	c := Command{Verb: VerbReview, Lang: English}
	if words[0] == "rapport" {
		c.Lang = Dutch
	}
	rest := strings.ToLower(strings.Join(words[1:], " "))
	for phrase, p := range reviewPeriods {
		if strings.HasSuffix(rest, phrase) {
			c.Period, rest = p, strings.TrimSpace(strings.TrimSuffix(rest, phrase))
			if strings.Contains("vorige maand deze maand vorig kwartaal dit kwartaal", phrase) {
				c.Lang = Dutch
			}
			break
		}
	}
	if i := strings.LastIndexByte(rest, ' '); c.Period == "" {
		last := rest[i+1:]
		_, month := monthNames[last]
		_, errM := review.ParseMonth(last)
		_, errQ := review.ParseQuarter(last)
		if month || errM == nil || errQ == nil {
			c.Period, rest = last, strings.TrimSpace(rest[:i+1])
		}
	}
	c.Customer = rest
	if _, err := resolvePeriod(c.Period, time.Now()); err != nil {
		return c, errorf(CodeInvalid, "%s", c.Lang.pick("Which period? Try `review agency-x november`, `2026-11`, `2026-Q4` or `last quarter`.",
			"Welke periode? Probeer `review agentschap-x november`, `2026-11`, `2026-Q4` of `vorig kwartaal`."))
	}
	return c, nil
}

// periodWords writes a Command.Period back as the words Parse reads.
func periodWords(p string, l Lang) string {
	switch p {
	case "last-month":
		return l.pick("last month", "vorige maand")
	case "this-month":
		return l.pick("this month", "deze maand")
	case "last-quarter":
		return l.pick("last quarter", "vorig kwartaal")
	case "this-quarter":
		return l.pick("this quarter", "dit kwartaal")
	}
	return p
}

// resolvePeriod gives the period a review's words name at now ("" is last month).
func resolvePeriod(s string, now time.Time) (review.Period, error) {
	switch s {
	case "", "last-month":
		return review.LastMonth(now), nil
	case "this-month":
		return review.RecentMonth(now, now.In(sla.Brussels).Month()), nil
	case "last-quarter":
		return review.LastQuarter(now), nil
	case "this-quarter":
		return review.LastQuarter(now.AddDate(0, 3, 0)), nil
	}
	if m, ok := monthNames[s]; ok {
		return review.RecentMonth(now, m), nil
	}
	if p, err := review.ParseMonth(s); err == nil {
		return p, nil
	}
	return review.ParseQuarter(s)
}

// review answers the review command: staff everywhere, and in a customer's channel only
// that customer's own report.
func (h *Handler) review(ctx context.Context, c Caller, cmd Command, l Lang) (Reply, error) {
	if _, scoped := h.scope(c); !scoped && !h.isStaff(c) {
		return Reply{}, errorf(CodeForbidden, "%s", l.pick("Service reviews are for the MAGDA team, or in the customer's own channel.",
			"Dienstverleningsrapporten zijn voor het MAGDA-team, of in het eigen kanaal van de klant."))
	}
	cu, err := h.customer(c, cmd.Customer, l)
	if err != nil {
		return Reply{}, err
	}
	if h.o.Reviews == nil {
		return Reply{}, internal(errors.New("no reviews configured"))
	}
	p, err := resolvePeriod(cmd.Period, h.o.Now())
	if err != nil {
		return Reply{}, errorf(CodeInvalid, "%s", err.Error())
	}
	r, links, err := h.o.Reviews.Review(ctx, cu.ID, p, string(l))
	if err != nil {
		return Reply{}, internal(err)
	}
	return ReviewReply(r, links, l)
}

// ReviewReply is the summary card: each clock's met % over all priorities, the
// breaches, missed updates and escalations; the chart (PNG) and the XLSX as files.
func ReviewReply(r review.Report, links ReviewLinks, l Lang) (Reply, error) {
	out := Reply{Kind: KindReview, Title: r.Heading(), Status: StatusOK}
	totals := map[string][2]int{}
	for _, cl := range r.Clocks {
		t := totals[cl.Clock]
		totals[cl.Clock] = [2]int{t[0] + cl.Met, t[1] + cl.Met + cl.Breached}
	}
	for _, k := range []struct{ clock, en, nl string }{{review.Response, "Response met", "Reactie gehaald"},
		{review.Resolution, "Resolution met", "Oplossing gehaald"}, {review.UpdateFreq, "Updates on time (R5.3)", "Updates op tijd (R5.3)"}} {
		t := totals[k.clock]
		v := "–"
		if t[1] > 0 {
			v = fmt.Sprintf("%d/%d (%.0f %%)", t[0], t[1], 100*float64(t[0])/float64(t[1]))
		}
		out.Facts = append(out.Facts, Fact{Label: l.pick(k.en, k.nl), Value: v})
	}
	out.Facts = append(out.Facts,
		Fact{Label: l.pick("Breaches", "Overschrijdingen"), Value: fmt.Sprint(len(r.Breaches))},
		Fact{Label: l.pick("Missed updates", "Gemiste updates"), Value: fmt.Sprint(r.MissedUpdates)},
		Fact{Label: l.pick("Escalations", "Escalaties"), Value: fmt.Sprint(len(r.Escalations))})
	if len(r.Breaches) > 0 {
		out.Status = StatusBreached
	}
	var chart, xlsx bytes.Buffer
	if err := r.WriteChart(&chart, review.PNG); err != nil {
		return Reply{}, internal(err)
	}
	if err := r.WriteXLSX(&xlsx); err != nil {
		return Reply{}, internal(err)
	}
	out.Files = []File{
		{Name: r.FileName(review.PNG), Title: r.Heading(), ContentType: review.ContentType(review.PNG), Alt: r.ChartAlt(), Data: chart.Bytes()},
		{Name: r.FileName("xlsx"), Title: r.Heading() + " (XLSX)", ContentType: review.ContentType("xlsx"), Data: xlsx.Bytes()},
	}
	for _, k := range []struct{ url, en, nl string }{{links.Page, "Full report", "Volledig rapport"},
		{links.Chart, "Chart", "Grafiek"}, {links.XLSX, "XLSX", "XLSX"}, {links.CSV, "CSV", "CSV"}} {
		if k.url != "" {
			out.Links = append(out.Links, Link{Label: l.pick(k.en, k.nl), URL: k.url, Image: k.url == links.Chart, Alt: r.ChartAlt()})
		}
	}
	if links.Page != "" {
		out.Notes = append(out.Notes, l.pick("The links work for 30 days, without login: share them only with the people of the review.",
			"De links werken 30 dagen, zonder aanmelden: deel ze enkel met de deelnemers van het overleg."))
	}
	return out, nil
}
