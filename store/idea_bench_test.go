package store_test

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

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

var benchSectors = []string{"agri", "tourism", "it", "industry", "ocop", "science"}
var benchPlaces = []string{"qn-tamky", "qn-hoian", "qn-dienban", "qn-dailoc", "qn-namtramy", "dn-haichau", "dn-sontra", "dn-hoavang"}

// benchBank opens a store holding n ideas, 80 % of them published.
func benchBank(b *testing.B, n int) *store.Store {
	b.Helper()
	s, err := store.Open(filepath.Join(b.TempDir(), "bank.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	r := rand.New(rand.NewPCG(1, 2))
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for done := 0; done < n; {
		err := s.Update(func(tx *store.Tx) error {
			for k := 0; k < 5000 && done < n; k++ {
				i := &store.Idea{
					AuthorID: int64(1 + r.IntN(20000)), Title: benchText(r, 8), Description: benchText(r, 50),
					Sector: benchSectors[r.IntN(len(benchSectors))], Locality: benchPlaces[r.IntN(len(benchPlaces))],
					AuthorKind: "youth", Public: r.IntN(10) != 0, Status: store.IdeaSubmitted,
					Created: t0.Add(time.Duration(done) * time.Minute), Supporters: r.IntN(50),
				}
				if r.IntN(5) != 0 {
					i.Status, i.Published = store.IdeaPublished, i.Created.Add(time.Hour)
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
	return s
}

func percentile(d []time.Duration, p float64) time.Duration {
	slices.Sort(d)
	return d[min(len(d)-1, int(float64(len(d))*p))]
}

// BenchmarkIdeaPage measures one listing page of the bank holding 100,000
// ideas, for each order and filter, on the first pages and deep ones.
func BenchmarkIdeaPage(b *testing.B) {
	s := benchBank(b, 100_000)
	for _, q := range []store.ListQuery{
		{Sort: store.SortNewest},
		{Sort: store.SortSupported},
		{Sort: store.SortNewest, Sector: "agri"},
		{Sort: store.SortSupported, Sector: "it", Locality: "qn-hoian"},
		{Sort: store.SortNewest, Offset: 1000},
	} {
		q.Limit = 8
		name := fmt.Sprintf("sort=%s/sector=%s/locality=%s/offset=%d", q.Sort, q.Sector, q.Locality, q.Offset)
		b.Run(name, func(b *testing.B) {
			var lat []time.Duration
			for b.Loop() {
				start := time.Now()
				err := s.View(func(tx *store.Tx) error {
					ideas, _, err := tx.IdeaPage(q)
					if len(ideas) != 8 {
						b.Fatalf("page has %d ideas", len(ideas))
					}
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
			}
			b.ReportMetric(float64(percentile(lat, 0.99).Microseconds()), "p99-µs")
		})
	}
}

// BenchmarkIdeaSubmit measures the commit of one new idea (durable, with
// fsync) into a bank of 100,000 ideas.
func BenchmarkIdeaSubmit(b *testing.B) {
	s := benchBank(b, 100_000)
	r := rand.New(rand.NewPCG(3, 4))
	now := time.Now()
	var lat []time.Duration
	for b.Loop() {
		i := &store.Idea{AuthorID: int64(r.IntN(20000)), Title: benchText(r, 8), Description: benchText(r, 50), Sector: "agri", Locality: "qn-dailoc", Status: store.IdeaSubmitted, Created: now}
		start := time.Now()
		err := s.Update(func(tx *store.Tx) error {
			if _, err := tx.CountIdeasSince(i.AuthorID, now.Add(-24*time.Hour)); err != nil {
				return err
			}
			return tx.AddIdea(i)
		})
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.ReportMetric(float64(percentile(lat, 0.5).Microseconds()), "p50-µs")
	b.ReportMetric(float64(percentile(lat, 0.99).Microseconds()), "p99-µs")
}
