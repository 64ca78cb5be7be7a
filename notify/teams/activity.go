package teams

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"maps"
	"slices"
	"strings"

	"github.com/infracloudio/msbotbuilder-go/schema"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
)

// activity is what the Bot Framework posts. msbotbuilder-go's schema.Activity has the
// common fields; its Entities drop a mention's account and its Value can't hold an
// invoke's nested action, so those are read here with what Teams puts in channelData.
type activity struct {
	schema.Activity
	Entities    []entity        `json:"entities,omitempty"`
	Value       json.RawMessage `json:"value,omitempty"`
	ChannelData channelData     `json:"channelData"`
}

// entity is a mention (type "mention") or other metadata (clientInfo, ...).
type entity struct {
	Type      string                `json:"type"`
	Text      string                `json:"text,omitempty"`
	Mentioned schema.ChannelAccount `json:"mentioned"`
}

type channelData struct {
	Channel struct {
		ID string `json:"id"`
	} `json:"channel"`
	Team struct {
		ID string `json:"id"`
	} `json:"team"`
	Tenant struct {
		ID string `json:"id"`
	} `json:"tenant"`
}

// Invoke names Teams sends for Adaptive Card actions (Action.Execute).
const invokeCardAction = "adaptiveCard/action"

// baseConversation is a conversation id without the thread: a channel message's
// conversation is "19:…@thread.tacv2;messageid=…".
func baseConversation(id string) string {
	base, _, _ := strings.Cut(id, ";messageid=")
	return base
}

// channel is the id commands scope by: the Teams channel, or the chat's conversation.
func (a *activity) channel() string {
	if a.ChannelData.Channel.ID != "" {
		return a.ChannelData.Channel.ID
	}
	return baseConversation(a.Conversation.ID)
}

func (a *activity) tenant() string {
	if a.Conversation.TenantID != "" {
		return a.Conversation.TenantID
	}
	return a.ChannelData.Tenant.ID
}

// tenants are the tenant ids the activity names: Teams puts the tenant in channelData,
// in the conversation, or in both.
func (a *activity) tenants() []string {
	var ids []string
	for _, id := range []string{a.ChannelData.Tenant.ID, a.Conversation.TenantID} {
		if id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// caller is who asks, for the commands handler; requestID names the user's action.
func (a *activity) caller(requestID string) commands.Caller {
	user := a.From.AadObjectID
	if user == "" {
		user = a.From.ID
	}
	return commands.Caller{UserID: user, ChannelID: a.channel(), Platform: "teams", Name: a.From.Name, RequestID: requestID}
}

// command gives the command text of a message and whether the message is for the bot:
// it @mentions the bot, starts with "magda", or is in a personal chat with the bot.
// The bot's mention is cut out; other mentions keep the name.
func (a *activity) command() (string, bool) {
	text := a.Text
	mentioned := false
	for _, e := range a.Entities {
		if e.Type == "mention" && e.Mentioned.ID != "" && e.Mentioned.ID == a.Recipient.ID && e.Text != "" &&
			strings.Contains(text, e.Text) {
			text = strings.Replace(text, e.Text, " ", 1)
			mentioned = true
		}
	}
	text = strings.TrimSpace(strings.ReplaceAll(html.UnescapeString(text), "\u00a0", " "))
	// "magda" must be the first word as typed, not the name of someone mentioned.
	first := ""
	if words := strings.Fields(text); len(words) > 0 {
		first = words[0]
	}
	switch strings.ToLower(strings.TrimRight(first, ",:")) {
	case "magda", "/magda", "@magda":
		mentioned = true
	}
	if !mentioned && a.Conversation.ConversationType != "personal" {
		return "", false
	}
	return strings.TrimSpace(strings.NewReplacer("<at>", "", "</at>", "").Replace(text)), true
}

// submit is what a card's Action.Submit (or Action.Execute) sends back.
type submit struct {
	action, form, value string
	lang                commands.Lang
	fields              map[string]string
}

// errNotOurs marks a submit from a card this bot did not render.
var errNotOurs = errors.New("not a card action of this bot")

// submitted reads a card action: a message's value (Action.Submit) or an
// adaptiveCard/action invoke's value.action.data (Action.Execute).
func (a *activity) submitted() (submit, error) {
	raw := a.Value
	if a.Type == schema.Invoke {
		var v struct {
			Action struct {
				Data json.RawMessage `json:"data"`
			} `json:"action"`
		}
		if err := json.Unmarshal(raw, &v); err != nil {
			return submit{}, errors.New("invoke value is not an object")
		}
		raw = v.Action.Data
	}
	var data map[string]any
	if err := json.Unmarshal(raw, &data); err != nil || data == nil {
		return submit{}, errNotOurs
	}
	str := func(k string) string { s, _ := data[k].(string); return s }
	s := submit{action: str(DataAction), form: str(DataForm), value: str(DataValue),
		lang: commands.Lang(str(DataLang)), fields: make(map[string]string)}
	for k, v := range data {
		if id, ok := strings.CutPrefix(k, FieldPrefix); ok {
			if str, ok := v.(string); ok {
				s.fields[id] = str
			}
		}
	}
	if s.action == "" && s.form == "" {
		return submit{}, errNotOurs
	}
	return s, nil
}

// command turns the submit into the command its button or form stands for.
func (s submit) command() (commands.Command, error) {
	if s.form != "" {
		return commands.FormCommand(s.form, s.value, s.fields, s.lang)
	}
	return commands.ActionCommand(s.action, s.value, s.lang)
}

// requestID names one click: the card's message, what was clicked and what was filled
// in, so that a double click (two activities) is one request; else the activity's id.
func (s submit) requestID(a *activity) string {
	if a.ReplyToID == "" {
		return a.ID
	}
	h := sha256.New()
	for _, k := range slices.Sorted(maps.Keys(s.fields)) {
		fmt.Fprintf(h, "%q=%q;", k, s.fields[k])
	}
	return a.ReplyToID + ":" + s.action + s.form + ":" + s.value + ":" + hex.EncodeToString(h.Sum(nil))[:16]
}
