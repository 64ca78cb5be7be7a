-- 0001_init: the event log, the state derived from it, delivery ids and escalations.
-- Instants are UTC: TEXT as 2006-01-02T15:04:05.000000000Z, due columns as unix seconds.

-- events is the append-only log, the source of truth; seq gives the arrival order.
CREATE TABLE events (
	seq         INTEGER PRIMARY KEY AUTOINCREMENT,
	ticket      TEXT    NOT NULL CHECK (ticket <> ''),
	at          TEXT    NOT NULL,
	type        TEXT    NOT NULL CHECK (type <> ''),
	event_id    TEXT    CHECK (event_id <> ''),
	source      TEXT    NOT NULL CHECK (source IN ('api', 'jira', 'slack', 'teams', 'cli')),
	body        TEXT    NOT NULL,
	received_at TEXT    NOT NULL
);
-- A sender's event id is stored once per source (idempotent re-delivery).
CREATE UNIQUE INDEX events_source_id ON events (source, event_id) WHERE event_id IS NOT NULL;
-- (ticket, seq): a ticket's events in arrival order, seq being the rowid.
CREATE INDEX events_ticket ON events (ticket);

-- deliveries holds the ids of whole deliveries already stored (Jira's
-- X-Atlassian-Webhook-Identifier): a repeated one is a no-op.
CREATE TABLE deliveries (
	source      TEXT NOT NULL,
	id          TEXT NOT NULL,
	received_at TEXT NOT NULL,
	PRIMARY KEY (source, id)
) WITHOUT ROWID;

-- tickets is derived from events, kept current on every append and rebuilt by Rederive.
-- data is the sla.Ticket as JSON; the other columns copy what lists and metrics filter on.
-- The due columns hold a clock's due instant while it runs and NULL otherwise;
-- next_due is the soonest of them.
CREATE TABLE tickets (
	key                 TEXT    PRIMARY KEY,
	known               INTEGER NOT NULL CHECK (known IN (0, 1)),
	customer            TEXT    NOT NULL,
	tier                TEXT    NOT NULL,
	kind                TEXT    NOT NULL,
	priority            TEXT    NOT NULL,
	state               TEXT    NOT NULL CHECK (state IN ('', 'open', 'paused', 'resolved')),
	response_due        INTEGER,
	resolution_due      INTEGER,
	next_update_due     INTEGER,
	next_due            INTEGER,
	response_breached   INTEGER NOT NULL CHECK (response_breached IN (0, 1)),
	resolution_breached INTEGER NOT NULL CHECK (resolution_breached IN (0, 1)),
	updates_missed      INTEGER NOT NULL,
	escalation          INTEGER NOT NULL,
	data                TEXT    NOT NULL,
	updated_at          TEXT    NOT NULL
);
-- Lists: soonest due first, tickets without a running clock last, then by key.
CREATE INDEX tickets_by_due ON tickets (coalesce(next_due, 9223372036854775807), key) WHERE known = 1;
CREATE INDEX tickets_by_customer_due ON tickets (customer, coalesce(next_due, 9223372036854775807), key) WHERE known = 1;
-- Metrics: covers the Counts query over tickets not resolved.
CREATE INDEX tickets_not_resolved ON tickets (customer, priority, state, response_due, resolution_due, next_update_due)
	WHERE known = 1 AND state <> 'resolved';

-- escalations is the R7 audit trail: who escalated which ticket to which level and why.
CREATE TABLE escalations (
	id     INTEGER PRIMARY KEY AUTOINCREMENT,
	ticket TEXT    NOT NULL REFERENCES tickets (key),
	level  INTEGER NOT NULL CHECK (level >= 1),
	actor  TEXT    NOT NULL,
	reason TEXT    NOT NULL,
	at     TEXT    NOT NULL
);
CREATE INDEX escalations_ticket ON escalations (ticket, at);
