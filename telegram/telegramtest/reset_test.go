package telegramtest_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
)

// TestOffsetAfterReset: after update IDs restart lower, an offset from
// before the restart confirms (drops) lower updates already queued, a
// waiting poll with that offset does not get new lower ones, and a poll
// without an offset does.
func TestOffsetAfterReset(t *testing.T) {
	s, bot := MustBot(t)
	high := s.SendText(alice, "trước")
	if got := Poll(t, bot, 0, 0, 0); len(got) != 1 {
		t.Fatalf("first poll: %d updates", len(got))
	}
	// A poll waiting with the old offset is not answered with a lower
	// update queued during its wait, and does not drop it.
	got := make(chan int, 1)
	go func() {
		ups, err := PollRaw(bot, high+1, 0, 1)
		if err != nil {
			t.Error(err)
		}
		got <- len(ups)
	}()
	if !s.WaitFor(5*time.Second, func(s *telegramtest.Server) bool { return s.Polling() }) {
		t.Fatal("no waiting poll")
	}
	s.ResetUpdateIDs(5)
	low := s.SendText(alice, "sau")
	if low != 5 {
		t.Fatalf("update id after reset = %d, want 5", low)
	}
	if n := <-got; n != 0 {
		t.Fatalf("poll with the old offset got %d updates", n)
	}
	if s.PendingUpdates() != 1 {
		t.Fatalf("pending = %d, want the lower update kept", s.PendingUpdates())
	}
	if ups := Poll(t, bot, 0, 0, 0); len(ups) != 1 || ups[0].UpdateID != low {
		t.Fatalf("poll without offset: %+v", ups)
	}
	// A call with the old offset confirms (drops) lower updates queued.
	s.SendText(alice, "nữa")
	if ups := Poll(t, bot, high+1, 0, 0); len(ups) != 0 || s.PendingUpdates() != 0 {
		t.Fatalf("offset %d: %+v, pending %d", high+1, ups, s.PendingUpdates())
	}
	if n := s.RandomUpdateIDs(); n < 1 || s.SendText(alice, "x") != n {
		t.Fatalf("random reset to %d not used", n)
	}
}

func TestInstantAndCounters(t *testing.T) {
	s, bot := MustBot(t)
	s.SetInstant(true)
	start := time.Now()
	if got := Poll(t, bot, 0, 0, 30); len(got) != 0 {
		t.Fatalf("instant poll: %+v", got)
	}
	if time.Since(start) > 10*time.Second {
		t.Fatal("instant poll waited for the timeout")
	}
	id := s.SendText(alice, "a")
	s.SendText(alice, "b")
	Poll(t, bot, 0, 0, 0)
	Poll(t, bot, id+1, 0, 0)
	if s.Polls() != 3 || s.UpdatesFetched() != 3 {
		t.Fatalf("polls %d fetched %d, want 3 and 3", s.Polls(), s.UpdatesFetched())
	}
}

func TestResultNotAList(t *testing.T) {
	s, bot := MustBot(t)
	s.SendText(alice, "a")
	s.SetResult(json.RawMessage(`{"update_id":1}`))
	if _, err := PollRaw(bot, 0, 0, 0); err == nil {
		t.Fatal("an object result decoded as a list")
	}
	if s.PendingUpdates() != 1 {
		t.Fatal("a garbage answer confirmed updates")
	}
	s.SetResult(nil)
	if got := Poll(t, bot, 0, 0, 0); len(got) != 1 {
		t.Fatalf("after SetResult(nil): %d updates", len(got))
	}
}
