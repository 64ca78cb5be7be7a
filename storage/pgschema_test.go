package storage

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/pgtest"
	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
)

// pgSchemaFile is the PostgreSQL schema for the port of issue 16, and pgMirrors the
// newest SQLite migration it is the twin of.
const (
	pgSchemaFile = "migrations/postgres/0001_init.sql"
	pgMirrors    = "0011_generation.sql"
)

// never is the urgent_from of a ticket that no time alone makes urgent.
const never = int64(9223372036854775807)

// TestPostgresSchemaMirrorsNewestMigration: the PostgreSQL schema is the twin of the
// newest SQLite migration. A new SQLite migration fails this until the PostgreSQL
// directory has its twin and pgMirrors names it; it needs no server.
func TestPostgresSchemaMirrorsNewestMigration(t *testing.T) {
	if got := Schema(); got != pgMirrors {
		t.Fatalf("the newest SQLite migration is %s, but %s mirrors %s: write its PostgreSQL twin in migrations/postgres", got, pgSchemaFile, pgMirrors)
	}
}

// twinStores opens a SQLite store in a temporary directory and a PostgreSQL database
// with the schema applied, both empty.
func twinStores(t *testing.T) (*DB, *pgx.Conn) {
	t.Helper()
	dsn := pgtest.Shared(t).Database(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	ddl, err := os.ReadFile(pgSchemaFile)
	if err != nil {
		t.Fatal(err)
	}
	// Without arguments Exec runs the whole file as one simple query, one transaction.
	if _, err := conn.Exec(ctx, string(ddl)); err != nil {
		t.Fatalf("applying %s: %v", pgSchemaFile, err)
	}
	db, err := Open(filepath.Join(t.TempDir(), "magda.db"), Options{Derive: replay})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, conn
}

// TestPostgresSchemaMatchesSQLite: the PostgreSQL schema has SQLite's tables, columns
// (by name, type class, NOT NULL and generated or not), primary keys, unique
// constraints and named indexes (their columns, uniqueness and partial predicate), and
// compares text byte by byte as SQLite does.
func TestPostgresSchemaMatchesSQLite(t *testing.T) {
	SQLiteOnly(t, "it compares the two schemas, in the SQLite run")
	db, conn := twinStores(t)
	lite, pg := sqliteSchema(t, db.read), postgresSchema(t, conn)
	if diff := cmp.Diff(lite, pg); diff != "" {
		t.Errorf("schemas differ (-sqlite +postgres):\n%s", diff)
	}
	if len(lite) < 12 {
		t.Errorf("read %d SQLite tables, want every table of 0001-0011", len(lite))
	}
	rows, err := conn.Query(context.Background(), `SELECT c.relname || '.' || a.attname FROM pg_attribute a
		JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace s ON s.oid = c.relnamespace
		LEFT JOIN pg_collation co ON co.oid = a.attcollation
		WHERE s.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
			AND a.atttypid = 'text'::regtype AND co.collname IS DISTINCT FROM 'C'`)
	if err != nil {
		t.Fatal(err)
	}
	notC, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if len(notC) > 0 {
		t.Errorf("text columns without COLLATE \"C\" (SQLite's BINARY order): %v", notC)
	}
}

// schemaTable is one table as the comparison sees it.
type schemaTable struct {
	Columns []string // name class [not null] [generated]
	Primary []string
	Uniques []string          // the columns of each UNIQUE constraint, sorted
	Indexes map[string]string // name: unique? (columns) where predicate
}

func sqliteSchema(t *testing.T, db *sql.DB) map[string]schemaTable {
	t.Helper()
	out := map[string]schemaTable{}
	for _, name := range sqliteStrings(t, db, `SELECT name FROM sqlite_schema WHERE type = 'table'
		AND name NOT LIKE 'sqlite_%' AND name <> 'migrations' ORDER BY name`) {
		var tb schemaTable
		rows, err := db.Query(`SELECT name, type, "notnull", pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid`, name)
		if err != nil {
			t.Fatal(err)
		}
		pk := map[int]string{}
		for rows.Next() {
			var col, typ string
			var notNull bool
			var pkAt, hidden int
			if err := rows.Scan(&col, &typ, &notNull, &pkAt, &hidden); err != nil {
				t.Fatal(err)
			}
			// A primary key is never NULL in PostgreSQL; SQLite's rowid tables let a
			// non-integer one be, which no row of the bot's ever is.
			tb.Columns = append(tb.Columns, columnLine(col, typ, notNull || pkAt > 0, hidden >= 2))
			if pkAt > 0 {
				pk[pkAt] = col
			}
		}
		rows.Close()
		for i := 1; i <= len(pk); i++ {
			tb.Primary = append(tb.Primary, pk[i])
		}
		// An INTEGER PRIMARY KEY is the rowid, which every index entry holds.
		rowid := ""
		if len(tb.Primary) == 1 && slices.Contains(tb.Columns, columnLine(tb.Primary[0], "integer", true, false)) {
			rowid = tb.Primary[0]
		}
		tb.Indexes = map[string]string{}
		type idx struct {
			name, origin string
			unique       bool
		}
		var list []idx
		rows, err = db.Query(`SELECT name, "unique", origin FROM pragma_index_list(?)`, name)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var i idx
			if err := rows.Scan(&i.name, &i.unique, &i.origin); err != nil {
				t.Fatal(err)
			}
			list = append(list, i)
		}
		rows.Close()
		for _, i := range list {
			var cols []string
			rows, err := db.Query(`SELECT name FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno`, i.name)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var c sql.NullString
				if err := rows.Scan(&c); err != nil {
					t.Fatal(err)
				}
				if !c.Valid {
					c.String = "(expr)"
				}
				cols = append(cols, c.String)
			}
			rows.Close()
			switch i.origin {
			case "u":
				tb.Uniques = append(tb.Uniques, strings.Join(cols, ","))
			case "c":
				var ddl string
				if err := db.QueryRow(`SELECT sql FROM sqlite_schema WHERE name = ?`, i.name).Scan(&ddl); err != nil {
					t.Fatal(err)
				}
				where := ""
				if at := strings.LastIndex(strings.ToUpper(ddl), "WHERE"); at >= 0 {
					where = ddl[at+len("WHERE"):]
				}
				tb.Indexes[i.name] = indexLine(i.unique, cols, rowid, where)
			}
		}
		slices.Sort(tb.Uniques)
		out[name] = tb
	}
	return out
}

func postgresSchema(t *testing.T, conn *pgx.Conn) map[string]schemaTable {
	t.Helper()
	ctx := context.Background()
	rows, err := conn.Query(ctx, `SELECT c.relname::text FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
		WHERE s.nspname = 'public' AND c.relkind = 'r' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]schemaTable{}
	for _, name := range names {
		tb := schemaTable{Indexes: map[string]string{}}
		generated := map[string]bool{}
		rows, err := conn.Query(ctx, `SELECT attname::text, format_type(atttypid, atttypmod), attnotnull, attgenerated = 's'
			FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`, name)
		if err != nil {
			t.Fatal(err)
		}
		var col, typ string
		var notNull, gen bool
		_, err = pgx.ForEachRow(rows, []any{&col, &typ, &notNull, &gen}, func() error {
			tb.Columns = append(tb.Columns, columnLine(col, typ, notNull, gen))
			generated[col] = gen
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		rows, err = conn.Query(ctx, `SELECT ci.relname::text, i.indisprimary, i.indisunique, coalesce(con.contype::text, ''),
				coalesce(pg_get_expr(i.indpred, i.indrelid), ''),
				ARRAY(SELECT coalesce(a.attname::text, '') FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o)
					LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n
					WHERE k.o <= i.indnkeyatts ORDER BY k.o)
			FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid
			LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid
			WHERE i.indrelid = $1::regclass`, name)
		if err != nil {
			t.Fatal(err)
		}
		var idx, contype, where string
		var primary, unique bool
		var cols []string
		_, err = pgx.ForEachRow(rows, []any{&idx, &primary, &unique, &contype, &where, &cols}, func() error {
			for i, c := range cols {
				// A stored generated column stands for the expression SQLite's indexes
				// spell out (0010: SQLite would compute a virtual one from the row).
				if c == "" || generated[c] {
					cols[i] = "(expr)"
				}
			}
			switch {
			case primary:
				tb.Primary = slices.Clone(cols)
			case contype == "u":
				tb.Uniques = append(tb.Uniques, strings.Join(cols, ","))
			default:
				tb.Indexes[idx] = indexLine(unique, cols, "", where)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// Trailing integer primary keys are compared as SQLite holds them: implied.
		if len(tb.Primary) == 1 && slices.Contains(tb.Columns, columnLine(tb.Primary[0], "bigint", true, false)) {
			for k, v := range tb.Indexes {
				tb.Indexes[k] = strings.Replace(v, ","+tb.Primary[0]+")", ")", 1)
			}
		}
		slices.Sort(tb.Uniques)
		out[name] = tb
	}
	return out
}

// columnLine is a column by name, type class (integer, text, real or blob: what a row
// scans into), and whether it is NOT NULL and generated.
func columnLine(name, typ string, notNull, generated bool) string {
	class := "unknown type " + typ
	switch strings.ToLower(typ) {
	case "integer", "bigint", "smallint":
		class = "integer"
	case "text", "jsonb":
		class = "text"
	case "real", "double precision":
		class = "real"
	case "blob", "bytea":
		class = "blob"
	}
	line := name + " " + class
	if notNull {
		line += " not null"
	}
	if generated {
		line += " generated"
	}
	return line
}

// indexLine is an index by uniqueness, key columns ("(expr)" for an expression) and
// predicate, with the spelling differences of the two dialects taken out. A trailing
// rowid alias is left out: every entry of a SQLite index holds the rowid anyway, where
// PostgreSQL's must name it to be read in that order.
func indexLine(unique bool, cols []string, rowid, where string) string {
	if n := len(cols); n > 1 && rowid != "" && cols[n-1] == rowid {
		cols = cols[:n-1]
	}
	line := "(" + strings.Join(cols, ",") + ")"
	if unique {
		line = "unique " + line
	}
	where = strings.NewReplacer("::text", "", "::bigint", "", "(", "", ")", "", " ", "", "\t", "", "\n", "").
		Replace(strings.ToLower(where))
	if where != "" {
		line += " where " + where
	}
	return line
}

func sqliteStrings(t *testing.T, db *sql.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// twin runs each statement on both stores: SQLite's ? placeholders become $1, $2, … for
// PostgreSQL.
type twin struct {
	t    *testing.T
	lite *DB
	pg   *pgx.Conn
}

// exec runs query on both and gives each store's error.
func (w twin) exec(query string, args ...any) (lite, pg error) {
	_, lite = w.lite.write.Exec(query, args...)
	_, pg = w.pg.Exec(context.Background(), pgPlaceholders(query), args...)
	return lite, pg
}

func (w twin) mustExec(query string, args ...any) {
	w.t.Helper()
	if lite, pg := w.exec(query, args...); lite != nil || pg != nil {
		w.t.Fatalf("%s: sqlite: %v; postgres: %v", query, lite, pg)
	}
}

// rows reads query from both as text, so that the two drivers' types compare.
func (w twin) rows(query string, args ...any) (lite, pg []string) {
	w.t.Helper()
	lite = sqliteStrings(w.t, w.lite.read, query, args...)
	rows, err := w.pg.Query(context.Background(), pgPlaceholders(query), args...)
	if err != nil {
		w.t.Fatalf("%s: %v", query, err)
	}
	pg, err = pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		w.t.Fatalf("%s: %v", query, err)
	}
	return lite, pg
}

// same reads query from both, checks they agree and gives the rows.
func (w twin) same(query string, args ...any) []string {
	w.t.Helper()
	lite, pg := w.rows(query, args...)
	if diff := cmp.Diff(lite, pg); diff != "" {
		w.t.Errorf("%s (-sqlite +postgres):\n%s", query, diff)
	}
	return lite
}

// ticketRow writes a ticket row through SQL; the clock columns it leaves NULL are those
// the counts do not read.
func (w twin) ticketRow(key, customer string, known int, state string, responseDue, riskAt any, breached, missed int, data string) {
	w.t.Helper()
	w.mustExec(`INSERT INTO tickets (key, known, customer, tier, kind, priority, state, response_due, next_due,
		response_breached, resolution_breached, updates_missed, escalation, data, updated_at, risk_at)
		VALUES (?, ?, ?, 'dedicated', 'incident', 'P2', ?, ?, ?, ?, 0, ?, 0, ?, '2026-07-06T09:00:00.000000000Z', ?)`,
		key, known, customer, state, responseDue, responseDue, breached, missed, data, riskAt)
}

// counts are open_counts and urgent_days as lines, the same on both stores.
func (w twin) counts() []string {
	w.t.Helper()
	return append(w.same(`SELECT customer || '=' || n FROM open_counts ORDER BY customer`),
		w.same(`SELECT 'day ' || day || '=' || n FROM urgent_days ORDER BY day`)...)
}

// TestPostgresSchemaRowsAndCounts_R3: one row per table goes into both stores with the
// same values and reads back the same, urgent_from (R3.1, R3.5, R4.4) is the same
// number, the list order puts the same keys first, and the counts 0010's triggers keep
// agree after an insert, an update that resolves, one that moves the urgent day, and a
// delete.
func TestPostgresSchemaRowsAndCounts_R3(t *testing.T) {
	SQLiteOnly(t, "it compares the two schemas, in the SQLite run")
	db, conn := twinStores(t)
	w := twin{t, db, conn}
	const day = 86400
	w.ticketRow("MAGDA-10", "agency-x", 1, "open", 11*day, 10*day+5, 0, 0, `{"updates":{}}`)
	w.ticketRow("MAGDA-9", "agency-x", 1, "open", nil, nil, 1, 0, `{}`)
	w.ticketRow("MAG-7", "agency-y", 1, "paused", nil, nil, 0, 1, `{"updates":{"off":true}}`)
	w.ticketRow("MAGDA-100", "agency-y", 1, "open", 3*day, nil, 0, 2, `{"updates":{"off":false}}`)
	w.ticketRow("magda-1", "agency-z", 0, "", nil, nil, 0, 0, `{}`)
	w.ticketRow("ZZ-1", "agency-z", 1, "resolved", nil, nil, 0, 0, `{}`)

	urgent := w.same(`SELECT key || ' ' || urgent_from FROM tickets ORDER BY key`)
	want := []string{"MAG-7 " + strconv.FormatInt(never, 10), "MAGDA-10 864005", "MAGDA-100 0", "MAGDA-9 0",
		"ZZ-1 " + strconv.FormatInt(never, 10), "magda-1 " + strconv.FormatInt(never, 10)}
	if diff := cmp.Diff(want, urgent); diff != "" {
		t.Errorf("urgent_from (-want +got):\n%s", diff)
	}
	// The lists' order (list.go), in each dialect: MAGDA-9 before MAGDA-10 before MAGDA-100.
	liteOrder := sqliteStrings(t, db.read, `SELECT key FROM tickets WHERE known = 1 ORDER BY `+listOrder)
	rows, err := conn.Query(context.Background(), `SELECT key FROM tickets WHERE known = 1 ORDER BY `+strings.ReplaceAll(listOrder, "instr(", "strpos("))
	if err != nil {
		t.Fatal(err)
	}
	pgOrder, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"MAGDA-100", "MAGDA-10", "MAG-7", "MAGDA-9", "ZZ-1"}; !cmp.Equal(liteOrder, want) || !cmp.Equal(pgOrder, want) {
		t.Errorf("list order: sqlite %v, postgres %v, want %v", liteOrder, pgOrder, want)
	}

	if diff := cmp.Diff([]string{"agency-x=2", "agency-y=2", "day 0=2", "day 10=1"}, w.counts()); diff != "" {
		t.Errorf("counts after the inserts (-want +got):\n%s", diff)
	}
	// Resolving MAGDA-10 takes it out of both counts.
	w.mustExec(`UPDATE tickets SET state = 'resolved', response_due = NULL, next_due = NULL, risk_at = NULL WHERE key = 'MAGDA-10'`)
	// MAGDA-9's breach is undone (a corrected event): it is urgent from day 20 instead.
	w.mustExec(`UPDATE tickets SET response_breached = 0, response_due = ?, next_due = ? WHERE key = 'MAGDA-9'`, 20*day, 20*day)
	// An update of nothing the counts keep leaves them alone.
	w.mustExec(`UPDATE tickets SET updated_at = '2026-07-07T09:00:00.000000000Z' WHERE key = 'MAG-7'`)
	w.mustExec(`DELETE FROM tickets WHERE key = 'MAGDA-100'`)
	if diff := cmp.Diff([]string{"agency-x=1", "agency-y=1", "day 0=0", "day 10=0", "day 20=1"}, w.counts()); diff != "" {
		t.Errorf("counts after the resolve, the move and the delete (-want +got):\n%s", diff)
	}

	// One row in each other table, with the same values; ids and defaults come out alike.
	w.mustExec(`INSERT INTO events (ticket, at, type, event_id, source, body, received_at, tier)
		VALUES ('MAGDA-9', '2026-07-06T09:00:00.000000000Z', 'created', 'e-1', 'api', ?, '2026-07-06T09:00:01.000000000Z', 'dedicated')`,
		`{"ticket":"MAGDA-9","type":"created"}`)
	w.mustExec(`INSERT INTO escalations (ticket, level, actor, reason, at) VALUES ('MAGDA-9', 1, 'sdm', 'P1 down', '2026-07-06T10:00:00.000000000Z')`)
	w.mustExec(`INSERT INTO notifications (ticket, kind, slot, decided_at, service_window) VALUES ('MAGDA-9', 'reminder', ?, '2026-07-06T10:00:00.000000000Z', 'dedicated')`, 20*day)
	w.mustExec(`INSERT INTO outbox (notification, platform, channel, body, state, not_before_ms) VALUES (1, 'slack', 'C1', ?, 'pending', 1783328400000)`,
		[]byte(`{"text":"MAGDA-9"}`))
	w.mustExec(`INSERT INTO deliveries (source, id, received_at) VALUES ('jira', 'w-1', '2026-07-06T09:00:00.000000000Z')`)
	w.mustExec(`INSERT INTO meta (key, value) VALUES ('derive_generation', '3')`)
	w.mustExec(`INSERT INTO teams_references (channel_id, conversation_id, service_url, tenant_id, bot_id, updated_at)
		VALUES ('19:a', '19:a', 'https://smba.example/', 't', 'b', '2026-07-06T09:00:00.000000000Z')`)
	w.mustExec(`INSERT INTO holds (platform, channel, until_ms) VALUES ('slack', '', 1783328400000)`)
	w.mustExec(`INSERT INTO outages (source, ref, component, started_at) VALUES ('api', 'db-1', 'database', '2026-07-06T09:00:00.000000000Z')`)
	w.mustExec(`INSERT INTO scheduled_maintenances (id, name, starts_at, ends_at) VALUES ('m1', 'upgrade', '2026-07-11T06:00:00.000000000Z', '2026-07-11T08:00:00.000000000Z')`)
	w.same(`SELECT seq || ' ' || ticket || ' ' || body || ' ' || tier FROM events`)
	w.same(`SELECT id || ' ' || announced FROM escalations`)
	w.same(`SELECT id || ' ' || notification || ' ' || attempts || ' ' || state FROM outbox`)
	w.same(`SELECT id || ' ' || note || '|' || by || '|' || coalesce(ended_at, 'down') FROM outages`)
	w.same(`SELECT url FROM scheduled_maintenances`)
	for _, table := range []string{"events", "escalations", "notifications", "outbox", "deliveries", "meta",
		"teams_references", "holds", "outages", "scheduled_maintenances"} {
		if got := w.same(`SELECT count(*) || '' FROM ` + table); !cmp.Equal(got, []string{"1"}) {
			t.Errorf("%s holds %v rows, want 1", table, got)
		}
	}

	// What SQLite's constraints refuse, PostgreSQL's refuse.
	for _, q := range []string{
		`INSERT INTO tickets (key, known, customer, tier, kind, priority, state, response_breached, resolution_breached,
			updates_missed, escalation, data, updated_at) VALUES ('X-1', 2, 'c', '', '', '', 'open', 0, 0, 0, 0, '{}', '')`,
		`INSERT INTO tickets (key, known, customer, tier, kind, priority, state, response_breached, resolution_breached,
			updates_missed, escalation, data, updated_at) VALUES ('X-1', 1, 'c', '', '', '', 'closed', 0, 0, 0, 0, '{}', '')`,
		`INSERT INTO events (ticket, at, type, source, body, received_at) VALUES ('MAGDA-9', '', 'created', 'fax', '{}', '')`,
		`INSERT INTO events (ticket, at, type, event_id, source, body, received_at) VALUES ('MAGDA-9', '', 'created', 'e-1', 'api', '{}', '')`,
		`INSERT INTO events (ticket, at, type, source, body, received_at, tier) VALUES ('MAGDA-9', '', 'created', 'api', '{}', '', 'gold')`,
		`INSERT INTO escalations (ticket, level, actor, reason, at) VALUES ('NOPE-1', 1, '', '', '')`,
		`INSERT INTO escalations (ticket, level, actor, reason, at) VALUES ('MAGDA-9', 1, '', '', '')`,
		`INSERT INTO notifications (ticket, kind, slot, decided_at) VALUES ('MAGDA-9', 'reminder', 1728000, '')`,
		`INSERT INTO outbox (notification, platform, channel, body, state, not_before_ms) VALUES (1, 'slack', 'C1', '\x00', 'pending', 0)`,
		`INSERT INTO outbox (notification, platform, channel, body, state, not_before_ms) VALUES (1, 'slack', 'C2', '\x00', 'lost', 0)`,
		`INSERT INTO outbox (notification, platform, channel, body, state, not_before_ms) VALUES (9, 'slack', 'C2', '\x00', 'pending', 0)`,
		`INSERT INTO outages (source, ref, component, started_at, ended_at) VALUES ('api', 'x', 'server', '2026-07-06', '2026-07-05')`,
		`INSERT INTO outages (source, ref, component, started_at) VALUES ('api', 'x', 'power', '2026-07-06')`,
		`INSERT INTO scheduled_maintenances (id, name, starts_at, ends_at) VALUES ('m2', '', '2026-07-11', '2026-07-11')`,
		`INSERT INTO holds (platform, channel, until_ms) VALUES ('', '', 0)`,
		`INSERT INTO teams_references (channel_id, conversation_id, service_url, tenant_id, bot_id, updated_at) VALUES ('19:b', '', 'u', '', '', '')`,
	} {
		lite, pg := w.exec(q)
		var liteErr sqlite3.Error
		var pgErr *pgconn.PgError
		if !errors.As(lite, &liteErr) || liteErr.Code != sqlite3.ErrConstraint ||
			!errors.As(pg, &pgErr) || !strings.HasPrefix(pgErr.Code, "23") {
			t.Errorf("%s: sqlite: %v; postgres: %v; want a constraint to refuse it in both", q, lite, pg)
		}
	}
}
