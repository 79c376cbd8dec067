package ops

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestHandler(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "test_total", Help: "x"})
	reg.MustRegister(c)
	c.Add(3)
	var health, zalo error
	srv := httptest.NewServer(Handler(reg, Check{"telegram", func() error { return health }}, Check{"zalo", func() error { return zalo }}))
	defer srv.Close()
	get := func(path string) (int, string) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/healthz"); code != 200 || !strings.Contains(body, "telegram: ok") || !strings.Contains(body, "zalo: ok") {
		t.Errorf("healthy: %d %q", code, body)
	}
	// One channel down: still serving the other, and saying so.
	zalo = errors.New("token refresh failed")
	if code, body := get("/healthz"); code != 200 || !strings.Contains(body, "zalo: unhealthy: token refresh failed") {
		t.Errorf("one channel down: %d %q", code, body)
	}
	health = errors.New("polling stalled")
	if code, body := get("/healthz"); code != 503 || !strings.Contains(body, "stalled") {
		t.Errorf("unhealthy: %d %q", code, body)
	}
	if code, body := get("/metrics"); code != 200 || !strings.Contains(body, "test_total 3") {
		t.Errorf("metrics: %d %q", code, body)
	}
}
