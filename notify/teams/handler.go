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
)

// MaxBody is the largest activity accepted (413 above it).
const MaxBody = 1 << 20

// replyTimeout bounds posting an answer, tries included: the Bot Framework waits about
// 15 seconds for the request.
const replyTimeout = 12 * time.Second

// ServeHTTP serves POST /api/messages. A request without a valid Bot Framework token,
// from another channel than msteams or from a tenant not allowed gets 401 and changes
// nothing; a malformed activity 400. Messages to the bot and card
// actions are answered with a card posted to the conversation (Teams has no ephemeral
// messages: an ephemeral Reply is posted like any other); installs and messages store
// the conversation reference for proactive messages.
func (b *Bot) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "use POST", http.StatusMethodNotAllowed)
		return
	}
	authz := r.Header.Get("Authorization")
	if authz == "" {
		b.refuse(w, errors.New("no Authorization header"))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "activity larger than 1 MiB", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "cannot read the body", http.StatusBadRequest)
		return
	}
	vd, err := b.verify.verify(r.Context(), authz)
	if err != nil {
		b.refuse(w, err)
		return
	}
	var a activity
	if err := json.Unmarshal(body, &a); err != nil {
		http.Error(w, "malformed activity: "+oneLine(err), http.StatusBadRequest)
		return
	}
	if err := vd.check(&a, b.o.Tenants); err != nil {
		b.refuse(w, err)
		return
	}
	if a.Type == "" || a.Conversation.ID == "" {
		http.Error(w, "malformed activity: type and conversation.id are required", http.StatusBadRequest)
		return
	}
	switch {
	case a.Type == schema.Message:
		b.message(r.Context(), w, &a)
	case a.Type == schema.Invoke && a.Name == invokeCardAction:
		b.invoke(r.Context(), w, &a)
	case a.Type == schema.ConversationUpdate && b.added(&a),
		a.Type == schema.InstallationUpdate && strings.HasPrefix(a.Action, string(schema.InstallActionAdd)):
		if err := b.remember(r.Context(), &a); err != nil {
			b.o.Logger.Error("teams: store conversation reference", "channel", a.channel(), "err", err)
			http.Error(w, "cannot store the conversation reference", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	default:
		w.WriteHeader(http.StatusOK)
	}
}

// refuse answers 401. The log names the reason, never the token.
func (b *Bot) refuse(w http.ResponseWriter, why error) {
	b.o.Logger.Warn("teams: refused a request", "reason", why.Error())
	http.Error(w, "unauthorized", http.StatusUnauthorized)
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
func (b *Bot) message(ctx context.Context, w http.ResponseWriter, a *activity) {
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
		return
	}
	if err := b.reply(ctx, a, reply, a.ID); err != nil {
		http.Error(w, "cannot post the answer", http.StatusBadGateway)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// invoke answers an Action.Execute: the answer goes to the conversation, and the invoke
// response tells Teams the action was taken.
func (b *Bot) invoke(ctx context.Context, w http.ResponseWriter, a *activity) {
	s, err := a.submitted()
	if err != nil {
		invokeResponse(w, http.StatusBadRequest, err.Error())
		return
	}
	reply := b.run(ctx, a, s)
	if err := b.reply(ctx, a, reply, a.ReplyToID); err != nil {
		invokeResponse(w, http.StatusInternalServerError, "cannot post the answer")
		return
	}
	summary := reply.Title
	if summary == "" && len(reply.Lines) > 0 {
		summary = reply.Lines[0]
	}
	invokeResponse(w, http.StatusOK, summary)
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
