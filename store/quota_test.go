package store

import "testing"

// TestPruneQuota: counts of days before the given one go; today's, later
// ones and day-0 counts (waited for now) stay; forgetting a user takes
// only theirs.
func TestPruneQuota(t *testing.T) {
	s := MustOpen(t)
	type count struct {
		kind byte
		user int64
		day  int64
	}
	all := []count{
		{QuotaCollab, 7, 100}, {QuotaCollab, 7, 119}, {QuotaCollab, 7, 120}, {QuotaForward, 7, 121},
		{QuotaLLMPending, 7, 0}, {QuotaLLMTotal, 0, 90}, {QuotaLLMTotal, 0, 120}, {QuotaCollab, 8, 50},
	}
	err := s.Update(func(tx *Tx) error {
		for _, c := range all {
			if err := tx.AddQuota(c.kind, c.user, c.day, 3); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.Update(func(tx *Tx) (err error) { n, err = tx.PruneQuota(120); return err }); err != nil {
		t.Fatal(err)
	}
	if n != 4 {
		t.Errorf("pruned %d counts, want 4", n)
	}
	if err := s.Update(func(tx *Tx) error { return tx.forgetQuota(7) }); err != nil {
		t.Fatal(err)
	}
	want := map[count]int{{QuotaLLMTotal, 0, 120}: 3}
	s.View(func(tx *Tx) error {
		for _, c := range all {
			if got := tx.Quota(c.kind, c.user, c.day); got != want[c] {
				t.Errorf("count %c user %d day %d = %d, want %d", c.kind, c.user, c.day, got, want[c])
			}
		}
		return nil
	})
}
