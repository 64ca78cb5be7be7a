package slack

import (
	"context"
	"fmt"

	slackgo "github.com/slack-go/slack"
)

// Identity tries the bot token with auth.test, for `bot check`: it gives the workspace
// and the bot user the token belongs to.
func (s *Sender) Identity(ctx context.Context) (string, error) {
	r, err := s.api.AuthTestContext(ctx)
	if err != nil {
		return "", fmt.Errorf("auth.test: %w", err)
	}
	return fmt.Sprintf("workspace %s as %s", r.Team, r.User), nil
}

// IsMember reports whether the bot is in channel (conversations.info): a notice to a
// channel the bot was never invited to fails with not_in_channel, hours later.
func (s *Sender) IsMember(ctx context.Context, channel string) (bool, error) {
	c, err := s.api.GetConversationInfoContext(ctx, &slackgo.GetConversationInfoInput{ChannelID: channel})
	if err != nil {
		return false, fmt.Errorf("conversations.info %s: %w", channel, err)
	}
	return c.IsMember, nil
}
