package teams

import (
	"context"
	"fmt"
	"time"

	"github.com/infracloudio/msbotbuilder-go/schema"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
)

// Reference is what a proactive message to a Teams channel or chat needs, stored when
// the bot is installed there and refreshed with each message from there.
type Reference struct {
	ChannelID      string // the Teams channel id, or the chat's conversation id
	ConversationID string // the conversation to post to, without a thread
	ServiceURL     string // the Bot Connector endpoint of that tenant's region
	TenantID       string
	BotID          string // the bot's account in the conversation ("28:…")
	UpdatedAt      time.Time
}

// References keeps the conversation references, by ChannelID.
type References interface {
	SaveReference(ctx context.Context, r Reference) error
	// Reference gives the reference of a channel; false when the bot was never there.
	Reference(ctx context.Context, channelID string) (Reference, bool, error)
}

// Sender posts Replies as Adaptive Cards to Teams channels and chats where the bot is
// installed: reminders, warnings and escalation notices. It keeps to Teams' limits per
// conversation and retries 429 and 5xx answers a few times, honouring Retry-After.
type Sender struct {
	conn *connector
	refs References
}

// outgoing is a message activity the bot posts.
type outgoing struct {
	Type        string              `json:"type"`
	ReplyToID   string              `json:"replyToId,omitempty"`
	Summary     string              `json:"summary,omitempty"`
	Attachments []schema.Attachment `json:"attachments"`
}

func message(r commands.Reply, replyTo string) outgoing { return envelope(r, replyTo, Card(r)) }

// Send posts r to channel (a Teams channel id or a chat's conversation id), in thread
// when thread is the id of an earlier message there, and gives the new message's id,
// which can be the thread of later ones. A channel the bot was never installed in is an
// error, and so are the tries running out; RetryAfter tells a rate limit apart.
func (s *Sender) Send(ctx context.Context, channel string, r commands.Reply, thread string) (string, error) {
	ref, ok, err := s.refs.Reference(ctx, channel)
	if err != nil {
		return "", fmt.Errorf("teams: reference of %s: %w", channel, err)
	}
	if !ok {
		return "", fmt.Errorf("teams: the bot is not installed in %s (no conversation reference)", channel)
	}
	conv := ref.ConversationID
	if thread != "" {
		conv += ";messageid=" + thread
	}
	id, err := s.conn.post(ctx, conv, activityURL(ref.ServiceURL, conv, ""), message(r, ""))
	if err != nil {
		return "", fmt.Errorf("teams: send to %s: %w", channel, err)
	}
	return id, nil
}
