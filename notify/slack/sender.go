package slack

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	slackgo "github.com/slack-go/slack"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
)

// apiTimeout bounds one Web API call or response_url post.
const apiTimeout = 10 * time.Second

// Sender posts replies to Slack channels with the bot token: the notifications of the
// notify package and the bot's own answers. It is safe for concurrent use.
type Sender struct {
	api *slackgo.Client
}

// NewSender gives a Sender for the bot token (xoxb-…). apiURL is another Web API base
// URL (SLACK_API_URL: a proxy or a test server); "" is Slack's. client may be nil.
func NewSender(token, apiURL string, client *http.Client) *Sender {
	if client == nil {
		client = &http.Client{Timeout: apiTimeout}
	}
	opts := []slackgo.Option{slackgo.OptionHTTPClient(client)}
	if apiURL != "" {
		opts = append(opts, slackgo.OptionAPIURL(apiBase(apiURL)))
	}
	return &Sender{api: slackgo.New(token, opts...)}
}

// Send posts r to channel (a channel id, or a user id for the app's direct message) as
// Block Kit with its PlainText as the fallback text, in the thread of thread unless it
// is empty, and gives the new message's ts. When Slack rate-limits the call (HTTP 429)
// the error tells how long to wait: see RetryAfter. Slack-go's own retries are off, so
// that the caller's outbox decides.
func (s *Sender) Send(ctx context.Context, channel string, r commands.Reply, thread string) (string, error) {
	_, ts, err := s.api.PostMessageContext(ctx, channel, msgOptions(r, thread)...)
	if err != nil {
		return "", fmt.Errorf("chat.postMessage to %s: %w", channel, err)
	}
	return ts, nil
}

// sendEphemeral shows r to user only, in channel.
func (s *Sender) sendEphemeral(ctx context.Context, channel, user string, r commands.Reply, thread string) error {
	if _, err := s.api.PostEphemeralContext(ctx, channel, user, msgOptions(r, thread)...); err != nil {
		return fmt.Errorf("chat.postEphemeral to %s in %s: %w", user, channel, err)
	}
	return nil
}

// apiBase ends a Web API base URL in "/", as slack-go joins it with the method name.
func apiBase(u string) string {
	if !strings.HasSuffix(u, "/") {
		return u + "/"
	}
	return u
}

func msgOptions(r commands.Reply, thread string) []slackgo.MsgOption {
	r = fit(r, messageRoom)
	opts := []slackgo.MsgOption{slackgo.MsgOptionText(fallback(r), false), slackgo.MsgOptionBlocks(blocks(r)...)}
	if thread != "" {
		opts = append(opts, slackgo.MsgOptionTS(thread))
	}
	return opts
}

// RetryAfter reports how long Slack asked to wait before the next call, when err comes
// from a rate-limited call (HTTP 429 with Retry-After).
func RetryAfter(err error) (time.Duration, bool) {
	var rl *slackgo.RateLimitedError
	if errors.As(err, &rl) {
		return rl.RetryAfter, true
	}
	return 0, false
}
