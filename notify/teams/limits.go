package teams

import (
	"context"
	"errors"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// threadLimits are Teams' limits per bot per conversation (thread): at most n messages
// in any span of per. Exceeding them gets HTTP 429.
var threadLimits = []struct {
	n   int
	per time.Duration
}{
	{7, time.Second},
	{8, 2 * time.Second},
	{60, 30 * time.Second},
	{1800, time.Hour},
}

// limits keeps a set of token buckets per conversation. A bucket of burst b refilling at
// r allows b + r·T messages in any span T, so each limit n/per becomes a bucket of burst
// ⌈n/2⌉ refilling at ⌊n/2⌋/per: never more than n in per, whatever the timing.
type limits struct {
	mu     sync.Mutex
	byConv map[string]*convLimits
}

type convLimits struct {
	buckets []*rate.Limiter
	used    time.Time
}

// idleConversation is how long an unused conversation's buckets are kept once there are
// many: by then they are full again, as good as new.
const (
	idleConversation  = 2 * time.Hour
	manyConversations = 1024
)

func newLimits() *limits { return &limits{byConv: make(map[string]*convLimits)} }

// wait takes one message from each of the conversation's buckets, waiting (through
// sleep, so tests step time) until all of them allow it.
func (l *limits) wait(ctx context.Context, conversation string, now func() time.Time,
	sleep func(context.Context, time.Duration) error) error {
	l.mu.Lock()
	t := now()
	cl := l.byConv[conversation]
	if cl == nil {
		if len(l.byConv) >= manyConversations {
			for k, v := range l.byConv {
				if t.Sub(v.used) > idleConversation {
					delete(l.byConv, k)
				}
			}
		}
		cl = &convLimits{}
		for _, lim := range threadLimits {
			burst := (lim.n + 1) / 2
			refill := rate.Limit(float64(lim.n/2) / lim.per.Seconds())
			cl.buckets = append(cl.buckets, rate.NewLimiter(refill, burst))
		}
		l.byConv[conversation] = cl
	}
	cl.used = t
	var (
		delay time.Duration
		taken []*rate.Reservation
	)
	for _, b := range cl.buckets {
		r := b.ReserveN(t, 1)
		if !r.OK() {
			for _, r := range taken {
				r.CancelAt(t)
			}
			l.mu.Unlock()
			return errors.New("rate limit: a message can never fit")
		}
		taken = append(taken, r)
		delay = max(delay, r.DelayFrom(t))
	}
	l.mu.Unlock()
	if delay <= 0 {
		return nil
	}
	if err := sleep(ctx, delay); err != nil {
		for _, r := range taken {
			r.CancelAt(t)
		}
		return err
	}
	return nil
}
