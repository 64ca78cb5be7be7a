// Package storage keeps the bot's state in one SQLite file: the append-only log of ticket
// events (the source of truth) with the tier each created event was stored under, each
// ticket's state derived from it, the R7 escalation steps derived from it (each marked
// once announced), the notify outbox (decisions unique by key, deliveries under leases) and
// the Teams conversation references.
//
// It is the only package that imports go-sqlite3. It knows nothing of configuration:
// the caller hands it a Derive function (sla.Replay with the configured customers and
// calendars) and storage calls it whenever a ticket's events change.
package storage
