-- 0010_open_lists: the lists of open tickets (`sla CUSTOMER`, the App Home) take their
-- order, limit and count from indexes, instead of decoding and sorting every open
-- ticket's JSON (issue 15).

-- The order of the lists: soonest running due first, tickets without a running clock
-- last, then by key as people read keys (project, then number: MAGDA-9 before
-- MAGDA-10; sla.CompareKeys). Every character of a key but its hyphen sorts after the
-- hyphen, so comparing the project with its hyphen compares the projects, and within a
-- project the longer number is the larger.
--
-- The last column is the instant from which the ticket is at risk or breached with no
-- further event (a unix second; 0: already, 9223372036854775807: never): a running
-- clock's risk_at (R3.1's at-risk share), the second after a running due time
-- (R3.5, R5.3), or 0 for a clock breached for good or an update missed while the
-- update clock is on. Kept here too, the App Home's walk tests it from this index alone.
CREATE INDEX tickets_open_due ON tickets (
	coalesce(next_due, 9223372036854775807), substr(key, 1, instr(key, '-')), length(key), key,
	min(coalesce(risk_at, 9223372036854775807), coalesce(response_due + 1, 9223372036854775807),
		coalesce(resolution_due + 1, 9223372036854775807), coalesce(next_update_due + 1, 9223372036854775807),
		CASE WHEN response_breached = 1 OR resolution_breached = 1
			OR updates_missed > 0 AND coalesce(data ->> '$.updates.off', 0) = 0
		THEN 0 ELSE 9223372036854775807 END),
	customer, known, state)
	WHERE known = 1 AND state <> 'resolved';

-- A customer's open tickets in the same order. known and state end each index of this
-- file, which makes it covering for the counts: SQLite does not take a partial index's
-- WHERE as holding the columns it tests.
CREATE INDEX tickets_open_customer_due ON tickets (
	customer, coalesce(next_due, 9223372036854775807), substr(key, 1, instr(key, '-')), length(key), key, known, state)
	WHERE known = 1 AND state <> 'resolved';

-- The open tickets at risk or breached as of an instant are a range of this index: the
-- App Home counts them from it, and reads them from it when they are few.
CREATE INDEX tickets_open_urgent ON tickets (
	min(coalesce(risk_at, 9223372036854775807), coalesce(response_due + 1, 9223372036854775807),
		coalesce(resolution_due + 1, 9223372036854775807), coalesce(next_update_due + 1, 9223372036854775807),
		CASE WHEN response_breached = 1 OR resolution_breached = 1
			OR updates_missed > 0 AND coalesce(data ->> '$.updates.off', 0) = 0
		THEN 0 ELSE 9223372036854775807 END),
	customer, known, state)
	WHERE known = 1 AND state <> 'resolved';
