// Package server is the bot's own HTTP surface: the generic events API of the contract
// (POST /api/v1/events), health and readiness, and Prometheus metrics with request
// latencies. Platform endpoints (Slack, Teams, Jira) are handlers from their own
// packages that cmd/bot mounts on the same mux, wrapped by Instrument.
package server
