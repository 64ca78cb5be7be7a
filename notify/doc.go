// Package notify sends the bot's reminders, warnings and escalation notices (R5.3, R7,
// R8): a scheduler decides from each open ticket's clocks what is due, and an outbox in
// the database delivers it to Slack, Teams and mail. It knows the platforms only through
// the small Sender, Finder and Mailer interfaces it declares; cmd/bot wires the adapters.
//
// Never missed: every pass re-derives from the stored clocks what is due now, so a
// restart sends what became due while the bot was down; escalations are announced from
// the escalation steps the store derives from the `escalated` events, whatever path
// stored them, checked every Poll. Never decided twice: a decision
// is a row unique by (ticket, kind, slot), inserted with INSERT OR IGNORE in the
// transaction that reads the clocks it was taken on. On time: a notice that is not a
// P1's is kept to its customer's service window (R3.2), when decided late and when
// retried. Sent once where the platform allows it: a worker leases a row, which records
// that a try started, sends it and marks it sent. A try whose outcome stays unknown (a
// timeout, a reset, a 5xx, a process killed mid-send) leaves that record, and the next
// try on a Finder (Slack: the outbox key in the message's metadata) first looks for the
// message and takes it as sent when it is there. Teams has no such key for proactive
// messages: there the next try posts again. A mail carries a Message-ID made from the
// key, the same on every try, so that receivers can drop the repeat.
package notify
