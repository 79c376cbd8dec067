package bot_test

import (
	"testing"
	"time"
)

// TestUserRecordWrites: within a minute of the stored LastSeen, an update
// that changes nothing else about the user leaves the record as it is; a
// change of name is written at once; a minute later LastSeen and
// LastInbound are written again.
func TestUserRecordWrites(t *testing.T) {
	h := newHarness(t)
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	h.setNow(t0)
	h.send(lan, "/start")
	steps := []struct {
		after     time.Duration
		firstName string
		wantSeen  time.Duration // offset of the stored LastSeen from t0
		wantFirst string
	}{
		{30 * time.Second, lan.FirstName, 0, "Lan"},
		{50 * time.Second, "Lan Anh", 50 * time.Second, "Lan Anh"},   // the name changed
		{100 * time.Second, "Lan Anh", 50 * time.Second, "Lan Anh"},  // 50 s after the stored one
		{111 * time.Second, "Lan Anh", 111 * time.Second, "Lan Anh"}, // a minute and more
		{112 * time.Second, "Lan Anh", 111 * time.Second, "Lan Anh"}, // nothing new
		{200 * time.Second, lan.FirstName, 200 * time.Second, "Lan"}, // back to the old name
	}
	for _, s := range steps {
		h.setNow(t0.Add(s.after))
		u := lan
		u.FirstName = s.firstName
		h.send(u, "/help")
		got := h.user(lan.ID)
		want := t0.Add(s.wantSeen)
		if !got.LastSeen.Equal(want) || !got.LastInbound.Equal(want) || got.FirstName != s.wantFirst {
			t.Fatalf("at +%v: stored LastSeen %v, LastInbound %v, name %q; want %v, %q",
				s.after, got.LastSeen, got.LastInbound, got.FirstName, want, s.wantFirst)
		}
	}
}
