package jira

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// payload is the part of a Jira webhook body (Atlassian's documented format) that the
// mapping reads. Issue fields stay raw: which ones matter is configuration.
type payload struct {
	Timestamp    json.RawMessage `json:"timestamp"`
	WebhookEvent string          `json:"webhookEvent"`
	User         *user           `json:"user"`
	Issue        *issue          `json:"issue"`
	Changelog    *changelog      `json:"changelog"`
	Comment      *comment        `json:"comment"`
}

type user struct {
	AccountID   string `json:"accountId"`
	AccountType string `json:"accountType"` // "atlassian", "app" or "customer" (portal-only)
	Key         string `json:"key"`         // Jira Data Center
	Name        string `json:"name"`        // Jira Data Center
	DisplayName string `json:"displayName"`
}

type issue struct {
	Key    string                     `json:"key"`
	Fields map[string]json.RawMessage `json:"fields"`
}

type changelog struct {
	ID    text   `json:"id"`
	Items []item `json:"items"`
}

type item struct {
	Field      string `json:"field"`   // localized field name ("Prioriteit")
	FieldID    string `json:"fieldId"` // stable id ("priority"), absent on old servers
	FromString string `json:"fromString"`
	ToString   string `json:"toString"`
}

type comment struct {
	ID        text   `json:"id"`
	Author    *user  `json:"author"`
	Created   string `json:"created"`
	JSDPublic *bool  `json:"jsdPublic"` // JSM only: false for an internal note
}

// text is an id Jira sends as a string on one site and as a number on another.
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		err := json.Unmarshal(b, &s)
		*t = text(s)
		return err
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return errors.New("an id must be a string or a number")
	}
	*t = text(n)
	return nil
}

// is reports whether the changelog item changes the field with this id: by fieldId when
// present, since the field name is localized, else by name.
func (it item) is(id string) bool {
	if it.FieldID != "" {
		return it.FieldID == id
	}
	return strings.EqualFold(strings.TrimSpace(it.Field), id)
}

// same reports whether two users are one person, by the strongest id both carry.
func (u *user) same(o *user) bool {
	switch {
	case u == nil || o == nil:
		return false
	case u.AccountID != "" && o.AccountID != "":
		return u.AccountID == o.AccountID
	case u.Key != "" && o.Key != "":
		return u.Key == o.Key
	case u.Name != "" && o.Name != "":
		return u.Name == o.Name
	}
	return false
}

// String names the user for `by`: the display name, else an id.
func (u *user) String() string {
	if u == nil {
		return ""
	}
	for _, s := range []string{u.DisplayName, u.Name, u.AccountID, u.Key} {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// fieldText reads the value of an issue field whatever its shape: a string, a number, a
// select option ({"value": ...}), a named object ({"name": ...}), or the first filled-in
// element of a list of those. Anything else reads as empty.
func fieldText(raw json.RawMessage) string {
	var v any
	if len(raw) == 0 || json.Unmarshal(raw, &v) != nil {
		return ""
	}
	return textOf(v, 0)
}

func textOf(v any, depth int) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case map[string]any:
		for _, k := range []string{"value", "name", "displayName"} {
			if s, ok := x[k].(string); ok && strings.TrimSpace(s) != "" {
				return strings.TrimSpace(s)
			}
		}
	case []any:
		if depth > 0 {
			return ""
		}
		for _, e := range x {
			if s := textOf(e, depth+1); s != "" {
				return s
			}
		}
	}
	return ""
}

// fieldTexts reads every filled-in element of a list field (organizations).
func fieldTexts(raw json.RawMessage) []string {
	var v any
	if len(raw) == 0 || json.Unmarshal(raw, &v) != nil {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	var out []string
	for _, e := range list {
		if s := textOf(e, 1); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// requestTypeName reads JSM's request type field: {"requestType": {"name": ...}, ...}
// on Jira Cloud, a plain name elsewhere.
func requestTypeName(raw json.RawMessage) string {
	var v struct {
		RequestType *struct {
			Name string `json:"name"`
		} `json:"requestType"`
	}
	if json.Unmarshal(raw, &v) == nil && v.RequestType != nil {
		return strings.TrimSpace(v.RequestType.Name)
	}
	return fieldText(raw)
}

func fieldUser(raw json.RawMessage) *user {
	var u user
	if len(raw) == 0 || json.Unmarshal(raw, &u) != nil {
		return nil
	}
	return &u
}

// jiraTime reads Jira's date-times ("2026-07-10T16:30:00.000+0200") and RFC 3339.
func jiraTime(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02T15:04:05-0700", time.RFC3339} {
		if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// maxMillis is the end of year 9999, the last instant RFC 3339 can write.
const maxMillis = 253402300799999

// millis reads the webhook's `timestamp`: milliseconds since the epoch.
func millis(raw json.RawMessage) (time.Time, bool) {
	s := strings.Trim(string(raw), `"`)
	ms, err := strconv.ParseInt(s, 10, 64)
	if err != nil || ms <= 0 || ms > maxMillis {
		return time.Time{}, false
	}
	return time.UnixMilli(ms).UTC(), true
}

func (p payload) issue() (issue, error) {
	if p.Issue == nil {
		return issue{}, fmt.Errorf("%s without an issue", p.WebhookEvent)
	}
	raw := strings.TrimSpace(p.Issue.Key)
	if raw == "" {
		return issue{}, fmt.Errorf("%s: the issue has no key", p.WebhookEvent)
	}
	key, err := sla.ParseKey(raw) // the one key syntax of every intake, in upper case
	if err != nil {
		return issue{}, fmt.Errorf("%s: %v", p.WebhookEvent, err)
	}
	return issue{Key: key, Fields: p.Issue.Fields}, nil
}

// stamp is one place of a webhook that may hold an event's instant, named for the reason
// when it is refused.
type stamp struct {
	name string
	at   time.Time
	ok   bool
}

func textStamp(name, s string) stamp {
	at, ok := jiraTime(s)
	return stamp{name, at, ok}
}

func fieldStamp(name string, raw json.RawMessage) stamp { return textStamp(name, fieldText(raw)) }

func millisStamp(raw json.RawMessage) stamp {
	at, ok := millis(raw)
	return stamp{"timestamp", at, ok}
}

// instant takes the first of the stamps that holds a time. One outside the years the
// service calendar counts (sla.CheckInstant) is refused rather than passed over for the
// next: a Jira that sends year 1 or 2200 is broken, and another field would hide it.
func instant(stamps ...stamp) (time.Time, error) {
	var absent []string
	for _, s := range stamps {
		if !s.ok {
			absent = append(absent, s.name)
			continue
		}
		if err := sla.CheckInstant(s.at); err != nil {
			return time.Time{}, fmt.Errorf("%s %v", s.name, err)
		}
		return s.at, nil
	}
	return time.Time{}, fmt.Errorf("neither %s is a time", strings.Join(absent, " nor "))
}

// quote shows a value from the webhook in a reason: quoted, so that it stays on one
// line, and cut short, so that a reason never echoes a whole field back.
func quote(s string) string {
	const most = 80
	if len(s) > most {
		return strconv.Quote(strings.ToValidUTF8(s[:most], "")) + "…"
	}
	return strconv.Quote(s)
}

// jsonReason turns a decoding error into a one-line reason for the sender.
func jsonReason(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se) && se.Error() == "unexpected end of JSON input":
		return "malformed JSON: the body ends early"
	case errors.As(err, &se):
		return fmt.Sprintf("malformed JSON at byte %d: %v", se.Offset, se)
	case errors.As(err, &te) && te.Field != "":
		return fmt.Sprintf("malformed webhook: %q cannot be a JSON %s", te.Field, te.Value)
	case errors.As(err, &te):
		return fmt.Sprintf("malformed webhook: the body is a JSON %s, not an object", te.Value)
	}
	return "malformed webhook: " + strings.TrimPrefix(err.Error(), "json: ")
}
