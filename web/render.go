package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/locales"
	"github.com/qnstartup/trolykhoinghiep/pii"
)

// req is one request as the pages see it: language, query, base URL.
type req struct {
	r    *http.Request
	lang string
	loc  *locales.Localizer
	q    url.Values
	base string // PUBLIC_URL, no trailing slash; "" for relative links
	msgs *sync.Map
}

func (s *Site) request(r *http.Request) *req {
	q := r.URL.Query()
	lang := "vi"
	if q.Get("lang") == "en" {
		lang = "en"
	}
	// Without PUBLIC_URL links are relative: the request's Host header is
	// anyone's to write, and a page naming another host must never be
	// served from a cache.
	return &req{r: r, lang: lang, loc: s.opt.Locales.For(lang), q: q, base: s.opt.PublicURL, msgs: &s.msgs}
}

// public is free text an idea's author or staff typed, as the public
// site shows it: phone numbers typed in it are hidden (the author's
// contact is for staff only).
func (rq *req) public(s string) string {
	return pii.RedactPhones(s, rq.T("trust.phone_hidden"))
}

// T renders a message; args are name, value pairs.
func (rq *req) T(key string, args ...any) string {
	if len(args) == 0 {
		// Messages without variables never change: render each once.
		ck := rq.lang + "\x00" + key
		if v, ok := rq.msgs.Load(ck); ok {
			return v.(string)
		}
		v := rq.loc.T(key)
		rq.msgs.Store(ck, v)
		return v
	}
	m := make(map[string]any, len(args)/2)
	for n := 0; n+1 < len(args); n += 2 {
		m[fmt.Sprint(args[n])] = args[n+1]
	}
	return rq.loc.T(key, m)
}

// link is a site path in the request's language, with query pairs.
func (rq *req) link(p string, pairs ...string) string {
	v := url.Values{}
	for n := 0; n+1 < len(pairs); n += 2 {
		if pairs[n+1] != "" {
			v.Set(pairs[n], pairs[n+1])
		}
	}
	if rq.lang != "vi" {
		v.Set("lang", rq.lang)
	}
	if len(v) == 0 {
		return p
	}
	return p + "?" + v.Encode()
}

// abs is an absolute URL of a path (canonical, OpenGraph, feeds).
func (rq *req) abs(p string) string { return rq.base + p }

// label is a taxonomy label without its leading emoji ("👨‍🌾 Nông dân" →
// "Nông dân").
func label(s string) string {
	return strings.TrimLeftFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	return strings.TrimRightFunc(string(r), unicode.IsSpace) + "…"
}

func (rq *req) date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(bot.Vietnam)
	if rq.lang == "en" {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02/01/2006")
}

func (rq *req) dateTime(t time.Time) string {
	t = t.In(bot.Vietnam)
	if rq.lang == "en" {
		return t.Format("Mon 2 Jan 2006, 15:04") + " (UTC+7)"
	}
	return rq.T("web.weekday."+strconv.Itoa(int(t.Weekday()))) + ", " + t.Format("02/01/2006, 15:04")
}

// num formats an integer with the language's thousands separator.
func (rq *req) num(n int) string {
	s := strconv.Itoa(n)
	sep := "."
	if rq.lang == "en" {
		sep = ","
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// page is what the layout needs, with the page's own data in Body.
type page struct {
	*req
	Name        string // template name, also the active menu entry
	Title       string
	Description string
	Canonical   string // absolute URL
	OG          bool
	OGType      string
	Image       string // absolute URL of the card image
	CSS         string
	AltLang     string // the same page in the other language
	AltLangName string
	NoIndex     bool
	Body        any
}

func (s *Site) parseTemplates() error {
	funcs := template.FuncMap{
		"label":    label,
		"truncate": truncate,
		"add":      func(a, b int) int { return a + b },
	}
	layout, err := fs.ReadFile(templateFS, "templates/layout.html")
	if err != nil {
		return err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return err
	}
	s.pages = map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		body, err := fs.ReadFile(templateFS, n)
		if err != nil {
			return err
		}
		t, err := template.New("layout").Funcs(funcs).Parse(string(layout))
		if err != nil {
			return fmt.Errorf("parse layout: %w", err)
		}
		partials, err := fs.ReadFile(templateFS, "templates/partials.html")
		if err != nil {
			return err
		}
		if _, err := t.Parse(string(partials)); err != nil {
			return fmt.Errorf("parse partials: %w", err)
		}
		if _, err := t.Parse(string(body)); err != nil {
			return fmt.Errorf("parse %s: %w", n, err)
		}
		s.pages[name] = t
	}
	css := s.static["site.css"]
	s.cssHref = "/static/site.css?v=" + strings.Trim(css.etag, `"`)
	return nil
}

// render executes a page template and writes it.
func (s *Site) render(w http.ResponseWriter, rq *req, status int, p *page) {
	p.req = rq
	p.CSS = s.cssHref
	if p.Image == "" {
		p.Image = rq.abs("/static/card.png")
	}
	other := "en"
	if rq.lang == "en" {
		other = "vi"
	}
	v := url.Values{}
	for k, vals := range rq.q {
		if k != "lang" {
			v[k] = vals
		}
	}
	if other != "vi" {
		v.Set("lang", other)
	}
	p.AltLang = rq.r.URL.Path
	if len(v) > 0 {
		p.AltLang += "?" + v.Encode()
	}
	p.AltLangName = rq.T("web.lang." + other)
	var buf bytes.Buffer
	t := s.pages[p.Name]
	if t == nil {
		s.log.Error("web: no template", "name", p.Name)
		s.plainError(w, rq, http.StatusInternalServerError)
		return
	}
	if err := t.Execute(&buf, p); err != nil {
		s.log.Error("web: render", "page", p.Name, "err", err)
		if p.Name != "error" {
			s.errorPage(w, rq, http.StatusInternalServerError)
		} else {
			s.plainError(w, rq, http.StatusInternalServerError)
		}
		return
	}
	// Revalidated on every view (the ETag makes that cheap): an idea
	// withdrawn or deleted is gone at once, not after a cache's minute.
	cache := "public, no-cache"
	if status != http.StatusOK {
		cache = "no-store"
	}
	s.write(w, rq.r, status, "text/html; charset=utf-8", cache, buf.Bytes(), "")
}

// errorPage renders a clear page for 404 and the other refusals.
func (s *Site) errorPage(w http.ResponseWriter, rq *req, status int) {
	key := "web.err.notfound"
	switch status {
	case http.StatusTooManyRequests:
		key = "web.err.toomany"
	case http.StatusRequestURITooLong, http.StatusBadRequest:
		key = "web.err.bad"
	case http.StatusServiceUnavailable:
		key = "web.err.busy"
	case http.StatusInternalServerError:
		key = "web.err.internal"
	case http.StatusMethodNotAllowed:
		key = "web.err.method"
	}
	s.render(w, rq, status, &page{Name: "error", Title: rq.T(key + "_title"), NoIndex: true, Body: key})
}

// plainError is the error text alone, in the reader's language, for when
// no page can be rendered.
func (s *Site) plainError(w http.ResponseWriter, rq *req, status int) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	io.WriteString(w, rq.T("web.err.internal_title")+". "+rq.T("web.err.internal_text")+"\n")
}

// Lang is the page's language code, for templates.
func (rq *req) Lang() string { return rq.lang }

// Link is link for templates.
func (rq *req) Link(p string, pairs ...string) string { return rq.link(p, pairs...) }
