package web_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// stuckWriter is a client that takes no data: each write waits until
// release, and the write deadlines the site sets are recorded.
type stuckWriter struct {
	hdr       http.Header
	entered   chan struct{}
	release   chan struct{}
	once      sync.Once
	mu        sync.Mutex
	deadlines []time.Time
}

func newStuckWriter() *stuckWriter {
	return &stuckWriter{hdr: http.Header{}, entered: make(chan struct{}), release: make(chan struct{})}
}

func (w *stuckWriter) Header() http.Header { return w.hdr }
func (w *stuckWriter) WriteHeader(int)     {}
func (w *stuckWriter) Write(p []byte) (int, error) {
	w.once.Do(func() { close(w.entered) })
	<-w.release
	return len(p), nil
}
func (w *stuckWriter) SetWriteDeadline(t time.Time) error {
	w.mu.Lock()
	w.deadlines = append(w.deadlines, t)
	w.mu.Unlock()
	return nil
}

// TestDownloadSlots: a client holds one open-data download at a time, the
// site a few; each write is given a deadline, so a client that stops
// reading is cut off instead of holding its slot.
func TestDownloadSlots(t *testing.T) {
	f := newFixture(t)
	request := func(ip string) *http.Request {
		r := httptest.NewRequest(http.MethodGet, "/open-data/ideas.json", nil)
		r.RemoteAddr = ip + ":5555"
		return r
	}
	var stuck []*stuckWriter
	var wg sync.WaitGroup
	defer func() {
		for _, w := range stuck {
			close(w.release)
		}
		wg.Wait()
	}()
	hold := func(ip string) *stuckWriter {
		w := newStuckWriter()
		stuck = append(stuck, w)
		wg.Add(1)
		go func() { defer wg.Done(); f.h.ServeHTTP(w, request(ip)) }()
		select {
		case <-w.entered:
		case <-time.After(5 * time.Second):
			t.Fatalf("the download for %s did not start", ip)
		}
		return w
	}
	status := func(ip string) (int, string) {
		w := httptest.NewRecorder()
		f.h.ServeHTTP(w, request(ip))
		return w.Code, w.Header().Get("Retry-After")
	}

	before := time.Now()
	w := hold("198.51.100.1")
	w.mu.Lock()
	if len(w.deadlines) == 0 || w.deadlines[0].Before(before) || w.deadlines[0].After(time.Now().Add(time.Minute)) {
		t.Errorf("write deadlines %v, want one within a minute", w.deadlines)
	}
	w.mu.Unlock()
	if code, retry := status("198.51.100.1"); code != http.StatusServiceUnavailable || retry == "" {
		t.Fatalf("second download of one client: %d, Retry-After %q; want 503 with Retry-After", code, retry)
	}
	if code, _ := status("198.51.100.2"); code != http.StatusOK {
		t.Fatalf("another client: %d, want 200", code)
	}
	// Every slot taken by other clients: the next one waits.
	hold("198.51.100.2")
	hold("198.51.100.3")
	hold("198.51.100.4")
	if code, _ := status("198.51.100.5"); code != http.StatusServiceUnavailable {
		t.Fatalf("with every slot taken: %d, want 503", code)
	}
	// A slot given back is free again.
	close(stuck[0].release)
	stuck = stuck[1:]
	deadline := time.Now().Add(5 * time.Second)
	for {
		code, _ := status("198.51.100.1")
		if code == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the freed slot was not given back: %d", code)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
