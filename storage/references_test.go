package storage_test

import (
	"context"
	"errors"
	"testing"

	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
	"github.com/google/go-cmp/cmp"
)

func TestReferences(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	if _, found, err := db.Reference(ctx, "19:general"); found || err != nil {
		t.Fatalf("Reference before any save = %v, %v", found, err)
	}
	first := storage.Reference{ChannelID: "19:general", ConversationID: "19:general", ServiceURL: "https://smba.example/emea/",
		TenantID: "t1", BotID: "28:bot", UpdatedAt: dt(2026, 7, 6, 9, 0)}
	moved := first
	moved.ServiceURL, moved.UpdatedAt = "https://smba.example/amer/", dt(2026, 7, 7, 9, 0)
	for _, r := range []storage.Reference{first, moved} {
		if err := db.SaveReference(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	got, found, err := db.Reference(ctx, "19:general")
	if err != nil || !found {
		t.Fatalf("Reference = %v, %v", found, err)
	}
	if diff := cmp.Diff(moved, got, sameInstant); diff != "" {
		t.Errorf("Reference (-want +got):\n%s", diff)
	}
	for _, bad := range []storage.Reference{{}, {ChannelID: "19:x"}, {ChannelID: "19:x", ConversationID: "19:x"}} {
		if err := db.SaveReference(ctx, bad); !errors.Is(err, storage.ErrInvalid) {
			t.Errorf("SaveReference(%+v) = %v, want ErrInvalid", bad, err)
		}
	}
}
