package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
)

// TestKeepsAnsweringAfterUpdateIDReset: Telegram restarts update IDs at a
// random value after a week without updates, and a new fake server (the
// demo's second run) at the same low value: the bot answers after both.
func TestKeepsAnsweringAfterUpdateIDReset(t *testing.T) {
	for _, tc := range []struct {
		name  string
		reset func(*telegramtest.Server)
	}{
		{"down", func(s *telegramtest.Server) { s.ResetUpdateIDs(1) }},
		{"random", func(s *telegramtest.Server) { s.RandomUpdateIDs() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.send(lan, "/start")
			before := h.srv.SentTo(lan.ID)
			tc.reset(h.srv)
			h.send(lan, "/help")
			if h.srv.SentTo(lan.ID) == before {
				t.Fatalf("no answer after the reset:\n%s", h.srv.Transcript(lan.ID))
			}
			// After a restart of the bot too (the offset is not kept).
			h.restart()
			tc.reset(h.srv)
			before = h.srv.SentTo(lan.ID)
			h.send(lan, "/help")
			if h.srv.SentTo(lan.ID) == before {
				t.Fatalf("no answer after the restart:\n%s", h.srv.Transcript(lan.ID))
			}
		})
	}
}

// TestShutdownDuringRetryAfter: a stop while a reply waits out a 429 with
// retry_after=20 does not wait for it; the reply stays in the outbox and
// the next start sends it.
func TestShutdownDuringRetryAfter(t *testing.T) {
	h := newHarness(t)
	h.send(lan, "/start")
	sent := h.srv.SentTo(lan.ID)
	h.srv.Inject("sendMessage", telegramtest.Fault{Code: 429, RetryAfter: 20, ChatID: lan.ID})
	h.srv.SendText(lan, "/help")
	if !h.srv.WaitFor(10*time.Second, func(s *telegramtest.Server) bool {
		for _, c := range s.CallsTo("sendMessage") {
			if c.Status == 429 {
				return true
			}
		}
		return false
	}) {
		t.Fatal("no 429")
	}
	h.cancel()
	stopped := make(chan struct{})
	go func() {
		<-h.done
		h.b.Wait()
		close(stopped)
	}()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second): // the fault is a 20 s wait
		t.Fatal("the bot waited out retry_after before stopping")
	}
	h.cancel = nil
	queued, err := h.st.Outbox()
	if err != nil || len(queued) != 1 || !strings.Contains(string(queued[0].Payload), "/") {
		t.Fatalf("outbox after stop = %d entries (%v), want the /help reply", len(queued), err)
	}
	if err := h.st.Close(); err != nil {
		t.Fatal(err)
	}
	if h.srv.SentTo(lan.ID) != sent {
		t.Fatal("the reply went out before the stop")
	}

	h.srv.ClearFaults()
	h.start()
	if !h.srv.WaitMessages(lan.ID, sent+1, 10*time.Second) {
		t.Fatalf("the kept reply was not sent at the next start:\n%s", h.srv.Transcript(lan.ID))
	}
	h.idle()
	if queued, _ := h.st.Outbox(); len(queued) != 0 {
		t.Fatalf("outbox after the restart holds %d entries", len(queued))
	}
	if got := h.srv.SentTo(lan.ID); got != sent+1 {
		t.Fatalf("%d messages after the restart, want %d", got, sent+1)
	}
}
