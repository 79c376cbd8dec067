package web_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qnstartup/trolykhoinghiep/places"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// BenchmarkPages serves each page of a bank of 100,000 ideas and reports
// the p99 server time and the page weight (HTML plus its CSS, bytes).
//
//	go test -run '^$' -bench Pages -benchtime 200x ./web/
func BenchmarkPages(b *testing.B) {
	st, site := bigBank(b, 100_000)
	_ = st
	css := len(get(b, site, "/static/site.css").body)
	queries := []string{"may say nong san", "du lịch cộng đồng", "khoiwr nghieepj nong nghieepj", "phần mềm quản lý hợp tác xã",
		"ca phe", "sâm ngọc linh", "tour trai nghiem", "nuoc mam", "ocop", "rau sạch hữu cơ"}
	cases := []struct {
		name    string
		targets []string
	}{
		{"home", []string{"/"}},
		{"ideas", []string{"/ideas", "/ideas?page=2", "/ideas?sort=supported"}},
		{"ideas_filtered", []string{"/ideas?sector=agri&locality=qn-dailoc&status=published", "/ideas?status=programme&sort=supported", "/ideas?locality=qn-hoian&page=3"}},
		{"ideas_page500", []string{"/ideas?page=500"}},
		{"search", prefixed("/ideas?q=", queries)},
		{"search_filtered", prefixed("/ideas?sector=agri&status=published&sort=newest&q=", queries)},
		{"idea", []string{"/ideas/YT-000001", "/ideas/YT-050000", "/ideas/YT-099999"}},
		{"events", []string{"/events"}},
		{"events_ics", []string{"/events.ics"}},
		{"stats", []string{"/stats"}},
		{"open_data", []string{"/open-data"}},
		{"sitemap_index", []string{"/sitemap.xml"}},
		{"robots", []string{"/robots.txt"}},
	}
	get(b, site, "/ideas?q=warm+up") // builds the search index
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			times := make([]time.Duration, 0, b.N)
			weight := 0
			ip := 0
			for n := 0; b.Loop(); n++ {
				target := c.targets[n%len(c.targets)]
				r := httptest.NewRequest(http.MethodGet, target, nil)
				ip++
				r.RemoteAddr = fmt.Sprintf("10.%d.%d.%d:1", ip>>16&255, ip>>8&255, ip&255) // no rate limit
				w := httptest.NewRecorder()
				start := time.Now()
				site.ServeHTTP(w, r)
				times = append(times, time.Since(start))
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d", target, w.Code)
				}
				if strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
					weight = max(weight, w.Body.Len()+css)
				}
			}
			slices.Sort(times)
			p := func(q float64) float64 { return float64(times[int(q*float64(len(times)-1))].Microseconds()) / 1000 }
			b.ReportMetric(p(0.5), "p50-ms")
			b.ReportMetric(p(0.99), "p99-ms")
			if weight > 0 {
				b.ReportMetric(float64(weight), "page-bytes")
			}
		})
	}
}

func prefixed(p string, qs []string) []string {
	out := make([]string, len(qs))
	for n, q := range qs {
		out[n] = p + strings.ReplaceAll(q, " ", "+")
	}
	return out
}

// bigBank seeds n synthetic published ideas and a few events.
func bigBank(tb testing.TB, n int) (*store.Store, http.Handler) {
	tb.Helper()
	st, err := store.Open(filepath.Join(tb.TempDir(), "bot.db"), store.Options{NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	rng := rand.New(rand.NewPCG(7, 9))
	words := strings.Fields("máy sấy nông sản năng lượng mặt trời du lịch cộng đồng homestay phần mềm quản lý hợp tác xã cà phê sâm ngọc linh " +
		"tour trải nghiệm nước mắm rau sạch hữu cơ chế biến mì quảng bánh tráng gốm thanh hà lụa mã châu đèn lồng hội an tôm cá nuôi trồng " +
		"ứng dụng điện thoại thương mại điện tử đóng gói nhãn mác truy xuất nguồn gốc dược liệu quế trà bắc tre đan lát phân bón vi sinh")
	phrase := func(k int) string {
		var b strings.Builder
		for i := range k {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(words[rng.IntN(len(words))])
		}
		return b.String()
	}
	locs := places.Default().All()
	sectors := []string{"agri", "tourism", "it", "industry", "ocop", "science"}
	kinds := []string{"farmer", "woman", "youth", "student", "coop", "misc"}
	base := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	for done := 0; done < n; {
		err := st.Update(func(tx *store.Tx) error {
			for k := 0; k < 5000 && done < n; k++ {
				at := base.Add(time.Duration(done) * 9 * time.Minute)
				status := store.IdeaPublished
				switch r := rng.IntN(20); {
				case r == 0:
					status = store.IdeaProgramme
				case r < 3:
					status = store.IdeaSupported
				}
				i := &store.Idea{AuthorID: int64(1000 + done%5000), Title: truncateWords(phrase(6+rng.IntN(6)), 110), Description: phrase(30 + rng.IntN(30)),
					Sector: sectors[rng.IntN(len(sectors))], Locality: locs[rng.IntN(len(locs))].Code, AuthorKind: kinds[rng.IntN(len(kinds))],
					Public: true, Status: status, Supporters: rng.IntN(50), Created: at, Published: at.Add(time.Hour),
					History: []store.IdeaEvent{{At: at, Action: "submitted"}, {At: at.Add(time.Hour), Action: "status:published"}}}
				if err := tx.AddIdea(i); err != nil {
					return err
				}
				done++
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	err = st.Update(func(tx *store.Tx) error {
		for k := range 30 {
			e := &store.Event{Title: "Sự kiện " + phrase(4), Start: now.Add(time.Duration(k+1) * 50 * time.Hour), Place: "Tam Kỳ", Description: phrase(40), Status: store.EventPublished}
			if err := tx.CreateEvent(e, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return st, newSite(tb, st, "https://ytuong.example.vn")
}

func truncateWords(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if i := strings.LastIndexByte(s[:n], ' '); i > 0 {
		return s[:i]
	}
	return s[:n]
}
