package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	slackgo "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// acker acknowledges a Socket Mode envelope; *socketmode.Client is one.
type acker interface {
	Ack(req socketmode.Request, payload ...any) error
}

// RunSocketMode receives slash commands, interactions and events over Socket Mode with
// the app-level token (SLACK_APP_TOKEN, xapp-…, scope connections:write) until ctx
// ends, through the same dispatcher as the HTTP endpoints. Slack signs nothing here:
// the websocket, opened with the token, is the authentication.
func (a *App) RunSocketMode(ctx context.Context, appToken string) error {
	if appToken == "" {
		return errors.New("slack: Socket Mode needs an app-level token (SLACK_APP_TOKEN)")
	}
	opts := []slackgo.Option{slackgo.OptionAppLevelToken(appToken), slackgo.OptionHTTPClient(a.http)}
	if a.o.APIURL != "" {
		opts = append(opts, slackgo.OptionAPIURL(apiBase(a.o.APIURL)))
	}
	client := socketmode.New(slackgo.New(a.o.BotToken, opts...),
		socketmode.OptionLog(slog.NewLogLogger(a.log.Handler(), slog.LevelInfo)))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- client.RunContext(ctx) }()
	for {
		select {
		case evt := <-client.Events:
			// One goroutine per envelope: a slow command must not hold up the
			// acknowledgement of the next one.
			a.bg.Add(1)
			go func() {
				defer a.bg.Done()
				a.socketEvent(ctx, evt, client)
			}()
		case err := <-errc:
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("slack socket mode: %w", err)
		}
	}
}

// socketEvent dispatches one Socket Mode event and acknowledges its envelope, with the
// same body an HTTP answer would have.
func (a *App) socketEvent(ctx context.Context, evt socketmode.Event, ack acker) {
	var payload any
	switch evt.Type {
	case socketmode.EventTypeSlashCommand:
		sc, ok := evt.Data.(slackgo.SlashCommand)
		if !ok {
			break
		}
		if m := a.slash(ctx, sc); m != nil {
			payload = m
		}
	case socketmode.EventTypeInteractive:
		cb, ok := evt.Data.(slackgo.InteractionCallback)
		if !ok {
			break
		}
		payload = a.interaction(ctx, cb)
	case socketmode.EventTypeEventsAPI:
		ev, ok := evt.Data.(slackevents.EventsAPIEvent)
		if !ok {
			break
		}
		a.event(ctx, ev)
	case socketmode.EventTypeInvalidAuth:
		a.failed("Socket Mode", errors.New("invalid app-level token"))
		return
	default:
		return // connecting, hello, disconnect: the client handles them
	}
	if evt.Request == nil {
		return
	}
	var err error
	if payload == nil {
		err = ack.Ack(*evt.Request)
	} else {
		err = ack.Ack(*evt.Request, payload)
	}
	if err != nil {
		a.failed("Socket Mode acknowledgement", err)
	}
}
