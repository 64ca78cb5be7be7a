package storage

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestListPlans: every query of List, and the streaming walk of `bot tickets --open`,
// reads an index of migration 0010 in the lists' order (issue 15): no scan of the
// table, and no sort but the bounded one of the few urgent tickets.
func TestListPlans(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "magda.db"), Options{Derive: replay})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 7, 1, 10, 0, 0, 0, time.UTC)
	type query struct {
		name, sql string
		args      []any
		uses      string // the index the plan must search or scan
		sorts     bool   // a temp B-tree for ORDER BY is allowed (bounded by fewUrgent)
	}
	var qs []query
	for _, f := range []ListFilter{{Customer: "agency-x"}, {Urgent: true, Now: now}, {}} {
		count, list, args := listQueries(f)
		uses := "tickets_open_due"
		switch {
		case f.Urgent:
			uses = "tickets_open_urgent"
		case f.Customer != "":
			uses = "tickets_open_customer_due"
		}
		qs = append(qs, query{"count " + uses, count, args, uses, false})
		if f.Urgent {
			uses = "tickets_open_due"
			qs = append(qs, query{"few urgent", fewUrgentQuery + ` LIMIT 10`, args, "tickets_open_urgent", true})
		}
		qs = append(qs, query{"list " + uses, list + ` LIMIT 10`, args, uses, false})
	}
	for _, q := range qs {
		t.Run(q.name, func(t *testing.T) {
			text := explain(t, db.read, q.sql, q.args...)
			if !strings.Contains(text, "INDEX "+q.uses) {
				t.Errorf("plan %q does not use %s", text, q.uses)
			}
			if strings.HasPrefix(q.name, "count") && !strings.Contains(text, "COVERING INDEX") {
				t.Errorf("plan %q reads the table to count", text)
			}
			if strings.Contains(text, "TEMP B-TREE") && !q.sorts {
				t.Errorf("plan %q sorts", text)
			}
			t.Log(text)
		})
	}
}
