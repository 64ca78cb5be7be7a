package storage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
)

// LinkSecret gives the key that signs the report links, generated once (32 random
// bytes) and kept in the meta table, so links stay valid across restarts and every
// process on the database signs alike. MAGDA_LINK_SECRET, when set, is used instead
// (cmd/bot).
func (db *DB) LinkSecret(ctx context.Context) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("link secret: %w", err)
	}
	if _, err := db.write.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('link_secret', ?) ON CONFLICT DO NOTHING`,
		hex.EncodeToString(fresh)); err != nil {
		return nil, fmt.Errorf("link secret: %w", err)
	}
	var s string
	if err := db.write.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'link_secret'`).Scan(&s); err != nil {
		return nil, fmt.Errorf("link secret: %w", err)
	}
	return hex.DecodeString(s)
}
