package commands

import (
	"fmt"
	"slices"
	"sort"
)

// Shorten gives r cut down until fits accepts it. Each chat renderer calls it with its
// own measure of one message (Slack's blocks and block text, the size of a Teams card),
// so that what is left out of a reply too big for one message is chosen, and said, the
// same way on every platform. The title, the buttons and the form stay. Of the lines,
// facts, notes and items, in that order, the longest run from the first that fits
// stays, items whole; a last note says how many items are not shown (or that the rest
// is not) and, from r.More, where to see them. A reply that fits comes back as it is.
func (r Reply) Shorten(fits func(Reply) bool) Reply {
	if fits(r) {
		return r
	}
	n := len(r.Lines) + len(r.Facts) + len(r.Notes) + len(r.Items)
	// The more a reply keeps the bigger it is, so the first k whose next one does not
	// fit is the longest that does.
	k := sort.Search(n, func(k int) bool { return !fits(r.first(k + 1)) })
	return r.first(k)
}

// first keeps r's first k lines, facts, notes and items, in that order, with the note
// that says what is left out.
func (r Reply) first(k int) Reply {
	take := func(n int) int {
		m := min(n, k)
		k -= m
		return m
	}
	out := r
	out.Lines = slices.Clip(r.Lines[:take(len(r.Lines))])
	out.Facts = slices.Clip(r.Facts[:take(len(r.Facts))])
	out.Notes = slices.Clip(r.Notes[:take(len(r.Notes))])
	out.Items = slices.Clip(r.Items[:take(len(r.Items))])
	note := r.Lang.pick("Shortened: too long for one message.", "Ingekort: te lang voor één bericht.")
	if len(out.Lines) == len(r.Lines) && len(out.Facts) == len(r.Facts) && len(out.Notes) == len(r.Notes) {
		left := len(r.Items) - len(out.Items)
		note = r.Lang.pick(fmt.Sprintf("%d more not shown: too many for one message.", left),
			fmt.Sprintf("Nog %d niet getoond: te veel voor één bericht.", left))
	}
	if r.More != "" {
		note += " " + r.More
	}
	out.Notes = append(out.Notes, note)
	return out
}
