-- 0008_outages: infrastructure outages (R6.1), from Alertmanager and the events API.
-- One row per outage: source 'alertmanager' keys it by the alert's fingerprint (ref)
-- and startsAt, so Alertmanager's repeats and re-sends update the same row; source
-- 'api' keys it by the component (ref) and its start. ended_at NULL: still down.
CREATE TABLE outages (
	id         INTEGER PRIMARY KEY,
	source     TEXT NOT NULL CHECK (source IN ('alertmanager', 'api')),
	ref        TEXT NOT NULL CHECK (ref <> ''),
	component  TEXT NOT NULL CHECK (component IN ('server', 'database', 'middleware', 'network')),
	started_at TEXT NOT NULL,
	ended_at   TEXT CHECK (ended_at IS NULL OR ended_at >= started_at),
	note       TEXT NOT NULL DEFAULT '',
	by         TEXT NOT NULL DEFAULT '',
	UNIQUE (source, ref, started_at)
);

-- A month's figure reads the outages that start before its end.
CREATE INDEX outages_start ON outages (started_at);

-- The status page's scheduled maintenances (R8.2), as last read: kept after the page
-- drops them, so a past month's availability does not change when they are over.
CREATE TABLE scheduled_maintenances (
	id        TEXT PRIMARY KEY CHECK (id <> ''),
	name      TEXT NOT NULL,
	starts_at TEXT NOT NULL,
	ends_at   TEXT NOT NULL CHECK (ends_at > starts_at),
	url       TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
