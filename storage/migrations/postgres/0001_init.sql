-- 0001_init (PostgreSQL): the store's schema as SQLite has it after its migrations
-- 0001-0011 (storage/migrations), for the PostgreSQL backend of issue 16. The tables,
-- columns, constraints, indexes and count triggers mean what they mean there; only the
-- spelling is PostgreSQL's. storage/migrate.go applies this directory to a PostgreSQL
-- store and migrations/*.sql to a SQLite file. A SQLite migration after 0011 needs a
-- twin here (0002_… in this directory) that brings PostgreSQL to the same schema;
-- TestPostgresSchemaMatchesSQLite fails until it has one.
--
-- The choices, against SQLite's:
-- - Integers are BIGINT: unix seconds, unix milliseconds, durations in nanoseconds and
--   counts, as the Go code scans them (int64).
-- - The flags (known, response_breached, resolution_breached, announced) are SMALLINT
--   with SQLite's CHECK (… IN (0, 1)), not BOOLEAN: every query and the urgent_from
--   expression compare them with 1, and the readers scan int64, so the queries port
--   unchanged; the port binds the Go bools it writes as 0 or 1.
-- - Instants stored as text stay TEXT in SQLite's format (2006-01-02T15:04:05.000000000Z,
--   UTC), so that a copied row is the same string and comparing two of them is comparing
--   instants. Every TEXT column is COLLATE "C": SQLite compares text byte by byte
--   (BINARY), and the lists' key order and the instants' order depend on it; a database
--   created with a language's collation would order them otherwise.
-- - tickets.data and events.body are TEXT holding JSON, as in SQLite: each is stored byte
--   for byte as Go wrote it, which jsonb would not (it reorders keys and refuses
--   \u0000), and the re-derive compares a state with the one stored by its bytes. The
--   few readers of a field cast (data::jsonb -> 'updates' ->> 'off' for SQLite's
--   data ->> '$.updates.off'). outbox.body is bytea (SQLite's BLOB).
-- - AUTOINCREMENT ids are GENERATED ALWAYS AS IDENTITY: never reused, as in SQLite, but
--   given out at insert, not at commit, so under concurrent writers a smaller id may
--   commit after a larger one (and a rollback leaves a gap). A reader that walks a table
--   by id "after the last one seen" must allow for that; SQLite's one writer made ids
--   commit in order. Copying rows with their ids takes OVERRIDING SYSTEM VALUE and then
--   setval on the identity's sequence.
-- - SQLite's WITHOUT ROWID tables are plain tables with the same primary key.
-- - The migrations table is made by the migrator (storage/migrate.go for SQLite), not by
--   a migration file, and so is not here.

-- events is the append-only log, the source of truth; seq gives the arrival order.
-- tier (SQLite 0006): on a created event, the customer's tier when the bot stored it.
CREATE TABLE events (
	seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	ticket      TEXT COLLATE "C" NOT NULL CHECK (ticket <> ''),
	at          TEXT COLLATE "C" NOT NULL,
	type        TEXT COLLATE "C" NOT NULL CHECK (type <> ''),
	event_id    TEXT COLLATE "C" CHECK (event_id <> ''),
	source      TEXT COLLATE "C" NOT NULL CHECK (source IN ('api', 'jira', 'slack', 'teams', 'cli')),
	body        TEXT COLLATE "C" NOT NULL,
	received_at TEXT COLLATE "C" NOT NULL,
	tier        TEXT COLLATE "C" CHECK (tier IN ('standard', 'dedicated'))
);
-- A sender's event id is stored once per source (idempotent re-delivery).
CREATE UNIQUE INDEX events_source_id ON events (source, event_id) WHERE event_id IS NOT NULL;
-- A ticket's events in arrival order: SQLite's index on (ticket) holds the rowid (seq)
-- in every entry; PostgreSQL's must name it.
CREATE INDEX events_ticket ON events (ticket, seq);

-- deliveries holds the ids of whole deliveries already stored (Jira's
-- X-Atlassian-Webhook-Identifier) and, for a while, the Slack Events API event ids
-- answered: a repeated one is a no-op.
CREATE TABLE deliveries (
	source      TEXT COLLATE "C" NOT NULL,
	id          TEXT COLLATE "C" NOT NULL,
	received_at TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (source, id)
);
-- The pruning walks a source's ids by age.
CREATE INDEX deliveries_age ON deliveries (source, received_at);

-- tickets is derived from events, kept current on every append and rebuilt by Rederive.
-- data is the sla.Ticket as JSON; the other columns copy what lists, metrics and the
-- scheduler filter on (see SQLite's 0001, 0002, 0003, 0009, 0010 and 0011 for each).
-- The due columns hold a clock's due instant while it runs and NULL otherwise;
-- next_due is the soonest of them. Durations (the *_target, *_counted and
-- update_interval columns) are nanoseconds.
CREATE TABLE tickets (
	key                 TEXT COLLATE "C" PRIMARY KEY,
	known               SMALLINT NOT NULL CHECK (known IN (0, 1)),
	customer            TEXT COLLATE "C" NOT NULL,
	tier                TEXT COLLATE "C" NOT NULL,
	kind                TEXT COLLATE "C" NOT NULL,
	priority            TEXT COLLATE "C" NOT NULL,
	state               TEXT COLLATE "C" NOT NULL CHECK (state IN ('', 'open', 'paused', 'resolved')),
	response_due        BIGINT,
	resolution_due      BIGINT,
	next_update_due     BIGINT,
	next_due            BIGINT,
	response_breached   SMALLINT NOT NULL CHECK (response_breached IN (0, 1)),
	resolution_breached SMALLINT NOT NULL CHECK (resolution_breached IN (0, 1)),
	updates_missed      BIGINT NOT NULL,
	escalation          BIGINT NOT NULL,
	data                TEXT COLLATE "C" NOT NULL,
	updated_at          TEXT COLLATE "C" NOT NULL,
	-- unix second from which a running clock is at risk, NULL if none.
	risk_at             BIGINT,
	-- The inputs of each running clock, so that the scheduler reads open tickets
	-- without decoding data; the *_since columns are NULL unless the clock runs.
	created             BIGINT,
	response_target     BIGINT,
	response_counted    BIGINT,
	response_since      BIGINT,
	resolution_target   BIGINT,
	resolution_counted  BIGINT,
	resolution_since    BIGINT,
	update_interval     BIGINT,
	update_per_day      BIGINT,
	update_counted      BIGINT,
	update_since        BIGINT,
	update_last         BIGINT,
	-- notice_at: the earliest instant a notice not yet decided may go out (0: look at
	-- once; NULL: nothing comes without a new event); digest_at: from when the ticket
	-- counts in the morning digest, with the same 0 and NULL.
	notice_at           BIGINT,
	digest_at           BIGINT,
	-- urgent_from is the unix second from which the ticket is at risk or breached with
	-- no further event (0: already; 9223372036854775807: never), R3.1's share, R3.5,
	-- R5.3 and R4.4 as SQLite's 0010 spells them out. Stored, not virtual: PostgreSQL
	-- has only stored generated columns, and so the indexes below name the column
	-- where SQLite's repeat the expression. least ignores NULLs where SQLite's min
	-- would give NULL, but every argument is coalesced, so the two agree.
	urgent_from         BIGINT GENERATED ALWAYS AS (least(
		coalesce(risk_at, 9223372036854775807), coalesce(response_due + 1, 9223372036854775807),
		coalesce(resolution_due + 1, 9223372036854775807), coalesce(next_update_due + 1, 9223372036854775807),
		CASE WHEN response_breached = 1 OR resolution_breached = 1
			OR updates_missed > 0 AND NOT coalesce((data::jsonb -> 'updates' ->> 'off')::boolean, false)
		THEN 0 ELSE 9223372036854775807 END)) STORED,
	-- The configuration generation the state was derived under (SQLite's 0011).
	generation          BIGINT NOT NULL DEFAULT 0
);
-- Lists: soonest due first, tickets without a running clock last, then by key.
CREATE INDEX tickets_by_due ON tickets (coalesce(next_due, 9223372036854775807), key) WHERE known = 1;
CREATE INDEX tickets_by_customer_due ON tickets (customer, coalesce(next_due, 9223372036854775807), key) WHERE known = 1;
-- Metrics: covers the Counts query over tickets not resolved.
CREATE INDEX tickets_not_resolved ON tickets (customer, priority, state, response_due, resolution_due, next_update_due, risk_at)
	WHERE known = 1 AND state <> 'resolved';
-- The scheduler's pass reads the tickets that have something due.
CREATE INDEX tickets_notice ON tickets (notice_at) WHERE notice_at IS NOT NULL;
CREATE INDEX tickets_digest ON tickets (digest_at) WHERE digest_at IS NOT NULL;
-- The start-up report of tiers (CustomerTiers).
CREATE INDEX tickets_open_tier ON tickets (customer, tier, state) WHERE known = 1 AND state <> 'resolved';
-- The open lists' order (sla.CompareKeys): soonest running due first, then the project
-- with its hyphen, the key's length and the key (strpos is SQLite's instr). customer,
-- known and state end the indexes as in SQLite, so that a walk tests them from the
-- index alone.
CREATE INDEX tickets_open_due ON tickets (
	coalesce(next_due, 9223372036854775807), substr(key, 1, strpos(key, '-')), length(key), key,
	urgent_from, customer, known, state)
	WHERE known = 1 AND state <> 'resolved';
CREATE INDEX tickets_open_customer_due ON tickets (
	customer, coalesce(next_due, 9223372036854775807), substr(key, 1, strpos(key, '-')), length(key), key,
	known, state)
	WHERE known = 1 AND state <> 'resolved';
-- The open tickets at risk or breached as of an instant are a range of this index.
CREATE INDEX tickets_open_urgent ON tickets (urgent_from, customer, known, state)
	WHERE known = 1 AND state <> 'resolved';
-- The background re-derive walks the rows of one older generation in key order.
CREATE INDEX tickets_generation ON tickets (generation, key);

-- escalations holds each step a ticket's events raised it to, once per level (R7), kept
-- in step with the ticket's state: who escalated it, to which level and why; announced
-- says whether the SDM post and the ESCALATIE mail were decided.
CREATE TABLE escalations (
	id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	ticket    TEXT COLLATE "C" NOT NULL REFERENCES tickets (key),
	level     BIGINT NOT NULL CHECK (level >= 1),
	actor     TEXT COLLATE "C" NOT NULL,
	reason    TEXT COLLATE "C" NOT NULL,
	at        TEXT COLLATE "C" NOT NULL,
	announced SMALLINT NOT NULL DEFAULT 1 CHECK (announced IN (0, 1))
);
CREATE INDEX escalations_ticket ON escalations (ticket, at);
CREATE UNIQUE INDEX escalations_step ON escalations (ticket, level);
CREATE INDEX escalations_unannounced ON escalations (id) WHERE announced = 0;

-- meta holds the store's own settings (the derive fingerprint and generation).
CREATE TABLE meta (
	key   TEXT COLLATE "C" PRIMARY KEY,
	value TEXT COLLATE "C" NOT NULL
);

-- notifications holds each decision once: (ticket, kind, slot) is unique, so a second
-- process or a second pass deciding the same notification inserts nothing. slot is the
-- unix second the notification is due at, or an escalation's level; ticket is '' for a
-- notice about no ticket. service_window is the tier whose service window its messages
-- keep to (R3.2, R3.3); NULL: any time.
CREATE TABLE notifications (
	id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	ticket         TEXT COLLATE "C" NOT NULL,
	kind           TEXT COLLATE "C" NOT NULL CHECK (kind <> ''),
	slot           BIGINT NOT NULL,
	decided_at     TEXT COLLATE "C" NOT NULL,
	service_window TEXT COLLATE "C" CHECK (service_window <> ''),
	UNIQUE (ticket, kind, slot)
);

-- outbox holds one message per destination of a notification, written in the
-- transaction that decided it. A worker leases a row (claimed_by, claimed_until_ms),
-- sends it and marks it sent; a lease that runs out lets another worker take the row.
-- tried_ms is the start of the earliest try whose outcome is not known.
CREATE TABLE outbox (
	id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	notification     BIGINT NOT NULL REFERENCES notifications (id),
	platform         TEXT COLLATE "C" NOT NULL CHECK (platform <> ''),
	channel          TEXT COLLATE "C" NOT NULL CHECK (channel <> ''),
	body             bytea NOT NULL,
	state            TEXT COLLATE "C" NOT NULL CHECK (state IN ('pending', 'sent', 'parked')),
	attempts         BIGINT NOT NULL DEFAULT 0,
	not_before_ms    BIGINT NOT NULL, -- unix millisecond of the next try
	claimed_by       TEXT COLLATE "C",
	claimed_until_ms BIGINT,
	last_error       TEXT COLLATE "C",
	sent_at          TEXT COLLATE "C",
	ref              TEXT COLLATE "C", -- the platform's id of the message sent
	tried_ms         BIGINT,
	UNIQUE (notification, platform, channel)
);
CREATE INDEX outbox_pending ON outbox (not_before_ms, id) WHERE state = 'pending';
CREATE INDEX outbox_unsent ON outbox (state, platform) WHERE state <> 'sent';

-- What a proactive Teams message needs, per channel (or chat).
CREATE TABLE teams_references (
	channel_id      TEXT COLLATE "C" PRIMARY KEY CHECK (channel_id <> ''),
	conversation_id TEXT COLLATE "C" NOT NULL CHECK (conversation_id <> ''),
	service_url     TEXT COLLATE "C" NOT NULL CHECK (service_url <> ''),
	tenant_id       TEXT COLLATE "C" NOT NULL,
	bot_id          TEXT COLLATE "C" NOT NULL,
	updated_at      TEXT COLLATE "C" NOT NULL
);

-- holds are the rate limits a platform asked for (429 Retry-After), seen by every
-- process: channel '' holds the whole platform (Slack), a channel only that
-- conversation (Teams). A row stays after its instant; the next hold of the key
-- overwrites it.
CREATE TABLE holds (
	platform TEXT COLLATE "C" NOT NULL CHECK (platform <> ''),
	channel  TEXT COLLATE "C" NOT NULL,
	until_ms BIGINT NOT NULL,
	PRIMARY KEY (platform, channel)
);

-- Infrastructure outages (R6.1): one row per outage, keyed by (source, ref, started_at);
-- ended_at NULL: still down. SQLite's id is a rowid, not AUTOINCREMENT, and may be
-- reused after the last row is deleted; an identity never is, which no reader minds.
CREATE TABLE outages (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	source     TEXT COLLATE "C" NOT NULL CHECK (source IN ('alertmanager', 'api')),
	ref        TEXT COLLATE "C" NOT NULL CHECK (ref <> ''),
	component  TEXT COLLATE "C" NOT NULL CHECK (component IN ('server', 'database', 'middleware', 'network')),
	started_at TEXT COLLATE "C" NOT NULL,
	ended_at   TEXT COLLATE "C" CHECK (ended_at IS NULL OR ended_at >= started_at),
	note       TEXT COLLATE "C" NOT NULL DEFAULT '',
	by         TEXT COLLATE "C" NOT NULL DEFAULT '',
	UNIQUE (source, ref, started_at)
);
-- A month's figure reads the outages that start before its end.
CREATE INDEX outages_start ON outages (started_at);

-- The status page's scheduled maintenances (R8.2), as last read.
CREATE TABLE scheduled_maintenances (
	id        TEXT COLLATE "C" PRIMARY KEY CHECK (id <> ''),
	name      TEXT COLLATE "C" NOT NULL,
	starts_at TEXT COLLATE "C" NOT NULL,
	ends_at   TEXT COLLATE "C" NOT NULL CHECK (ends_at > starts_at),
	url       TEXT COLLATE "C" NOT NULL DEFAULT ''
);

-- open_counts is how many open tickets each customer has, and urgent_days how many open
-- tickets become urgent on each UTC day (day: urgent_from / 86400; 0 holds those urgent
-- from 0), kept by the trigger below in the transaction of each write, as SQLite's 0010
-- keeps them. A new database has no tickets, so there is nothing to count at first;
-- bot migrate turns the triggers off inside its transaction and counts once at the end
-- (storage.countLater, countNow).
--
-- Under concurrent writers these are hot rows: a write that moves a ticket into, out of
-- or between counts locks its customer's row and its day's row until it commits, so
-- such writes for one customer (or one day) take turns, and two transactions that touch
-- two customers in opposite orders can deadlock (PostgreSQL aborts one; it is retried).
-- SQLite's single writer never met either. Kept as they are for the port to decide
-- (say, a row per customer and writer slot summed by the readers).
CREATE TABLE open_counts (
	customer TEXT COLLATE "C" PRIMARY KEY,
	n        BIGINT NOT NULL
);
CREATE TABLE urgent_days (
	day BIGINT PRIMARY KEY,
	n   BIGINT NOT NULL
);

-- tickets_counts takes the old row out of the counts and puts the new one in, for
-- whichever of the two the operation has and the counts keep (known, not resolved; and
-- for urgent_days, urgent some day). The triggers' WHEN clauses are SQLite's, so an
-- update that changes nothing the counts keep does not run it.
CREATE FUNCTION tickets_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.known = 1 AND OLD.state <> 'resolved' THEN
		UPDATE open_counts SET n = n - 1 WHERE customer = OLD.customer;
		IF OLD.urgent_from < 9223372036854775807 THEN
			UPDATE urgent_days SET n = n - 1 WHERE day = OLD.urgent_from / 86400;
		END IF;
	END IF;
	IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.known = 1 AND NEW.state <> 'resolved' THEN
		INSERT INTO open_counts AS c VALUES (NEW.customer, 1)
			ON CONFLICT (customer) DO UPDATE SET n = c.n + 1;
		IF NEW.urgent_from < 9223372036854775807 THEN
			INSERT INTO urgent_days AS u VALUES (NEW.urgent_from / 86400, 1)
				ON CONFLICT (day) DO UPDATE SET n = u.n + 1;
		END IF;
	END IF;
	RETURN NULL;
END;
$$;

CREATE TRIGGER tickets_counts_insert AFTER INSERT ON tickets FOR EACH ROW
	WHEN (NEW.known = 1 AND NEW.state <> 'resolved')
	EXECUTE FUNCTION tickets_counts();

CREATE TRIGGER tickets_counts_delete AFTER DELETE ON tickets FOR EACH ROW
	WHEN (OLD.known = 1 AND OLD.state <> 'resolved')
	EXECUTE FUNCTION tickets_counts();

-- An update counts as a delete of the old row and an insert of the new one, when what
-- the counts keep of the row changed.
CREATE TRIGGER tickets_counts_update AFTER UPDATE ON tickets FOR EACH ROW
	WHEN ((OLD.known = 1 AND OLD.state <> 'resolved') IS DISTINCT FROM (NEW.known = 1 AND NEW.state <> 'resolved')
		OR OLD.customer IS DISTINCT FROM NEW.customer
		OR OLD.urgent_from / 86400 IS DISTINCT FROM NEW.urgent_from / 86400
		OR (OLD.urgent_from < 9223372036854775807) IS DISTINCT FROM (NEW.urgent_from < 9223372036854775807))
	EXECUTE FUNCTION tickets_counts();
