package search

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
)

type doc struct {
	id          uint64
	title, body string
}

var corpus = []doc{
	{1, "Nghị quyết 09/2020/NQ-HĐND", "Quy định nội dung và mức chi hỗ trợ hệ sinh thái khởi nghiệp đổi mới sáng tạo trên địa bàn tỉnh Quảng Nam giai đoạn 2021–2025. Tổ chức ngày hội khởi nghiệp được hỗ trợ tối đa 8 triệu đồng."},
	{2, "Quyết định 454/QĐ-UBND", "Triển khai Nghị quyết của HĐND tỉnh; Ban Điều hành hỗ trợ khởi nghiệp sáng tạo tỉnh đề xuất."},
	{3, "Đề án 1665", "Hỗ trợ học sinh, sinh viên khởi nghiệp đến năm 2025 tại các trường đại học, cao đẳng, trung cấp."},
	{4, "Đề án 939", "Hỗ trợ phụ nữ khởi nghiệp giai đoạn 2017–2025: mục tiêu 20.000 phụ nữ khởi sự kinh doanh."},
	{5, "OCOP", "Chương trình Mỗi xã một sản phẩm; sản phẩm 4 sao đạt từ 70 điểm, 5 sao từ 90 điểm."},
	{6, "Gói vay", "Cho doanh nghiệp khởi nghiệp vay vốn không lãi suất trong thời kỳ dịch bệnh, tối đa 3 tỷ đồng."},
	{7, "Trao giải", "Trao giải cuộc thi, trao thưởng và trao quà cho các đội thi xuất sắc."},
	{8, "Chào bán cổ phần", "Doanh nghiệp chào bán cổ phần cho nhà đầu tư."},
}

func buildIndex(t testing.TB, docs []doc) *Index {
	t.Helper()
	ix := NewIndex()
	for _, d := range docs {
		ix.Add(d.id, d.title, d.body)
	}
	return ix
}

func TestSearchFirstHit(t *testing.T) {
	ix := buildIndex(t, corpus)
	tests := []struct {
		name, query string
		want        uint64
	}{
		{"accented", "sinh viên khởi nghiệp được hỗ trợ gì", 3},
		{"no diacritics", "sinh vien khoi nghiep duoc ho tro gi", 3},
		{"Telex", "sinh vieen khoiwr nghieepj", 3},
		{"VNI", "sinh vie6n kho6i3 nghie65p", 3},
		{"NFD", "sinh vie\u0302n", 3},
		{"English", "student startup support", 3},
		{"abbreviation", "SV KN", 3},
		{"women", "phu nu khoi nghiep", 4},
		{"document number", "nghị quyết 09", 1},
		{"document number short", "NQ 9/2020", 1},
		{"decision number", "QĐ 454", 2},
		{"thousands", "20000 phụ nữ", 4},
		{"teencode", "dn kn vay von ko lai", 6},
		{"typo beyond Telex", "ocopp 4 sao", 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits := ix.Search(tt.query, 3, nil)
			if len(hits) == 0 || hits[0].ID != tt.want {
				t.Fatalf("Search(%q) = %v, want %d first", tt.query, hits, tt.want)
			}
		})
	}
}

func TestSearchTitleOutranksBody(t *testing.T) {
	ix := NewIndex()
	ix.Add(1, "Tin tức", "Quỹ hỗ trợ khởi nghiệp của tỉnh")
	ix.Add(2, "Quỹ hỗ trợ", "Tin tức của tỉnh về khởi nghiệp")
	hits := ix.Search("quỹ", 2, nil)
	if len(hits) != 2 || hits[0].ID != 2 {
		t.Fatalf("hits = %v, want title match 2 first", hits)
	}
}

func TestSearchFilter(t *testing.T) {
	ix := buildIndex(t, corpus)
	t.Run("OK", func(t *testing.T) {
		// The filter runs before ranking: with k = 1 the best allowed
		// document is returned even though a better one is filtered out.
		hits := ix.Search("phụ nữ khởi nghiệp", 1, func(id uint64) bool { return id != 4 })
		if len(hits) != 1 || hits[0].ID == 4 {
			t.Fatalf("hits = %v, want one hit other than 4", hits)
		}
	})
	t.Run("CalledOncePerDocument", func(t *testing.T) {
		calls := map[uint64]int{}
		ix.Search("hỗ trợ khởi nghiệp sinh viên phụ nữ", 10, func(id uint64) bool { calls[id]++; return true })
		for id, n := range calls {
			if n != 1 {
				t.Errorf("filter called %d times for %d", n, id)
			}
		}
	})
	t.Run("RejectAll", func(t *testing.T) {
		if hits := ix.Search("khởi nghiệp", 5, func(uint64) bool { return false }); hits != nil {
			t.Fatalf("hits = %v, want none", hits)
		}
	})
}

func TestSearchEdgeCases(t *testing.T) {
	if hits := NewIndex().Search("khởi nghiệp", 5, nil); hits != nil {
		t.Errorf("empty index: %v", hits)
	}
	ix := buildIndex(t, corpus)
	if hits := ix.Search("khởi nghiệp", 0, nil); hits != nil {
		t.Errorf("k = 0: %v", hits)
	}
	if hits := ix.Search("", 5, nil); hits != nil {
		t.Errorf("empty query: %v", hits)
	}
	if hits := ix.Search("xyzzyq", 5, nil); hits != nil {
		t.Errorf("unknown word: %v", hits)
	}
	hits := ix.Search("khởi nghiệp", 100, nil)
	if len(hits) != 6 {
		t.Errorf("k larger than matches: %d hits, want 6", len(hits))
	}
	for i := 1; i < len(hits); i++ {
		if hits[i].Score > hits[i-1].Score {
			t.Errorf("hits not sorted: %v", hits)
		}
	}
}

func TestSearchCoverage(t *testing.T) {
	ix := buildIndex(t, corpus)
	full := ix.Search("phụ nữ khởi nghiệp", 1, nil)
	if len(full) == 0 || math.Abs(full[0].Coverage-1) > 1e-6 {
		t.Fatalf("all words present: %v, want coverage 1", full)
	}
	part := ix.Search("phụ nữ khởi nghiệp ở Bình Dương", 1, nil)
	if len(part) == 0 || part[0].Coverage >= 0.75 || part[0].Coverage <= 0 {
		t.Fatalf("unknown place: %v, want coverage in (0, 0.75)", part)
	}
}

func TestSmallTalkNotSearched(t *testing.T) {
	// "xin chào" would match "chào bán" if it were searched.
	ix := buildIndex(t, corpus)
	if hits := ix.Search("xin chào", 1, nil); len(hits) == 0 || hits[0].ID != 8 {
		t.Skip("corpus no longer shows the hazard")
	}
	if _, ok := SmallTalk("xin chào"); !ok {
		t.Fatal(`SmallTalk("xin chào") = false`)
	}
}

func TestTypoCorrection(t *testing.T) {
	ix := NewIndex()
	ix.Add(1, "", "trao giải")
	ix.Add(2, "", "trao thưởng")
	ix.Add(3, "", "trao quà")
	ix.Add(4, "", "hỗ trợ vốn")
	ix.Add(5, "", "ngày hội khởi nghiệp")
	ix.Add(6, "", "làm ăn")
	t.Run("BigramNeighbourWins", func(t *testing.T) {
		// trpo is one edit from both trao (3 documents) and tro (1 document);
		// tro forms the indexed bigram ho_tro.
		if hits := ix.Search("ho trpo", 1, nil); len(hits) == 0 || hits[0].ID != 4 || hits[0].Coverage < 0.999 {
			t.Fatalf("hits = %v, want 4 with full coverage", hits)
		}
	})
	t.Run("FrequencyWithoutNeighbour", func(t *testing.T) {
		if hits := ix.Search("trpo", 3, nil); len(hits) != 3 || hits[0].ID > 3 {
			t.Fatalf("hits = %v, want the trao documents", hits)
		}
	})
	t.Run("DistanceTwoForLongWords", func(t *testing.T) {
		if hits := ix.Search("nghieepp", 1, nil); len(hits) == 0 || hits[0].ID != 5 {
			t.Fatalf("hits = %v, want 5", hits)
		}
	})
	t.Run("SyllableNotCorrectedWithoutBigram", func(t *testing.T) {
		// lau is a real word (lâu): it must not become lam.
		if hits := ix.Search("lau", 3, nil); hits != nil {
			t.Fatalf("hits = %v, want none", hits)
		}
	})
	t.Run("SyllableCorrectedWithBigram", func(t *testing.T) {
		// "khởi nghiêm": nghiem is not indexed, nghiep forms khoi_nghiep.
		if hits := ix.Search("khởi nghiêm", 1, nil); len(hits) == 0 || hits[0].ID != 5 || hits[0].Coverage < 0.999 {
			t.Fatalf("hits = %v, want 5 with full coverage", hits)
		}
	})
	t.Run("ShortTokensNotCorrected", func(t *testing.T) {
		if hits := ix.Search("qx", 1, nil); hits != nil {
			t.Fatalf("hits = %v, want none", hits)
		}
	})
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"nghiep", "nghiep", 2, 0},
		{"nghiep", "nghiepp", 2, 1},
		{"nghiep", "ngheip", 2, 1}, // transposition
		{"nghiep", "ngiepp", 2, 2},
		{"nghiep", "abc", 2, 3},
		{"", "ab", 2, 2},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}

// sameResults fails unless a and b give the same hits and scores for the
// queries.
func sameResults(t *testing.T, a, b *Index, queries []string) {
	t.Helper()
	if a.Len() != b.Len() {
		t.Fatalf("Len = %d and %d", a.Len(), b.Len())
	}
	for _, q := range queries {
		ha, hb := a.Search(q, 20, nil), b.Search(q, 20, nil)
		if len(ha) != len(hb) {
			t.Fatalf("%q: %v vs %v", q, ha, hb)
		}
		for i := range ha {
			if ha[i].ID != hb[i].ID || math.Abs(ha[i].Score-hb[i].Score) > 1e-9 || math.Abs(ha[i].Coverage-hb[i].Coverage) > 1e-6 {
				t.Fatalf("%q: hit %d: %+v vs %+v", q, i, ha[i], hb[i])
			}
		}
	}
}

var statQueries = []string{"hỗ trợ khởi nghiệp", "sinh viên", "phụ nữ khởi nghiệp 2025", "nghị quyết 09", "trao giải", "vay vốn", "sao điểm"}

func TestRemove(t *testing.T) {
	ix := buildIndex(t, corpus)
	ix.Remove(3)
	ix.Remove(3)    // twice: no effect
	ix.Remove(9999) // unknown: no effect
	if hits := ix.Search("đại học cao đẳng", 5, nil); len(hits) != 0 {
		t.Fatalf("removed document found: %v", hits)
	}
	var rest []doc
	for _, d := range corpus {
		if d.id != 3 {
			rest = append(rest, d)
		}
	}
	// Document counts, document frequencies and average lengths are as if
	// the document had never been added.
	sameResults(t, ix, buildIndex(t, rest), statQueries)
}

func TestAddReplaces(t *testing.T) {
	ix := buildIndex(t, corpus)
	ix.Add(3, "Nông dân", "Hỗ trợ nông dân làm du lịch cộng đồng")
	if n := ix.Len(); n != len(corpus) {
		t.Fatalf("Len = %d, want %d", n, len(corpus))
	}
	if hits := ix.Search("đại học cao đẳng", 5, nil); len(hits) != 0 {
		t.Fatalf("replaced text still found: %v", hits)
	}
	if hits := ix.Search("nong dan du lich", 1, nil); len(hits) == 0 || hits[0].ID != 3 {
		t.Fatalf("new text not found: %v", hits)
	}
	want := append([]doc(nil), corpus...)
	want[2] = doc{3, "Nông dân", "Hỗ trợ nông dân làm du lịch cộng đồng"}
	sameResults(t, ix, buildIndex(t, want), append(statQueries, "nông dân"))
}

func TestCompaction(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var docs []doc
	for i := range 400 {
		docs = append(docs, doc{uint64(i), synthTitle(rng), synthBody(rng, 30)})
	}
	ix := buildIndex(t, docs)
	var kept []doc
	for _, d := range docs {
		if d.id%4 != 0 {
			ix.Remove(d.id)
		} else {
			kept = append(kept, d)
		}
	}
	ix.mu.RLock()
	dead, total := ix.dead, len(ix.ids)
	ix.mu.RUnlock()
	if total >= 400 || dead*4 >= total && dead >= 32 {
		t.Fatalf("no compaction: %d documents held, %d removed", total, dead)
	}
	queries := []string{synthTitle(rng), synthTitle(rng), synthBody(rng, 5), "khoi nghiep"}
	sameResults(t, ix, buildIndex(t, kept), queries)
	// The index keeps working after compaction.
	ix.Add(1, "Quỹ đặc biệt", "nội dung riêng biệt")
	if hits := ix.Search("quỹ đặc biệt", 1, nil); len(hits) == 0 || hits[0].ID != 1 {
		t.Fatalf("after compaction: %v", hits)
	}
}

func TestConcurrentSearchAndAdd(t *testing.T) {
	ix := buildIndex(t, corpus)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 200 {
				id := uint64(100 + w*1000 + i)
				ix.Add(id, "Ý tưởng", fmt.Sprintf("khởi nghiệp nông nghiệp số %d", i))
				if i%3 == 0 {
					ix.Remove(id)
				}
			}
		})
		wg.Go(func() {
			for range 200 {
				if hits := ix.Search("sinh viên khởi nghiệp", 5, func(id uint64) bool { return id%2 == 1 }); len(hits) == 0 {
					t.Error("no hits during concurrent writes")
					return
				}
				_ = ix.Len()
			}
		})
	}
	wg.Wait()
	if got, want := ix.Len(), len(corpus)+4*(200-67); got != want {
		t.Fatalf("Len = %d, want %d", got, want)
	}
}

func TestToneKeys(t *testing.T) {
	a, b, c := toneKey("hòa"), toneKey("hoà"), toneKey("ho\u0300a")
	if a != b || a != c || a != "~hoa2" {
		t.Errorf("tone keys differ by placement: %q %q %q", a, b, c)
	}
	if d := toneKey("hóa"); d == a {
		t.Errorf("tone keys equal for different tones: %q", d)
	}
	if got := toneKey("NGHIỆP"); got != "~nghiê5" && got != "~nghi\u00eap5" {
		t.Errorf("toneKey(NGHIỆP) = %q", got)
	}
	if keys := toneKeys("ho tro 2020"); len(keys) != 0 {
		t.Errorf("unaccented words have tone keys: %q", keys)
	}
	for _, w := range []string{"khởi", "Nghiệp", "ĐƯỜNG", "thuỷ", "kho\u031b\u0309i", "ñandú", "Привет"} {
		if fast, slow := toneKey(w), toneKeySlow(w); fast != slow {
			t.Errorf("toneKey(%q) = %q, definition gives %q", w, fast, slow)
		}
	}
}

func TestSearchLongQuery(t *testing.T) {
	ix := buildIndex(t, corpus)
	rng := rand.New(rand.NewPCG(3, 4))
	q := synthText(rng, 3000) + " xyzqwj abcdefghij " + synthText(rng, 100)
	if units := limitUnits(analyzeUnits(q), maxQueryUnits); countUnits(units) != maxQueryUnits {
		t.Fatalf("query cut to %d units, want %d", countUnits(units), maxQueryUnits)
	}
	_ = ix.Search(q, 5, nil) // must not panic
}

func countUnits(c [][]unit) int {
	n := 0
	for _, u := range c {
		n += len(u)
	}
	return n
}
