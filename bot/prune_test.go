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
