-- 0006_tier_escalation_steps: a ticket keeps the tier it was created under (R1.1), and
-- escalations are derived from the `escalated` events and announced from the store (R7).

-- tier: on a created event, the customer's tier when the bot stored it; NULL on other
-- events. Events stored before this migration take the tier their ticket has now,
-- derived with the configuration of the day.
ALTER TABLE events ADD COLUMN tier TEXT CHECK (tier IN ('standard', 'dedicated'));
UPDATE events SET tier = (SELECT t.tier FROM tickets t WHERE t.key = events.ticket AND t.known = 1
		AND t.tier IN ('standard', 'dedicated'))
	WHERE type = 'created';

-- escalations now holds each step a ticket's events raised it to, once per level, kept
-- in step with the ticket's state; announced says whether the SDM post and the
-- ESCALATIE mail were decided. The rows written before were announced when written.
ALTER TABLE escalations ADD COLUMN announced INTEGER NOT NULL DEFAULT 1 CHECK (announced IN (0, 1));
DELETE FROM escalations WHERE id NOT IN (SELECT min(id) FROM escalations GROUP BY ticket, level);
CREATE UNIQUE INDEX escalations_step ON escalations (ticket, level);
CREATE INDEX escalations_unannounced ON escalations (id) WHERE announced = 0;

-- The next RederiveFor rewrites every ticket, which records the steps of escalations
-- stored before (those from the events API or Jira, which nobody was told of).
DELETE FROM meta WHERE key = 'derive_fingerprint';
