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
	groupsFor      = 5 * time.Minute  // how long a read of the members counts
	groupsRetryFor = 30 * time.Second // after a failed read, try again this soon
)

// groupCache knows the members of the configured user groups, read with
// usergroups.users.list at most every five minutes. A group whose read fails keeps its
// last members; one never read has none, so a failure never grants anything.
type groupCache struct {
	api *slackgo.Client
	ids []string
	now func() time.Time
	log *slog.Logger

	mu      sync.Mutex // held across a refresh: the callers need its result anyway
	next    time.Time  // when to read again
	members map[string][]string
	byUser  map[string][]string
}

func newGroupCache(api *slackgo.Client, ids []string, now func() time.Time, log *slog.Logger) *groupCache {
	g := &groupCache{api: api, now: now, log: log, members: map[string][]string{}}
	for _, id := range ids {
		if strings.HasPrefix(id, "S") { // user-group ids start with S; U…, W… are users
			g.ids = append(g.ids, id)
		}
	}
	return g
}

// of gives the configured groups user is a member of.
func (g *groupCache) of(ctx context.Context, user string) []string {
	if len(g.ids) == 0 || user == "" {
		return nil
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if now := g.now(); g.byUser == nil || !now.Before(g.next) {
		g.refresh(ctx, now)
	}
	return append([]string(nil), g.byUser[user]...)
}

func (g *groupCache) refresh(ctx context.Context, now time.Time) {
	g.next = now.Add(groupsFor)
	for _, id := range g.ids {
		users, err := g.api.GetUserGroupMembersContext(ctx, id)
		if err != nil {
			g.log.Warn("reading a Slack user group failed; keeping its last members", "group", id, "err", err)
			g.next = now.Add(groupsRetryFor)
			continue
		}
		g.members[id] = users
	}
	g.byUser = map[string][]string{}
	for _, id := range g.ids {
		for _, u := range g.members[id] {
			g.byUser[u] = append(g.byUser[u], id)
		}
	}
}
