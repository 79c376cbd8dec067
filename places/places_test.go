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
		{"TRÀ MY", "x-tramy"},
		{"bac tra my", "qn-bactramy"},
		{"phường hòa cường", "p-hoacuong"},
		{"xa ba na", "x-bana"},
		{"Điện Bàn Đông", "p-dienbandong"},
		{"avuong", "x-avuong"},
		{"hoa vang", "dn-hoavang"},
		{"hoi an", "qn-hoian"},
	} {
		got := l.Search(tc.q, 3)
		if len(got) == 0 || got[0].Code != tc.want {
			t.Errorf("Search(%q) = %v, want first %s", tc.q, got, tc.want)
		}
	}
	// A former district's name still finds the units that replaced it.
	tamky := l.Search("tam ky", 10)
	var inTamKy []string
	for _, p := range tamky {
		if p.In("qn-tamky") && p.Kind == "ward" {
			inTamKy = append(inTamKy, p.Code)
		}
	}
	if len(inTamKy) != 4 {
		t.Errorf("Search(tam ky) wards = %v, want the 4 wards of the former city", inTamKy)
	}
	if got := l.Search("hoa vang", 10); len(got) < 5 {
		t.Errorf("Search(hoa vang) = %v, want the district and its communes", got)
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
		{"former ok", "d\tD\tformer_district\na\tA\tward\tD\td\n", true},
		{"former unknown", "a\tA\tward\tD\tzz\n", false},
		{"former self", "a\tA\tward\tD\ta\n", false},
	} {
		_, err := Parse([]byte(tc.data))
		if (err == nil) != tc.ok {
			t.Errorf("%s: err = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
	// The embedded list has the 94 units of Nghị quyết 1659/NQ-UBTVQH15:
	// 23 wards, 70 communes and the special zone, each in a former district.
	kinds := map[string]int{}
	for _, p := range Default().All() {
		kinds[p.Kind]++
		if (p.Kind == "ward" || p.Kind == "commune") && len(p.Former) == 0 {
			t.Errorf("%s has no former district", p.Code)
		}
	}
	if kinds["ward"] != 23 || kinds["commune"] != 70 || kinds["special_zone"] != 1 {
		t.Errorf("default list kinds = %v, want 23 wards, 70 communes, 1 special zone", kinds)
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

// BenchmarkSearch measures one locality search of the settings flow over
// the whole list (former districts, wards and communes).
func BenchmarkSearch(b *testing.B) {
	l := Default()
	queries := []string{"dai loc", "tam ky", "hoi an", "Điện Bàn", "nui thanh"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if len(l.Search(queries[i%len(queries)], 6)) == 0 {
			b.Fatal("no place found")
		}
	}
}
