package bot

import (
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qnstartup/trolykhoinghiep/locales"
	"github.com/qnstartup/trolykhoinghiep/store"
)

var benchWords = strings.Fields(`sấy khô sâm ngọc linh dược liệu quế trà my nông nghiệp hữu cơ du lịch cộng đồng
làng gốm thanh hà hội an ẩm thực mì quảng cao lầu phần mềm quản lý hợp tác xã ứng dụng
di động cơ khí chế tạo máy nông cụ đặc sản ocop nước mắm bánh tráng rượu cần thổ cẩm
năng lượng mặt trời tưới nhỏ giọt cảm biến độ ẩm truy xuất nguồn gốc thương mại điện tử
nuôi tôm nuôi cá lồng rau sạch nấm linh chi mật ong homestay trải nghiệm văn hóa chăm
khởi nghiệp sáng tạo thanh niên phụ nữ sinh viên nông dân doanh nghiệp chế biến đóng gói`)

func benchText(r *rand.Rand, n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = benchWords[r.IntN(len(benchWords))]
	}
	return strings.Join(w, " ")
}

// benchBankBot is a bot over a store of n ideas, 80 % published.
func benchBankBot(b *testing.B, n int) *Bot {
	b.Helper()
	st, err := store.Open(filepath.Join(b.TempDir(), "bank.db"), store.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	r := rand.New(rand.NewPCG(1, 2))
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for done := 0; done < n; {
		err := st.Update(func(tx *store.Tx) error {
			for k := 0; k < 5000 && done < n; k++ {
				i := &store.Idea{AuthorID: int64(1 + r.IntN(20000)), Title: benchText(r, 8), Description: benchText(r, 50),
					Sector: Sectors[r.IntN(len(Sectors))], Locality: "qn-dailoc", Public: true, Status: store.IdeaPublished,
					Created: t0.Add(time.Duration(done) * time.Minute)}
				if r.IntN(5) == 0 {
					i.Status = store.IdeaSubmitted
				}
				if err := tx.AddIdea(i); err != nil {
					return err
				}
				done++
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	bot, err := New(Options{Store: st, Channels: []Channel{&memChannel{}}, Locales: locales.MustLoad()})
	if err != nil {
		b.Fatal(err)
	}
	return bot
}

// BenchmarkIdeaSearch measures full-text search of a bank of 100,000
// ideas (80,000 published): accented, unaccented and Telex-typed queries,
// including loading the hits from the store.
func BenchmarkIdeaSearch(b *testing.B) {
	bot := benchBankBot(b, 100_000)
	start := time.Now()
	if _, err := bot.ideas.sync(bot.st); err != nil {
		b.Fatal(err)
	}
	b.Logf("index of %d published ideas built in %v", bot.ideas.ix.Len(), time.Since(start))
	queries := []string{
		"sấy khô sâm ngọc linh", "say kho sam", "saays khoo saam", "du lich cong dong lang gom",
		"phần mềm quản lý hợp tác xã", "nuoi tom", "nawng luowngj mawtj trowif", "mật ong",
		"truy xuat nguon goc nong san", "homestay hoi an",
	}
	var lat []time.Duration
	n := 0
	b.ResetTimer()
	for b.Loop() {
		q := queries[n%len(queries)]
		n++
		t := time.Now()
		ideas, err := bot.searchIdeas(q, 10, 0)
		if err != nil || len(ideas) == 0 {
			b.Fatalf("search %q: %d hits, %v", q, len(ideas), err)
		}
		lat = append(lat, time.Since(t))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds())/1000, "p99-ms")
}
