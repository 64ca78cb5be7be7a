package teams

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
)

// Commander answers commands; *commands.Handler is one.
type Commander interface {
	Handle(ctx context.Context, c commands.Caller, text string) commands.Reply
	Run(ctx context.Context, c commands.Caller, cmd commands.Command) commands.Reply
}

// Options configures a Bot. AppID, AppPassword, Commands and References are required.
type Options struct {
	AppID       string // MICROSOFT_APP_ID: the bot's id, the audience of its tokens
	AppPassword string // MICROSOFT_APP_PASSWORD: the client secret for its own tokens
	Commands    Commander
	References  References

	// OpenIDMetadataURL and TokenURL default to the Bot Framework's public cloud; a
	// single-tenant bot's TokenURL names its tenant instead of botframework.com.
	OpenIDMetadataURL string
	TokenURL          string

	// Tenants are the Azure AD tenant ids whose activities are served (teams.tenants);
	// empty: any tenant's.
	Tenants []string
	// OnResult counts each request by its result (ResultStored, ...), for metrics; nil:
	// not counted.
	OnResult func(result string)
	// Unavailable tells a store that cannot answer now (closed, locked, unreachable)
	// from any other error of SaveReference: an install whose reference was not stored
	// gets 503 with Retry-After instead of 500 (issue 16). Nil: none is.
	Unavailable func(error) bool

	// HTTPClient nil: one without a timeout of its own; every call has a deadline in its
	// context (an answer 12 s, a key fetch 10 s, a proactive send notify's SendTimeout),
	// so that a slow answer within it is a success, not a failure the outbox posts again.
	HTTPClient *http.Client
	Logger     *slog.Logger // nil: discard
	// Now and Sleep are the clock; nil: the wall clock and real timers. Tests step them.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// Bot is the Teams side of the bot: an http.Handler for POST /api/messages, and the
// Sender of proactive messages. Both share one token and one set of rate limits.
type Bot struct {
	o      Options
	verify *verifier
	conn   *connector
	sender *Sender
}

// New builds a Bot; it refuses to without the app's id and password (Teams is off then).
func New(o Options) (*Bot, error) {
	switch {
	case o.AppID == "" || o.AppPassword == "":
		return nil, errors.New("teams: MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD are both needed")
	case o.Commands == nil:
		return nil, errors.New("teams: no commands handler")
	case o.References == nil:
		return nil, errors.New("teams: no conversation references store")
	}
	if o.OpenIDMetadataURL == "" {
		o.OpenIDMetadataURL = DefaultOpenIDMetadataURL
	}
	if o.TokenURL == "" {
		o.TokenURL = DefaultTokenURL
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.OnResult == nil {
		o.OnResult = func(string) {}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = sleepCtx
	}
	b := &Bot{o: o}
	b.verify = &verifier{appID: o.AppID, now: o.Now,
		keys: &keySet{metadataURL: o.OpenIDMetadataURL, client: o.HTTPClient, now: o.Now}}
	b.conn = &connector{appID: o.AppID, password: o.AppPassword, tokenURL: o.TokenURL, client: o.HTTPClient,
		now: o.Now, sleep: o.Sleep, jitter: jitter, limits: newLimits()}
	b.sender = &Sender{conn: b.conn, refs: o.References}
	return b, nil
}

// Sender gives the Bot's sender of proactive messages.
func (b *Bot) Sender() *Sender { return b.sender }
