package commands

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// within is a platform's measure for the tests: the reply's plain text within n
// characters.
func within(n int) func(Reply) bool {
	return func(r Reply) bool { return utf8.RuneCountInString(r.PlainText()) <= n }
}

func bigReply(lines, items int) Reply {
	r := Reply{Kind: KindTickets, Title: "Open tickets of Agentschap X (agency-x): 40",
		Facts:   []Fact{{"Customer", "Agentschap X"}},
		Notes:   []string{"The 10 due soonest of 40 are shown."},
		Buttons: []Button{{Action: ActExplain, Label: "Explain", Value: "MAGDA-1"}},
		More:    "`bot tickets --customer agency-x --open` lists them all."}
	for i := range lines {
		r.Lines = append(r.Lines, fmt.Sprintf("line %d %s", i, strings.Repeat("x", 50)))
	}
	for i := range items {
		key := fmt.Sprintf("MAGDA-%d", i+1)
		r.Items = append(r.Items, Item{Title: key + " · P2 incident · open", Facts: []Fact{{"Response", "due Mon 6 Jul 10:00 · 1h00 left"}},
			Buttons: []Button{{Action: ActTicket, Label: "Details", Value: key}}})
	}
	return r
}

func TestShorten(t *testing.T) {
	full := bigReply(2, 30)
	size := utf8.RuneCountInString(full.PlainText())
	tests := []struct {
		name  string
		r     Reply
		limit int
		items int      // items kept
		lines int      // lines kept
		note  string   // the last note
		notes []string // all notes, when set
	}{
		{"fits as it is", full, size, 30, 2, "The 10 due soonest of 40 are shown.", nil},
		{"items cut, the rest kept", full, size / 2, 12, 2,
			"18 more not shown: too many for one message. `bot tickets --customer agency-x --open` lists them all.",
			[]string{"The 10 due soonest of 40 are shown.",
				"18 more not shown: too many for one message. `bot tickets --customer agency-x --open` lists them all."}},
		{"lines cut, no item", bigReply(40, 3), 1200, 0, 17, "Shortened: too long for one message. `bot tickets --customer agency-x --open` lists them all.", nil},
		{"Dutch, without More", func() Reply { r := bigReply(0, 30); r.Lang, r.More = Dutch, ""; return r }(), 800, 6, 0,
			"Nog 24 niet getoond: te veel voor één bericht.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.r.Shorten(within(tt.limit))
			if len(got.Items) != tt.items || len(got.Lines) != tt.lines {
				t.Errorf("%d items and %d lines kept, want %d and %d", len(got.Items), len(got.Lines), tt.items, tt.lines)
			}
			if n := utf8.RuneCountInString(got.PlainText()); n > tt.limit {
				t.Errorf("%d characters, over %d", n, tt.limit)
			}
			if last := got.Notes[len(got.Notes)-1]; last != tt.note {
				t.Errorf("last note %q, want %q", last, tt.note)
			}
			if tt.notes != nil && !cmp.Equal(got.Notes, tt.notes) {
				t.Errorf("notes %q, want %q", got.Notes, tt.notes)
			}
			if got.Title != tt.r.Title || !cmp.Equal(got.Buttons, tt.r.Buttons) || got.Kind != tt.r.Kind {
				t.Errorf("title, buttons or kind changed: %+v", got)
			}
			if cmp.Equal(tt.r.Items[:len(got.Items)], got.Items) == false {
				t.Error("the items kept are not the first ones")
			}
		})
	}
	if len(full.Notes) != 1 || len(full.Items) != 30 {
		t.Errorf("Shorten changed its receiver: %d notes, %d items", len(full.Notes), len(full.Items))
	}
}

// TestShortenLongest: at every budget Shorten keeps what a search of every cut, one
// piece at a time, finds the longest that fits.
func TestShortenLongest(t *testing.T) {
	r := bigReply(6, 12)
	pieces := len(r.Lines) + len(r.Facts) + len(r.Notes) + len(r.Items)
	for limit := 50; limit <= utf8.RuneCountInString(r.PlainText())+10; limit += 7 {
		fits := within(limit)
		want := r
		if !fits(r) {
			want = r.first(0)
			for k := 1; k <= pieces && fits(r.first(k)); k++ {
				want = r.first(k)
			}
		}
		if diff := cmp.Diff(want, r.Shorten(fits)); diff != "" {
			t.Fatalf("limit %d (-longest +Shorten):\n%s", limit, diff)
		}
	}
}
