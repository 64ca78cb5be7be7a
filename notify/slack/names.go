package slack

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	slackgo "github.com/slack-go/slack"
)

const (
	namesFor      = 24 * time.Hour  // people rarely change their name
	namesRetryFor = 5 * time.Minute // after a failed read (no users:read, user gone)
	namesMax      = 10000           // users remembered at most; more start the cache over
	namesTimeout  = 2 * time.Second // a slow users.info costs the answer at most this
)

// nameCache knows people's names by user id, read with users.info (scope users:read) so
// that an escalation or update is recorded as "Henk Smets", not U0AB12CD: Slack sends a
// slash command's and a click's user only as an id and a handle. A failed read gives
// "" (the caller falls back to the handle) and is not tried again for a while.
type nameCache struct {
	api *slackgo.Client
	now func() time.Time
	log *slog.Logger

	mu    sync.Mutex
	names map[string]cachedName
}

type cachedName struct {
	name  string
	until time.Time
}

func newNameCache(api *slackgo.Client, now func() time.Time, log *slog.Logger) *nameCache {
	return &nameCache{api: api, now: now, log: log, names: map[string]cachedName{}}
}

// of gives user's name: the full name of their profile, else their display name.
func (n *nameCache) of(ctx context.Context, user string) string {
	if user == "" {
		return ""
	}
	now := n.now()
	n.mu.Lock()
	c, ok := n.names[user]
	n.mu.Unlock()
	if ok && now.Before(c.until) {
		return c.name
	}
	ctx, cancel := context.WithTimeout(ctx, namesTimeout)
	defer cancel()
	c = cachedName{until: now.Add(namesFor)}
	u, err := n.api.GetUserInfoContext(ctx, user)
	if err != nil {
		n.log.Warn("reading a Slack user's name failed; recording the handle", "user", user, "err", err)
		c.until = now.Add(namesRetryFor)
	} else {
		c.name = firstOf(u.RealName, u.Profile.RealName, u.Profile.DisplayName)
	}
	n.mu.Lock()
	if len(n.names) >= namesMax {
		n.names = map[string]cachedName{}
	}
	n.names[user] = c
	n.mu.Unlock()
	return c.name
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}
