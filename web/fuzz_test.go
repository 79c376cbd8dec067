package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/qnstartup/trolykhoinghiep/web"
)

// FuzzHandler: no path or query string makes the site panic or answer 5xx.
// The seed corpus runs with the normal tests.
func FuzzHandler(f *testing.F) {
	fx := newFixture(f)
	for _, seed := range []struct{ path, query string }{
		{"/", ""}, {"/", "lang=en"}, {"/ideas", "q=may+say+nong+san&sector=agri&locality=qn-dailoc&status=published&sort=supported&page=1"},
		{"/ideas", "q=%ff%fe&page=9999"}, {"/ideas", "q=" + strings.Repeat("khoiwr+nghieepj+", 30)}, {"/ideas", "page=1e9&sort[]=x"},
		{"/ideas/YT-000001", "lang=xx"}, {"/ideas/YT-", ""}, {"/ideas/99999999999999999999", ""}, {"/ideas/%00", ""},
		{"/events", ""}, {"/events.ics", ""}, {"/stats", "lang=en"}, {"/open-data", ""}, {"/sitemap.xml", ""},
		{"/sitemaps/ideas-1.xml", ""}, {"/sitemaps/ideas--1.xml", ""}, {"/robots.txt", ""}, {"/static/../web.go", ""},
		{"/ideas", "q=%3Cscript%3Ealert(1)%3C/script%3E"}, {"/ideas", ";;;&&&==="}, {"/ideas", "q=\u0000\u200b\u202e"},
	} {
		f.Add(seed.path, seed.query)
	}
	f.Fuzz(func(t *testing.T, path, query string) {
		u := &url.URL{Path: path, RawQuery: query}
		if !strings.HasPrefix(path, "/") {
			u.Path = "/" + path
		}
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.URL = u
		r.RequestURI = u.RequestURI()
		r.RemoteAddr = "198.51.100.9:1234"
		w := httptest.NewRecorder()
		fx.h.ServeHTTP(w, r)
		if w.Code >= 500 && w.Code != http.StatusServiceUnavailable {
			t.Fatalf("GET %s: %d", u, w.Code)
		}
		if w.Code == 200 && strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") && strings.Contains(w.Body.String(), "<script") {
			t.Fatalf("GET %s: a script tag on the page", u)
		}
	})
}

func TestSearchRateLimit(t *testing.T) {
	fx := newFixture(t)
	clock := now
	site, err := web.New(web.Options{Store: fx.st, Ideas: searcherOf(t, fx), Locales: localesT(), Sectors: []string{"agri"},
		Now: func() time.Time { return clock }, SearchRate: 1, SearchBurst: 3})
	if err != nil {
		t.Fatal(err)
	}
	codes := []int{}
	for range 5 {
		codes = append(codes, get(t, site, "/ideas?q=may").status)
	}
	if codes[0] != 200 || codes[2] != 200 || codes[3] != http.StatusTooManyRequests || codes[4] != http.StatusTooManyRequests {
		t.Fatalf("statuses %v, want 3 × 200 then 429", codes)
	}
	res := get(t, site, "/ideas?q=may")
	if res.header.Get("Retry-After") != "1" || !strings.Contains(res.body, "Bạn tìm hơi nhanh") {
		t.Errorf("429: Retry-After %q", res.header.Get("Retry-After"))
	}
	// Browsing without a query is not limited; another client is not limited.
	if get(t, site, "/ideas").status != 200 {
		t.Error("listing limited")
	}
	r := httpReq(http.MethodGet, "/ideas?q=may")
	r.RemoteAddr = "192.0.2.1:1"
	if recorder(site, r).Code != 200 {
		t.Error("another client limited")
	}
	clock = clock.Add(2 * time.Second)
	if get(t, site, "/ideas?q=may").status != 200 {
		t.Error("still limited after the tokens came back")
	}
}

// TestSearchRateLimitClients: the limit is per client — behind Fly's
// proxy the address it passes on, for IPv6 a /64 network.
func TestSearchRateLimitClients(t *testing.T) {
	fx := newFixture(t)
	clock := now
	newSite := func(header string) http.Handler {
		site, err := web.New(web.Options{Store: fx.st, Ideas: searcherOf(t, fx), Locales: localesT(), Sectors: []string{"agri"},
			Now: func() time.Time { return clock }, SearchRate: 1, SearchBurst: 1, ClientIPHeader: header})
		if err != nil {
			t.Fatal(err)
		}
		return site
	}
	search := func(h http.Handler, remote, client string) int {
		r := httpReq(http.MethodGet, "/ideas?q=may")
		r.RemoteAddr = remote
		if client != "" {
			r.Header.Set("Fly-Client-IP", client)
		}
		return recorder(h, r).Code
	}
	// Behind the proxy: two clients through one proxy address.
	fly := newSite("Fly-Client-IP")
	if search(fly, "172.16.0.2:1", "203.0.113.7") != 200 || search(fly, "172.16.0.2:1", "203.0.113.8") != 200 {
		t.Error("two clients behind the proxy share one limit")
	}
	if search(fly, "172.16.0.2:1", "203.0.113.7") != http.StatusTooManyRequests {
		t.Error("the proxy's client header is not honoured")
	}
	// Without the option the header is anyone's to send: ignored.
	plain := newSite("")
	if search(plain, "198.51.100.1:1", "203.0.113.1") != 200 || search(plain, "198.51.100.1:1", "203.0.113.2") != http.StatusTooManyRequests {
		t.Error("an untrusted client header changed the limit")
	}
	// IPv6: one /64 is one client.
	if search(plain, "[2001:db8:1:2::a]:1", "") != 200 || search(plain, "[2001:db8:1:2::b]:1", "") != http.StatusTooManyRequests {
		t.Error("addresses of one /64 are limited apart")
	}
}
