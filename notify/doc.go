// Package notify sends the bot's reminders, warnings and escalation notices (R5.3, R7,
// R8): a scheduler decides from each open ticket's clocks what is due, and an outbox in
// the database delivers it to Slack, Teams and mail. It knows the platforms only through
// the small Sender and Mailer interfaces it declares; cmd/bot wires the adapters.
//
// Never missed: every pass re-derives from the stored clocks what is due now, so a
// restart sends what became due while the bot was down. Never doubled: a decision is a
// row unique by (ticket, kind, slot), inserted with INSERT OR IGNORE in the transaction
// that reads the clocks it was taken on, so a second pass or a second process on the
// same file decides nothing new. Delivery is at least once and, but for one window,
// exactly once: a worker leases a row, sends it and marks it sent. If the process dies
// (or the network drops the platform's answer) after the platform accepted the message
// and before the mark is committed — the time of one SQLite commit, a few milliseconds —
// the lease runs out and the message is sent again. Slack and Teams offer no idempotency
// key that would close that window.
package notify
