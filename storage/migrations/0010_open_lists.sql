-- 0010_open_lists: the lists of open tickets (`sla CUSTOMER`, the App Home) take their
-- order and limit from indexes and their totals from counts kept by triggers, instead
-- of decoding and sorting every open ticket's JSON (issue 15).

-- urgent_from is the unix second from which a ticket is at risk or breached with no
-- further event (0: already; 9223372036854775807: never), as its card shows it: a
-- running clock is at risk from risk_at (R3.1's share) and breached the second after
-- its due time (R3.5, R5.3); a clock breached for good, or an update missed while the
-- update clock is on (it is off for a P3/P4, R4.4), make it urgent from 0. Computed,
-- not stored, for the triggers below. The indexes spell the expression out instead of
-- naming the column: SQLite reads an indexed expression from the index, but computes
-- a generated column from the row, which would read the table for every entry.
ALTER TABLE tickets ADD COLUMN urgent_from INTEGER GENERATED ALWAYS AS (
	min(coalesce(risk_at, 9223372036854775807), coalesce(response_due + 1, 9223372036854775807),
		coalesce(resolution_due + 1, 9223372036854775807), coalesce(next_update_due + 1, 9223372036854775807),
		CASE WHEN response_breached = 1 OR resolution_breached = 1
			OR updates_missed > 0 AND coalesce(data ->> '$.updates.off', 0) = 0
		THEN 0 ELSE 9223372036854775807 END)) VIRTUAL;

-- The order of the lists: soonest running due first, tickets without a running clock
-- last, then by key as people read keys (project, then number: MAGDA-9 before
-- MAGDA-10; sla.CompareKeys). Every character of a key but its hyphen sorts after the
-- hyphen, so comparing the projects with their hyphens compares the projects, and
-- within a project the longer number is the larger. The App Home's walk tests
-- urgent_from (spelled out) and customer from this index alone. known and state end each index:
-- SQLite does not take a partial index's WHERE as holding the columns it tests, and
-- would read the table to check them.
CREATE INDEX tickets_open_due ON tickets (
	coalesce(next_due, 9223372036854775807), substr(key, 1, instr(key, '-')), length(key), key,
	min(coalesce(risk_at, 9223372036854775807), coalesce(response_due + 1, 9223372036854775807),
		coalesce(resolution_due + 1, 9223372036854775807), coalesce(next_update_due + 1, 9223372036854775807),
		CASE WHEN response_breached = 1 OR resolution_breached = 1
			OR updates_missed > 0 AND coalesce(data ->> '$.updates.off', 0) = 0
		THEN 0 ELSE 9223372036854775807 END),
	customer, known, state)
	WHERE known = 1 AND state <> 'resolved';

-- A customer's open tickets in the same order.
CREATE INDEX tickets_open_customer_due ON tickets (
	customer, coalesce(next_due, 9223372036854775807), substr(key, 1, instr(key, '-')), length(key), key,
	known, state)
	WHERE known = 1 AND state <> 'resolved';

-- The open tickets at risk or breached as of an instant are a range of this index.
CREATE INDEX tickets_open_urgent ON tickets (
	min(coalesce(risk_at, 9223372036854775807), coalesce(response_due + 1, 9223372036854775807),
		coalesce(resolution_due + 1, 9223372036854775807), coalesce(next_update_due + 1, 9223372036854775807),
		CASE WHEN response_breached = 1 OR resolution_breached = 1
			OR updates_missed > 0 AND coalesce(data ->> '$.updates.off', 0) = 0
		THEN 0 ELSE 9223372036854775807 END),
	customer, known, state)
	WHERE known = 1 AND state <> 'resolved';

-- open_counts is how many open tickets each customer has, and urgent_days how many
-- open tickets become urgent on each UTC day (day: urgent_from / 86400; 0 holds those
-- urgent from 0), kept by the triggers below in the transaction of each write: a total
-- is a sum of a few rows, not a count of every ticket it counts. The urgent total at
-- an instant adds the days before its own and counts its own day's range of
-- tickets_open_urgent.
CREATE TABLE open_counts (
	customer TEXT PRIMARY KEY,
	n        INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE urgent_days (
	day INTEGER PRIMARY KEY,
	n   INTEGER NOT NULL
);
INSERT INTO open_counts SELECT customer, count(*) FROM tickets WHERE known = 1 AND state <> 'resolved' GROUP BY customer;
INSERT INTO urgent_days SELECT urgent_from / 86400, count(*) FROM tickets
	WHERE known = 1 AND state <> 'resolved' AND urgent_from < 9223372036854775807 GROUP BY urgent_from / 86400;

CREATE TRIGGER tickets_counts_insert AFTER INSERT ON tickets
	WHEN NEW.known = 1 AND NEW.state <> 'resolved'
BEGIN
	INSERT INTO open_counts VALUES (NEW.customer, 1) ON CONFLICT (customer) DO UPDATE SET n = n + 1;
	INSERT INTO urgent_days SELECT NEW.urgent_from / 86400, 1 WHERE NEW.urgent_from < 9223372036854775807
		ON CONFLICT (day) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tickets_counts_delete AFTER DELETE ON tickets
	WHEN OLD.known = 1 AND OLD.state <> 'resolved'
BEGIN
	UPDATE open_counts SET n = n - 1 WHERE customer = OLD.customer;
	UPDATE urgent_days SET n = n - 1 WHERE day = OLD.urgent_from / 86400 AND OLD.urgent_from < 9223372036854775807;
END;

-- An update counts as a delete of the old row and an insert of the new one, when what
-- the counts keep of the row changed.
CREATE TRIGGER tickets_counts_update AFTER UPDATE ON tickets
	WHEN (OLD.known = 1 AND OLD.state <> 'resolved') IS NOT (NEW.known = 1 AND NEW.state <> 'resolved')
		OR OLD.customer IS NOT NEW.customer OR OLD.urgent_from / 86400 IS NOT NEW.urgent_from / 86400
		OR (OLD.urgent_from < 9223372036854775807) IS NOT (NEW.urgent_from < 9223372036854775807)
BEGIN
	UPDATE open_counts SET n = n - 1 WHERE customer = OLD.customer AND OLD.known = 1 AND OLD.state <> 'resolved';
	UPDATE urgent_days SET n = n - 1 WHERE day = OLD.urgent_from / 86400
		AND OLD.known = 1 AND OLD.state <> 'resolved' AND OLD.urgent_from < 9223372036854775807;
	INSERT INTO open_counts SELECT NEW.customer, 1 WHERE NEW.known = 1 AND NEW.state <> 'resolved'
		ON CONFLICT (customer) DO UPDATE SET n = n + 1;
	INSERT INTO urgent_days SELECT NEW.urgent_from / 86400, 1
		WHERE NEW.known = 1 AND NEW.state <> 'resolved' AND NEW.urgent_from < 9223372036854775807
		ON CONFLICT (day) DO UPDATE SET n = n + 1;
END;
