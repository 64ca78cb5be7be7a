package sla

import (
	"fmt"
	"strings"
)

// Tier is a customer's service tier (R1.1).
type Tier string

// The tiers of R1.1.
const (
	Standard  Tier = "standard"
	Dedicated Tier = "dedicated"
)

// ParseTier accepts "standard" or "dedicated" (any case, Dutch "standaard" too).
func ParseTier(s string) (Tier, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "standard", "standaard":
		return Standard, nil
	case "dedicated":
		return Dedicated, nil
	}
	return "", fmt.Errorf("unknown tier %q (want standard or dedicated)", s)
}

// Kind is a ticket kind (R2).
type Kind string

// The ticket kinds of R2.
const (
	Incident   Kind = "incident"
	Question   Kind = "question"
	Connection Kind = "connection"
)

// ParseKind accepts the English names and the Dutch ones of the original model.
func ParseKind(s string) (Kind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "incident", "incidentmelding":
		return Incident, nil
	case "question", "vraag", "ondersteuningsvraag":
		return Question, nil
	case "connection", "aansluiting", "aansluitingsaanvraag":
		return Connection, nil
	}
	return "", fmt.Errorf("unknown kind %q (want incident, question or connection)", s)
}

// Priority is P1 (most severe) to P4; zero means none (connection requests, R2.3).
type Priority int

// The priorities of R4.
const (
	NoPriority Priority = iota
	P1
	P2
	P3
	P4
)

// String gives "P1".."P4", or "" for no priority.
func (p Priority) String() string {
	if p < P1 || p > P4 {
		return ""
	}
	return "P" + string(rune('0'+p))
}

// ParsePriority accepts P1..P4 (any case) or a bare digit 1..4.
func ParsePriority(s string) (Priority, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	t = strings.TrimPrefix(t, "P")
	if len(t) == 1 && t[0] >= '1' && t[0] <= '4' {
		return Priority(t[0] - '0'), nil
	}
	return NoPriority, fmt.Errorf("unknown priority %q (want P1, P2, P3 or P4)", s)
}

// Env is the environment an incident is on (R4.2).
type Env string

// The environments of R4.2.
const (
	Prod Env = "prod"
	TNI  Env = "tni"
)

// ParseEnv accepts prod (the default for "") or tni.
func ParseEnv(s string) (Env, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "prod", "production", "productie":
		return Prod, nil
	case "tni", "test":
		return TNI, nil
	}
	return "", fmt.Errorf("unknown environment %q (want prod or tni)", s)
}

// Source is the channel a ticket was logged through (R3.1).
type Source string

// The sources of R3.1; only Portal has service levels.
const (
	Portal Source = "portal"
	Mail   Source = "mail"
	Phone  Source = "phone"
	Chat   Source = "chat"
)

// ParseSource accepts portal (the default for ""), mail, phone or chat.
func ParseSource(s string) (Source, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "portal", "portaal":
		return Portal, nil
	case "mail", "email", "e-mail":
		return Mail, nil
	case "phone", "telefoon":
		return Phone, nil
	case "chat":
		return Chat, nil
	}
	return "", fmt.Errorf("unknown source %q (want portal, mail, phone or chat)", s)
}
