// Package alertmanager owns Prometheus Alertmanager: it takes its webhook notifications
// (payload version 4) at POST /webhooks/alertmanager, authenticated the way an
// Alertmanager receiver's http_config can (bearer token, or basic auth with the token as
// the password), and maps each alert by label matchers to one of the infrastructure
// components of R6.1. It knows neither storage nor chat: the Store it needs is declared
// here, and cmd/bot wires it.
package alertmanager
