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
// (X-Slack-Retry-Num) when it missed the acknowledgement, maybe to another replica; an
// event_id already seen by any process on the EventLog is ignored.
func (a *App) event(ctx context.Context, ev slackevents.EventsAPIEvent) {
	if cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent); ok && !a.firstEvent(ctx, cb.EventID) {
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

// EventLog remembers ids for the processes sharing it: storage.DB, on the database
// file every replica opens. The ids are kept `keep` and then forgotten.
type EventLog interface {
	FirstSeen(ctx context.Context, source, id string, at time.Time, keep time.Duration) (bool, error)
}

const (
	// eventSource names the Events API's ids in the EventLog.
	eventSource = "slack-events"
	// seenFor is how long an event id is remembered: Slack retries a failed event three
	// times within minutes (at once, after one minute, after five).
	seenFor = time.Hour
	seenMax = 4096
)

// firstEvent reports whether the event id is new. When the EventLog fails the event
// is handled: an answer given twice is better than none.
func (a *App) firstEvent(ctx context.Context, id string) bool {
	if id == "" {
		return true
	}
	first, err := a.o.Events.FirstSeen(ctx, eventSource, id, a.o.Now(), seenFor)
	if err != nil {
		a.log.Error("slack: event id not recorded; handling the event", "event_id", id, "err", err)
		return true
	}
	return first
}

// seen is the EventLog of one process, in memory: the default without a database.
type seen struct {
	mu  sync.Mutex
	ids map[string]time.Time
}

// FirstSeen reports whether id is new within keep, and remembers it; it keeps at most
// seenMax ids.
func (s *seen) FirstSeen(_ context.Context, source, id string, now time.Time, keep time.Duration) (bool, error) {
	id = source + " " + id
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ids == nil {
		s.ids = map[string]time.Time{}
	}
	if at, ok := s.ids[id]; ok && now.Sub(at) < keep {
		return false, nil
	}
	if len(s.ids) >= seenMax {
		for k, at := range s.ids {
			if now.Sub(at) >= keep || len(s.ids) >= seenMax {
				delete(s.ids, k)
			}
		}
	}
	s.ids[id] = now
	return true, nil
}
