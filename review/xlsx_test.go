package review_test

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestXLSXCells opens the workbook with the library and checks it cell by cell: the
// summary's figures are numbers (a fraction with a percent format, so a Dutch Excel
// shows 33,33%), the tickets sheet has the CSV's rows.
func TestXLSXCells(t *testing.T) {
	var b bytes.Buffer
	if err := novemberReport("nl").WriteXLSX(&b); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "Summary" || got[1] != "Tickets" {
		t.Fatalf("sheets = %v", got)
	}
	raw := func(sheet, cell string) string {
		v, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	typ := func(sheet, cell string) excelize.CellType {
		ct, err := f.GetCellType(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		return ct
	}
	for cell, want := range map[string]string{
		"A1": "Dienstverleningsoverleg Agentschap X — november 2026",
		"A3": "klok", "H3": "% gehaald",
		"A5": "reactie", "C5": "P2", "D5": "2", "E5": "1", "F5": "1", "H5": "0.5", "I5": "2", "J5": "1", "K5": "3",
		"A7": "oplossing", "H7": "0.333333333333333", "J7": "17", "K7": "18",
		"A8": "oplossing", "B8": "vraag", "G8": "1", "H8": "",
		"A12": "Gemiste updates", "B12": "2",
	} {
		if got := raw("Summary", cell); got != want && !(len(want) > 10 && len(got) > 10 && got[:12] == want[:12]) {
			t.Errorf("Summary!%s = %q, want %q", cell, got, want)
		}
	}
	if typ("Summary", "H5") == excelize.CellTypeSharedString || typ("Summary", "D5") == excelize.CellTypeSharedString {
		t.Error("figures stored as text: a Dutch Excel would not compute with them")
	}
	if st, _ := f.GetCellStyle("Summary", "H5"); st == 0 {
		t.Error("met % has no percent format")
	}
	for cell, want := range map[string]string{
		"A1": "ticket", "P1": "response_result", "A2": "MAGDA-6", "U2": "breached", "V2": "1",
		"A3": "MAGDA-1", "L3": "7200", "M3": "3600", "P3": "met", "J3": "2026-11-03T09:00:00+01:00",
	} {
		if got := raw("Tickets", cell); got != want {
			t.Errorf("Tickets!%s = %q, want %q", cell, got, want)
		}
	}
	rows, _ := f.GetRows("Tickets")
	if len(rows) != 7 {
		t.Errorf("tickets sheet: %d rows, want header + 6", len(rows))
	}
}
