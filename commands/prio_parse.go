package commands

import (
	"strings"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

var dimKeys = map[string]sla.Dimension{
	"scope": sla.Scope, "omvang": sla.Scope,
	"users": sla.Users, "gebruikers": sla.Users,
	"security": sla.Security, "veiligheid": sla.Security, "privacy": sla.Security,
}

// prio reads "prio" (the wizard) or "prio scope=P2 users=P3 security=P4 [env=tni]
// [motivation=TEXT]" (R4.3, R4.2); the motivation takes the rest of the text.
func (p *parser) prio() (Command, error) {
	c := Command{Verb: VerbPriority}
	if len(p.words) == 1 {
		return c, nil
	}
	var a sla.Assessment
	c.Env = sla.Prod
loop:
	for _, w := range p.words[1:] {
		k, v, ok := strings.Cut(w.s, "=")
		if !ok {
			return c, bad("Write the dimensions as key=value, e.g. `prio scope=P2 users=P3 security=P4`.",
				"Schrijf de dimensies als sleutel=waarde, bv. `prioriteit omvang=P2 gebruikers=P3 veiligheid=P4`.")
		}
		key := strings.ToLower(k)
		p.mark(key)
		if d, ok := dimKeys[key]; ok {
			lvl, ok := dimValue(v)
			if !ok {
				return c, bad("%s: give P1, P2, P3, P4 or none, not “%s”.", "%s: geef P1, P2, P3, P4 of geen, niet “%s”.", k, v)
			}
			a[d] = lvl
			continue
		}
		switch key {
		case "env", "environment", "omgeving":
			env, ok := envWords[strings.ToLower(v)]
			if !ok {
				return c, bad("%s: give prod or tni, not “%s”.", "%s: geef prod of tni, niet “%s”.", k, v)
			}
			p.mark(strings.ToLower(v))
			c.Env = env
		case "motivation", "motivatie", "reason", "reden":
			c.Motivation = strings.TrimSpace(p.src[w.start+len(k)+1:])
			break loop
		default:
			return c, bad("Unknown key “%s”: use scope, users, security, env or motivation.",
				"Onbekende sleutel “%s”: gebruik omvang, gebruikers, veiligheid, omgeving of motivatie.", k)
		}
	}
	c.Assess = &a
	return c, nil
}

func dimValue(v string) (sla.Priority, bool) {
	switch strings.ToLower(v) {
	case "none", "no", "-", "0", "na", "n/a", "geen", "niet", "nvt", "n.v.t.", "not-affected":
		return sla.NoPriority, true
	}
	p, err := sla.ParsePriority(v)
	return p, err == nil
}
