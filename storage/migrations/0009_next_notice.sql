-- 0009_next_notice: the scheduler's pass reads only the tickets that have something
-- due (issue 15), instead of every open ticket through the covering index of 0005.
-- Instants as unix seconds.

-- notice_at: the earliest instant at which a notice of the ticket not yet decided may
-- go out, as the notify scheduler computed it the last time it looked at the ticket;
-- 0: look at once (every write of the ticket's state sets it); NULL: nothing can come
-- without a new event (a paused or resolved ticket).
ALTER TABLE tickets ADD COLUMN notice_at INTEGER;
-- digest_at: from when the ticket counts in the morning digest (at risk or breached),
-- set by the same look; 0 and NULL as for notice_at.
ALTER TABLE tickets ADD COLUMN digest_at INTEGER;

-- The first pass after the upgrade looks at every open ticket, as every pass did
-- before: it decides what the old pass would have, and sets each ticket's instants.
UPDATE tickets SET notice_at = 0, digest_at = 0 WHERE known = 1 AND state <> 'resolved';

CREATE INDEX tickets_notice ON tickets (notice_at) WHERE notice_at IS NOT NULL;
CREATE INDEX tickets_digest ON tickets (digest_at) WHERE digest_at IS NOT NULL;

-- Nothing reads the open tickets' clock columns in key order any more. The start-up
-- report of tiers (CustomerTiers) read its columns from it, and gets its own (state in
-- it, so that it covers the query's state <> 'resolved').
DROP INDEX tickets_running;
CREATE INDEX tickets_open_tier ON tickets (customer, tier, state) WHERE known = 1 AND state <> 'resolved';
