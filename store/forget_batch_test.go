package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/qnstartup/trolykhoinghiep/store"
)

// TestForgetUserInBatch: a user's records are all deleted when other
// chats wrote to the same buckets earlier in the same commit (bbolt's
// cursor skips the key after a Delete on a page already changed).
func TestForgetUserInBatch(t *testing.T) {
	s := MustOpen(t)
	var qs, collabs []uint64
	err := s.Update(func(tx *store.Tx) error {
		for i := range 4 {
			if _, err := tx.AddOutbox(7, []byte(`{"text":"0905777888"}`)); err != nil {
				return err
			}
			q := &store.Question{UserID: 7, Text: "số 0905777888"}
			if err := tx.AddQuestion(q); err != nil {
				return err
			}
			qs = append(qs, q.ID)
			if err := tx.CountLLM(7, t0.AddDate(0, 0, i), 1); err != nil {
				return err
			}
			c := &store.Collab{From: 7, Note: "gọi 0905777888"}
			if err := tx.AddCollab(c); err != nil {
				return err
			}
			collabs = append(collabs, c.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Another chat's writes in the same transaction, first.
	err = s.Update(func(tx *store.Tx) error {
		if _, err := tx.AddOutbox(9, []byte(`{}`)); err != nil {
			return err
		}
		if err := tx.AddQuestion(&store.Question{UserID: 9, Text: "khác"}); err != nil {
			return err
		}
		if err := tx.CountLLM(9, t0, 1); err != nil {
			return err
		}
		if err := tx.AddCollab(&store.Collab{From: 9}); err != nil {
			return err
		}
		_, err := tx.ForgetUser(7, true, t0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	items, err := s.Outbox()
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.ChatID == 7 {
			t.Errorf("outbox entry %d of the forgotten user left", it.Seq)
		}
	}
	s.View(func(tx *store.Tx) error {
		for _, id := range qs {
			if _, err := tx.Question(id); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("question %d left (%v)", id, err)
			}
		}
		for _, id := range collabs {
			if _, err := tx.Collab(id); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("collaboration note %d left (%v)", id, err)
			}
		}
		for i := range 4 {
			if n := tx.LLMUsed(7, t0.AddDate(0, 0, i)); n != 0 {
				t.Errorf("model-answer count of day %d left: %d", i, n)
			}
		}
		if tx.LLMUsed(9, t0) != 1 {
			t.Error("another user's count was deleted")
		}
		return nil
	})
}

// TestForgetUserVoice: an idea kept public after its author left keeps
// no voice note (the author's own voice).
func TestForgetUserVoice(t *testing.T) {
	s := MustOpen(t)
	i := addIdea(t, s, &store.Idea{AuthorID: 7, Public: true, Title: "Nấm rơm", Voice: "AwACAgUAAxkBAAI"})
	publish(t, s, i.ID, t0)
	if err := s.Update(func(tx *store.Tx) error { _, err := tx.ForgetUser(7, false, t0); return err }); err != nil {
		t.Fatal(err)
	}
	var got *store.Idea
	if err := s.View(func(tx *store.Tx) error { var err error; got, err = tx.Idea(i.ID); return err }); err != nil {
		t.Fatal(err)
	}
	if !got.InBank() || got.Voice != "" {
		t.Fatalf("in bank %v, voice %q; want kept public without the voice", got.InBank(), got.Voice)
	}
}

// TestPruneLLMUsage: the model-answer counts of old days go with the
// daily caps.
func TestPruneLLMUsage(t *testing.T) {
	s := MustOpen(t)
	old, recent := t0.AddDate(0, 0, -60), t0.Add(-time.Hour)
	err := s.Update(func(tx *store.Tx) error {
		if err := tx.CountLLM(7, old, 2); err != nil {
			return err
		}
		if err := tx.CountLLM(7, recent, 1); err != nil {
			return err
		}
		_, err := tx.PruneQuota(t0.Unix()/86400 - 8)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	s.View(func(tx *store.Tx) error {
		if n := tx.LLMUsed(7, old); n != 0 {
			t.Errorf("count of 60 days ago left: %d", n)
		}
		if n := tx.LLMUsed(7, recent); n != 1 {
			t.Errorf("recent count %d, want 1", n)
		}
		return nil
	})
}
