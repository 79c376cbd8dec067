package web

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/qnstartup/trolykhoinghiep/store"
)

// sitemapMax is the most URLs one sitemap file may list.
const sitemapMax = 50000

var staticPages = []string{"/", "/ideas", "/events", "/stats", "/open-data"}

func xmlText(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// sitemap is "/sitemap.xml": one file while it fits, else an index over
// /sitemaps/pages.xml and /sitemaps/ideas-N.xml (oldest ideas first, so a
// part keeps its contents as ideas are added).
func (s *Site) sitemap(w http.ResponseWriter, rq *req) {
	var n int
	s.opt.Store.View(func(tx *store.Tx) error { n = tx.PublicCount(store.PublicQuery{}); return nil })
	var b strings.Builder
	b.WriteString(xml.Header)
	if n+len(staticPages) <= sitemapMax {
		b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
		s.pageURLs(&b, rq)
		s.ideaURLs(&b, rq, 0, sitemapMax)
		b.WriteString("</urlset>\n")
	} else {
		b.WriteString(`<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
		fmt.Fprintf(&b, "<sitemap><loc>%s</loc></sitemap>\n", xmlText(rq.abs("/sitemaps/pages.xml")))
		for p := 0; p*sitemapMax < n; p++ {
			fmt.Fprintf(&b, "<sitemap><loc>%s</loc></sitemap>\n", xmlText(rq.abs("/sitemaps/ideas-"+strconv.Itoa(p+1)+".xml")))
		}
		b.WriteString("</sitemapindex>\n")
	}
	s.write(w, rq.r, http.StatusOK, "application/xml; charset=utf-8", "public, max-age=3600", []byte(b.String()), "")
}

func (s *Site) sitemapPart(w http.ResponseWriter, rq *req, name string) {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	switch {
	case name == "pages.xml":
		s.pageURLs(&b, rq)
	case strings.HasPrefix(name, "ideas-") && strings.HasSuffix(name, ".xml"):
		p, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(name, "ideas-"), ".xml"))
		if err != nil || p < 1 || p > 1000 || s.ideaURLs(&b, rq, (p-1)*sitemapMax, sitemapMax) == 0 {
			s.errorPage(w, rq, http.StatusNotFound)
			return
		}
	default:
		s.errorPage(w, rq, http.StatusNotFound)
		return
	}
	b.WriteString("</urlset>\n")
	s.write(w, rq.r, http.StatusOK, "application/xml; charset=utf-8", "public, max-age=3600", []byte(b.String()), "")
}

func (s *Site) pageURLs(b *strings.Builder, rq *req) {
	for _, p := range staticPages {
		fmt.Fprintf(b, "<url><loc>%s</loc></url>\n", xmlText(rq.abs(p)))
	}
}

// ideaURLs lists up to limit idea pages after skipping offset; it returns
// how many it listed.
func (s *Site) ideaURLs(b *strings.Builder, rq *req, offset, limit int) int {
	n, listed := 0, 0
	s.opt.Store.View(func(tx *store.Tx) error {
		tx.PublicIDs(store.PublicQuery{}, true, func(id, pub uint64) bool {
			if n >= offset {
				day := time.Unix(0, int64(pub)).UTC().Format("2006-01-02")
				fmt.Fprintf(b, "<url><loc>%s</loc><lastmod>%s</lastmod></url>\n", xmlText(rq.abs("/ideas/"+store.IdeaCode(id))), day)
				listed++
			}
			n++
			return listed < limit
		})
		return nil
	})
	return listed
}

// robots is "/robots.txt".
func (s *Site) robots(w http.ResponseWriter, rq *req) {
	body := "User-agent: *\nAllow: /\nDisallow: /ideas?q=\nDisallow: /*&q=\n\nSitemap: " + rq.abs("/sitemap.xml") + "\n"
	s.write(w, rq.r, http.StatusOK, "text/plain; charset=utf-8", "public, max-age=86400", []byte(body), "")
}
