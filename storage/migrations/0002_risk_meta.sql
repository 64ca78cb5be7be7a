-- 0002_risk_meta: the at-risk instant of each ticket, and a table for the store's own
-- settings (the fingerprint of the configuration the states were derived with).

-- risk_at: unix second from which a running clock of the ticket is at risk, NULL if none.
ALTER TABLE tickets ADD COLUMN risk_at INTEGER;

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

-- The metrics' index covers risk_at too.
DROP INDEX tickets_not_resolved;
CREATE INDEX tickets_not_resolved ON tickets (customer, priority, state, response_due, resolution_due, next_update_due, risk_at)
	WHERE known = 1 AND state <> 'resolved';
