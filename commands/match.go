package commands

import (
	"slices"
	"strings"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// Customer is a customer the bot knows (R1.1).
type Customer struct {
	ID      string
	Name    string
	Aliases []string // other names people use: "AIV", "agentschap x" (config)
	Tier    sla.Tier
	// SPOC and SDM are the customer's business single point of contact and its MAGDA
	// service delivery manager (R1.2), from the configuration's contacts; "" = none set.
	SPOC, SDM string
}

// names gives the customer's id, name and aliases, each as words.
func (c Customer) names() [][]string {
	out := [][]string{words(c.ID), words(c.Name)}
	for _, a := range c.Aliases {
		out = append(out, words(a))
	}
	return out
}

// label gives "Agentschap X (agency-x)", or the id alone when there is no name.
func (c Customer) label() string {
	if c.Name == "" || strings.EqualFold(c.Name, c.ID) {
		return c.ID
	}
	return c.Name + " (" + c.ID + ")"
}

// match finds the customer that text names among cs: by id, name or alias, any case, or with
// a small typo. A typo is tolerated word by word, so that a one-letter word that tells
// customers apart ("Agentschap X", "Agentschap Y") must be exact: each word may be off
// by 0 (up to 3 letters), 1 (up to 7) or 2 (longer), and the whole name by at most 2.
// Without a match it gives the customers the text is closest to, best first.
func match(text string, cs []Customer) (Customer, bool, []Customer) {
	q := words(text)
	if len(q) == 0 {
		return Customer{}, false, nil
	}
	for _, c := range cs {
		for _, n := range c.names() {
			if slices.Equal(q, n) {
				return c, true, nil
			}
		}
	}
	var found []Customer
	for _, c := range cs {
		for _, n := range c.names() {
			if typo(q, n) {
				found = append(found, c)
				break
			}
		}
	}
	if len(found) == 1 {
		return found[0], true, nil
	}
	if len(found) > 1 {
		return Customer{}, false, found
	}
	type near struct {
		c Customer
		d int
	}
	var nears []near
	flat := strings.Join(q, " ")
	for _, c := range cs {
		d := len(flat) + 64
		for _, n := range c.names() {
			d = min(d, distance(flat, strings.Join(n, " ")))
		}
		if d <= max(2, len(flat)/2) || strings.Contains(strings.ToLower(c.Name), flat) {
			nears = append(nears, near{c, d})
		}
	}
	slices.SortStableFunc(nears, func(a, b near) int { return a.d - b.d })
	var out []Customer
	for i := 0; i < len(nears) && i < 3; i++ {
		out = append(out, nears[i].c)
	}
	return Customer{}, false, out
}

// words splits a name into lower-case words at spaces, hyphens, underscores and dots.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r == ' ' || r == '-' || r == '_' || r == '.' || r == '\t' || r == '\n'
	})
}

func typo(q, name []string) bool {
	if len(q) != len(name) {
		return false
	}
	total := 0
	for i := range q {
		d := distance(q[i], name[i])
		allowed := 0
		switch n := len([]rune(name[i])); {
		case n >= 8:
			allowed = 2
		case n >= 4:
			allowed = 1
		}
		if d > allowed {
			return false
		}
		total += d
	}
	return total <= 2
}

// distance is the optimal string alignment (Damerau-Levenshtein) distance of a and b in
// runes: insertions, deletions, substitutions and swaps of neighbours count one each.
func distance(a, b string) int {
	r, s := []rune(a), []rune(b)
	if len(r) > 64 || len(s) > 64 { // long input is no typo of a short word
		return max(len(r), len(s))
	}
	prev2 := make([]int, len(s)+1)
	prev := make([]int, len(s)+1)
	cur := make([]int, len(s)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(r); i++ {
		cur[0] = i
		for j := 1; j <= len(s); j++ {
			cost := 1
			if r[i-1] == s[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && r[i-1] == s[j-2] && r[i-2] == s[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(s)]
}
