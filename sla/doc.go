// Package sla is the heart of the bot: the MAGDA service model (SLA_MODEL.md, R1-R8) as
// pure functions of a ticket's events and the instant asked about.
//
// It does no I/O and never reads the wall clock: every function that depends on time
// takes `now` (or the instants it needs). Only the standard library and rickar/cal are
// imported, so every other package can depend on it and none of them leaks in.
package sla

// Version names the engine's rules. Stored ticket states were derived by some version;
// a store re-derives them when it changes (with the configuration they depend on).
const Version = "2026-12-02.1"
