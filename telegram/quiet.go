package telegram

import (
	"log/slog"
	"sync"
	"time"
)

// quietLog writes at most one line per kind per period, with a count of
// the lines it held back: a server answering garbage hundreds of times a
// second fills no disk.
type quietLog struct {
	log    *slog.Logger
	period time.Duration
	mu     sync.Mutex
	last   map[string]time.Time
	held   map[string]int
}

func newQuietLog(log *slog.Logger, period time.Duration) *quietLog {
	return &quietLog{log: log, period: period, last: map[string]time.Time{}, held: map[string]int{}}
}

func (q *quietLog) pass(kind string) (int, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	now := time.Now()
	if t, ok := q.last[kind]; ok && now.Sub(t) < q.period {
		q.held[kind]++
		return 0, false
	}
	q.last[kind] = now
	n := q.held[kind]
	q.held[kind] = 0
	return n, true
}

func (q *quietLog) Warn(kind, msg string, args ...any) {
	if n, ok := q.pass(kind); ok {
		q.log.Warn(msg, append(args, "repeats_held_back", n)...)
	}
}

func (q *quietLog) Error(kind, msg string, args ...any) {
	if n, ok := q.pass(kind); ok {
		q.log.Error(msg, append(args, "repeats_held_back", n)...)
	}
}
