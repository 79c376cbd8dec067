package web_test

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/qnstartup/trolykhoinghiep/store"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// pages are every page of the site, by golden file name.
func pages(f *fixture) map[string]string {
	return map[string]string{
		"home":           "/",
		"home_en":        "/?lang=en",
		"ideas":          "/ideas",
		"ideas_search":   "/ideas?q=may+say+nong+san",
		"ideas_filtered": "/ideas?sector=agri&locality=qn-dailoc&status=published&sort=supported",
		"ideas_empty":    "/ideas?q=t%C3%A0u+v%C5%A9+tr%E1%BB%A5&sector=it",
		"idea":           "/ideas/" + code(f.ids["dryer"]),
		"idea_answer_en": "/ideas/" + code(f.ids["app"]) + "?lang=en",
		"events":         "/events",
		"stats":          "/stats",
		"opendata":       "/open-data",
		"notfound":       "/ideas/" + code(f.ids["private"]),
	}
}

func TestGoldenPages(t *testing.T) {
	f := newFixture(t)
	for name, target := range pages(f) {
		t.Run(name, func(t *testing.T) {
			res := get(t, f.h, target)
			want := http.StatusOK
			if name == "notfound" {
				want = http.StatusNotFound
			}
			if res.status != want {
				t.Fatalf("GET %s: %d, want %d\n%s", target, res.status, want, res.body)
			}
			golden(t, filepath.Join("testdata", name+".html"), res.body)
		})
	}
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./web/ -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (go test ./web/ -update, then review the diff):\n%s", path, firstDiff(string(want), got))
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for n := 0; n < len(al) || n < len(bl); n++ {
		var x, y string
		if n < len(al) {
			x = al[n]
		}
		if n < len(bl) {
			y = bl[n]
		}
		if x != y {
			return "line " + itoa(n+1) + ":\n- " + x + "\n+ " + y
		}
	}
	return ""
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestSearchIsDiacriticsAndTelexTolerant(t *testing.T) {
	f := newFixture(t)
	for _, q := range []string{"may say nong san", "Máy sấy nông sản", "mays sayas", "MAY SAY"} {
		res := get(t, f.h, "/ideas?q="+strings.ReplaceAll(q, " ", "+"))
		if res.status != http.StatusOK || !strings.Contains(res.body, "Máy sấy nông sản bằng năng lượng mặt trời") {
			t.Errorf("q=%q: %d, the dryer is not found", q, res.status)
		}
		if strings.Contains(res.body, "Ý tưởng riêng tư") {
			t.Errorf("q=%q lists a private idea", q)
		}
	}
	// Filters combine with the search.
	if res := get(t, f.h, "/ideas?q=may+say&sector=tourism"); strings.Contains(res.body, "Máy sấy nông sản bằng") {
		t.Error("sector filter ignored by the search")
	}
	for _, sort := range []string{"newest", "supported", "relevance"} {
		res := get(t, f.h, "/ideas?q=nong+dan&sector=agri&sort="+sort)
		if !strings.Contains(res.body, "Máy sấy nông sản bằng") || strings.Contains(res.body, "Tour trải nghiệm") {
			t.Errorf("q with sector, sort=%s: wrong results", sort)
		}
		res = get(t, f.h, "/ideas?q=nong+dan&sort="+sort)
		if !strings.Contains(res.body, "Máy sấy nông sản bằng") || !strings.Contains(res.body, "Tour trải nghiệm") {
			t.Errorf("q, sort=%s: wrong results", sort)
		}
	}
}

func TestFiltersCombine(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		query string
		want  []string
		not   []string
	}{
		{"", []string{"Máy sấy nông sản", "Tour trải nghiệm", "Ứng dụng quản lý"}, []string{"riêng tư", "chờ duyệt", "bị từ chối", "Máy sấy ớt"}},
		{"sector=agri", []string{"Máy sấy nông sản"}, []string{"Tour trải nghiệm", "Ứng dụng quản lý"}},
		{"locality=qn-hoian", []string{"Tour trải nghiệm"}, []string{"Máy sấy nông sản", "riêng tư"}},
		{"status=programme", []string{"Ứng dụng quản lý"}, []string{"Máy sấy nông sản", "Tour trải nghiệm"}},
		{"status=supported&locality=qn-hoian&sector=tourism", []string{"Tour trải nghiệm"}, []string{"Máy sấy nông sản"}},
		{"status=supported&sector=agri", nil, []string{"Máy sấy nông sản", "Tour trải nghiệm"}},
	}
	for _, c := range cases {
		res := get(t, f.h, "/ideas?"+c.query)
		if res.status != http.StatusOK {
			t.Errorf("%s: status %d", c.query, res.status)
		}
		for _, w := range c.want {
			if !strings.Contains(res.body, w) {
				t.Errorf("%s: %q missing", c.query, w)
			}
		}
		for _, w := range c.not {
			if strings.Contains(res.body, w) {
				t.Errorf("%s: %q listed", c.query, w)
			}
		}
	}
	// Most supported first.
	res := get(t, f.h, "/ideas?sort=supported")
	if a, b := strings.Index(res.body, "Máy sấy nông sản"), strings.Index(res.body, "Ứng dụng quản lý"); a < 0 || b < 0 || a > b {
		t.Error("sort=supported: the most supported idea is not first")
	}
}

func TestIdeaPageStatuses(t *testing.T) {
	f := newFixture(t)
	for _, k := range []string{"private", "submitted", "declined", "withdrawn"} {
		if res := get(t, f.h, "/ideas/"+code(f.ids[k])); res.status != http.StatusNotFound || !strings.Contains(res.body, "Không tìm thấy trang") {
			t.Errorf("%s idea: %d, want the 404 page", k, res.status)
		}
	}
	for _, p := range []string{"/ideas/YT-999999", "/ideas/abc", "/ideas/", "/ideas/YT-000001/x", "/nope"} {
		if res := get(t, f.h, p); res.status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, res.status)
		}
	}
	res := get(t, f.h, "/ideas/"+code(f.ids["dup"]))
	if res.status != http.StatusMovedPermanently || res.header.Get("Location") != "/ideas/"+code(f.ids["dryer"]) {
		t.Errorf("merged duplicate: %d → %q, want 301 to the idea it was merged into", res.status, res.header.Get("Location"))
	}
	// A private idea merged into a public one is not revealed.
	if err := f.st.Update(func(tx *store.Tx) error {
		i, err := tx.Idea(f.ids["dup"])
		if err != nil {
			return err
		}
		i.Public = false
		return tx.PutIdea(i)
	}); err != nil {
		t.Fatal(err)
	}
	if res := get(t, f.h, "/ideas/"+code(f.ids["dup"])); res.status != http.StatusNotFound {
		t.Errorf("private merged duplicate: %d → %q, want the 404 page", res.status, res.header.Get("Location"))
	}
	res = get(t, f.h, "/ideas/yt1?lang=en")
	if res.status != http.StatusMovedPermanently || res.header.Get("Location") != "/ideas/YT-000001?lang=en" {
		t.Errorf("non-canonical code: %d → %q", res.status, res.header.Get("Location"))
	}
	res = get(t, f.h, "/ideas/"+code(f.ids["dryer"]))
	for _, want := range []string{
		`<meta property="og:url" content="https://ytuong.example.vn/ideas/YT-000001">`,
		`<meta property="og:image" content="https://ytuong.example.vn/static/card.png">`,
		`<meta name="twitter:card" content="summary_large_image">`,
		`href="https://t.me/qn_khoinghiep_bot?start=idea_YT-000001"`,
		`href="https://zalo.me/1234567890123456789"`,
		"Lan", "Nông dân", "Đại Lộc", "Đã công bố",
	} {
		if !strings.Contains(res.body, want) {
			t.Errorf("idea page lacks %s", want)
		}
	}
	// An author who did not opt in, or whose name looks like a phone number, is anonymous.
	for _, k := range []string{"tour", "app"} {
		if res := get(t, f.h, "/ideas/"+code(f.ids[k])); !strings.Contains(res.body, "Ẩn danh") {
			t.Errorf("%s: author not anonymous", k)
		}
	}
}

func TestOutOfRangeAndBadInput(t *testing.T) {
	f := newFixture(t)
	for _, p := range []string{"/ideas?page=0", "/ideas?page=-1", "/ideas?page=abc", "/ideas?page=2", "/ideas?page=99999999999999999999", "/sitemaps/ideas-2.xml", "/sitemaps/x.xml", "/static/nope.css"} {
		if res := get(t, f.h, p); res.status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, res.status)
		}
	}
	if res := get(t, f.h, "/ideas?q="+strings.Repeat("a", 2000)); res.status != http.StatusRequestURITooLong {
		t.Errorf("huge query: %d", res.status)
	}
	// Unknown filter values are ignored, not errors.
	if res := get(t, f.h, "/ideas?sector=<script>&status=x&sort=y&locality=%ff"); res.status != http.StatusOK || strings.Contains(res.body, "<script>") {
		t.Errorf("bad filters: %d", res.status)
	}
	for _, p := range []string{"/metrics", "/healthz", "/debug/pprof/"} {
		if res := get(t, f.h, p); res.status != http.StatusNotFound {
			t.Errorf("%s on the public site: %d, want 404", p, res.status)
		}
	}
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		w := recorder(f.h, httpReq(m, "/ideas"))
		if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "GET, HEAD" || !strings.Contains(w.Body.String(), "Trang web chỉ để xem") {
			t.Errorf("%s: %d, Allow %q, want 405 with the site's own page: %.200s", m, w.Code, w.Header().Get("Allow"), w.Body.String())
		}
	}
}

func TestHeadersETagGzip(t *testing.T) {
	f := newFixture(t)
	res := get(t, f.h, "/")
	h := res.header
	for k, want := range map[string]string{
		"Content-Security-Policy":   "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
		"X-Content-Type-Options":    "nosniff",
		"X-Frame-Options":           "DENY",
		"Content-Type":              "text/html; charset=utf-8",
		"Strict-Transport-Security": "max-age=31536000",
	} {
		if h.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, h.Get(k), want)
		}
	}
	etag := h.Get("ETag")
	if etag == "" || h.Get("Cache-Control") == "" {
		t.Fatalf("no ETag or Cache-Control: %v", h)
	}
	if res := get(t, f.h, "/", "If-None-Match", etag); res.status != http.StatusNotModified || res.body != "" {
		t.Errorf("If-None-Match: %d", res.status)
	}
	gz := get(t, f.h, "/", "Accept-Encoding", "br, gzip")
	if gz.header.Get("Content-Encoding") != "gzip" || gz.header.Get("ETag") == etag {
		t.Fatalf("gzip: %v", gz.header)
	}
	zr, err := gzip.NewReader(strings.NewReader(gz.body))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if string(plain) != res.body {
		t.Error("gzip body differs from the plain one")
	}
	if g := get(t, f.h, "/", "Accept-Encoding", "gzip;q=0"); g.header.Get("Content-Encoding") != "" {
		t.Error("gzip;q=0 still compressed")
	}
	css := get(t, f.h, regexp.MustCompile(`href="(/static/site\.css\?v=[^"]+)"`).FindStringSubmatch(res.body)[1])
	if css.status != 200 || !strings.Contains(css.header.Get("Cache-Control"), "immutable") || css.header.Get("Content-Type") != "text/css; charset=utf-8" {
		t.Errorf("css: %d %v", css.status, css.header)
	}
}

// TestPageWeight: every page, HTML plus its linked CSS, stays within
// 61,440 bytes uncompressed, and links nothing on another host.
func TestPageWeight(t *testing.T) {
	f := newFixture(t)
	css := get(t, f.h, "/static/site.css")
	for name, target := range pages(f) {
		res := get(t, f.h, target)
		if n := len(res.body) + len(css.body); n > 61440 {
			t.Errorf("%s: %d bytes of HTML+CSS", name, n)
		}
		for _, m := range regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(res.body, -1) {
			if strings.HasPrefix(m[1], "//") {
				t.Errorf("%s: protocol-relative link %s", name, m[1])
			}
		}
		for _, m := range regexp.MustCompile(`<(?:link|img|script|source|iframe)[^>]*>`).FindAllString(res.body, -1) {
			if strings.Contains(m, "://") && !strings.Contains(m, `rel="canonical"`) {
				t.Errorf("%s: a resource on another host: %s", name, m)
			}
		}
	}
}

func TestOpenData(t *testing.T) {
	f := newFixture(t)
	res := get(t, f.h, "/open-data/ideas.json")
	if res.status != 200 || res.header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("json: %d %v", res.status, res.header)
	}
	var doc struct {
		Licence     string           `json:"licence"`
		GeneratedAt string           `json:"generated_at"`
		Ideas       []map[string]any `json:"ideas"`
	}
	if err := json.Unmarshal([]byte(res.body), &doc); err != nil {
		t.Fatalf("json: %v\n%s", err, res.body)
	}
	if !strings.Contains(doc.Licence, "CC BY 4.0") || doc.GeneratedAt != "2025-10-15T03:00:00Z" || len(doc.Ideas) != 3 {
		t.Errorf("json: licence %q, generated_at %q, %d ideas", doc.Licence, doc.GeneratedAt, len(doc.Ideas))
	}
	for _, i := range doc.Ideas {
		for _, k := range []string{"author_id", "author_name", "phone", "staff_notes", "history", "photos"} {
			if _, ok := i[k]; ok {
				t.Errorf("json idea has %s", k)
			}
		}
	}
	res = get(t, f.h, "/open-data/ideas.csv")
	if !strings.HasPrefix(res.body, "\ufeffcode,url,title,description,") {
		t.Fatalf("csv header: %q", res.body[:min(80, len(res.body))])
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.body, "\ufeff"))).ReadAll()
	if err != nil || len(recs) != 4 {
		t.Fatalf("csv: %v, %d records", err, len(recs))
	}
	for _, r := range recs[1:] {
		for _, cell := range r {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("csv cell may run as a formula: %q", cell)
			}
		}
	}
	if !strings.Contains(res.body, `'=HYPERLINK`) {
		t.Error("formula cell not neutralised")
	}
	gz := get(t, f.h, "/open-data/ideas.csv", "Accept-Encoding", "gzip")
	zr, err := gzip.NewReader(strings.NewReader(gz.body))
	if err != nil {
		t.Fatal(err)
	}
	if plain, _ := io.ReadAll(zr); !bytes.Equal(plain, []byte(res.body)) {
		t.Error("gzip csv differs")
	}
}

func TestCalendar(t *testing.T) {
	f := newFixture(t)
	res := get(t, f.h, "/events.ics")
	if res.status != 200 || res.header.Get("Content-Type") != "text/calendar; charset=utf-8" {
		t.Fatalf("ics: %d %v", res.status, res.header)
	}
	body := res.body
	if !strings.HasPrefix(body, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") || !strings.HasSuffix(body, "END:VCALENDAR\r\n") {
		t.Errorf("ics framing: %q", body)
	}
	if strings.Contains(strings.ReplaceAll(body, "\r\n", ""), "\n") || strings.Contains(strings.ReplaceAll(body, "\r\n", ""), "\r") {
		t.Error("bare LF or CR in the feed")
	}
	for _, l := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line of %d octets: %q", len(l), l)
		}
		if !utf8Valid(l) {
			t.Errorf("folding split a UTF-8 sequence: %q", l)
		}
	}
	unfolded := strings.ReplaceAll(body, "\r\n ", "")
	for _, want := range []string{
		"DTSTART:20251108T013000Z", "DTEND:20251109T100000Z", "DTSTAMP:20251010T030000Z", "UID:event-1@ytuong.example.vn",
		`LOCATION:Trung tâm Hội nghị\, 02 Hùng Vương\; Tam Kỳ`, `Đăng ký trước\, miễn phí.`, `của Quảng Nam và Đà Nẵng.\nĐăng ký`,
		"URL:https://techfest.example.vn/2025", "SUMMARY:Hội chợ OCOP",
	} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("ics lacks %q", want)
		}
	}
	for _, bad := range []string{"javascript:", "Bản nháp", "đã hủy"} {
		if strings.Contains(unfolded, bad) {
			t.Errorf("ics has %q", bad)
		}
	}
	if n := strings.Count(body, "BEGIN:VEVENT"); n != 2 || n != strings.Count(body, "END:VEVENT") {
		t.Errorf("%d events", n)
	}
}

func TestSitemapAndRobots(t *testing.T) {
	f := newFixture(t)
	res := get(t, f.h, "/sitemap.xml")
	if res.status != 200 || !strings.Contains(res.body, "<loc>https://ytuong.example.vn/ideas/YT-000001</loc><lastmod>2025-09-07</lastmod>") ||
		strings.Contains(res.body, code(f.ids["private"])) || strings.Count(res.body, "<url>") != 8 {
		t.Errorf("sitemap: %s", res.body)
	}
	res = get(t, f.h, "/robots.txt")
	if !strings.Contains(res.body, "Sitemap: https://ytuong.example.vn/sitemap.xml") {
		t.Errorf("robots: %s", res.body)
	}
}
