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

// outgoing is a message activity the bot posts, complete as the Activity schema asks
// (type, channelId, conversation; from and recipient where known) and as the Connector's
// "reply to a message" guidance fills it in from the activity answered.
type outgoing struct {
	Type         string                      `json:"type"`
	ChannelID    string                      `json:"channelId"`
	ServiceURL   string                      `json:"serviceUrl"`
	From         *schema.ChannelAccount      `json:"from,omitempty"`
	Recipient    *schema.ChannelAccount      `json:"recipient,omitempty"`
	Conversation *schema.ConversationAccount `json:"conversation"`
	Locale       string                      `json:"locale,omitempty"`
	ReplyToID    string                      `json:"replyToId,omitempty"`
	Summary      string                      `json:"summary,omitempty"`
	Attachments  []schema.Attachment         `json:"attachments"`
}

// replyMessage answers a with r: from is the bot's account the activity was sent to,
// recipient its sender, and conversation, locale, channel and service URL are the
// activity's own.
func replyMessage(a *activity, r commands.Reply, replyTo string) outgoing {
	from, to, conv := a.Recipient, a.From, a.Conversation
	return outgoing{Type: string(schema.Message), ChannelID: a.ChannelID, ServiceURL: a.ServiceURL,
		From: &from, Recipient: &to, Conversation: &conv, Locale: a.Locale, ReplyToID: replyTo,
		Summary: truncate(summaryOf(r), maxText), Attachments: []schema.Attachment{attachment(r)}}
}

// proactive is r posted to conversation on the bot's own initiative. A stored reference
// knows no recipient (the message is for the whole channel or chat) and no asker's
// locale, so the locale is the reply's language.
func proactive(ref Reference, conversation string, r commands.Reply) outgoing {
	o := outgoing{Type: string(schema.Message), ChannelID: ChannelTeams, ServiceURL: ref.ServiceURL,
		Conversation: &schema.ConversationAccount{ID: conversation, TenantID: ref.TenantID},
		Locale:       string(r.Lang), Summary: truncate(r.Title, maxText), Attachments: []schema.Attachment{attachment(r)}}
	if ref.BotID != "" {
		o.From = &schema.ChannelAccount{ID: ref.BotID}
	}
	return o
}

// attachment is r's card, fitted to one message (fit), for an activity.
func attachment(r commands.Reply) schema.Attachment {
	return schema.Attachment{ContentType: CardContentType, Content: Card(r)}
}

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
	id, err := s.conn.post(ctx, conv, activityURL(ref.ServiceURL, conv, ""), proactive(ref, conv, r))
	if err != nil {
		return "", fmt.Errorf("teams: send to %s: %w", channel, err)
	}
	return id, nil
}
