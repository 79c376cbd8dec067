package bot_test

import (
	"testing"
	"time"

	. "github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// TestPruneDailyCounts: the hourly pruning deletes daily-cap counts older
// than QuotaKeepDays and keeps the rest, so the counts do not grow without
// end.
func TestPruneDailyCounts(t *testing.T) {
	h := newHarness(t)
	h.setNow(time.Date(2026, 5, 20, 10, 0, 0, 0, time.UTC))
	today := CapDay(h.clock())
	days := []int64{today - QuotaKeepDays - 5, today - QuotaKeepDays - 1, today - QuotaKeepDays, today - 1, today}
	err := h.st.Update(func(tx *store.Tx) error {
		for _, d := range days {
			if err := tx.AddQuota(store.QuotaForward, lan.ID, d, 1); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	h.b.Prune()
	h.st.View(func(tx *store.Tx) error {
		for i, d := range days {
			want := 1
			if i < 2 {
				want = 0
			}
			if got := tx.Quota(store.QuotaForward, lan.ID, d); got != want {
				t.Errorf("day today%+d: count %d, want %d", d-today, got, want)
			}
		}
		return nil
	})
}

// TestPruneIdeaChanges: the hourly pruning deletes the search's change
// log it has caught up with, and an idea changed afterwards is still
// found under its new words.
func TestPruneIdeaChanges(t *testing.T) {
	h := newHarness(t)
	put := func(i *store.Idea) {
		t.Helper()
		if err := h.st.Update(func(tx *store.Tx) error { return tx.PutIdea(i) }); err != nil {
			t.Fatal(err)
		}
	}
	var ideas []*store.Idea
	for n := range 5 {
		i := &store.Idea{AuthorID: lan.ID, Public: true, Status: store.IdeaPublished, Title: "Trà thảo mộc", Published: h.clock(), Created: h.clock()}
		if err := h.st.Update(func(tx *store.Tx) error { return tx.AddIdea(i) }); err != nil {
			t.Fatal(err)
		}
		i.Title = "Trà thảo mộc số " + string(rune('a'+n))
		put(i)
		ideas = append(ideas, i)
	}
	if got, err := h.b.SearchIdeas("thảo mộc", 10, nil); err != nil || len(got) != 5 {
		t.Fatalf("search before pruning: %v, %v", got, err)
	}
	h.b.Prune()
	left := 0
	h.st.View(func(tx *store.Tx) error {
		_, err := tx.IdeaChanges(0, func(uint64) error { left++; return nil })
		return err
	})
	if left != 0 {
		t.Fatalf("%d change-log entries left after the index caught up", left)
	}
	ideas[2].Title = "Nấm linh chi sấy khô"
	put(ideas[2])
	h.b.Prune() // the index has not seen this change yet: it stays
	got, err := h.b.SearchIdeas("linh chi", 10, nil)
	if err != nil || len(got) != 1 || got[0] != ideas[2].ID {
		t.Fatalf("search after a change and pruning: %v, %v; want idea %d", got, err, ideas[2].ID)
	}
}
