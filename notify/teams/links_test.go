package teams

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/schemas"
	"github.com/digitaal-vlaanderen/magda-sla-bot/review"
)

type reviewsOf struct{}

func (reviewsOf) Review(_ context.Context, customer string, p review.Period, lang string) (review.Report, commands.ReviewLinks, error) {
	r := review.Build(review.Options{Customer: customer, Period: p, Now: start, Lang: lang, Cals: cals}, nil)
	base := "https://bot.example/review/" + customer + "/" + p.Key()
	return r, commands.ReviewLinks{Page: base + ".html?sig=a", Chart: base + ".png?sig=b", XLSX: base + ".xlsx?sig=c", CSV: base + ".csv?sig=d"}, nil
}

// TestReviewCard: in Teams, `magda review agency-x` answers, through the local Bot
// Framework, with a card that shows the chart (an Image from its signed link, with its
// text alternative) and the page and downloads as Action.OpenUrl buttons.
func TestReviewCard(t *testing.T) {
	e := newEnv(t)
	e.rec.h = commands.New(commands.Options{Store: e.store, Customers: customers, Calendars: cals, Now: e.clock.Now,
		Access: commands.Access{Agents: []string{staffAAD}}, Reviews: reviewsOf{}})
	if w := e.serve(e.bf.bearer(), e.channelMessage("m1", teamChan, "review agency-x")); w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	posts := e.bf.sent()
	if len(posts) != 1 || len(posts[0].Body.Attachments) != 1 {
		t.Fatalf("%d posts", len(posts))
	}
	card := posts[0].Body.Attachments[0].Content
	var img *Element
	for i, el := range card.Body {
		if el.Type == "Image" {
			img = &card.Body[i]
		}
	}
	if img == nil || img.URL != "https://bot.example/review/agency-x/2026-06.png?sig=b" || len(img.AltText) < 50 {
		t.Errorf("chart image %+v", img)
	}
	var urls []string
	for _, a := range card.Actions {
		if a.Type == "Action.OpenUrl" {
			urls = append(urls, a.Title+" "+a.URL)
		}
	}
	b, _ := json.Marshal(card)
	schemas.Card(t, b) // the Adaptive Card schema Teams renders
	if len(urls) != 4 || urls[0] != "Full report https://bot.example/review/agency-x/2026-06.html?sig=a" {
		t.Errorf("links %v", urls)
	}
}
