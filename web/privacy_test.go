package web_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestPrivacyScan renders every page, feed and export, in both languages,
// follows every link on the site, and looks for the personal data of the
// seeded users: phone numbers, usernames, platform IDs, full names,
// moderation notes, private and unpublished ideas.
func TestPrivacyScan(t *testing.T) {
	f := newFixture(t)
	seen := map[string]bool{}
	queue := []string{"/events.ics", "/open-data/ideas.csv", "/open-data/ideas.json", "/sitemap.xml", "/robots.txt",
		"/ideas?q=nuoc+mam", "/ideas?q=cho+duyet", "/ideas?q=say+ot"}
	for _, p := range pages(f) {
		queue = append(queue, p)
	}
	for _, k := range []string{"private", "submitted", "declined", "withdrawn", "dup", "tour", "app"} {
		queue = append(queue, "/ideas/"+code(f.ids[k]), "/ideas/"+code(f.ids[k])+"?lang=en")
	}
	href := regexp.MustCompile(`href="(/[^"]*)"`)
	scanned := 0
	for len(queue) > 0 {
		p := strings.ReplaceAll(queue[0], "&amp;", "&")
		queue = queue[1:]
		if seen[p] || len(seen) > 400 {
			continue
		}
		seen[p] = true
		for _, enc := range []string{"", "gzip"} {
			r := httpReq(http.MethodGet, p)
			if enc != "" {
				r.Header.Set("Accept-Encoding", enc)
			}
			w := recorder(f.h, r)
			var body io.Reader = w.Body
			if w.Header().Get("Content-Encoding") == "gzip" {
				zr, err := gzip.NewReader(w.Body)
				if err != nil {
					t.Fatalf("%s: %v", p, err)
				}
				body = zr
			}
			b, _ := io.ReadAll(body)
			text := string(b) + fmtHeader(w.Header())
			for _, s := range secrets {
				if strings.Contains(text, s) {
					t.Errorf("%s (%s) contains %q", p, enc, s)
				}
			}
			scanned++
			for _, m := range href.FindAllStringSubmatch(string(b), -1) {
				if !strings.HasPrefix(m[1], "/static/") {
					queue = append(queue, m[1])
				}
			}
		}
	}
	if len(seen) < 30 {
		t.Errorf("only %d pages reached: the scan proves little", len(seen))
	}
	t.Logf("scanned %d responses over %d URLs", scanned, len(seen))
}

func fmtHeader(h http.Header) string {
	var b strings.Builder
	for k, v := range h {
		b.WriteString(k + ": " + strings.Join(v, ",") + "\n")
	}
	return b.String()
}

// TestSearchByTypedPhone: a phone number typed in a public idea finds
// nothing, in any of the forms people write it; the idea's words still do.
func TestSearchByTypedPhone(t *testing.T) {
	f := newFixture(t)
	tour := "/ideas/" + code(f.ids["tour"])
	for _, q := range []string{"0935111222", "0935+111+222", "935111222"} {
		if res := get(t, f.h, "/ideas?q="+q); strings.Contains(res.body, tour) {
			t.Errorf("search %q finds the idea whose text holds the number", q)
		}
	}
	if res := get(t, f.h, "/ideas?q=lang+rau+tra+que"); !strings.Contains(res.body, tour) {
		t.Error("search by the idea's words finds nothing: the test proves little")
	}
}

// TestNoStaleIdeas: pages and exports that show ideas are revalidated on
// every view, so an idea withdrawn or deleted leaves caches at once.
func TestNoStaleIdeas(t *testing.T) {
	f := newFixture(t)
	for _, p := range []string{"/", "/ideas", "/ideas/" + code(f.ids["dryer"]), "/open-data/ideas.csv", "/open-data/ideas.json", "/stats"} {
		res := get(t, f.h, p)
		if cc := res.header.Get("Cache-Control"); !strings.Contains(cc, "no-cache") && !strings.Contains(cc, "no-store") {
			t.Errorf("%s: Cache-Control %q lets a cache serve a withdrawn idea", p, cc)
		}
	}
}

// TestNoHostFromRequest: without PUBLIC_URL no link names the host the
// request claimed (a forged Host header must not reach a page).
func TestNoHostFromRequest(t *testing.T) {
	f := newFixture(t)
	site := newSite(t, f.st, "")
	for _, p := range []string{"/", "/ideas/" + code(f.ids["dryer"]), "/sitemap.xml", "/robots.txt", "/events.ics"} {
		r := httpReq(http.MethodGet, p)
		r.Host = "forged-host.invalid"
		if w := recorder(site, r); strings.Contains(w.Body.String(), "forged-host.invalid") {
			i := strings.Index(w.Body.String(), "forged-host.invalid")
			t.Errorf("%s names the request's host: …%s…", p, w.Body.String()[max(0, i-120):i+20])
		}
	}
}
