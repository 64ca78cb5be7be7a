package review

import (
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// XLSX sheet names, the same in both languages so that formulas and scripts find them.
const (
	SummarySheet = "Summary"
	TicketsSheet = "Tickets"
)

// WriteXLSX writes a workbook with a summary sheet (the clock lines) and a tickets sheet
// (the CSV's rows). Numbers are stored as numbers and percentages as fractions with a
// percent format, so a Dutch-locale Excel shows its own decimal comma; instants are
// text in RFC 3339 (no locale reads them differently).
func (r Report) WriteXLSX(out io.Writer) error {
	w := wordsFor(r.Lang)
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SummarySheet); err != nil {
		return err
	}
	pctStyle, err := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	set := func(sheet string, row int, vals ...any) error {
		for i, v := range vals {
			cell, _ := excelize.CoordinatesToCellName(i+1, row)
			if err := f.SetCellValue(sheet, cell, v); err != nil {
				return err
			}
		}
		return nil
	}
	if err := set(SummarySheet, 1, r.Heading()); err != nil {
		return err
	}
	f.SetCellStyle(SummarySheet, "A1", "A1", bold)
	if err := set(SummarySheet, 3, w.clock, w.kind, w.priority, w.withSL, w.met, w.breached, w.open, w.metPct,
		w.target+" (h)", w.median+" (h)", w.p90+" (h)"); err != nil {
		return err
	}
	f.SetCellStyle(SummarySheet, "A3", "K3", bold)
	for i, l := range r.Clocks {
		row := 4 + i
		if err := set(SummarySheet, row, w.clockNames[l.Clock], w.kinds[l.Kind], l.Priority, l.WithSL, l.Met, l.Breached,
			l.Open, fraction(l.MetPct), float64(l.TargetS)/3600, hoursOrEmpty(l.MedianS), hoursOrEmpty(l.P90S)); err != nil {
			return err
		}
		f.SetCellStyle(SummarySheet, "H"+strconv.Itoa(row), "H"+strconv.Itoa(row), pctStyle)
	}
	row := 5 + len(r.Clocks)
	for _, kv := range [][2]any{{w.missed, r.MissedUpdates}, {w.customer, fraction(r.Paused.CustomerPct)},
		{w.thirdParty, fraction(r.Paused.ThirdPartyPct)}, {w.escalations, len(r.Escalations)}, {w.changes, len(r.PriorityChanges)},
		{w.noSL, len(r.NoSL)}} {
		if err := set(SummarySheet, row, kv[0], kv[1]); err != nil {
			return err
		}
		if _, ok := kv[1].(float64); ok {
			f.SetCellStyle(SummarySheet, fmt.Sprintf("B%d", row), fmt.Sprintf("B%d", row), pctStyle)
		}
		row++
	}
	if _, err := f.NewSheet(TicketsSheet); err != nil {
		return err
	}
	header := make([]any, len(csvHeader))
	for i, h := range csvHeader {
		header[i] = h
	}
	if err := set(TicketsSheet, 1, header...); err != nil {
		return err
	}
	for i, t := range r.Tickets {
		cells := t.cells()
		vals := make([]any, len(cells))
		for j, c := range cells {
			vals[j] = c
			if n, err := strconv.ParseInt(c, 10, 64); err == nil && numericColumn[csvHeader[j]] {
				vals[j] = n
			}
		}
		if err := set(TicketsSheet, 2+i, vals...); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(out)
	return err
}

var numericColumn = map[string]bool{"response_target_s": true, "response_counted_s": true, "resolution_target_s": true,
	"resolution_counted_s": true, "updates_missed": true, "escalation_level": true, "paused_customer_s": true, "paused_third_party_s": true}

// fraction is a percentage as a spreadsheet fraction (87.5 → 0.875), "" for none.
func fraction(v *float64) any {
	if v == nil {
		return ""
	}
	return *v / 100
}

func hoursOrEmpty(v *int64) any {
	if v == nil {
		return ""
	}
	return float64(*v) / 3600
}
