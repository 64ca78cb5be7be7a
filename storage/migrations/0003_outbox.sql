-- 0003_outbox: the notify outbox, and the inputs of each running clock as columns so
-- that the scheduler reads open tickets without decoding their JSON.
-- Instants as unix seconds, durations as nanoseconds (sla's time.Duration).

-- Filled by every write of a ticket from now on; NULL in rows written before, which
-- readers decode from data instead until the next full re-derive.
ALTER TABLE tickets ADD COLUMN created            INTEGER;
ALTER TABLE tickets ADD COLUMN response_target    INTEGER;
ALTER TABLE tickets ADD COLUMN response_counted   INTEGER;
ALTER TABLE tickets ADD COLUMN response_since     INTEGER; -- NULL unless running
ALTER TABLE tickets ADD COLUMN resolution_target  INTEGER;
ALTER TABLE tickets ADD COLUMN resolution_counted INTEGER;
ALTER TABLE tickets ADD COLUMN resolution_since   INTEGER; -- NULL unless running
ALTER TABLE tickets ADD COLUMN update_interval    INTEGER;
ALTER TABLE tickets ADD COLUMN update_per_day     INTEGER;
ALTER TABLE tickets ADD COLUMN update_counted     INTEGER;
ALTER TABLE tickets ADD COLUMN update_since       INTEGER; -- NULL unless running
ALTER TABLE tickets ADD COLUMN update_last        INTEGER;

-- The next RederiveFor rewrites every ticket, which fills the new columns.
DELETE FROM meta WHERE key = 'derive_fingerprint';

-- The scheduler's pass walks the open tickets in key order.
CREATE INDEX tickets_open ON tickets (key) WHERE known = 1 AND state <> 'resolved';

-- notifications holds each decision once: (ticket, kind, slot) is unique, so a second
-- process or a second pass deciding the same notification inserts nothing. slot is the
-- unix second the notification is due at, or an escalation's level; ticket is '' for a
-- notice about no ticket (the morning digest, a maintenance weekend).
CREATE TABLE notifications (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	ticket     TEXT    NOT NULL,
	kind       TEXT    NOT NULL CHECK (kind <> ''),
	slot       INTEGER NOT NULL,
	decided_at TEXT    NOT NULL,
	UNIQUE (ticket, kind, slot)
);

-- outbox holds one message per destination of a notification, written in the
-- transaction that decided it. A worker leases a row (claimed_by, claimed_until_ms),
-- sends it and marks it sent; a lease that runs out lets another worker take the row.
CREATE TABLE outbox (
	id               INTEGER PRIMARY KEY AUTOINCREMENT,
	notification     INTEGER NOT NULL REFERENCES notifications (id),
	platform         TEXT    NOT NULL CHECK (platform <> ''),
	channel          TEXT    NOT NULL CHECK (channel <> ''),
	body             BLOB    NOT NULL,
	state            TEXT    NOT NULL CHECK (state IN ('pending', 'sent', 'parked')),
	attempts         INTEGER NOT NULL DEFAULT 0,
	not_before_ms    INTEGER NOT NULL, -- unix millisecond of the next try
	claimed_by       TEXT,
	claimed_until_ms INTEGER,
	last_error       TEXT,
	sent_at          TEXT,
	ref              TEXT,             -- the platform's id of the message sent
	UNIQUE (notification, platform, channel)
);
CREATE INDEX outbox_pending ON outbox (not_before_ms, id) WHERE state = 'pending';
CREATE INDEX outbox_unsent ON outbox (state, platform) WHERE state <> 'sent';
