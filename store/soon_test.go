package store

import (
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// Soon's work rides along with the next commit, commits on its own when
// none comes within SoonDelay, and is committed at Close.
func TestSoon(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bot.db")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	var commits atomic.Int64
	s.SetCommitHook(func() error { commits.Add(1); return nil })
	put := func(key string, done chan error) {
		s.Soon(func(tx *Tx) error { return tx.tx.Bucket(bucketMeta).Put([]byte(key), []byte("1")) }, func(err error) { done <- err })
	}
	has := func(s *Store, key string) bool {
		ok := false
		s.View(func(tx *Tx) error { ok = tx.tx.Bucket(bucketMeta).Get([]byte(key)) != nil; return nil })
		return ok
	}

	// Alone: committed after SoonDelay.
	done := make(chan error, 1)
	start := time.Now()
	put("alone", done)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < SoonDelay {
		t.Errorf("committed after %v, before SoonDelay", waited)
	}
	if !has(s, "alone") || commits.Load() != 1 {
		t.Fatalf("alone: stored %v in %d commits", has(s, "alone"), commits.Load())
	}

	// With a Batch: one commit for both.
	put("along", done)
	if err := s.Batch(func(tx *Tx) error { return tx.tx.Bucket(bucketMeta).Put([]byte("batch"), []byte("1")) }); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !has(s, "along") || commits.Load() != 2 {
		t.Fatalf("along: stored %v in %d commits, want 2 in all", has(s, "along"), commits.Load())
	}

	// At Close: committed before the file closes, and refused after.
	s.SetCommitHook(nil)
	put("closing", done)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	s.Soon(func(*Tx) error { return nil }, func(err error) { done <- err })
	if err := <-done; err != ErrClosed {
		t.Errorf("Soon after Close: %v, want ErrClosed", err)
	}
	s2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if !has(s2, "closing") {
		t.Error("work given to Soon before Close was lost")
	}
}

// Calls announced by Expect share one commit though they come apart; one
// withdrawn does not hold the commit; one that never comes holds it at
// most ExpectWait.
func TestExpect(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "bot.db"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var commits atomic.Int64
	s.SetCommitHook(func() error { commits.Add(1); return nil })
	nop := func(*Tx) error { return nil }

	// waitExpect waits until n announced calls are still to come.
	waitExpect := func(n int) {
		for {
			s.cm.mu.Lock()
			e := s.cm.expect
			s.cm.mu.Unlock()
			if e == n {
				return
			}
			time.Sleep(10 * time.Microsecond)
		}
	}
	s.Expect(3)
	done := make(chan error, 2)
	go func() { done <- s.BatchExpected(nop) }()
	waitExpect(2)
	go func() { done <- s.BatchExpected(nop) }()
	waitExpect(1)
	s.Unexpect()
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if n := commits.Load(); n != 1 {
		t.Errorf("two announced calls took %d commits, want 1", n)
	}

	s.Expect(1) // never comes
	start := time.Now()
	if err := s.Batch(nop); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 50*ExpectWait {
		t.Errorf("a commit waited %v for an announced call", d)
	}
	s.Unexpect()
}
