package zalo

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/qnstartup/trolykhoinghiep/bot"
)

var _ bot.Downloader = (*Channel)(nil)

func TestDownload(t *testing.T) {
	files := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/small.md":
			w.Write([]byte("# Quyết định"))
		case "/chunked":
			w.(http.Flusher).Flush() // no Content-Length
			w.Write([]byte(strings.Repeat("x", 100)))
		default:
			http.NotFound(w, r)
		}
	}))
	defer files.Close()
	e := newEnv(t, nil)
	tests := []struct {
		name string
		ref  string
		max  int64
		want string
		ok   bool
	}{
		{"OK", files.URL + "/small.md", 100, "# Quyết định", true},
		{"TooLargeDeclared", files.URL + "/small.md", 5, "", false},
		{"TooLargeStreamed", files.URL + "/chunked", 50, "", false},
		{"Streamed", files.URL + "/chunked", 100, strings.Repeat("x", 100), true},
		{"NotFound", files.URL + "/nope", 100, "", false},
		{"FileID", "AgACAgIAAxkBAAIB", 100, "", false},
		{"FileScheme", "file:///etc/passwd", 100, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.ch.Download(context.Background(), tt.ref, tt.max)
			if (err == nil) != tt.ok || string(got) != tt.want {
				t.Fatalf("got %q, %v", got, err)
			}
		})
	}
	if n := len(e.fake.Calls()); n != 0 {
		t.Fatalf("%d calls to the OA API", n)
	}
}
