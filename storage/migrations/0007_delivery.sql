-- 0007_delivery: what the outbox needs to send each message once, on time, and within
-- the rate limits, with any number of processes on the file.

-- tried_ms is the start of the earliest try of a row whose outcome is not known: set
-- when a worker claims the row, cleared when the platform said it did not take the
-- message. A row claimed with it set had a try that timed out, lost its connection or
-- died with its process, so the next try first looks for that message (Slack).
ALTER TABLE outbox ADD COLUMN tried_ms INTEGER;

-- service_window is the tier whose service window the notification's messages keep to
-- (R3.2, R3.3): they are claimed only while it is open. NULL: any time (a P1's notices,
-- escalations, the digest).
ALTER TABLE notifications ADD COLUMN service_window TEXT CHECK (service_window <> '');

-- holds are the rate limits a platform asked for (429 Retry-After), seen by every
-- process on the file: channel '' holds the whole platform (Slack), a channel only that
-- conversation (Teams' limits are per conversation). A row stays after its instant;
-- the next hold of the same key overwrites it.
CREATE TABLE holds (
	platform TEXT    NOT NULL CHECK (platform <> ''),
	channel  TEXT    NOT NULL,
	until_ms INTEGER NOT NULL,
	PRIMARY KEY (platform, channel)
) WITHOUT ROWID;

-- deliveries also keeps the Slack Events API event ids answered, for a while: the
-- pruning walks a source's ids by age.
CREATE INDEX deliveries_age ON deliveries (source, received_at);
