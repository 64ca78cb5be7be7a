-- 0005_running_index: the scheduler reads open tickets through one covering index, so
-- that a pass over 100,000 of them reads a few megabytes, not every ticket's JSON; and
-- rows written before 0003 get their clock columns from their JSON here.

UPDATE tickets SET
	created            = unixepoch(data ->> '$.created'),
	response_target    = data ->> '$.response.target',
	response_counted   = data ->> '$.response.counted',
	response_since     = unixepoch(data ->> '$.response.since'),
	resolution_target  = data ->> '$.resolution.target',
	resolution_counted = data ->> '$.resolution.counted',
	resolution_since   = unixepoch(data ->> '$.resolution.since'),
	update_interval    = data ->> '$.updates.interval',
	update_per_day     = data ->> '$.updates.per_day',
	update_counted     = data ->> '$.updates.counted',
	update_since       = unixepoch(data ->> '$.updates.since'),
	update_last        = unixepoch(data ->> '$.updates.last_at')
WHERE known = 1 AND created IS NULL;

DROP INDEX tickets_open;
CREATE INDEX tickets_running ON tickets (key, customer, tier, kind, priority, state, escalation,
	response_due, resolution_due, next_update_due, response_breached, resolution_breached,
	updates_missed, created, response_target, response_counted, response_since,
	resolution_target, resolution_counted, resolution_since,
	update_interval, update_per_day, update_counted, update_since, update_last)
	WHERE known = 1 AND state <> 'resolved';
