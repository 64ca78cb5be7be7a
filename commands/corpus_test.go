package commands

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCorpus runs testdata/corpus.txt, the list of what the bot understands: each
// phrasing must give its command (as Command.String) or its one-line refusal, and each
// command read back from its text must be the same command.
func TestCorpus(t *testing.T) {
	f, err := os.Open("testdata/corpus.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n, verbs := 0, map[Verb]bool{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if strings.HasPrefix(text, "#") || strings.TrimSpace(text) == "" {
			continue
		}
		in, want, ok := strings.Cut(text, " => ")
		if !ok {
			t.Fatalf("corpus.txt:%d: no ` => `: %q", line, text)
		}
		n++
		c, err := Parse(in)
		verbs[c.Verb] = true
		if refusal, refused := strings.CutPrefix(want, "! "); refused {
			if err == nil {
				t.Errorf("corpus.txt:%d: %q gives %q, want the refusal %q", line, in, c.String(), refusal)
			} else if got := message(err, c.Lang); got != refusal || ErrorCode(err) != CodeInvalid {
				t.Errorf("corpus.txt:%d: %q is refused with %q (%s), want %q", line, in, got, ErrorCode(err), refusal)
			}
			continue
		}
		if err != nil {
			t.Errorf("corpus.txt:%d: %q: %v, want %q", line, in, err, want)
			continue
		}
		if got := c.String(); got != want {
			t.Errorf("corpus.txt:%d: %q gives %q, want %q", line, in, got, want)
		}
		back, err := Parse(c.String())
		if err != nil {
			t.Errorf("corpus.txt:%d: %q does not parse back: %v", line, c.String(), err)
		} else if diff := cmp.Diff(c, back); diff != "" {
			t.Errorf("corpus.txt:%d: %q read back from %q (-first +second):\n%s", line, in, c.String(), diff)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 300 {
		t.Errorf("the corpus has %d phrasings, want at least 300", n)
	}
	for _, s := range Commands() {
		if !verbs[s.Verb] {
			t.Errorf("no phrasing in the corpus gives %s", s.Verb)
		}
	}
}
