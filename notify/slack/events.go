package slack

import (
	"context"
	"strings"
	"sync"
	"time"

	slackgo "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
)

// The Events API events the app subscribes to (manifest.yml) and handles.
const (
	EventAppMention    = "app_mention"
	EventAppHomeOpened = "app_home_opened"
)

// event handles an Events API event after acknowledging it. Slack sends an event again
// when it missed the acknowledgement; a repeated event_id is ignored.
func (a *App) event(ctx context.Context, ev slackevents.EventsAPIEvent) {
	if cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent); ok && !a.seen.first(cb.EventID, a.o.Now()) {
		a.result("duplicate")
		return
	}
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		if e.BotID != "" || e.User == "" {
			break // another bot: answering could loop
		}
		a.result("mention")
		a.background(ctx, func(ctx context.Context) { a.mention(ctx, e) })
		return
	case *slackevents.AppHomeOpenedEvent:
		if e.Tab != "home" {
			break
		}
		a.result("home")
		a.background(ctx, func(ctx context.Context) { a.home(ctx, e) })
		return
	}
	a.result("ignored")
}

// mention answers "@magda sla MAGDA-123" in the mention's thread: for the channel, or
// privately to the user when the answer is ephemeral.
func (a *App) mention(ctx context.Context, e *slackevents.AppMentionEvent) {
	c := a.caller(ctx, e.User, "", e.Channel, e.Channel+":"+e.TimeStamp)
	r := a.o.Handler.Handle(ctx, c, mentionText(e.Text))
	a.post(ctx, target{channel: e.Channel, user: e.User, thread: or(e.ThreadTimeStamp, e.TimeStamp),
		inThread: e.ThreadTimeStamp != ""}, r)
}

// mentionText is the command after the mention of the bot, unescaped.
func mentionText(s string) string {
	if i := strings.Index(s, "<@"); i >= 0 {
		if j := strings.IndexByte(s[i:], '>'); j >= 0 {
			s = s[i+j+1:]
		}
	}
	return strings.TrimSpace(strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s))
}

// home publishes the user's App Home: HomeTickets' reply, then the command list.
func (a *App) home(ctx context.Context, e *slackevents.AppHomeOpenedEvent) {
	c := a.caller(ctx, e.User, "", "", "")
	var top *commands.Reply
	if a.o.HomeTickets != nil {
		r, err := a.o.HomeTickets(ctx, c)
		if err != nil {
			a.failed("App Home tickets", err)
		} else {
			top = &r
		}
	}
	word := "?" // the handler's default language
	if top != nil && top.Lang == commands.Dutch {
		word = "hulp"
	} else if top != nil && top.Lang == commands.English {
		word = "help"
	}
	bs := homeView(top, a.o.Handler.Handle(ctx, c, word))
	view := slackgo.HomeTabViewRequest{Type: slackgo.VTHomeTab, Blocks: slackgo.Blocks{BlockSet: bs}}
	if _, err := a.send.api.PublishViewContext(ctx, slackgo.PublishViewContextRequest{UserID: e.User, View: view}); err != nil {
		a.failed("views.publish failed", err)
	}
}

// seen remembers event ids for a while, so that a retried event is handled once.
type seen struct {
	mu  sync.Mutex
	ids map[string]time.Time
}

const (
	seenFor = 15 * time.Minute // Slack retries within minutes
	seenMax = 4096
)

// first reports whether id is new, and remembers it. An empty id is always new.
func (s *seen) first(id string, now time.Time) bool {
	if id == "" {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ids == nil {
		s.ids = map[string]time.Time{}
	}
	if at, ok := s.ids[id]; ok && now.Sub(at) < seenFor {
		return false
	}
	if len(s.ids) >= seenMax {
		for k, at := range s.ids {
			if now.Sub(at) >= seenFor || len(s.ids) >= seenMax {
				delete(s.ids, k)
			}
		}
	}
	s.ids[id] = now
	return true
}
