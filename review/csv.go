package review

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"
)

// csvHeader names every clock fact of a ticket row; the names are the same in both
// languages so that a spreadsheet or script reads every export alike.
var csvHeader = []string{"ticket", "customer", "tier", "kind", "priority", "estimate", "source", "env", "state",
	"created", "resolved", "response_target_s", "response_counted_s", "response_due", "response_done_at",
	"response_result", "resolution_target_s", "resolution_counted_s", "resolution_due", "resolution_done_at",
	"resolution_result", "updates_missed", "escalation_level", "paused_customer_s", "paused_third_party_s"}

// cells gives a row's values in csvHeader's order, times in RFC 3339 Brussels time.
func (r Row) cells() []string {
	c := []string{r.Ticket, r.Customer, string(r.Tier), string(r.Kind), r.Priority, r.Estimate, string(r.Source),
		string(r.Env), string(r.State), rfc(&r.Created), rfc(r.Resolved)}
	for _, k := range []*RowClock{r.Response, r.Resolution} {
		if k == nil {
			c = append(c, "", "", "", "", "")
			continue
		}
		c = append(c, strconv.FormatInt(k.TargetS, 10), strconv.FormatInt(k.CountedS, 10), rfc(k.Due), rfc(k.DoneAt), k.Result)
	}
	return append(c, fmt.Sprint(r.UpdatesMissed), fmt.Sprint(r.Escalation), fmt.Sprint(r.PausedCustomer), fmt.Sprint(r.PausedThird))
}

func rfc(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return instant(*t).Format(time.RFC3339)
}

// WriteCSV writes one row per ticket of the period with every clock fact: RFC 4180
// (CRLF line ends, quotes where needed), UTF-8.
func (r Report) WriteCSV(out io.Writer) error {
	w := csv.NewWriter(out)
	w.UseCRLF = true
	if err := w.Write(csvHeader); err != nil {
		return err
	}
	for _, row := range r.Tickets {
		if err := w.Write(row.cells()); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}
