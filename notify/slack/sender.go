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

// apiTimeout bounds one Web API call or response_url post of the App's answers, which
// are not retried.
const apiTimeout = 10 * time.Second

// Sender posts replies to Slack channels with the bot token: the notifications of the
// notify package and the bot's own answers. It is safe for concurrent use.
type Sender struct {
	api *slackgo.Client
}

// NewSender gives a Sender for the bot token (xoxb-…). apiURL is another Web API base
// URL (SLACK_API_URL: a proxy or a test server); "" is Slack's. client may be nil: one
// without a timeout of its own, so that the caller's context bounds each call (notify's
// SendTimeout). A shorter client timeout would count a slow answer as a failure while
// Slack posted the message.
func NewSender(token, apiURL string, client *http.Client) *Sender {
	if client == nil {
		client = &http.Client{}
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

// metadataType is the event_type of the metadata that tags the bot's notifications
// with their outbox key.
const metadataType = "magda_notification"

// SendKeyed posts r to channel as Send does, tagged with key in the message's metadata
// (event_type magda_notification, event_payload {"key": key}), for Find.
func (s *Sender) SendKeyed(ctx context.Context, channel string, r commands.Reply, key string) (string, error) {
	opts := append(msgOptions(r, ""), slackgo.MsgOptionMetadata(slackgo.SlackMetadata{
		EventType: metadataType, EventPayload: map[string]any{"key": key}}))
	_, ts, err := s.api.PostMessageContext(ctx, channel, opts...)
	if err != nil {
		return "", fmt.Errorf("chat.postMessage to %s: %w", channel, err)
	}
	return ts, nil
}

// findPages bounds Find: 2,000 messages since an earlier try is more than any channel
// the bot posts to gets in minutes.
const findPages = 10

// Find looks in channel's history since `since` (conversations.history with
// include_all_metadata; scopes channels:history and groups:history) for the message
// SendKeyed tagged with key, and gives its ts. A history longer than it reads is an
// error, not "not found": posting again could be a duplicate.
func (s *Sender) Find(ctx context.Context, channel, key string, since time.Time) (ts string, found bool, err error) {
	p := &slackgo.GetConversationHistoryParameters{ChannelID: channel, Limit: 200, IncludeAllMetadata: true,
		Oldest: fmt.Sprintf("%d.000000", since.Unix())}
	for range findPages {
		h, err := s.api.GetConversationHistoryContext(ctx, p)
		if err != nil {
			return "", false, fmt.Errorf("conversations.history of %s: %w", channel, err)
		}
		for _, m := range h.Messages {
			if m.Metadata.EventType == metadataType && m.Metadata.EventPayload["key"] == key {
				return m.Timestamp, true, nil
			}
		}
		if !h.HasMore || h.ResponseMetaData.NextCursor == "" {
			return "", false, nil
		}
		p.Cursor = h.ResponseMetaData.NextCursor
	}
	return "", false, fmt.Errorf("conversations.history of %s: more than %d messages since %s", channel, findPages*200, since.UTC().Format(time.RFC3339))
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

// Rejected reports that err is Slack's answer that it did not post the message
// (ok:false with an error such as channel_not_found or not_in_channel). The errors
// after which, as Slack says, some of the call may have been done are not: those
// leave the outcome unknown, as timeouts and 5xx answers do.
func Rejected(err error) bool {
	var se slackgo.SlackErrorResponse
	if !errors.As(err, &se) {
		return false
	}
	switch se.Err {
	case "internal_error", "fatal_error", "service_unavailable", "request_timeout":
		return false
	}
	return true
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
