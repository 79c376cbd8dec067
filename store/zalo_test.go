package store

import (
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func TestZaloTokens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bot.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := s.LoadZaloTokens(); !errors.Is(err, ErrNotFound) {
			t.Fatalf("err = %v, want ErrNotFound", err)
		}
	})
	t.Run("EmptyRefused", func(t *testing.T) {
		for _, tok := range []ZaloTokens{{Access: "a"}, {Refresh: "r"}} {
			if err := s.SaveZaloTokens(tok); err == nil {
				t.Fatalf("saved %+v", tok)
			}
		}
		if _, err := s.LoadZaloTokens(); !errors.Is(err, ErrNotFound) {
			t.Fatalf("err = %v, want ErrNotFound", err)
		}
	})
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	want := ZaloTokens{Access: "a1", Refresh: "r1", Obtained: now, Expires: now.Add(25 * time.Hour), Seed: "seed"}
	t.Run("OK", func(t *testing.T) {
		if err := s.SaveZaloTokens(want); err != nil {
			t.Fatal(err)
		}
		next := want
		next.Access, next.Refresh = "a2", "r2"
		if err := s.SaveZaloTokens(next); err != nil {
			t.Fatal(err)
		}
		want = next
	})
	t.Run("Reopened", func(t *testing.T) {
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		s, err = Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		got, err := s.LoadZaloTokens()
		if err != nil {
			t.Fatal(err)
		}
		if got.Access != want.Access || got.Refresh != want.Refresh || got.Seed != want.Seed ||
			!got.Expires.Equal(want.Expires) || !got.Obtained.Equal(want.Obtained) {
			t.Fatalf("got %+v, want %+v", got, want)
		}
	})
}
