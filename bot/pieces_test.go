package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
	"github.com/qnstartup/trolykhoinghiep/zalo/zalotest"
)

// longModule answers /long with a reply too long for one Telegram
// message: it goes out in two, the first with "ALPHA", the second with
// "OMEGA". /pic answers with a photo and a text with a button, /doc with
// a file and a text too long to be its caption.
func longModule(o *bot.Options) {
	o.SetExtraModules([]bot.Module{{Name: "long", Commands: []bot.Command{{Name: "long", Hidden: true, Handler: func(c *bot.Ctx) error {
		c.Reply(bot.Reply{Text: "ALPHA " + strings.Repeat("Một câu khá dài về chính sách hỗ trợ. ", 80) + "\n\nOMEGA " + strings.Repeat("Câu thứ hai cũng dài. ", 80)})
		return nil
	}}, {Name: "doc", Hidden: true, Handler: func(c *bot.Ctx) error {
		// On Telegram: the file, then its text, too long for a caption.
		c.Reply(bot.Reply{Text: "OMEGA " + strings.Repeat("Danh sách ý tưởng. ", 80), Document: &bot.Document{Name: "y-tuong.csv", Data: []byte("ma,ten\n")}})
		return nil
	}}, {Name: "pic", Hidden: true, Handler: func(c *bot.Ctx) error {
		// On Zalo: the photo, then the text with its button.
		c.Reply(bot.Reply{Text: "OMEGA chú thích", Photo: "https://example.org/san-pham.jpg", Buttons: [][]bot.Button{{{Text: "Xem", Data: "bank:o:1"}}}})
		return nil
	}}}}})
}

// countIn is how many of msgs contain s.
func countIn(msgs []telegramtest.Message, s string) int {
	n := 0
	for _, m := range msgs {
		if strings.Contains(m.Text, s) {
			n++
		}
	}
	return n
}

// waitKept waits until the one reply queued is kept for redelivery: in
// the outbox and claimed by no send.
func waitKept(t *testing.T, h *harness) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		if q, _ := h.st.Outbox(); len(q) == 1 && h.b.Claimed() == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the reply is not kept for redelivery")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestPiecesNotSentTwice: a reply sent as several messages whose second
// message keeps failing is kept for later; what was delivered is not sent
// again, neither by the periodic redelivery nor after a restart.
func TestPiecesNotSentTwice(t *testing.T) {
	for _, restart := range []bool{false, true} {
		name := map[bool]string{false: "redeliver", true: "restart"}[restart]
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, longModule)
			h.send(lan, "/start")
			// The first message goes out; the second is paced for longer
			// than a worker waits, so the reply is kept for later.
			h.srv.Inject("sendMessage", telegramtest.Fault{Delay: time.Millisecond, Times: 1, ChatID: lan.ID})
			h.srv.Inject("sendMessage", telegramtest.Fault{Code: 429, RetryAfter: 60, Times: 1, ChatID: lan.ID})
			h.send(lan, "/long")
			waitKept(t, h)
			msgs := h.srv.Messages(lan.ID)
			if countIn(msgs, "ALPHA") != 1 || countIn(msgs, "OMEGA") != 0 {
				t.Fatalf("before redelivery: ALPHA %d, OMEGA %d, want 1 and 0", countIn(msgs, "ALPHA"), countIn(msgs, "OMEGA"))
			}
			if restart {
				h.restart()
			} else {
				h.b.Redeliver(context.Background())
			}
			if !h.srv.WaitFor(10*time.Second, func(s *telegramtest.Server) bool {
				return countIn(s.Messages(lan.ID), "OMEGA") > 0
			}) {
				t.Fatalf("the rest of the reply was not sent (%d messages)", len(h.srv.Messages(lan.ID)))
			}
			h.idle()
			msgs = h.srv.Messages(lan.ID)
			if a, o := countIn(msgs, "ALPHA"), countIn(msgs, "OMEGA"); a != 1 || o != 1 {
				t.Fatalf("ALPHA sent %d times, OMEGA %d, want once each", a, o)
			}
		})
	}
}

// TestPiecesNotSentTwiceZalo: the same on Zalo, whose OA runs out of
// quota after the first message of a long reply, or after the photo of a
// reply Zalo sends as a photo and a text.
func TestPiecesNotSentTwiceZalo(t *testing.T) {
	for _, tc := range []struct{ cmd, first string }{{"/long", "ALPHA"}, {"/pic", "san-pham.jpg"}} {
		t.Run(tc.cmd, func(t *testing.T) { piecesNotSentTwiceZalo(t, tc.cmd, tc.first) })
	}
}

func piecesNotSentTwiceZalo(t *testing.T, cmd, first string) {
	h := startHarness(t, harnessConfig{withZalo: true}, longModule)
	const user = "7001"
	h.zsend(user, "/start")
	h.zsrv.Inject("message", zalotest.Fault{Delay: time.Millisecond, Times: 1, User: user})
	h.zsrv.Inject("message", zalotest.Fault{Error: -211, Times: 1, User: user}) // out of quota: kept for later
	h.zsend(user, cmd)
	count := func(s string) int {
		n := 0
		for _, m := range h.zsrv.Messages(user) {
			n += strings.Count(m.Text+" "+m.Image, s)
		}
		return n
	}
	waitKept(t, h)
	if a, o := count(first), count("OMEGA"); a != 1 || o != 0 {
		t.Fatalf("before the restart: %s %d, OMEGA %d, want 1 and 0", first, a, o)
	}
	h.restart()
	h.zwaitText(user, "OMEGA")
	h.zidle()
	if a, o := count(first), count("OMEGA"); a != 1 || o != 1 {
		t.Fatalf("%s sent %d times, OMEGA %d, want once each", first, a, o)
	}
}

// TestDocumentNotSentTwice: a file whose long text goes as a second
// message, the text failing, is not sent again with it.
func TestDocumentNotSentTwice(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault telegramtest.Fault
	}{
		{"paced", telegramtest.Fault{Code: 429, RetryAfter: 60, Times: 1, ChatID: lan.ID}},
		{"retries-spent", telegramtest.Fault{Code: 502, Times: 4, ChatID: lan.ID}}, // each retry sends only the text
	} {
		t.Run(tc.name, func(t *testing.T) { documentNotSentTwice(t, tc.fault) })
	}
}

func documentNotSentTwice(t *testing.T, f telegramtest.Fault) {
	h := newHarness(t, longModule)
	h.send(lan, "/start")
	h.srv.Inject("sendMessage", f)
	h.send(lan, "/doc")
	waitKept(t, h)
	h.restart()
	if !h.srv.WaitFor(10*time.Second, func(s *telegramtest.Server) bool { return countIn(s.Messages(lan.ID), "OMEGA") > 0 }) {
		t.Fatal("the text was not sent after the restart")
	}
	h.idle()
	docs := 0
	for _, c := range h.srv.CallsTo("sendDocument") {
		if c.Status == 200 {
			docs++
		}
	}
	if o := countIn(h.srv.Messages(lan.ID), "OMEGA"); docs != 1 || o != 1 {
		t.Fatalf("the file sent %d times, its text %d, want once each", docs, o)
	}
}

// TestRedeliverReadsProgress: a periodic redelivery that listed the
// outbox before a live send noted how far it got sends the reply on from
// there, not from its stale list.
func TestRedeliverReadsProgress(t *testing.T) {
	h := newHarness(t, longModule)
	h.send(tom, "/start")
	h.send(lan, "/start")
	// Tom's reply waits in the outbox; redelivering it takes 2 s.
	h.srv.Inject("sendMessage", telegramtest.Fault{Code: 429, RetryAfter: 60, Times: 1, ChatID: tom.ID})
	h.send(tom, "/help")
	h.srv.Inject("sendMessage", telegramtest.Fault{Delay: 2 * time.Second, Times: 1, ChatID: tom.ID})
	// Lan's long reply: the first message goes, the second fails after 0.5 s.
	h.srv.Inject("sendMessage", telegramtest.Fault{Delay: time.Millisecond, Times: 1, ChatID: lan.ID})
	h.srv.Inject("sendMessage", telegramtest.Fault{Code: 429, RetryAfter: 60, Delay: 500 * time.Millisecond, Times: 1, ChatID: lan.ID})
	h.srv.SendText(lan, "/long")
	if !h.srv.WaitFor(10*time.Second, func(s *telegramtest.Server) bool { return countIn(s.Messages(lan.ID), "ALPHA") == 1 }) {
		t.Fatal("the first message did not go out")
	}
	h.b.Redeliver(context.Background()) // lists both, sends Tom's first
	h.idle()
	h.srv.WaitFor(5*time.Second, func(s *telegramtest.Server) bool { return countIn(s.Messages(lan.ID), "OMEGA") > 0 })
	if a, o := countIn(h.srv.Messages(lan.ID), "ALPHA"), countIn(h.srv.Messages(lan.ID), "OMEGA"); a != 1 || o != 1 {
		t.Fatalf("ALPHA sent %d times, OMEGA %d, want once each", a, o)
	}
}
