-- 0011_generation: under which configuration each ticket's state was derived, so that a
-- new configuration (or engine) re-derives the tickets in the background instead of
-- before the bot listens. The store's current generation is meta 'derive_generation'
-- (0 when absent); it goes up by one when the fingerprint of the configuration changes.
-- A row of an older generation is stale: a single read derives it from its events, the
-- scheduler leaves it alone, and the background re-derive rewrites it.

ALTER TABLE tickets ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;

-- The background re-derive walks the rows of one older generation in key order.
CREATE INDEX tickets_generation ON tickets (generation, key);
