package web

import (
	"bytes"
	"compress/gzip"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/locales"
	"github.com/qnstartup/trolykhoinghiep/places"
	"github.com/qnstartup/trolykhoinghiep/store"
	"golang.org/x/time/rate"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Searcher finds published public ideas by text: *bot.Bot satisfies it
// with the chat's own index.
type Searcher interface {
	// SearchIdeas returns up to limit idea IDs matching query, best first;
	// allow, if not nil, keeps only the candidates it accepts.
	SearchIdeas(query string, limit int, allow func(id uint64) bool) ([]uint64, error)
}

// Options configure the site.
type Options struct {
	Store   *store.Store
	Ideas   Searcher
	Locales *locales.Bundle
	// Places names localities (default places.Default()).
	Places *places.List
	// Sectors are the sector codes offered as filters, in order (default
	// bot.Sectors); labels are the bot's own ("sector.<code>"), as are
	// author kinds' ("kind.<code>").
	Sectors []string
	// PublicURL is the site's public base URL ("https://ytuong.example.vn"),
	// used only for canonical, OpenGraph, sitemap and feed URLs. Empty:
	// relative links.
	PublicURL string
	// TelegramBot is the bot's username (without @): idea pages link to
	// https://t.me/<bot>?start=idea_<code>. Empty: no Telegram button.
	TelegramBot string
	// ZaloOA is the Zalo Official Account ID or its link. Empty: no Zalo
	// button.
	ZaloOA string
	Log    *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
	// SearchRate and SearchBurst limit searches per client IP (default 2
	// a second, bursts of 20).
	SearchRate  rate.Limit
	SearchBurst int
	// ClientIPHeader names the header a trusted proxy puts the client's
	// address in ("Fly-Client-IP" on Fly.io, where every request comes
	// from the proxy). Empty: the connection's address. Set it only
	// behind such a proxy: anyone can send the header.
	ClientIPHeader string
}

// Site is the public web site of the open idea bank: an http.Handler.
type Site struct {
	opt     Options
	log     *slog.Logger
	pages   map[string]*template.Template
	static  map[string]asset
	cssHref string
	limits  *limiter
	// exporting holds the clients with an open-data download in flight:
	// one each, exportSlots in all.
	exportMu  sync.Mutex
	exporting map[string]bool
	msgs      sync.Map // lang + 0x00 + key → message without variables
}

type asset struct {
	body  []byte
	etag  string
	ctype string
}

// New builds the site. Mount it on the public listener with Mount.
func New(opt Options) (*Site, error) {
	if opt.Store == nil || opt.Ideas == nil || opt.Locales == nil {
		return nil, errors.New("web: Store, Ideas and Locales are required")
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Places == nil {
		opt.Places = places.Default()
	}
	if len(opt.Sectors) == 0 {
		opt.Sectors = bot.Sectors
	}
	if opt.SearchRate == 0 {
		opt.SearchRate = 2
	}
	if opt.SearchBurst == 0 {
		opt.SearchBurst = 20
	}
	opt.PublicURL = strings.TrimRight(opt.PublicURL, "/")
	if opt.PublicURL != "" {
		u, err := url.Parse(opt.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("web: PUBLIC_URL %q is not an http(s) URL", opt.PublicURL)
		}
	}
	s := &Site{opt: opt, log: opt.Log, static: map[string]asset{}, exporting: map[string]bool{}}
	s.limits = newLimiter(opt.SearchRate, opt.SearchBurst, opt.Now)
	if err := s.loadStatic(); err != nil {
		return nil, err
	}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	return s, nil
}

// Mount registers the site on mux for every path no other pattern claims
// (so POST /zalo/webhook can share the listener). Never mount /metrics or
// /healthz on the same mux: they belong to the operations listener.
func Mount(mux *http.ServeMux, s *Site) { mux.Handle("/", s) }

func (s *Site) loadStatic() error {
	return fs.WalkDir(staticFS, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(path)
		if err != nil {
			return err
		}
		ctype := "application/octet-stream"
		switch {
		case strings.HasSuffix(path, ".css"):
			ctype = "text/css; charset=utf-8"
		case strings.HasSuffix(path, ".png"):
			ctype = "image/png"
		case strings.HasSuffix(path, ".svg"):
			ctype = "image/svg+xml"
		case strings.HasSuffix(path, ".ico"):
			ctype = "image/x-icon"
		}
		name := strings.TrimPrefix(path, "static/")
		s.static[name] = asset{body: b, etag: etagOf(b), ctype: ctype}
		return nil
	})
}

func etagOf(b []byte) string {
	h := fnv.New64a()
	h.Write(b)
	return `"` + strconv.FormatUint(h.Sum64(), 36) + `"`
}

// ServeHTTP routes a request. Only GET and HEAD are served.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("web: panic", "path", r.URL.Path, "panic", v)
			s.plainError(w, s.request(r), http.StatusInternalServerError)
		}
	}()
	securityHeaders(w.Header(), s.opt.PublicURL)
	rq := s.request(r)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		s.errorPage(w, rq, http.StatusMethodNotAllowed)
		return
	}
	if len(r.URL.RawQuery) > maxRawQuery || len(r.URL.Path) > maxPath {
		s.errorPage(w, rq, http.StatusRequestURITooLong)
		return
	}
	p := r.URL.Path
	switch {
	case p == "/":
		s.home(w, rq)
	case p == "/ideas":
		s.ideas(w, rq)
	case strings.HasPrefix(p, "/ideas/"):
		s.idea(w, rq, strings.TrimPrefix(p, "/ideas/"))
	case p == "/events":
		s.events(w, rq)
	case p == "/events.ics":
		s.calendar(w, rq)
	case p == "/stats":
		s.stats(w, rq)
	case p == "/open-data":
		s.openData(w, rq)
	case p == "/open-data/ideas.csv":
		s.exportCSV(w, rq)
	case p == "/open-data/ideas.json":
		s.exportJSON(w, rq)
	case p == "/sitemap.xml":
		s.sitemap(w, rq)
	case strings.HasPrefix(p, "/sitemaps/"):
		s.sitemapPart(w, rq, strings.TrimPrefix(p, "/sitemaps/"))
	case p == "/robots.txt":
		s.robots(w, rq)
	case strings.HasPrefix(p, "/static/"):
		s.asset(w, r, strings.TrimPrefix(p, "/static/"))
	case p == "/favicon.ico":
		s.asset(w, r, "icon.svg")
	default:
		s.errorPage(w, rq, http.StatusNotFound)
	}
}

const (
	maxRawQuery = 1024
	maxPath     = 256
)

func securityHeaders(h http.Header, public string) {
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	if strings.HasPrefix(public, "https://") {
		// Browsers honour these over HTTPS only (and warn otherwise).
		h.Set("Strict-Transport-Security", "max-age=31536000")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
	}
}

func (s *Site) asset(w http.ResponseWriter, r *http.Request, name string) {
	a, ok := s.static[name]
	if !ok {
		s.errorPage(w, s.request(r), http.StatusNotFound)
		return
	}
	cache := "public, max-age=86400"
	if r.URL.Query().Get("v") != "" {
		cache = "public, max-age=31536000, immutable"
	}
	s.write(w, r, http.StatusOK, a.ctype, cache, a.body, a.etag)
}

// write sends a complete body with its ETag, answering 304 to a matching
// If-None-Match and compressing with gzip when the client accepts it.
func (s *Site) write(w http.ResponseWriter, r *http.Request, status int, ctype, cache string, body []byte, etag string) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	if cache != "" {
		h.Set("Cache-Control", cache)
	}
	h.Add("Vary", "Accept-Encoding")
	gz := len(body) > 512 && acceptsGzip(r) && !strings.HasPrefix(ctype, "image/png")
	if etag == "" && status == http.StatusOK {
		etag = etagOf(body)
	}
	if etag != "" {
		if gz {
			etag = strings.TrimSuffix(etag, `"`) + `-gz"`
		}
		h.Set("ETag", etag)
		if status == http.StatusOK && matchETag(r.Header.Get("If-None-Match"), etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	if gz {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
		zw.Write(body)
		zw.Close()
		body = buf.Bytes()
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		for _, p := range strings.Split(params, ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.TrimSpace(k) == "q" {
				q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				return err == nil && q > 0
			}
		}
		return true
	}
	return false
}

func matchETag(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// stream sends a long body (open data) as it is produced, compressed
// when the client accepts gzip.
func (s *Site) stream(w http.ResponseWriter, r *http.Request, ctype, cache string, fn func(io.Writer) error) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", cache)
	h.Add("Vary", "Accept-Encoding")
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return
	}
	var out io.Writer = w
	var zw *gzip.Writer
	if acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		zw, _ = gzip.NewWriterLevel(w, gzip.BestSpeed)
		out = zw
	}
	if err := fn(out); err != nil {
		s.log.Error("web: stream", "path", r.URL.Path, "err", err)
	}
	if zw != nil {
		zw.Close()
	}
}

// limiter is a per-IP token bucket for searches, forgetting idle clients.
type limiter struct {
	mu    sync.Mutex
	r     rate.Limit
	burst int
	now   func() time.Time
	ips   map[string]*visitor
	swept time.Time // the last sweep of idle visitors
}

type visitor struct {
	lim  *rate.Limiter
	seen time.Time
}

const maxVisitors = 20000

func newLimiter(r rate.Limit, burst int, now func() time.Time) *limiter {
	return &limiter{r: r, burst: burst, now: now, ips: map[string]*visitor{}}
}

// allow takes a token for ip, or says how long to wait for one.
func (l *limiter) allow(ip string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	v, ok := l.ips[ip]
	if !ok {
		if len(l.ips) >= maxVisitors {
			l.makeRoom(now)
		}
		v = &visitor{lim: rate.NewLimiter(l.r, l.burst)}
		l.ips[ip] = v
	}
	v.seen = now
	res := v.lim.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return false, d
	}
	return true, 0
}

// makeRoom frees a place in a full table. A visitor idle long enough to
// have refilled its bucket is no different from a new one, so those go
// first (at most one sweep a second); in a flood of addresses, any one
// goes. A new visitor is never refused for want of room.
func (l *limiter) makeRoom(now time.Time) {
	if now.Sub(l.swept) >= time.Second {
		l.swept = now
		full := time.Duration(float64(l.burst) / float64(l.r) * float64(time.Second))
		for k, o := range l.ips {
			if now.Sub(o.seen) > full {
				delete(l.ips, k)
			}
		}
	}
	for k := range l.ips {
		if len(l.ips) < maxVisitors {
			break
		}
		delete(l.ips, k)
	}
}

// clientIP is the address a client is limited by: its IP (from header,
// when a trusted proxy sets it), or for IPv6 its /64 network (one
// subscriber's addresses).
func clientIP(r *http.Request, header string) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if header != "" {
		if h := strings.TrimSpace(r.Header.Get(header)); net.ParseIP(h) != nil {
			host = h
		}
	}
	if ip := net.ParseIP(host); ip != nil && ip.To4() == nil {
		return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
	return host
}
