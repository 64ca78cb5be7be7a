// Package server is the bot's own HTTP surface: the generic events API of the contract
// (POST /api/v1/events), health and readiness, and Prometheus metrics with request
// latencies. Platform endpoints (Slack, Teams, Jira) are handlers from their own
// packages that cmd/bot mounts on the same mux, wrapped by Instrument and by Bodies,
// which bounds how their bodies are read; NewHTTP and LimitListener hold every
// listener to its timeouts and connection limit.
package server
