package store

import (
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// MustOpen opens a database in a temporary directory and checks its
// consistency when the test ends.
func MustOpen(tb testing.TB) *Store {
	tb.Helper()
	s, err := Open(filepath.Join(tb.TempDir(), "bot.db"), Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := s.Check(); err != nil {
			tb.Errorf("consistency: %v", err)
		}
		s.Close()
	})
	return s
}

func TestOpenLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bot.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	_, err = Open(path, Options{Timeout: 100 * time.Millisecond})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second open: %v, want ErrLocked", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Fatal("second open waited too long")
	}
}

func TestUser(t *testing.T) {
	s := MustOpen(t)
	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := s.User(1); !errors.Is(err, ErrNotFound) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("OK", func(t *testing.T) {
		u := &User{ID: 1, FirstName: "Lan", Lang: "vi", Interests: []string{"agri"}, Subscribed: true}
		if err := s.Update(func(tx *Tx) error { return tx.PutUser(u) }); err != nil {
			t.Fatal(err)
		}
		got, err := s.User(1)
		if err != nil || got.FirstName != "Lan" || got.Interests[0] != "agri" {
			t.Fatalf("got %+v, %v", got, err)
		}
		if err := s.SetInactive(1, true); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.User(1); !got.Inactive {
			t.Fatal("not inactive")
		}
		if s.CountUsers() != 1 {
			t.Fatal("count")
		}
	})
}

func TestStateIdleIsDeleted(t *testing.T) {
	s := MustOpen(t)
	err := s.Update(func(tx *Tx) error {
		return tx.PutState(&State{ChatID: 5, Flow: "idea", Step: "title", Draft: map[string]string{"title": "Trà"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	s.View(func(tx *Tx) error {
		st, _ := tx.State(5)
		if st.Flow != "idea" || st.Draft["title"] != "Trà" {
			t.Errorf("state %+v", st)
		}
		return nil
	})
	s.Update(func(tx *Tx) error { return tx.PutState(&State{ChatID: 5}) })
	s.View(func(tx *Tx) error {
		if tx.tx.Bucket(bucketStates).Get(i64(5)) != nil {
			t.Error("idle state kept")
		}
		return nil
	})
}

func TestHandledAndOffset(t *testing.T) {
	s := MustOpen(t)
	s.Update(func(tx *Tx) error { return tx.MarkHandled(100) })
	if !s.Handled(100) || s.Handled(101) {
		t.Fatal("handled marks")
	}
	if err := s.Acknowledge(20000); err != nil {
		t.Fatal(err)
	}
	if s.Offset() != 20000 {
		t.Fatalf("offset %d", s.Offset())
	}
	// Far below the acknowledged offset: pruned, but still reported handled.
	if !s.Handled(100) || !s.Handled(5) {
		t.Fatal("old updates must count as handled")
	}
	s.View(func(tx *Tx) error {
		if tx.tx.Bucket(bucketHandled).Get(i64(100)) != nil {
			t.Error("old mark not pruned")
		}
		return nil
	})
	// The offset never goes back.
	s.Acknowledge(10)
	if s.Offset() != 20000 {
		t.Fatal("offset went back")
	}
}

func TestOutboxOrder(t *testing.T) {
	s := MustOpen(t)
	s.Update(func(tx *Tx) error {
		for i := int64(1); i <= 3; i++ {
			if _, err := tx.AddOutbox(i, []byte{byte(i)}); err != nil {
				return err
			}
		}
		return nil
	})
	items, _ := s.Outbox()
	if len(items) != 3 || items[0].ChatID != 1 || items[2].Payload[0] != 3 {
		t.Fatalf("outbox %+v", items)
	}
	s.DeleteOutbox(items[0].Seq, items[1].Seq)
	items, _ = s.Outbox()
	if len(items) != 1 || items[0].ChatID != 3 {
		t.Fatalf("after delete %+v", items)
	}
}

func TestBackup(t *testing.T) {
	s := MustOpen(t)
	s.Update(func(tx *Tx) error { return tx.PutUser(&User{ID: 9, FirstName: "Hà"}) })
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := s.Backup(path); err != nil {
		t.Fatal(err)
	}
	c, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if u, err := c.User(9); err != nil || u.FirstName != "Hà" {
		t.Fatalf("backup user %+v %v", u, err)
	}
}
