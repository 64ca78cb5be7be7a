package server

import (
	"log/slog"
	"net/http"
)

// Off answers every request to an endpoint that is turned off with 404 and one line
// naming the setting that turns it on, instead of Go's bare "404 page not found": the
// person setting up Jira or Teams sees at once what the bot is missing (issue 14.6).
// The request is logged as refused; the body is not read.
func Off(route, what, setting string, log *slog.Logger) http.Handler {
	reason := what + " is off: set " + setting + " to turn it on"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		refuse(w, r, log, route, http.StatusNotFound, reason)
	})
}
