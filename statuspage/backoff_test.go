package statuspage

import (
	"testing"
	"time"
)

// TestBackoff: after failures the wait doubles from the interval, up to MaxBackoff.
func TestBackoff(t *testing.T) {
	c := New(Options{URL: "http://127.0.0.1:1", Interval: time.Minute})
	for fails, want := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 10 * time.Minute, 10 * time.Minute} {
		c.fails = fails
		if got := c.backoff(); got != want {
			t.Errorf("after %d failures: %v, want %v", fails, got, want)
		}
	}
	c.fails = 100
	if got := c.backoff(); got != 10*time.Minute {
		t.Errorf("after 100 failures: %v", got)
	}
}
