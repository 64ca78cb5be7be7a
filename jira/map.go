package jira

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// ErrInvalid marks a webhook that cannot be mapped; the message says why, in one line.
var ErrInvalid = errors.New("invalid Jira webhook")

func invalid(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, a...))
}

// PriorityReason is the reason of a priority_changed event that came from Jira (R4.1).
const PriorityReason = "changed in Jira"

// Map turns one webhook body into the contract events it means: jira:issue_created,
// jira:issue_updated and comment_created are mapped as the package documentation says;
// any other webhook event gives no events and no error. known tells whether a customer
// id is configured (nil: every id is). A body that cannot be mapped gives an ErrInvalid
// with a one-line reason and no events.
func Map(m Mapping, known func(customer string) bool, body []byte) ([]sla.Event, error) {
	var p payload
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, invalid("%s", jsonReason(err))
	}
	var (
		evs []sla.Event
		err error
	)
	switch p.WebhookEvent {
	case "":
		return nil, invalid("no webhookEvent: not a Jira webhook")
	case "jira:issue_created":
		evs, err = p.created(m, known)
	case "jira:issue_updated":
		evs, err = p.updated(m)
	case "comment_created":
		evs, err = p.commented(m)
	default:
		return nil, nil
	}
	if err != nil {
		return nil, invalid("%v", err)
	}
	// The contract's own rule (sla.Event.Check) is the last word on every event, as at
	// every other intake: what the mapping let through is still refused before storage.
	for _, e := range evs {
		if err := e.Check(); err != nil {
			return nil, invalid("%s %s: %s", e.Ticket, e.Type, strings.TrimPrefix(err.Error(), sla.ErrInvalid.Error()+": "))
		}
	}
	return evs, nil
}

// created maps jira:issue_created to one `created` event, reported by the reporter.
func (p payload) created(m Mapping, known func(string) bool) ([]sla.Event, error) {
	is, err := p.issue()
	if err != nil {
		return nil, err
	}
	f, key := is.Fields, is.Key
	at, err := instant(fieldStamp("fields.created", f["created"]), millisStamp(p.Timestamp))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	e := sla.Event{ID: "jira:issue_created:" + key, Ticket: key, Type: sla.Created, At: at, By: fieldUser(f["reporter"]).String()}
	rt := requestTypeName(f[m.RequestTypeField])
	it := fieldText(f["issuetype"])
	if e.Kind = m.Kinds.of(rt); e.Kind == "" {
		e.Kind = m.Kinds.of(it)
	}
	if e.Kind == "" {
		return nil, fmt.Errorf("%s: neither request type %s nor issue type %s is listed in jira.kinds", key, quote(rt), quote(it))
	}
	if e.Customer, err = m.customer(f, known); err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	// R2.3: a connection request has no priority. Jira gives every issue one, so it is
	// dropped here rather than the webhook refused.
	if e.Kind != sla.Connection {
		name := fieldText(f["priority"])
		if e.Priority = m.Priorities.of(name); e.Priority == sla.NoPriority {
			if name == "" {
				return nil, fmt.Errorf("%s: the %s has no priority", key, e.Kind)
			}
			return nil, fmt.Errorf("%s: priority %s is not listed in jira.priorities", key, quote(name))
		}
	}
	if e.Env, err = m.env(f); err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	if m.Env.MotivationField != "" {
		e.Motivation = fieldText(f[m.Env.MotivationField])
	}
	if e.Source, err = m.source(f, rt); err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	return []sla.Event{e}, nil
}

// updated maps the status, priority and labels items of jira:issue_updated's changelog;
// a comment carried by jira:issue_updated is left to comment_created. One change that
// carries several escalation signals (a label and a status at once) is one escalation:
// with level 0 (the next step, R7) two events would skip a line.
func (p payload) updated(m Mapping) ([]sla.Event, error) {
	is, err := p.issue()
	if err != nil {
		return nil, err
	}
	if p.Changelog == nil {
		return nil, nil
	}
	key := is.Key
	at, err := instant(millisStamp(p.Timestamp), fieldStamp("fields.updated", is.Fields["updated"]))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	var evs []sla.Event
	escalation := ""
	for _, it := range p.Changelog.Items {
		switch {
		case it.is("status"):
			evs = append(evs, m.Statuses.transition(it.FromString, it.ToString)...)
			if escalation == "" && !m.Escalation.status(it.FromString) && m.Escalation.status(it.ToString) {
				escalation = escalationReason("status", it.ToString)
			}
		case it.is("priority"):
			to := m.Priorities.of(it.ToString)
			if to == sla.NoPriority {
				return nil, fmt.Errorf("%s: priority %s is not listed in jira.priorities", key, quote(it.ToString))
			}
			if m.Priorities.of(it.FromString) != to {
				evs = append(evs, sla.Event{Type: sla.PriorityChanged, Priority: to, Reason: PriorityReason})
			}
		case it.is("labels"):
			if l := m.Escalation.addedLabel(it.FromString, it.ToString); escalation == "" && l != "" {
				escalation = escalationReason("label", l)
			}
		}
	}
	if escalation != "" { // R7: level 0, the next step
		evs = append(evs, sla.Event{Type: sla.Escalated, Reason: escalation})
	}
	ref := string(p.Changelog.ID)
	if strings.TrimSpace(ref) == "" {
		ref = "t" + strconv.FormatInt(at.UnixMilli(), 10)
	}
	for i := range evs {
		evs[i].ID = fmt.Sprintf("jira:issue_updated:%s:%s:%d", key, ref, i)
		evs[i].Ticket, evs[i].At, evs[i].By = key, at, p.User.String()
	}
	return evs, nil
}

// transition gives the clock events of one status change (R3.4, R5.1, R5.2): leaving
// the initial status is the first response, leaving a waiting status resumes the clocks
// (unless the new status waits too), leaving a done status reopens the ticket, entering
// a waiting status pauses the clocks and entering a done status resolves the ticket. An
// escalation status is in none of these lists (Validate), so for the clocks it is
// ordinary work, as "In Progress" is.
func (s Statuses) transition(from, to string) []sla.Event {
	var evs []sla.Event
	add := func(t sla.EventType, reason string) { evs = append(evs, sla.Event{Type: t, Reason: reason}) }
	fromDone, toDone := s.done(from), s.done(to)
	fromWait, toWait := s.waiting(from), s.waiting(to)
	if s.initial(from) && !s.initial(to) {
		add(sla.Responded, "")
	}
	if fromWait != "" && toWait == "" {
		add(sla.Resumed, "")
	}
	if fromDone && !toDone {
		add(sla.Reopened, "")
	}
	if toWait != "" {
		add(sla.Paused, toWait)
	}
	if toDone && !fromDone {
		add(sla.Resolved, "")
	}
	return evs
}

// commented maps comment_created. A public comment (jsdPublic true) by anyone but the
// customer is a response and a progress update (R5.1, R5.3): one `updated` event, which
// also records the first response. A public comment by the customer on an issue that
// waits for the customer resumes the clocks (R3.4). Internal notes give nothing.
func (p payload) commented(m Mapping) ([]sla.Event, error) {
	is, err := p.issue()
	if err != nil {
		return nil, err
	}
	c := p.Comment
	switch {
	case c == nil:
		return nil, fmt.Errorf("%s: comment_created without a comment", is.Key)
	case c.JSDPublic == nil || !*c.JSDPublic:
		return nil, nil
	case strings.TrimSpace(string(c.ID)) == "":
		return nil, fmt.Errorf("%s: the comment has no id", is.Key)
	case c.Author == nil:
		return nil, fmt.Errorf("%s: the comment has no author", is.Key)
	}
	at, err := instant(textStamp("comment.created", c.Created), millisStamp(p.Timestamp))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", is.Key, err)
	}
	e := sla.Event{ID: fmt.Sprintf("jira:comment_created:%s:%s", is.Key, c.ID), Ticket: is.Key, At: at, By: c.Author.String()}
	switch {
	case !customerSide(c.Author, fieldUser(is.Fields["reporter"])):
		e.Type = sla.Updated
	case m.Statuses.waiting(fieldText(is.Fields["status"])) == sla.WaitCustomer:
		e.Type = sla.Resumed
	default:
		return nil, nil
	}
	return []sla.Event{e}, nil
}

// customerSide tells the customer from an agent: a portal-only account (accountType
// "customer") is the customer, and so is the issue's reporter when the payload carries
// it (Jira Cloud's comment payloads carry a slim issue without the reporter).
func customerSide(author, reporter *user) bool {
	return author.AccountType == "customer" || author.same(reporter)
}

// customer finds the issue's customer id (R1) as Customers documents.
func (m Mapping) customer(f map[string]json.RawMessage, known func(string) bool) (string, error) {
	if known == nil {
		known = func(string) bool { return true }
	}
	c := m.Customer
	if c.IDField != "" {
		if id := fieldText(f[c.IDField]); id != "" {
			if !known(id) {
				return "", fmt.Errorf("customer %s (field %s) is not configured", quote(id), c.IDField)
			}
			return id, nil
		}
	}
	var orgs []string
	if c.OrganizationField != "" {
		orgs = fieldTexts(f[c.OrganizationField])
	}
	var unknown error
	for _, org := range orgs {
		for name, id := range c.Organizations {
			if norm(name) != norm(org) {
				continue
			}
			if known(id) {
				return id, nil
			}
			unknown = fmt.Errorf("no customer: organization %s maps to %q, which is not configured", quote(org), id)
		}
	}
	for _, org := range orgs {
		if known(org) {
			return org, nil
		}
	}
	switch {
	case unknown != nil:
		return "", unknown
	case len(orgs) == 0:
		return "", errors.New("no customer: the issue has no organization and no customer id")
	}
	return "", fmt.Errorf("no customer: organization %s maps to no configured customer (jira.customer.organizations)", quoteAll(orgs))
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = quote(s)
	}
	return strings.Join(q, ", ")
}

// env reads the environment (R4.2); an empty or absent field means prod.
func (m Mapping) env(f map[string]json.RawMessage) (sla.Env, error) {
	if m.Env.Field == "" {
		return sla.Prod, nil
	}
	v := fieldText(f[m.Env.Field])
	if v == "" {
		return sla.Prod, nil
	}
	if e := m.Env.of(v); e != "" {
		return e, nil
	}
	return "", fmt.Errorf("environment %s (field %s) is listed in neither jira.env.prod nor jira.env.tni", quote(v), m.Env.Field)
}

// source reads the channel (R3.1) as Sources documents; rt is the request type's name.
func (m Mapping) source(f map[string]json.RawMessage, rt string) (sla.Source, error) {
	s := m.Source
	if s.Field != "" {
		if v := fieldText(f[s.Field]); v != "" {
			if src := s.of(v); src != "" {
				return src, nil
			}
			return "", fmt.Errorf("channel %s (field %s) is listed in no source of jira.source", quote(v), s.Field)
		}
	}
	if rt != "" {
		if src := s.of(rt); src != "" {
			return src, nil
		}
		return sla.Portal, nil
	}
	src, err := sourceNamed(s.WithoutRequestType)
	if err != nil {
		return "", fmt.Errorf("jira.source.without_request_type: %v", err)
	}
	return src, nil
}
