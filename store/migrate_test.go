package store

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// testdata/schema1.db was written by the release before schema 2 (three
// Telegram users, one of them staff; a published idea with a phone number;
// an event; a scheduled announcement; a reply waiting in the outbox; a
// handled mark and the Telegram offset). Opening it migrates it and keeps
// every record.
func TestMigrateSchema1(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "schema1.db"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bot.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.View(func(tx *Tx) error {
		if v := tx.tx.Bucket(bucketMeta).Get([]byte("schema")); len(v) != 8 || v[7] != SchemaVersion {
			t.Errorf("schema %v", v)
		}
		if tx.tx.Bucket(bucketHandledV1) != nil || tx.tx.Bucket(bucketMeta).Get([]byte("offset")) != nil {
			t.Error("schema 1's handled marks or offset left behind")
		}
		for _, id := range []int64{111, 222, 900} {
			u, err := tx.User(id)
			if err != nil {
				t.Fatalf("user %d lost: %v", id, err)
			}
			if ch, ref := u.Address(); ch != Telegram || ref != strconv.FormatInt(id, 10) || u.Channel != Telegram {
				t.Errorf("user %d addressed at %s:%s", id, ch, ref)
			}
		}
		if u, _ := tx.User(900); !u.IsStaff() {
			t.Error("staff role lost")
		}
		ideas, err := tx.IdeasByAuthor(111)
		if err != nil || len(ideas) != 1 || ideas[0].Phone != "+84905123456" || ideas[0].Status != IdeaPublished {
			t.Errorf("idea lost: %+v %v", ideas, err)
		}
		if e, err := tx.Event(1); err != nil || e.Title != "TechFest Quảng Nam" {
			t.Errorf("event lost: %+v %v", e, err)
		}
		if j, err := tx.Broadcast(1); err != nil || j.Status != JobScheduled || j.Total != 3 {
			t.Errorf("job lost: %+v %v", j, err)
		}
		// A Telegram user resolves to the same ID as before.
		if id, err := tx.LookupUser(Telegram, "111"); err != nil || id != 111 {
			t.Errorf("lookup of a schema-1 user: %d %v", id, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if items, err := s.Outbox(); err != nil || len(items) != 1 || items[0].ChatID != 111 {
		t.Errorf("queued reply lost: %+v %v", items, err)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
}
