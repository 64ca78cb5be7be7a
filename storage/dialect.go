package storage

import (
	"context"
	"database/sql/driver"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// The package's SQL is written once, in SQLite's dialect, and a PostgreSQL store
// (issue 16) runs it through pgSQL on its way to the server, in the connection itself
// (pgConn), so that every query of the package works on both backends as written.
// pgSQL changes only what is spelled differently and means the same:
//
//   - placeholders: `?` and `?N` become `$N`, numbered as SQLite numbers them;
//   - `c IN (SELECT value FROM json_each(x))` (x a JSON array of keys as one argument)
//     becomes `c = ANY(ARRAY(SELECT jsonb_array_elements_text(x::jsonb)))`, and NOT IN
//     `<> ALL(…)`: PostgreSQL reads an index by a list of values, where it plans the
//     join of a set-returning function as if the function gave a hundred rows, and
//     joins them by another index; any other `json_each(x)` becomes
//     `jsonb_array_elements_text(x::jsonb)`, whose column is also named value;
//   - `INDEXED BY name` goes: PostgreSQL's planner picks the partial index itself;
//   - `instr(` is `strpos(` (same arguments);
//   - migration 0010's urgent_from expression, which SQLite's expression indexes need
//     spelled out, is the stored urgent_from column of the PostgreSQL schema.
//
// What means something else on PostgreSQL is not translated but written per backend,
// beside the SQLite query (pick): row locks where SQLite's single writer serialises
// (FOR UPDATE SKIP LOCKED, advisory locks), ResetNotices' rowid ranges, the review's
// reading of instants from the state's JSON, and the file operations of ops.go.
// Portable SQL is preferred where both accept it: `INSERT … ON CONFLICT DO NOTHING`
// with RowsAffected rather than a constraint error, which on PostgreSQL would abort
// the transaction, and `RETURNING id` rather than LastInsertId.

var (
	pgIndexedBy = regexp.MustCompile(`\s+INDEXED BY \w+`)
	pgJSONEach  = regexp.MustCompile(`json_each\((\?\d*)\)`)
	pgInJSON    = regexp.MustCompile(`\b(NOT )?IN \(SELECT value FROM json_each\((\?\d*)\)\)`)
	pgWords     = strings.NewReplacer(urgentFrom, "urgent_from", "instr(", "strpos(")
	pgCache     sync.Map // SQLite query -> PostgreSQL query
)

// pgSQL is q as PostgreSQL reads it.
func pgSQL(q string) string {
	if v, ok := pgCache.Load(q); ok {
		return v.(string)
	}
	out := pgWords.Replace(q)
	out = pgIndexedBy.ReplaceAllString(out, "")
	out = pgInJSON.ReplaceAllStringFunc(out, func(m string) string {
		sub := pgInJSON.FindStringSubmatch(m)
		op := "= ANY"
		if sub[1] != "" {
			op = "<> ALL"
		}
		return op + "(ARRAY(SELECT jsonb_array_elements_text(" + sub[2] + "::jsonb)))"
	})
	out = pgJSONEach.ReplaceAllString(out, "jsonb_array_elements_text($1::jsonb)")
	out = pgPlaceholders(out)
	pgCache.Store(q, out)
	return out
}

// pgPlaceholders numbers SQLite's placeholders as PostgreSQL's: `?N` is `$N`, and a bare
// `?` is one more than the largest number before it, as SQLite counts. Quoted text and
// comments are left as they are.
func pgPlaceholders(q string) string {
	var b strings.Builder
	b.Grow(len(q) + 8)
	highest := 0
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'' || c == '"':
			end := strings.IndexByte(q[i+1:], c)
			if end < 0 {
				b.WriteString(q[i:])
				return b.String()
			}
			b.WriteString(q[i : i+end+2])
			i += end + 1
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			end := strings.IndexByte(q[i:], '\n')
			if end < 0 {
				end = len(q) - i
			}
			b.WriteString(q[i : i+end])
			i += end - 1
		case c == '?':
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			n := highest + 1
			if j > i+1 {
				n, _ = strconv.Atoi(q[i+1 : j])
			}
			highest = max(highest, n)
			b.WriteString("$" + strconv.Itoa(n))
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// pick is the query of the store's backend.
func (db *DB) pick(sqlite, postgres string) string {
	if db.postgres {
		return postgres
	}
	return sqlite
}

// rawKey marks a context whose statements go to PostgreSQL as written (migrations).
type rawKey struct{}

func raw(ctx context.Context) context.Context { return context.WithValue(ctx, rawKey{}, true) }

// pgConnector opens pgx's database/sql connections and wraps each in a pgConn.
type pgConnector struct{ driver.Connector }

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &pgConn{conn}, nil
}

// pgConn is a pgx connection that reads the package's SQL (pgSQL), takes a Go bool as
// the 0 or 1 of the schema's SMALLINT flags, and gives a bool as SQLite does, an
// int64 0 or 1, which database/sql still scans into a bool.
type pgConn struct{ c driver.Conn }

// The interfaces of pgx's stdlib.Conn, passed through.
type pgDriverConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.NamedValueChecker
}

func (p *pgConn) inner() pgDriverConn { return p.c.(pgDriverConn) }

func translate(ctx context.Context, q string) string {
	if ctx.Value(rawKey{}) != nil {
		return q
	}
	return pgSQL(q)
}

func pgArgs(args []driver.NamedValue) []driver.NamedValue {
	for i, a := range args {
		if v, ok := a.Value.(bool); ok {
			args[i].Value = boolInt(v)
		}
	}
	return args
}

func boolInt(v bool) int64 {
	if v {
		return 1
	}
	return 0
}

func (p *pgConn) Prepare(q string) (driver.Stmt, error) {
	return p.PrepareContext(context.Background(), q)
}

func (p *pgConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	s, err := p.inner().PrepareContext(ctx, translate(ctx, q))
	if err != nil {
		return nil, err
	}
	return pgStmt{s.(pgDriverStmt)}, nil
}

func (p *pgConn) Close() error { return p.c.Close() }
func (p *pgConn) Begin() (driver.Tx, error) {
	return p.BeginTx(context.Background(), driver.TxOptions{})
}
func (p *pgConn) BeginTx(ctx context.Context, o driver.TxOptions) (driver.Tx, error) {
	return p.inner().BeginTx(ctx, o)
}
func (p *pgConn) Ping(ctx context.Context) error             { return p.inner().Ping(ctx) }
func (p *pgConn) ResetSession(ctx context.Context) error     { return p.inner().ResetSession(ctx) }
func (p *pgConn) CheckNamedValue(v *driver.NamedValue) error { return p.inner().CheckNamedValue(v) }
func (p *pgConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	return p.inner().ExecContext(ctx, translate(ctx, q), pgArgs(args))
}
func (p *pgConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	rows, err := p.inner().QueryContext(ctx, translate(ctx, q), pgArgs(args))
	if err != nil {
		return nil, err
	}
	return pgRows{rows}, nil
}

type pgDriverStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

type pgStmt struct{ pgDriverStmt }

func (s pgStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.pgDriverStmt.ExecContext(ctx, pgArgs(args))
}

func (s pgStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	rows, err := s.pgDriverStmt.QueryContext(ctx, pgArgs(args))
	if err != nil {
		return nil, err
	}
	return pgRows{rows}, nil
}

// pgRows gives a bool column as SQLite's 0 or 1.
type pgRows struct{ driver.Rows }

func (r pgRows) Next(dest []driver.Value) error {
	if err := r.Rows.Next(dest); err != nil {
		return err
	}
	for i, v := range dest {
		if b, ok := v.(bool); ok {
			dest[i] = boolInt(b)
		}
	}
	return nil
}
