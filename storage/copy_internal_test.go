package storage

import (
	"path/filepath"
	"slices"
	"testing"
)

// TestCopiedTablesCoverSchema: every table of the schema is either copied, with every
// column it has, or derived; a migration that adds a table or a column fails here until
// CopyFrom knows of it.
func TestCopiedTablesCoverSchema(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "magda.db"), Options{Derive: replay})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tables := map[string][]string{}
	rows, err := db.read.Query(`SELECT m.name, c.name FROM sqlite_master m, pragma_table_xinfo(m.name) c
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND c.hidden = 0 ORDER BY m.name, c.cid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			t.Fatal(err)
		}
		tables[table] = append(tables[table], col)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, c := range copiedTables {
		cols, ok := tables[c.name]
		if !ok {
			t.Errorf("copied table %s is not in the schema", c.name)
		}
		if !slices.Equal(slices.Sorted(slices.Values(c.cols)), slices.Sorted(slices.Values(cols))) {
			t.Errorf("table %s has columns %v; the copy copies %v", c.name, cols, c.cols)
		}
		delete(tables, c.name)
	}
	for _, d := range derivedTables {
		if _, ok := tables[d]; !ok {
			t.Errorf("derived table %s is not in the schema", d)
		}
		delete(tables, d)
	}
	for name := range tables {
		t.Errorf("table %s is neither copied nor derived: add it to copiedTables or derivedTables", name)
	}
}
