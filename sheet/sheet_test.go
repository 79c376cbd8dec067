package sheet

import (
	"slices"
	"testing"
)

func TestCell(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"Sấy khô sâm", "Sấy khô sâm"},
		{"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
		{"+84 905", "'+84 905"},
		{"-1", "'-1"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"|cmd", "'|cmd"},
		{"a=b", "a=b"}, // only the first character counts
		{"'already", "'already"},
	} {
		if got := Cell(tc.in); got != tc.want {
			t.Errorf("Cell(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := Row([]string{"ok", "=1+1"}); !slices.Equal(got, []string{"ok", "'=1+1"}) {
		t.Errorf("Row = %q", got)
	}
}
