package storage

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/pgtest"
	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
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
		rowid := ""
		if len(tb.Primary) == 1 && strings.HasPrefix(tb.Columns[slices.IndexFunc(tb.Columns, func(c string) bool {
			return strings.HasPrefix(c, tb.Primary[0]+" ")
		})], tb.Primary[0]+" integer") {
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
