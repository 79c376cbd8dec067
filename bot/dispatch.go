package bot

import (
	"context"
	"errors"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// dispatcher hands updates to shard workers: one chat's updates in order
// (a chat always goes to the same shard), different chats at once, and a
// slow chat never holds up the others' shards. It tracks which updates are
// still unfinished so the poll loop acknowledges to Telegram only below the
// oldest of them.
type dispatcher struct {
	b        *Bot
	ctx      context.Context
	queues   []chan *Update
	wg       sync.WaitGroup
	progress chan struct{} // signalled after every finished update

	mu    sync.Mutex
	known map[int64]bool // queued or being handled
	done  map[int64]bool // finished, still at or above the acknowledged offset
}

// errAbandoned reports an update left unhandled because the bot is
// stopping: it is not acknowledged, so Telegram delivers it again.
var errAbandoned = errors.New("abandoned at shutdown")

func (b *Bot) startDispatcher(ctx context.Context) *dispatcher {
	d := &dispatcher{
		b: b, ctx: ctx, queues: make([]chan *Update, b.opt.Shards), progress: make(chan struct{}, 1),
		known: map[int64]bool{}, done: map[int64]bool{},
	}
	for i := range d.queues {
		q := make(chan *Update, 256)
		d.queues[i] = q
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			for u := range q {
				if ctx.Err() != nil {
					continue // left unacknowledged: redelivered after restart
				}
				if d.handle(u) {
					d.finish(u.ID)
				}
			}
		}()
	}
	return d
}

// handle runs one update, retrying with backoff while the store fails: an
// update whose effects are not committed must not be acknowledged. It
// reports whether the update is finished; if not, it stays unacknowledged
// and Telegram delivers it again after a restart.
func (d *dispatcher) handle(u *Update) bool {
	for n := 0; ; n++ {
		err := d.b.Handle(d.ctx, u)
		switch {
		case err == nil:
			return true
		case errors.Is(err, errAbandoned):
			return false
		}
		d.b.log.Error("handle update", "update_id", u.ID, "attempt", n+1, "err", err)
		if n == 4 {
			return false
		}
		select {
		case <-d.ctx.Done():
			return false
		case <-time.After(Backoff(n)):
		}
	}
}

// submit queues an update unless it is already queued, being handled, or
// finished; it reports whether the update was new.
func (d *dispatcher) submit(u *Update) bool {
	d.mu.Lock()
	if d.known[u.ID] || d.done[u.ID] {
		d.mu.Unlock()
		return false
	}
	d.known[u.ID] = true
	d.mu.Unlock()
	d.queues[int(uint64(u.ChatID)%uint64(len(d.queues)))] <- u
	return true
}

func (d *dispatcher) finish(id int64) {
	d.mu.Lock()
	delete(d.known, id)
	d.done[id] = true
	d.mu.Unlock()
	select {
	case d.progress <- struct{}{}:
	default:
	}
}

// ack returns the offset to acknowledge: the oldest unfinished update, or
// next when everything fetched is finished. Finished IDs below it are
// forgotten.
func (d *dispatcher) ack(next int64) int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	for id := range d.known {
		if id < next {
			next = id
		}
	}
	for id := range d.done {
		if id < next {
			delete(d.done, id)
		}
	}
	return next
}

// busy reports whether updates are queued or being handled.
func (d *dispatcher) busy() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.known) > 0
}

// stop waits for the workers to finish their current update; queued ones
// are dropped (unacknowledged). Call it after ctx has ended.
func (d *dispatcher) stop() {
	for _, q := range d.queues {
		close(q)
	}
	d.wg.Wait()
}

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
