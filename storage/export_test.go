package storage

import "testing"

// CopiedTables names the tables CopyFrom copies, for the tests of storage_test.
func CopiedTables() []string {
	names := make([]string, len(copiedTables))
	for i, t := range copiedTables {
		names[i] = t.name
	}
	return names
}

// Rows runs query on a read connection and gives every row as the driver reads it,
// text and bytes alike as strings (SQLite gives a body stored as a BLOB as bytes,
// PostgreSQL its text as a string).
func (db *DB) Rows(t testing.TB, query string, args ...any) [][]any {
	t.Helper()
	rows, err := db.read.Query(query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]any
	for rows.Next() {
		r, err := scanAny(rows, len(cols))
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range r {
			if b, ok := v.([]byte); ok {
				r[i] = string(b)
			}
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
