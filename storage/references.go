package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Reference is what a proactive Teams message to a channel or chat needs. Its fields
// are those of notify/teams.Reference, in the same order, so that the two convert into
// each other (teams.Reference(r)) where they are wired, without storage knowing Teams.
type Reference struct {
	ChannelID      string // the Teams channel id, or the chat's conversation id
	ConversationID string // the conversation to post to, without a thread
	ServiceURL     string // the Bot Connector endpoint of that tenant's region
	TenantID       string
	BotID          string
	UpdatedAt      time.Time
}

// SaveReference stores r under its ChannelID, replacing the one stored before. A
// reference without ChannelID, ConversationID or ServiceURL is ErrInvalid; a zero
// UpdatedAt is stamped with Options.Now.
func (db *DB) SaveReference(ctx context.Context, r Reference) error {
	switch {
	case r.ChannelID == "":
		return fmt.Errorf("reference: %w", invalid("no channel id"))
	case r.ConversationID == "" || r.ServiceURL == "":
		return fmt.Errorf("reference of %s: %w", r.ChannelID, invalid("no conversation id or service URL"))
	}
	if r.UpdatedAt.IsZero() {
		r.UpdatedAt = db.now()
	}
	_, err := db.write.ExecContext(ctx, `INSERT INTO teams_references
			(channel_id, conversation_id, service_url, tenant_id, bot_id, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (channel_id) DO UPDATE SET conversation_id = excluded.conversation_id,
			service_url = excluded.service_url, tenant_id = excluded.tenant_id,
			bot_id = excluded.bot_id, updated_at = excluded.updated_at`,
		r.ChannelID, r.ConversationID, r.ServiceURL, r.TenantID, r.BotID, formatTime(r.UpdatedAt))
	if err != nil {
		return fmt.Errorf("reference of %s: %w", r.ChannelID, err)
	}
	return nil
}

// Reference gives the reference stored for a channel; found is false when the bot was
// never there.
func (db *DB) Reference(ctx context.Context, channelID string) (r Reference, found bool, err error) {
	var updated string
	err = db.read.QueryRowContext(ctx, `SELECT channel_id, conversation_id, service_url, tenant_id, bot_id, updated_at
		FROM teams_references WHERE channel_id = ?`, channelID).
		Scan(&r.ChannelID, &r.ConversationID, &r.ServiceURL, &r.TenantID, &r.BotID, &updated)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Reference{}, false, nil
	case err != nil:
		return Reference{}, false, fmt.Errorf("reference of %s: %w", channelID, err)
	}
	if r.UpdatedAt, err = parseTime(updated); err != nil {
		return Reference{}, false, fmt.Errorf("reference of %s: %w", channelID, err)
	}
	return r, true, nil
}
