package teams

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/infracloudio/msbotbuilder-go/schema"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/retry"
)

// MaxBody is the largest activity accepted (413 above it).
const MaxBody = 1 << 20

// replyTimeout bounds posting an answer, tries included: the Bot Framework waits about
// 15 seconds for the request.
const replyTimeout = 12 * time.Second

// Results of a request, given to Options.OnResult once per request: the words the other
// sources of magda_events_received_total use.
const (
	// ResultStored: a command or card action recorded an event (escalate, update, pause,
	// resume; a repeated click answers the same and counts the same), or the bot's
	// install saved the conversation reference.
	ResultStored = "stored"
	// ResultAnswered: a command or card action answered without recording anything.
	ResultAnswered     = "answered"
	ResultIgnored      = "ignored"      // not for the bot: chatter, other activity types
	ResultRejected     = "rejected"     // 400, 405, 413, or a card action of another app
	ResultUnauthorized = "unauthorized" // 401: token, channel or tenant refused
	ResultError        = "error"        // the answer could not be posted, or the reference not stored
)

// ServeHTTP serves POST /api/messages. A request without a valid Bot Framework token,
// from another channel than msteams or from a tenant not allowed gets 401 and changes
// nothing; a malformed activity 400; an install whose reference the store cannot take
// now 503 with Retry-After (issue 16). Messages to the bot and card actions are answered
// with a card posted to the conversation (Teams has no ephemeral messages: an ephemeral
// Reply is posted like any other); installs and messages store the conversation
// reference for proactive messages. Each request counts once through Options.OnResult.
func (b *Bot) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.o.OnResult(b.serve(w, r))
}

func (b *Bot) serve(w http.ResponseWriter, r *http.Request) string {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "use POST", http.StatusMethodNotAllowed)
		return ResultRejected
	}
	authz := r.Header.Get("Authorization")
	if authz == "" {
		return b.refuse(w, r, errors.New("no Authorization header"))
	}
	// The token does not cover the body, so it is checked first: whoever has none gets
	// 401 whatever they send.
	vd, err := b.verify.verify(r.Context(), authz)
	if err != nil {
		return b.refuse(w, r, err)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "activity larger than 1 MiB", http.StatusRequestEntityTooLarge)
			return ResultRejected
		}
		http.Error(w, "cannot read the body", http.StatusBadRequest)
		return ResultRejected
	}
	var a activity
	if err := json.Unmarshal(body, &a); err != nil {
		http.Error(w, "malformed activity: "+oneLine(err), http.StatusBadRequest)
		return ResultRejected
	}
	if err := vd.check(&a, b.o.Tenants); err != nil {
		return b.refuse(w, r, err)
	}
	if a.Type == "" || a.Conversation.ID == "" {
		http.Error(w, "malformed activity: type and conversation.id are required", http.StatusBadRequest)
		return ResultRejected
	}
	switch {
	case a.Type == schema.Message:
		return b.message(r.Context(), w, &a)
	case a.Type == schema.Invoke && a.Name == invokeCardAction:
		return b.invoke(r.Context(), w, &a)
	case a.Type == schema.ConversationUpdate && b.added(&a),
		a.Type == schema.InstallationUpdate && strings.HasPrefix(a.Action, string(schema.InstallActionAdd)):
		if err := b.remember(r.Context(), &a); err != nil {
			if b.o.Unavailable != nil && b.o.Unavailable(err) {
				b.o.Logger.Warn("teams: store unavailable for the conversation reference", "channel", a.channel(), "err", err)
				retry.Unavailable(w, "storage unavailable: the conversation reference was not stored, send it again")
				return ResultError
			}
			b.o.Logger.Error("teams: store conversation reference", "channel", a.channel(), "err", err)
			http.Error(w, "cannot store the conversation reference", http.StatusInternalServerError)
			return ResultError
		}
		w.WriteHeader(http.StatusOK)
		return ResultStored
	default:
		w.WriteHeader(http.StatusOK)
		return ResultIgnored
	}
}

// refuse answers 401. The log names the reason, never the token.
func (b *Bot) refuse(w http.ResponseWriter, r *http.Request, why error) string {
	b.o.Logger.Warn("teams: refused a request", "reason", why.Error(), "route", r.URL.Path, "remote", r.RemoteAddr)
	http.Error(w, "unauthorized", http.StatusUnauthorized)
	return ResultUnauthorized
}

// added reports whether a conversationUpdate adds the bot itself.
func (b *Bot) added(a *activity) bool {
	for _, m := range a.MembersAdded {
		if m.ID == a.Recipient.ID {
			return true
		}
	}
	return false
}

// remember stores the reference of the activity's channel or chat.
func (b *Bot) remember(ctx context.Context, a *activity) error {
	return b.o.References.SaveReference(ctx, Reference{
		ChannelID: a.channel(), ConversationID: baseConversation(a.Conversation.ID), ServiceURL: a.ServiceURL,
		TenantID: a.tenant(), BotID: a.Recipient.ID, UpdatedAt: b.o.Now().UTC(),
	})
}

// message answers a text to the bot, or a card's Action.Submit.
func (b *Bot) message(ctx context.Context, w http.ResponseWriter, a *activity) string {
	if err := b.remember(ctx, a); err != nil {
		b.o.Logger.Error("teams: store conversation reference", "channel", a.channel(), "err", err)
	}
	var reply commands.Reply
	if s, err := a.submitted(); err == nil {
		reply = b.run(ctx, a, s)
	} else if text, ok := a.command(); ok {
		reply = b.o.Commands.Handle(ctx, a.caller(a.ID), text)
	} else {
		w.WriteHeader(http.StatusOK) // not for the bot
		return ResultIgnored
	}
	if err := b.reply(ctx, a, reply, a.ID); err != nil {
		http.Error(w, "cannot post the answer", http.StatusBadGateway)
		return ResultError
	}
	w.WriteHeader(http.StatusOK)
	return answered(reply)
}

// invoke answers an Action.Execute: the answer goes to the conversation, and the invoke
// response tells Teams the action was taken.
func (b *Bot) invoke(ctx context.Context, w http.ResponseWriter, a *activity) string {
	s, err := a.submitted()
	if err != nil {
		invokeResponse(w, http.StatusBadRequest, err.Error())
		return ResultRejected
	}
	reply := b.run(ctx, a, s)
	if err := b.reply(ctx, a, reply, a.ReplyToID); err != nil {
		invokeResponse(w, http.StatusInternalServerError, "cannot post the answer")
		return ResultError
	}
	summary := reply.Title
	if summary == "" && len(reply.Lines) > 0 {
		summary = reply.Lines[0]
	}
	invokeResponse(w, http.StatusOK, truncate(summary, maxText)) // a toast: the card holds the rest
	return answered(reply)
}

// answered is the result of a request answered with r.
func answered(r commands.Reply) string {
	if r.Kind == commands.KindRecorded {
		return ResultStored
	}
	return ResultAnswered
}

// run turns a card action into its command and runs it.
func (b *Bot) run(ctx context.Context, a *activity, s submit) commands.Reply {
	cmd, err := s.command()
	if err != nil {
		return commands.ErrorReply(err, s.lang)
	}
	return b.o.Commands.Run(ctx, a.caller(s.requestID(a)), cmd)
}

// reply posts r to the activity's conversation, as a reply to replyTo when set.
func (b *Bot) reply(ctx context.Context, a *activity, r commands.Reply, replyTo string) error {
	ctx, cancel := context.WithTimeout(ctx, replyTimeout)
	defer cancel()
	target := activityURL(a.ServiceURL, a.Conversation.ID, replyTo)
	if _, err := b.conn.post(ctx, a.Conversation.ID, target, replyMessage(a, r, replyTo)); err != nil {
		b.o.Logger.Error("teams: post the answer", "channel", a.channel(), "kind", string(r.Kind), "err", err)
		return err
	}
	return nil
}

// invokeResponse writes the body Teams expects for an invoke: a status and a message.
func invokeResponse(w http.ResponseWriter, status int, text string) {
	typ := "application/vnd.microsoft.activity.message"
	var value any = text
	if status != http.StatusOK {
		typ = "application/vnd.microsoft.error"
		value = map[string]string{"code": http.StatusText(status), "message": text}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"statusCode": status, "type": typ, "value": value})
}

func oneLine(err error) string {
	return strings.ReplaceAll(err.Error(), "\n", " ")
}
