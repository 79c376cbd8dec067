package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDemoTwice runs the demo twice in the same folder: the second run's
// fake server restarts update IDs where the first began, and the bot,
// with the first run's database, still answers.
func TestDemoTwice(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TELEGRAM_BOT_TOKEN", "")
	t.Setenv("DB_PATH", filepath.Join(dir, "demo.db"))
	t.Setenv("HTTP_ADDR", "127.0.0.1:0")
	for run := 1; run <= 2; run++ {
		first := "/start"
		if run == 1 {
			// The first run says one thing more, so no update of the second
			// run has the ID and the contents of one of the first (which
			// would be taken for a redelivery).
			first = "xin chào\n/start"
		}
		in := strings.NewReader(strings.Join([]string{
			first,
			"1",
			"tham gia ngay hoi khoi nghiep duoc ho tro bao nhieu",
			"!quit",
		}, "\n"))
		var out bytes.Buffer
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		err := run2(ctx, in, &out)
		cancel()
		if err != nil {
			t.Fatalf("run %d: %v\n%s", run, err, out.String())
		}
		if !strings.Contains(out.String(), "8 triệu") {
			t.Fatalf("run %d answered nothing:\n%s", run, out.String())
		}
	}
}

func run2(ctx context.Context, in *strings.Reader, out *bytes.Buffer) error {
	return run(ctx, nil, in, out, &bytes.Buffer{})
}
