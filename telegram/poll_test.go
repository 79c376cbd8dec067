package telegram_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/telegram"
	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
)

var lan = telegramtest.User{ID: 101, FirstName: "Lan", LanguageCode: "vi"}

// inbox records what the poll loop commits, once per key, as the bot's
// inbox does.
type inbox struct {
	mu    sync.Mutex
	keys  map[string]bool
	texts []string
	calls int
}

func (in *inbox) Accept(_ context.Context, ups []*bot.Update) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.calls++
	for _, u := range ups {
		if in.keys[u.Key] {
			continue
		}
		in.keys[u.Key] = true
		in.texts = append(in.texts, u.Text)
	}
	return nil
}

func (in *inbox) got() []string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]string(nil), in.texts...)
}

// logBuffer collects log lines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) count(sub string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.b.String(), sub)
}

func (l *logBuffer) lines() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.b.String(), "\n")
}

type pollRig struct {
	srv  *telegramtest.Server
	in   *inbox
	logs *logBuffer
	stop func() error
}

// startPoll runs the real poll loop against a fake server.
func startPoll(t *testing.T) *pollRig {
	t.Helper()
	r := &pollRig{srv: telegramtest.Start(t), in: &inbox{keys: map[string]bool{}}, logs: &logBuffer{}}
	ctx, cancel := context.WithCancel(context.Background())
	ch, err := telegram.New(ctx, telegram.Options{
		Token: r.srv.Token(), Endpoint: r.srv.Endpoint(), PollTimeout: time.Second,
		Log: slog.New(slog.NewTextHandler(r.logs, nil)),
	})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- ch.Poll(ctx, r.in) }()
	r.stop = sync.OnceValue(func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(5 * time.Second):
			t.Error("poll loop did not stop")
			return nil
		}
	})
	t.Cleanup(func() { r.stop() })
	return r
}

// waitTexts waits until the inbox holds n updates.
func (r *pollRig) waitTexts(t *testing.T, n int) []string {
	t.Helper()
	ok := r.srv.WaitFor(10*time.Second, func(*telegramtest.Server) bool { return len(r.in.got()) >= n })
	got := r.in.got()
	if !ok {
		t.Fatalf("inbox has %d updates %q, want %d", len(got), got, n)
	}
	return got
}

// TestPollAfterUpdateIDReset: update IDs restart lower (a new fake
// server, as in the demo) or at a random value (Telegram after a quiet
// week), and every later update still reaches the inbox, once.
func TestPollAfterUpdateIDReset(t *testing.T) {
	for _, tc := range []struct {
		name  string
		reset func(*telegramtest.Server)
	}{
		{"down", func(s *telegramtest.Server) { s.ResetUpdateIDs(1) }},
		{"random", func(s *telegramtest.Server) { s.RandomUpdateIDs() }},
		{"random-low", func(s *telegramtest.Server) { s.ResetUpdateIDs(17) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := startPoll(t)
			for _, s := range []string{"a", "b", "c"} {
				r.srv.SendText(lan, s)
			}
			r.waitTexts(t, 3)
			if !r.srv.WaitUpdatesConsumed(10 * time.Second) {
				t.Fatal("first updates not confirmed")
			}
			tc.reset(r.srv)
			r.srv.SendText(lan, "d")
			r.srv.SendText(lan, "e")
			got := r.waitTexts(t, 5)
			if strings.Join(got, "") != "abcde" {
				t.Fatalf("inbox = %q", got)
			}
			// And again, with the loop in its steady state.
			r.srv.SendText(lan, "f")
			if got := r.waitTexts(t, 6); got[5] != "f" {
				t.Fatalf("inbox = %q", got)
			}
		})
	}
}

// observe lets two polls pass (the first answers may be useful), then
// starts the clock at the next poll, waits for n more and returns how long
// they took: n intervals between polls, so at ≤ 2/s at least n/2 s.
func (r *pollRig) observe(t *testing.T, n int) time.Duration {
	t.Helper()
	r.srv.WaitFor(30*time.Second, func(s *telegramtest.Server) bool { return s.Polls() >= 2 })
	before := r.srv.Polls()
	r.srv.WaitFor(30*time.Second, func(s *telegramtest.Server) bool { return s.Polls() > before })
	start, first := time.Now(), r.srv.Polls()
	if !r.srv.WaitFor(30*time.Second, func(s *telegramtest.Server) bool { return s.Polls() >= first+n }) {
		t.Fatalf("fewer than %d polls in 30s", n)
	}
	return time.Since(start)
}

// TestPollNothingUseful: a server answering getUpdates at once with
// nothing, with a result that is not a list, with an update without a
// numeric update_id, or with the same updates whatever the offset, is
// asked at most twice a second, and each kind of fault is logged once a
// minute at most.
func TestPollNothingUseful(t *testing.T) {
	const polls = 6 // at ≤ 2/s they take ≥ 3s
	for _, tc := range []struct {
		name  string
		setup func(*telegramtest.Server)
		log   string // the line logged once
	}{
		{"instant-empty", func(s *telegramtest.Server) { s.SetInstant(true) }, ""},
		{"object-result", func(s *telegramtest.Server) { s.SetResult(json.RawMessage(`{"update_id":1}`)) }, "not a list"},
		{"string-result", func(s *telegramtest.Server) { s.SetResult(json.RawMessage(`"ok"`)) }, "not a list"},
		{"non-numeric-id", func(s *telegramtest.Server) {
			s.SetInstant(true)
			s.SendRaw(json.RawMessage(`{"update_id":"abc","message":{"message_id":1,"date":1,"chat":{"id":101,"type":"private"},"from":{"id":101,"first_name":"Lan"},"text":"x"}}`))
		}, "numeric update_id"},
		{"same-batch", func(s *telegramtest.Server) {
			s.SetInstant(true)
			s.SendText(lan, "once")
			s.SetResult(json.RawMessage(`[{"update_id":5,"message":{"message_id":1,"date":1,"chat":{"id":101,"type":"private"},"from":{"id":101,"first_name":"Lan"},"text":"again"}}]`))
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := startPoll(t)
			tc.setup(r.srv)
			took := r.observe(t, polls)
			if rate := float64(polls) / took.Seconds(); rate > 2.05 {
				t.Errorf("%.1f polls/s, want ≤ 2", rate)
			}
			if tc.log != "" {
				if n := r.logs.count(tc.log); n != 1 {
					t.Errorf("%d lines with %q, want 1:\n%s", n, tc.log, r.logs.b.String())
				}
			}
			if n := r.logs.lines(); n > 2 {
				t.Errorf("%d log lines:\n%s", n, r.logs.b.String())
			}
		})
	}
}

// TestPollStopsAtOnce: cancelling the context ends a waiting long poll.
func TestPollStopsAtOnce(t *testing.T) {
	r := startPoll(t)
	if !r.srv.WaitFor(5*time.Second, func(s *telegramtest.Server) bool { return s.Polling() }) {
		t.Fatal("no long poll")
	}
	if err := r.stop(); err != nil {
		t.Fatalf("Poll = %v", err)
	}
}

// TestPoll429WithoutRetryAfter: a 429 on getUpdates that names no wait
// backs off like any failure instead of polling again at once; the
// updates come through once it passes.
func TestPoll429WithoutRetryAfter(t *testing.T) {
	r := startPoll(t)
	r.srv.Inject("getUpdates", telegramtest.Fault{Code: 429, Description: "Too Many Requests", Times: 3})
	time.Sleep(1200 * time.Millisecond) // backoff 0.5 s, then 1 s
	if n := len(r.srv.CallsTo("getUpdates")); n > 3 {
		t.Fatalf("%d getUpdates calls in 1.2 s after 429s without retry_after, want ≤ 3", n)
	}
	r.srv.SendText(lan, "xin chào")
	r.waitTexts(t, 1)
}
