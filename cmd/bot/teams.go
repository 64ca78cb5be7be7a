package main

import (
	"context"

	"github.com/digitaal-vlaanderen/magda-sla-bot/notify/teams"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// wireTeams mounts POST /api/messages when MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD
// are both set. MICROSOFT_OPENID_METADATA_URL and MICROSOFT_TOKEN_URL point a
// single-tenant or sovereign-cloud bot elsewhere than the Bot Framework's public cloud;
// teams.tenants limits it to some Azure AD tenants. Every activity counts in
// magda_events_received_total{source="teams"}.
func (a *app) wireTeams(w *wiring, h *liveCommands) (*teams.Bot, error) {
	getenv := w.getenv
	id, password := getenv("MICROSOFT_APP_ID"), getenv("MICROSOFT_APP_PASSWORD")
	if id == "" || password == "" {
		w.state("Teams", false, "set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD")
		return nil, nil
	}
	bot, err := teams.New(teams.Options{
		AppID: id, AppPassword: password, Commands: h, References: teamsRefs{a.db},
		OpenIDMetadataURL: getenv("MICROSOFT_OPENID_METADATA_URL"),
		TokenURL:          getenv("MICROSOFT_TOKEN_URL"),
		Tenants:           a.cfg.Teams.Tenants,
		OnResult:          func(result string) { w.metrics.Event("teams", result) },
		Unavailable:       storage.Unavailable,
		Logger:            a.log,
	})
	if err != nil {
		return nil, err
	}
	w.handle("POST /api/messages", "teams", bot)
	w.state("Teams", true, "")
	return bot, nil
}

// teamsRefs keeps Teams conversation references in the store.
type teamsRefs struct{ db *storage.DB }

func (r teamsRefs) SaveReference(ctx context.Context, ref teams.Reference) error {
	return r.db.SaveReference(ctx, storage.Reference(ref))
}

func (r teamsRefs) Reference(ctx context.Context, channelID string) (teams.Reference, bool, error) {
	ref, found, err := r.db.Reference(ctx, channelID)
	return teams.Reference(ref), found, err
}
