package web_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// The browser tests load pages in Debian's headless Chromium through a
// recording proxy that serves the site for the host site.test and refuses
// every other host. They fail on a request to another host, a response
// of 400 or more, or a console message; they save screenshots under
// testdata/screenshots/ for review.

const chromium = "/usr/bin/chromium"

type proxy struct {
	site    http.Handler
	mu      sync.Mutex
	foreign []string
	failed  []string
	seen    []string
	service int
}

func browserService(host string) bool {
	for _, d := range []string{".google.com", ".googleapis.com", ".gvt1.com", ".gstatic.com"} {
		if strings.HasSuffix("."+host, d) {
			return true
		}
	}
	return false
}

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r.Method == http.MethodConnect || r.URL.Host != "site.test" {
		host := r.URL.Hostname()
		if r.Method == http.MethodConnect {
			host, _, _ = net.SplitHostPort(r.Host)
		}
		// Chromium's own service traffic (sign-in, time, autofill) is not
		// the page's: no page of the site names these hosts (TestPageWeight
		// checks every resource link is relative).
		if browserService(host) && !strings.HasPrefix(r.Referer(), "http://site.test") {
			p.service++
		} else {
			p.foreign = append(p.foreign, r.Method+" "+r.URL.String()+" "+r.Host)
		}
		http.Error(w, "no other host", http.StatusForbidden)
		return
	}
	r.RequestURI = r.URL.RequestURI()
	rec := httptest.NewRecorder()
	p.site.ServeHTTP(rec, r)
	p.seen = append(p.seen, r.URL.Path)
	if rec.Code >= 400 {
		p.failed = append(p.failed, fmt.Sprintf("%s → %d", r.URL, rec.Code))
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Skip("Chromium not installed (apt-get install -y chromium): browser tests skipped")
	}
	f := newFixture(t)
	site := newSite(t, f.st, "http://site.test")
	px := &proxy{site: site}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: px}
	go srv.Serve(ln)
	defer srv.Close()
	dir := filepath.Join("testdata", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	targets := map[string]string{
		"home":   "/",
		"ideas":  "/ideas?q=may+say+nong+san",
		"idea":   "/ideas/" + code(f.ids["dryer"]),
		"events": "/events",
		"stats":  "/stats?lang=en",
		"open":   "/open-data",
		"404":    "/ideas/" + code(f.ids["private"]),
	}
	console := regexp.MustCompile(`(?m)^.*:CONSOLE[:(].*$`)
	sem := make(chan struct{}, 2)
	var wg sync.WaitGroup
	for name, target := range targets {
		for _, width := range []int{360, 1280} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				shot, err := filepath.Abs(filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, width)))
				if err != nil {
					t.Error(err)
					return
				}
				ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
				defer cancel()
				cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
					"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
					"--disable-default-apps", "--disable-extensions", "--no-default-browser-check", "--hide-scrollbars",
					"--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication,NetworkTimeServiceQuerying,CertificateTransparencyComponentUpdater",
					"--disable-client-side-phishing-detection", "--disable-domain-reliability", "--no-pings", "--safebrowsing-disable-auto-update", "--disable-breakpad",
					"--user-data-dir="+t.TempDir(), "--proxy-server=http://"+ln.Addr().String(), "--proxy-bypass-list=<-loopback>",
					"--enable-logging=stderr", "--v=0", "--log-level=0",
					fmt.Sprintf("--window-size=%d,900", width), "--screenshot="+shot, "http://site.test"+target)
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Errorf("%s at %d px: chromium: %v\n%s", name, width, err, out)
					return
				}
				if m := console.FindAllString(string(out), -1); len(m) > 0 {
					t.Errorf("%s at %d px: console messages:\n%s", name, width, strings.Join(m, "\n"))
				}
				if st, err := os.Stat(shot); err != nil || st.Size() < 2000 {
					t.Errorf("%s at %d px: no screenshot (%v)", name, width, err)
				}
			}()
		}
	}
	wg.Wait()
	px.mu.Lock()
	defer px.mu.Unlock()
	if len(px.foreign) > 0 {
		t.Errorf("requests to other hosts:\n%s", strings.Join(px.foreign, "\n"))
	}
	if len(px.failed) > 0 && !(len(px.failed) == 2 && strings.Contains(px.failed[0], "/ideas/")) {
		t.Errorf("failed requests (only the two 404 page loads are expected):\n%s", strings.Join(px.failed, "\n"))
	}
	t.Logf("%d page requests served; %d requests of Chromium's own services refused", len(px.seen), px.service)
	css := 0
	for _, p := range px.seen {
		if p == "/static/site.css" {
			css++
		}
	}
	if css == 0 {
		t.Errorf("the stylesheet was never loaded: %v", px.seen)
	}
}
