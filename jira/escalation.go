package jira

import (
	"fmt"
	"strings"
)

// escalationReason names the Jira change an escalated event came from, for the SDM post
// and the ESCALATIE mail (R7).
func escalationReason(what, name string) string {
	return fmt.Sprintf("escalated in Jira (%s %q)", what, name)
}

func (e Escalation) status(name string) bool { return listed(e.Statuses, name) }

// addedLabel gives the first escalation label that a labels changelog item adds, or "".
// Jira writes both sides as space-separated label lists; a label that was already on the
// issue is not a new escalation, so only the difference counts.
func (e Escalation) addedLabel(from, to string) string {
	had := map[string]bool{}
	for _, l := range strings.Fields(from) {
		had[norm(l)] = true
	}
	for _, l := range strings.Fields(to) {
		if !had[norm(l)] && listed(e.Labels, l) {
			return l
		}
	}
	return ""
}
