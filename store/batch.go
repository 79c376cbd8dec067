package store

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

// committer coalesces concurrent Batch calls into shared commits without
// a waiting window: a call arriving while no commit runs is committed at
// once; calls arriving during a commit wait for it and then share the next
// one. One fsync then serves everyone who came while the disk was busy.
// Work given to Soon rides along with the next commit, or commits on its
// own after SoonDelay when none comes.
type committer struct {
	db      *bolt.DB
	mu      sync.Mutex
	pending []*batchCall
	soon    []*batchCall // Soon's, for the next commit
	soonDue bool         // SoonDelay has passed since the first of them
	expect  int          // Batch calls announced by Expect and not yet made
	came    uint64       // announced calls made or withdrawn, ever
	timer   *time.Timer
	wake    chan struct{}
	quit    chan struct{}
	done    chan struct{}
	hook    atomic.Pointer[func() error]
}

// SetCommitHook makes every Batch commit call hook first; an error fails
// the commit for all its callers, as a crash or a failing disk would.
// Crash tests use it to stop the process between two commits; nil removes
// the hook.
func (s *Store) SetCommitHook(hook func() error) {
	if hook == nil {
		s.cm.hook.Store(nil)
		return
	}
	s.cm.hook.Store(&hook)
}

type batchCall struct {
	fn   func(*bolt.Tx) error
	err  chan error  // Batch's caller waits on it
	then func(error) // or, for Soon, the committer calls it
}

func (c *batchCall) report(err error) {
	if c.then != nil {
		c.then(err)
		return
	}
	c.err <- err
}

// SoonDelay is the longest Soon's work waits for another commit to join.
const SoonDelay = 2 * time.Millisecond

// ExpectWait is the longest a commit waits for the Batch calls Expect
// announced.
const ExpectWait = time.Millisecond

// maxBatch bounds how many calls share one transaction.
const maxBatch = 1000

func newCommitter(db *bolt.DB) *committer {
	c := &committer{db: db, wake: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{})}
	go c.loop()
	return c
}

// ErrClosed is returned for work given to a store that is closing.
var ErrClosed = errors.New("store is closed")

// do queues a call and waits for its commit; expected: it is one that
// Expect announced.
func (c *committer) do(fn func(*bolt.Tx) error, expected bool) error {
	call := &batchCall{fn: fn, err: make(chan error, 1)}
	c.mu.Lock()
	if expected && c.expect > 0 {
		c.expect--
		c.came++
	}
	select {
	case <-c.quit:
		c.mu.Unlock()
		return ErrClosed
	default:
	}
	c.pending = append(c.pending, call)
	c.mu.Unlock()
	c.poke()
	return <-call.err
}

func (c *committer) poke() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// expectCalls announces n calls (n > 0) or withdraws announced ones (n < 0).
func (c *committer) expectCalls(n int) {
	c.mu.Lock()
	if n < 0 {
		w := min(-n, c.expect)
		c.expect -= w
		c.came += uint64(w)
	} else {
		c.expect += n
	}
	c.mu.Unlock()
	if n < 0 {
		c.poke()
	}
}

// expected reports the announced calls outstanding and how many came so far.
func (c *committer) expected() (outstanding int, came uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pending) >= maxBatch {
		return 0, c.came
	}
	return c.expect, c.came
}

// gather waits, up to ExpectWait, for the calls announced when it starts
// (not for later ones: under a steady stream the wait still ends), and
// adds what came meanwhile to group.
func (c *committer) gather(group []*batchCall) []*batchCall {
	want, from := c.expected()
	if want == 0 {
		return group
	}
	waiting := func() bool {
		left, came := c.expected()
		return left > 0 && came-from < uint64(want)
	}
	t := time.NewTimer(ExpectWait)
	defer t.Stop()
	for waiting() {
		select {
		case <-c.wake:
		case <-t.C:
			return append(group, c.take(false)...)
		case <-c.quit:
			return group
		}
	}
	return append(group, c.take(false)...)
}

// soonDo queues fn for the next commit; then gets the commit's result.
func (c *committer) soonDo(fn func(*bolt.Tx) error, then func(error)) {
	c.mu.Lock()
	select {
	case <-c.quit:
		c.mu.Unlock()
		then(ErrClosed)
		return
	default:
	}
	c.soon = append(c.soon, &batchCall{fn: fn, then: then})
	if len(c.soon) == 1 {
		c.timer = time.AfterFunc(SoonDelay, c.soonTimer)
	}
	c.mu.Unlock()
}

func (c *committer) soonTimer() {
	c.mu.Lock()
	if len(c.soon) > 0 {
		c.soonDue = true
	}
	c.mu.Unlock()
	c.poke()
}

// take removes the next group: pending calls, with Soon's work when there
// are any or it is due (or everything is closing).
func (c *committer) take(closing bool) []*batchCall {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := min(len(c.pending), maxBatch)
	group := c.pending[:n:n]
	c.pending = c.pending[n:]
	if len(c.pending) == 0 {
		c.pending = nil
	}
	if len(c.soon) > 0 && (n > 0 || c.soonDue || closing) {
		group = append(group, c.soon...)
		c.soon, c.soonDue = nil, false
		c.timer.Stop()
	}
	return group
}

func (c *committer) loop() {
	defer close(c.done)
	for {
		if group := c.take(false); len(group) > 0 {
			c.commit(c.gather(group))
			continue
		}
		select {
		case <-c.wake:
		case <-c.quit:
			// Soon's work is committed; callers still arriving are refused.
			c.mu.Lock()
			rest := c.pending
			c.pending = nil
			c.mu.Unlock()
			for _, call := range rest {
				call.err <- ErrClosed
			}
			if group := c.take(true); len(group) > 0 {
				c.commit(group)
			}
			return
		}
	}
}

// commit runs a group in one transaction. A call that fails is taken out
// and run on its own, so its error is its own and the rest still commit
// together (each function may therefore run more than once).
func (c *committer) commit(group []*batchCall) {
	if h := c.hook.Load(); h != nil {
		if err := (*h)(); err != nil {
			for _, call := range group {
				call.report(err)
			}
			return
		}
	}
	for len(group) > 0 {
		failed := -1
		err := c.db.Update(func(tx *bolt.Tx) error {
			for i, call := range group {
				if err := safeCall(call.fn, tx); err != nil {
					failed = i
					return err
				}
			}
			return nil
		})
		if failed < 0 {
			for _, call := range group {
				call.report(err) // nil, or a commit failure shared by all
			}
			return
		}
		solo := group[failed]
		group = append(group[:failed:failed], group[failed+1:]...)
		solo.report(c.db.Update(func(tx *bolt.Tx) error { return safeCall(solo.fn, tx) }))
	}
}

func safeCall(fn func(*bolt.Tx) error, tx *bolt.Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in transaction: %v", p)
		}
	}()
	return fn(tx)
}

func (c *committer) close() {
	c.mu.Lock()
	select {
	case <-c.quit:
	default:
		close(c.quit)
	}
	c.mu.Unlock()
	<-c.done
}
