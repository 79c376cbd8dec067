package bot

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// floodGuard limits how fast one user can make the bot work.
type floodGuard struct {
	mu     sync.Mutex
	users  map[int64]*floodEntry
	pruned time.Time
}

type floodEntry struct {
	lim    *rate.Limiter
	warned time.Time
	seen   time.Time
}

// A user may send bursts of 20 and then 3 updates a second.
const (
	floodRate  = 3
	floodBurst = 20
)

func newFloodGuard() *floodGuard { return &floodGuard{users: map[int64]*floodEntry{}} }

func (f *floodGuard) entry(id int64, now time.Time) *floodEntry {
	e, ok := f.users[id]
	if !ok {
		e = &floodEntry{lim: rate.NewLimiter(floodRate, floodBurst)}
		f.users[id] = e
	}
	e.seen = now
	if now.Sub(f.pruned) > 10*time.Minute {
		for k, v := range f.users {
			if now.Sub(v.seen) > 10*time.Minute {
				delete(f.users, k)
			}
		}
		f.pruned = now
	}
	return e
}

func (f *floodGuard) allow(id int64, now time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.entry(id, now).lim.AllowN(now, 1)
}

// warn reports whether to tell the user to slow down (once a minute).
func (f *floodGuard) warn(id int64, now time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	e := f.entry(id, now)
	if now.Sub(e.warned) < time.Minute {
		return false
	}
	e.warned = now
	return true
}
