// Package storage keeps the bot's state in one SQLite file: the append-only log of ticket
// events (the source of truth), each ticket's state derived from it, and the R7
// escalation audit trail.
//
// It is the only package that imports go-sqlite3. It knows nothing of configuration:
// the caller hands it a Derive function (sla.Replay with the configured customers and
// calendars) and storage calls it whenever a ticket's events change.
package storage
