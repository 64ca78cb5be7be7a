package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// errDown stands for the store's unavailable errors; storage.Unavailable tells the real
// ones (storage's own tests), wired in cmd/bot.
var errDown = errors.New("store down")

// TestRecordUnavailable_Issue16: a command that would record something while the store
// cannot answer gets the ephemeral "cannot store this right now" line in the asker's
// language, records nothing, and the same click once the store is back is recorded;
// any other store error stays "internal error".
func TestRecordUnavailable_Issue16(t *testing.T) {
	var appendErr error
	h, log := newTest(func(o *Options) {
		fs := o.Store.(*fakeStore)
		fs.AppendFunc = func(ctx context.Context, source, deliveryID string, evs []sla.Event) (int, error) {
			if appendErr != nil {
				return 0, fmt.Errorf("append: %w", appendErr)
			}
			return fs.Store.Append(ctx, source, deliveryID, evs)
		}
		o.Unavailable = func(err error) bool { return errors.Is(err, errDown) }
	})
	ctx := context.Background()
	before := len(log.Stored())
	click := staffCaller
	click.RequestID = "msg-1:magda_escalate:MAGDA-1"
	appendErr = errDown
	for _, tc := range []struct{ text, want string }{
		{"escalate MAGDA-1", "The bot cannot store this right now: nothing was recorded, try again in a minute."},
		{"escaleer MAGDA-1", "De bot kan dit nu niet opslaan: er is niets geregistreerd, probeer het over een minuut opnieuw."},
	} {
		r := h.Handle(ctx, click, tc.text)
		if r.Kind != KindError || !r.Ephemeral || len(r.Lines) != 1 || r.Lines[0] != tc.want {
			t.Errorf("%q with the store down: %+v, want the one line %q", tc.text, r, tc.want)
		}
	}
	if n := len(log.Stored()); n != before {
		t.Fatalf("%d events recorded while the store was down", n-before)
	}
	appendErr = errors.New("a bug")
	if r := h.Handle(ctx, click, "escalate MAGDA-1"); len(r.Lines) != 1 || !strings.HasPrefix(r.Lines[0], "Internal error") {
		t.Errorf("another store error: %+v, want the internal error line", r)
	}
	appendErr = nil
	if r := h.Handle(ctx, click, "escalate MAGDA-1"); r.Kind != KindRecorded {
		t.Fatalf("the same click once the store is back: %+v, want it recorded", r)
	}
	if n := len(log.Stored()); n != before+1 {
		t.Fatalf("%d events recorded, want 1", n-before)
	}
}
