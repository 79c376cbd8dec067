package store

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"
)

// committer coalesces concurrent Batch calls into shared commits without
// a waiting window: a call arriving while no commit runs is committed at
// once; calls arriving during a commit wait for it and then share the next
// one. One fsync then serves everyone who came while the disk was busy.
type committer struct {
	db      *bolt.DB
	mu      sync.Mutex
	pending []*batchCall
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
	fn  func(*bolt.Tx) error
	err chan error
}

// maxBatch bounds how many calls share one transaction.
const maxBatch = 1000

func newCommitter(db *bolt.DB) *committer {
	c := &committer{db: db, wake: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{})}
	go c.loop()
	return c
}

var errClosed = errors.New("store is closed")

func (c *committer) do(fn func(*bolt.Tx) error) error {
	call := &batchCall{fn: fn, err: make(chan error, 1)}
	c.mu.Lock()
	select {
	case <-c.quit:
		c.mu.Unlock()
		return errClosed
	default:
	}
	c.pending = append(c.pending, call)
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
	return <-call.err
}

func (c *committer) loop() {
	defer close(c.done)
	for {
		c.mu.Lock()
		n := min(len(c.pending), maxBatch)
		group := c.pending[:n:n]
		c.pending = c.pending[n:]
		if len(c.pending) == 0 {
			c.pending = nil
		}
		c.mu.Unlock()
		if len(group) > 0 {
			c.commit(group)
			continue
		}
		select {
		case <-c.wake:
		case <-c.quit:
			c.mu.Lock()
			rest := c.pending
			c.pending = nil
			c.mu.Unlock()
			for _, call := range rest {
				call.err <- errClosed
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
				call.err <- err
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
				call.err <- err // nil, or a commit failure shared by all
			}
			return
		}
		solo := group[failed]
		group = append(group[:failed:failed], group[failed+1:]...)
		solo.err <- c.db.Update(func(tx *bolt.Tx) error { return safeCall(solo.fn, tx) })
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
