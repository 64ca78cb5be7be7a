-- 0004_references: what a proactive Teams message needs, per channel (or chat), saved
-- when the bot is installed there and refreshed by each message from there.
CREATE TABLE teams_references (
	channel_id      TEXT PRIMARY KEY CHECK (channel_id <> ''),
	conversation_id TEXT NOT NULL CHECK (conversation_id <> ''),
	service_url     TEXT NOT NULL CHECK (service_url <> ''),
	tenant_id       TEXT NOT NULL,
	bot_id          TEXT NOT NULL,
	updated_at      TEXT NOT NULL
) WITHOUT ROWID;
