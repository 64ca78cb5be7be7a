package slack

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	slackgo "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
)

// Command is the slash command the app answers.
const Command = "/magda"

// The HTTP paths of the three endpoints (CONTRACT.md).
const (
	PathCommands      = "/slack/commands"
	PathInteractivity = "/slack/interactivity"
	PathEvents        = "/slack/events"
)

const (
	maxBody           = 1 << 20          // bytes of a request body; more is 413
	defaultAckWithin  = 2 * time.Second  // Slack wants an acknowledgement within 3 s
	backgroundTimeout = 30 * time.Second // work after the acknowledgement
)

// Runner answers commands; *commands.Handler is one.
type Runner interface {
	Handle(ctx context.Context, c commands.Caller, text string) commands.Reply
	Run(ctx context.Context, c commands.Caller, cmd commands.Command) commands.Reply
}

// Options configures an App.
type Options struct {
	// SigningSecret (SLACK_SIGNING_SECRET) verifies HTTP requests; without it every HTTP
	// request gets 401. Socket Mode does not use it.
	SigningSecret string
	// BotToken (SLACK_BOT_TOKEN, xoxb-…) calls the Web API: modals, messages, App Home.
	BotToken string
	// APIURL (SLACK_API_URL) is another Web API base URL; "" is Slack's.
	APIURL string
	// Handler answers the commands. Required.
	Handler Runner
	// HomeTickets gives what the App Home shows a user above the command list: the
	// tickets at risk or breached that concern them. Nil: the command list only.
	HomeTickets func(ctx context.Context, c commands.Caller) (commands.Reply, error)
	// UserGroups are the Slack user-group ids (S…) that commands.Access names; a caller's
	// Groups are those of them the caller is a member of, read with
	// usergroups.users.list (scope usergroups:read) and cached for five minutes. Ids
	// that are not user groups are ignored, so the access lists can be passed whole.
	UserGroups []string
	// Logger gets failures; nil is slog.Default(). Tokens and secrets are never logged.
	Logger *slog.Logger
	// OnEvent counts what happened to each request, for metrics: "answered",
	// "deferred", "modal", "action", "submitted", "mention", "home",
	// "url_verification", "duplicate", "ignored", "unauthorized", "too_large",
	// "bad_request" or "failed" (a Web API call or response_url post that failed).
	OnEvent func(result string)
	// HTTPClient makes the Web API calls and response_url posts; nil: a client with a
	// 10-second timeout.
	HTTPClient *http.Client
	// AckWithin is how long a slash command may run before the acknowledgement says
	// "working on it" and the answer follows through response_url; 0 is 2 seconds.
	AckWithin time.Duration
	// Now is the clock of the signature check and of Events; nil is time.Now.
	Now func() time.Time
	// Events remembers the Events API event ids handled, for an hour, so that Slack's
	// retry of an event is answered once, also when it reaches another replica: give
	// it the database every replica opens (storage.DB). Nil: in memory, one process.
	Events EventLog
}

// App serves Slack: the HTTP endpoints and Socket Mode share one dispatcher. It is safe
// for concurrent use.
type App struct {
	o      Options
	send   *Sender
	http   *http.Client
	log    *slog.Logger
	groups *groupCache
	names  *nameCache
	bg     sync.WaitGroup

	commands, interactivity, events http.Handler
}

// New builds an App.
func New(o Options) (*App, error) {
	if o.Handler == nil {
		return nil, errors.New("slack: Options.Handler is required")
	}
	if o.BotToken == "" {
		return nil, errors.New("slack: Options.BotToken is required (SLACK_BOT_TOKEN)")
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: apiTimeout}
	}
	if o.AckWithin <= 0 {
		o.AckWithin = defaultAckWithin
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Events == nil {
		o.Events = &seen{}
	}
	a := &App{o: o, send: NewSender(o.BotToken, o.APIURL, o.HTTPClient), http: o.HTTPClient, log: o.Logger}
	a.groups = newGroupCache(a.send.api, o.UserGroups, o.Now, o.Logger)
	a.names = newNameCache(a.send.api, o.Now, o.Logger)
	a.commands = a.endpoint(a.serveCommand)
	a.interactivity = a.endpoint(a.serveInteraction)
	a.events = a.endpoint(a.serveEvent)
	return a, nil
}

// Wait blocks until the work acknowledged so far is done: answers through response_url,
// modals, messages. Call it after the HTTP server and Socket Mode have stopped.
func (a *App) Wait() { a.bg.Wait() }

// ServeHTTP routes PathCommands, PathInteractivity and PathEvents; anything else is 404.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case PathCommands:
		a.commands.ServeHTTP(w, r)
	case PathInteractivity:
		a.interactivity.ServeHTTP(w, r)
	case PathEvents:
		a.events.ServeHTTP(w, r)
	default:
		http.NotFound(w, r)
	}
}

// Commands serves slash commands (form-encoded), for mounting on its own.
func (a *App) Commands() http.Handler { return a.commands }

// Interactivity serves button clicks and modal submissions (a form with a JSON
// payload), for mounting on its own.
func (a *App) Interactivity() http.Handler { return a.interactivity }

// Events serves the Events API, answering url_verification, for mounting on its own.
func (a *App) Events() http.Handler { return a.events }

func (a *App) serveCommand(w http.ResponseWriter, r *http.Request, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		a.badRequest(w, "the body is not a form")
		return
	}
	msg := a.slash(r.Context(), slackgo.SlashCommand{
		ChannelID: form.Get("channel_id"), UserID: form.Get("user_id"), UserName: form.Get("user_name"),
		Command: form.Get("command"), Text: form.Get("text"),
		ResponseURL: form.Get("response_url"), TriggerID: form.Get("trigger_id"),
	})
	writeAck(w, msg)
}

func (a *App) serveInteraction(w http.ResponseWriter, r *http.Request, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		a.badRequest(w, "the body is not a form")
		return
	}
	var cb slackgo.InteractionCallback
	if err := json.Unmarshal([]byte(form.Get("payload")), &cb); err != nil {
		a.badRequest(w, "the payload is not an interaction")
		return
	}
	writeAck(w, a.interaction(r.Context(), cb))
}

func (a *App) serveEvent(w http.ResponseWriter, r *http.Request, body []byte) {
	if !json.Valid(body) {
		a.badRequest(w, "the body is not JSON")
		return
	}
	ev, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
	if err != nil {
		// Valid JSON that is no event we know: acknowledge, or Slack retries it.
		a.log.Debug("slack event ignored", "err", err)
		a.result("ignored")
		w.WriteHeader(http.StatusOK)
		return
	}
	if ev.Type == slackevents.URLVerification {
		a.result("url_verification")
		v, _ := ev.Data.(*slackevents.EventsAPIURLVerificationEvent)
		if v == nil {
			v = &slackevents.EventsAPIURLVerificationEvent{}
		}
		writeAck(w, map[string]string{"challenge": v.Challenge})
		return
	}
	a.event(r.Context(), ev)
	w.WriteHeader(http.StatusOK)
}

// endpoint wraps an endpoint: POST only, a body of at most 1 MiB, and a valid
// signature before anything is parsed.
func (a *App) endpoint(next func(w http.ResponseWriter, r *http.Request, body []byte)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		body, err := readBody(w, r, maxBody)
		switch {
		case errors.Is(err, errTooLarge):
			a.result("too_large")
			http.Error(w, "request body over 1 MiB", http.StatusRequestEntityTooLarge)
			return
		case err != nil:
			a.badRequest(w, "cannot read the request body")
			return
		}
		if err := verify(r.Header, body, a.o.SigningSecret, a.o.Now()); err != nil {
			a.result("unauthorized")
			a.log.Warn("slack request refused", "path", r.URL.Path, "reason", err.Error(), "remote", r.RemoteAddr)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		next(w, r, body)
	})
}

func (a *App) badRequest(w http.ResponseWriter, why string) {
	a.result("bad_request")
	http.Error(w, why, http.StatusBadRequest)
}

// writeAck answers 200 with v as JSON; nil is an empty acknowledgement.
func writeAck(w http.ResponseWriter, v any) {
	if isNil(v) {
		w.WriteHeader(http.StatusOK)
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

func isNil(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case *message:
		return x == nil
	case *slackgo.ViewSubmissionResponse:
		return x == nil
	}
	return false
}

func (a *App) result(s string) {
	if a.o.OnEvent != nil {
		a.o.OnEvent(s)
	}
}

// background runs fn after the acknowledgement, detached from the request but bounded,
// and counted for Wait.
func (a *App) background(ctx context.Context, fn func(ctx context.Context)) {
	a.bg.Add(1)
	go func() {
		defer a.bg.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), backgroundTimeout)
		defer cancel()
		fn(ctx)
	}()
}

// caller is a Slack user as commands sees them, with their user groups.
func (a *App) caller(ctx context.Context, user, name, channel, requestID string) commands.Caller {
	return commands.Caller{UserID: user, Groups: a.groups.of(ctx, user), ChannelID: channel,
		Platform: "slack", Name: or(name, user), RequestID: requestID,
		NameOf: func(ctx context.Context) string { return a.names.of(ctx, user) }}
}
