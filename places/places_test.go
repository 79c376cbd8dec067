package places

import (
	"os"
	"testing"
)

func TestSearch(t *testing.T) {
	l := Default()
	for _, tc := range []struct{ q, want string }{
		{"Tam Kỳ", "qn-tamky"},
		{"tam ky", "qn-tamky"},
		{"huyen dai loc", "qn-dailoc"},
		{"TRÀ MY", "qn-bactramy"},
		{"hoa vang", "dn-hoavang"},
		{"hoi an", "qn-hoian"},
	} {
		got := l.Search(tc.q, 3)
		if len(got) == 0 || got[0].Code != tc.want {
			t.Errorf("Search(%q) = %v, want first %s", tc.q, got, tc.want)
		}
	}
	if got := l.Search("Hà Nội", 3); len(got) != 0 {
		t.Errorf("Search(Hà Nội) = %v, want none", got)
	}
	if got := l.Search("  ", 3); got != nil {
		t.Errorf("empty query matched %v", got)
	}
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		ok         bool
	}{
		{"ok", "a\tA\tward\n", true},
		{"comment", "# x\n\na\tA\tward\tArea\n", true},
		{"short", "a\tA\n", false},
		{"non-ascii code", "á\tA\tward\n", false},
		{"duplicate", "a\tA\tward\na\tB\tward\n", false},
	} {
		_, err := Parse([]byte(tc.data))
		if (err == nil) != tc.ok {
			t.Errorf("%s: err = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
	if n := len(Default().All()); n < 26 {
		t.Errorf("default list has %d places", n)
	}
}

func TestLoad(t *testing.T) {
	path := t.TempDir() + "/p.tsv"
	if err := os.WriteFile(path, []byte("dn-hoacuong\tHòa Cường\tward\tĐà Nẵng\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := l.Search("hoa cuong", 1); len(got) != 1 || got[0].Code != "dn-hoacuong" {
		t.Fatalf("loaded list search: %v", got)
	}
	if _, err := Load(path + ".missing"); err == nil {
		t.Fatal("missing file accepted")
	}
}
