package main

import (
	"net/http"

	"github.com/digitaal-vlaanderen/magda-sla-bot/notify/slack"
	"github.com/digitaal-vlaanderen/magda-sla-bot/server"
)

// offRoutes are the endpoints that settings turn on, with what and which settings.
var offRoutes = []struct{ path, route, what, setting string }{
	{server.EventsPath, "events", "the events API", "MAGDA_API_TOKEN"},
	{"/webhooks/jira", "jira", "the Jira webhook", "JIRA_WEBHOOK_SECRET"},
	{"/api/messages", "teams", "Microsoft Teams", "MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD"},
	{slack.PathCommands, "slack_commands", "Slack over HTTP", "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET"},
	{slack.PathInteractivity, "slack_interactivity", "Slack over HTTP", "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET"},
	{slack.PathEvents, "slack_events", "Slack over HTTP", "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET"},
}

// mountOff answers each endpoint that wire left off with a 404 naming its setting
// (issue 14.6). It asks the mux itself what is mounted, so it follows wire whatever
// turned an endpoint on.
func (a *app) mountOff(w *wiring) {
	for _, o := range offRoutes {
		r, _ := http.NewRequest(http.MethodPost, o.path, nil)
		if _, pattern := w.mux.Handler(r); pattern != "" {
			continue
		}
		w.mux.Handle(o.path, w.metrics.Instrument(o.route, server.Off(o.path, o.what, o.setting, a.log)))
	}
}
