package benchfixture

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/pgtest"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/population"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
	"github.com/jackc/pgx/v5"
)

// PostgresTemplate gives the name of a template database of srv holding pop, derived
// with opts (which label names), built through storage.Import as Population builds a
// file: a benchmark clones it with srv.DatabaseFrom, one copy per store it opens. The
// name carries a hash of the note (Describe), so on a server that outlives the run
// (pgtest.EnvServer) a template of the same population is reused, as
// MAGDA_BENCH_FIXTURE reuses a file; the harness's own server goes with its templates.
func PostgresTemplate(srv *pgtest.Server, label string, pop population.Options, opts storage.Options) (string, error) {
	if err := pop.Check(); err != nil {
		return "", err
	}
	note := Describe(pop, label)
	name := fmt.Sprintf("magda_bench_%x", sha256.Sum256([]byte(note)))[:len("magda_bench_")+16]
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, srv.DSN())
	if err != nil {
		return "", fmt.Errorf("benchfixture: %w", err)
	}
	defer conn.Close(ctx)
	var template bool
	err = conn.QueryRow(ctx, `SELECT datistemplate FROM pg_database WHERE datname = $1`, name).Scan(&template)
	switch {
	case err == nil && template:
		return name, nil
	case err == nil: // a build that did not end: it is not a template yet
		if _, err := conn.Exec(ctx, "DROP DATABASE "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			return "", fmt.Errorf("benchfixture: %w", err)
		}
	case err != pgx.ErrNoRows:
		return "", fmt.Errorf("benchfixture: %w", err)
	}
	fmt.Fprintf(os.Stderr, "benchfixture: building PostgreSQL template %s: %s\n", name, note)
	start := time.Now()
	err = srv.Template(ctx, name, func(dsn string) error {
		db, err := storage.Open(dsn, opts)
		if err != nil {
			return err
		}
		if _, err := db.Import(ctx, storage.SourceAPI, pop.InKeyOrder(), nil); err != nil {
			db.Close()
			return err
		}
		if err := db.SetNote(ctx, population.Note, note); err != nil {
			db.Close()
			return err
		}
		return db.Close()
	})
	if err != nil {
		return "", fmt.Errorf("benchfixture: %w", err)
	}
	fmt.Fprintf(os.Stderr, "benchfixture: built %s in %s\n", name, time.Since(start).Round(time.Second))
	return name, nil
}
