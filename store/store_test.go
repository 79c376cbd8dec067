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

func TestInbox(t *testing.T) {
	s := MustOpen(t)
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	var seqs []uint64
	err := s.Update(func(tx *Tx) error {
		for i, key := range []string{"tg:1:aa", "tg:2:bb", ""} {
			if tx.SeenInbox(key) {
				t.Errorf("key %q seen before it was added", key)
			}
			seq, err := tx.AddInbox(key, int64(10+i%2), []byte{byte(i)}, now)
			if err != nil {
				return err
			}
			seqs = append(seqs, seq)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.View(func(tx *Tx) error {
		if !tx.SeenInbox("tg:1:aa") || tx.SeenInbox("tg:1:ab") || tx.SeenInbox("") {
			t.Error("deduplication keys")
		}
		return nil
	})
	items, err := s.Inbox(0, 10)
	if err != nil || len(items) != 3 || items[0].Seq != seqs[0] || items[1].ChatID != 11 || items[2].Payload[0] != 2 {
		t.Fatalf("inbox = %+v, %v", items, err)
	}
	if later, _ := s.Inbox(seqs[0], 1); len(later) != 1 || later[0].Seq != seqs[1] {
		t.Fatalf("inbox after %d = %+v", seqs[0], later)
	}
	if err := s.Update(func(tx *Tx) error { return tx.DoneInbox(seqs[0], seqs[2]) }); err != nil {
		t.Fatal(err)
	}
	if n := s.InboxLen(); n != 1 {
		t.Fatalf("%d items left, want 1", n)
	}
	// Keys outlive their items, for as long as platforms redeliver.
	if n, _ := s.PruneInboxKeys(now.Add(KeepInboxKeys-time.Hour), 100); n != 0 {
		t.Fatalf("pruned %d keys too early", n)
	}
	if n, _ := s.PruneInboxKeys(now.Add(KeepInboxKeys+time.Hour), 100); n != 2 {
		t.Fatalf("pruned %d keys, want 2", n)
	}
}

func TestResolveUser(t *testing.T) {
	s := MustOpen(t)
	const zaloID = "8817264536271819283" // above 2^53: a float64 would change it
	var tg, z1, z2, z3 int64
	err := s.Update(func(tx *Tx) error {
		var err error
		if tg, err = tx.ResolveUser(Telegram, "123456789"); err != nil {
			return err
		}
		if z1, err = tx.ResolveUser("zalo", zaloID); err != nil {
			return err
		}
		if z2, err = tx.ResolveUser("zalo", zaloID); err != nil {
			return err
		}
		z3, err = tx.ResolveUser("zalo", "8817264536271819284")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if tg != 123456789 {
		t.Errorf("a Telegram user keeps the Telegram ID: %d", tg)
	}
	if z1 != z2 || z1 == z3 || z1 < otherChannelBase {
		t.Errorf("zalo IDs %d %d %d", z1, z2, z3)
	}
	s.Update(func(tx *Tx) error {
		for _, bad := range [][2]string{{Telegram, "-5"}, {Telegram, "abc"}, {"", "1"}, {"zalo", ""}} {
			if _, err := tx.ResolveUser(bad[0], bad[1]); err == nil {
				t.Errorf("ResolveUser(%q, %q) accepted", bad[0], bad[1])
			}
		}
		if _, err := tx.LookupUser("zalo", "1"); !errors.Is(err, ErrNotFound) {
			t.Errorf("lookup of an unknown Zalo user: %v", err)
		}
		u := &User{ID: z1, Channel: "zalo", Ref: zaloID}
		if err := tx.PutUser(u); err != nil {
			return err
		}
		if ch, ref, err := tx.AddressOf(z1); err != nil || ch != "zalo" || ref != zaloID {
			t.Errorf("address of %d = %s %s %v", z1, ch, ref, err)
		}
		if ch, ref, err := tx.AddressOf(42); err != nil || ch != Telegram || ref != "42" {
			t.Errorf("address of an unknown Telegram chat = %s %s %v", ch, ref, err)
		}
		return nil
	})
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
	if err := s.CompactTo(path); err != nil {
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
