// Package population generates a realistic, deterministic ticket population for load
// tests and benchmarks: N tickets as contract events (sla.Event), created over a span
// ending at a given instant, about half of them still open. It does no I/O and reads no
// clock; the same Options give the same events, ticket by ticket, without holding the
// population in memory.
package population
