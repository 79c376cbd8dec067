package bot_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/store"
	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
)

func TestStartVietnamese(t *testing.T) {
	h := newHarness(t)
	h.send(lan, "/start hoichotechfest")
	h.expect(lan, "Xin chào Lan Trần", "Gửi ý tưởng khởi nghiệp", "Hỏi về chính sách hỗ trợ")
	if u := h.user(lan.ID); u.Source != "hoichotechfest" || u.Lang != "vi" || !u.Subscribed {
		t.Fatalf("user after /start: %+v", u)
	}
	// A later deep link does not overwrite where the user first came from.
	h.send(lan, "/start other_qr")
	if u := h.user(lan.ID); u.Source != "hoichotechfest" {
		t.Fatalf("source overwritten: %q", u.Source)
	}
	h.golden("start_vi", lan)
}

func TestStartEnglish(t *testing.T) {
	h := newHarness(t)
	h.send(tom, "/start")
	h.expect(tom, "Hello Tom", "Submit a startup idea")
	// Menu labels are matched back in either language and without diacritics.
	h.send(tom, "ℹ️ Help")
	h.expect(tom, "/settings")
	h.send(tom, "huong dan")
	h.expect(tom, "/settings")
	h.golden("start_en", tom)
}

func TestLanguageSwitchPersistsAcrossRestart(t *testing.T) {
	h := newHarness(t)
	h.send(lan, "/start")
	h.send(lan, "/lang")
	h.press(lan, "settings:lang:en")
	h.expect(lan, "Your settings")
	h.send(lan, "/settings")
	h.press(lan, "settings:menu:kind")
	h.press(lan, "settings:kind:student")
	h.press(lan, "settings:menu:int")
	h.press(lan, "settings:int:agri")
	h.press(lan, "settings:int:it")
	h.press(lan, "settings:int:agri") // toggled off again
	h.press(lan, "settings:sub:off")
	h.restart()
	u := h.user(lan.ID)
	if u.Lang != "en" || !u.LangChosen || u.Kind != "student" || len(u.Interests) != 1 || u.Interests[0] != "it" || u.Subscribed {
		t.Fatalf("settings after restart: %+v", u)
	}
	// Telegram's language_code no longer overrides a chosen language.
	h.send(lan, "/help")
	h.expect(lan, "How to use the bot")
	h.send(lan, "/settings")
	h.expect(lan, "Language: English", "You are: 🎓 Student", "Interests: 💻 Information technology", "announcements: off")
}

func TestStopAndResubscribe(t *testing.T) {
	h := newHarness(t)
	h.send(lan, "/stop")
	h.expect(lan, "không nhận thông báo")
	if h.user(lan.ID).Subscribed {
		t.Fatal("still subscribed after /stop")
	}
	h.press(lan, "settings:sub:on")
	if !h.user(lan.ID).Subscribed {
		t.Fatal("not subscribed again")
	}
}

func TestFlowContinuesAfterRestart(t *testing.T) {
	h := newHarness(t)
	h.send(lan, "/settings")
	h.press(lan, "settings:loc")
	h.expect(lan, "gõ tên xã/phường")
	h.restart()
	h.send(lan, "dai loc")
	h.expect(lan, "Đại Lộc")
	h.press(lan, "settings_loc:pick:qn-dailoc")
	h.expect(lan, "Đã lưu địa phương: Đại Lộc")
	if got := h.user(lan.ID).Locality; got != "qn-dailoc" {
		t.Fatalf("locality %q", got)
	}
	// Typed names that are not in the list can be kept as typed.
	h.press(lan, "settings:loc")
	h.send(lan, "Thôn Mỹ Sơn")
	h.press(lan, "settings_loc:pick:typed")
	if got := h.user(lan.ID).Locality; got != "Thôn Mỹ Sơn" {
		t.Fatalf("typed locality %q", got)
	}
}

func TestBackAndCancel(t *testing.T) {
	h := newHarness(t)
	h.send(lan, "/settings")
	h.press(lan, "settings:loc")
	h.send(lan, "/cancel")
	h.expect(lan, "Đã hủy")
	h.send(lan, "/cancel")
	h.expect(lan, "không có thao tác nào")
	h.press(lan, "settings:loc")
	h.send(lan, "⬅️ Quay lại") // back from the first step leaves the flow
	h.expect(lan, "Đã hủy")
	h.press(lan, "settings:loc")
	h.send(lan, "huy") // typed without diacritics
	h.expect(lan, "Đã hủy")
}

func TestFlowTimeout(t *testing.T) {
	h := newHarness(t)
	start := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	h.setNow(start)
	h.send(lan, "/settings")
	h.press(lan, "settings:loc")
	h.setNow(start.Add(25 * time.Hour))
	h.send(lan, "dai loc")
	h.expect(lan, "quá lâu")
	if st := h.state(lan.ID); st.Flow != "" {
		t.Fatalf("flow still open: %+v", st)
	}
}

func (h *harness) state(chat int64) *store.State {
	var st *store.State
	h.st.View(func(tx *store.Tx) error {
		var err error
		st, err = tx.State(chat)
		return err
	})
	return st
}

func TestRedeliveredUpdateHasNoSecondEffect(t *testing.T) {
	h := newHarness(t)
	// Telegram delivers an update again, byte for byte, when the process
	// died after committing it and before the next getUpdates confirmed
	// it: it must not take effect twice, before or after a restart.
	raw := json.RawMessage(fmt.Sprintf(`{"update_id":555,"message":{"message_id":99,"date":1700000000,"from":{"id":%d,"is_bot":false,"first_name":"Lan"},"chat":{"id":%d,"type":"private"},"text":"/stop","entities":[{"type":"bot_command","offset":0,"length":5}]}}`, lan.ID, lan.ID))
	h.srv.SendRaw(raw)
	h.idle()
	if h.user(lan.ID).Subscribed {
		t.Fatal("/stop not applied")
	}
	h.press(lan, "settings:sub:on")
	if !h.user(lan.ID).Subscribed {
		t.Fatal("not resubscribed")
	}
	sent := h.srv.SentTo(lan.ID)
	h.srv.SendRaw(raw)
	h.idle()
	h.restart()
	h.srv.SendRaw(raw)
	h.idle()
	if !h.user(lan.ID).Subscribed {
		t.Fatal("redelivered /stop was applied twice")
	}
	if got := h.srv.SentTo(lan.ID); got != sent {
		t.Fatalf("messages to Lan: %d, want %d: a redelivered update was answered again", got, sent)
	}
	// The same update ID with other content is another update (IDs
	// restart after a week without updates): it is handled.
	h.srv.SendRaw(json.RawMessage(strings.Replace(string(raw), `"date":1700000000`, `"date":1700600000`, 1)))
	h.idle()
	if h.user(lan.ID).Subscribed {
		t.Fatal("an update with a reused ID was skipped")
	}
}

func TestBadInput(t *testing.T) {
	h := newHarness(t)
	t.Run("oversized text", func(t *testing.T) {
		h.send(lan, strings.Repeat("khởi nghiệp ", 420)) // 5,040 characters
		h.expect(lan, "quá dài")
	})
	t.Run("invalid UTF-8", func(t *testing.T) {
		raw := fmt.Sprintf(`{"update_id":0,"message":{"message_id":5,"date":1,"from":{"id":%d,"is_bot":false,"first_name":"Lan"},"chat":{"id":%d,"type":"private"},"text":"xin ch`+"\xff\xfe"+`ào"}}`, lan.ID, lan.ID)
		before := h.srv.SentTo(lan.ID)
		h.srv.SendRaw(json.RawMessage(raw))
		h.idle()
		if h.srv.SentTo(lan.ID) != before+1 {
			t.Fatalf("no reply to invalid UTF-8 text")
		}
	})
	t.Run("unknown and malformed updates", func(t *testing.T) {
		h.srv.SendRaw(json.RawMessage(`{"update_id":0,"poll":{"id":"1","question":"?","options":[]}}`))
		h.srv.SendRaw(json.RawMessage(`{"update_id":0,"message":"not an object"}`))
		h.srv.SendRaw(json.RawMessage(`{"update_id":0,"edited_message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},"text":"x"}}`))
		h.send(lan, "/help") // the bot still answers afterwards
		h.expect(lan, "Hướng dẫn sử dụng")
	})
	t.Run("forged and oversized callback data", func(t *testing.T) {
		for _, data := range []string{
			strings.Repeat("x", 200),
			"settings:lang:fr",
			"settings:kind:../../admin",
			"không:ascii",
			":",
			"nosuchflow:act:1",
			"settings_loc:pick:qn-dailoc", // a flow the user is not in
		} {
			before := len(h.srv.CallsTo("answerCallbackQuery"))
			h.srv.Press(lan, 1, data)
			h.idle()
			calls := h.srv.CallsTo("answerCallbackQuery")
			if len(calls) != before+1 {
				t.Fatalf("%q: callback not answered", data)
			}
			if !strings.Contains(calls[len(calls)-1].Params["text"], "không còn hiệu lực") {
				t.Errorf("%q: answer %q", data, calls[len(calls)-1].Params["text"])
			}
		}
		if u := h.user(lan.ID); u.Lang != "vi" || u.Kind != "" || u.Locality != "" {
			t.Fatalf("forged callbacks changed the user: %+v", u)
		}
	})
	t.Run("media outside a flow", func(t *testing.T) {
		h.srv.SendVoice(lan, "voice-1")
		h.idle()
		h.expect(lan, "chưa xử lý được")
	})
	t.Run("unknown command", func(t *testing.T) {
		h.send(lan, "/frobnicate")
		h.expect(lan, "/help")
	})
}

func TestFlooding(t *testing.T) {
	h := newHarness(t)
	for i := 0; i < 40; i++ {
		h.srv.SendText(lan, "/help")
	}
	h.idle()
	got := h.srv.SentTo(lan.ID)
	if got >= 40 || got < FloodBurst {
		t.Fatalf("replies to 40 rapid messages: %d, want between %d and 39", got, FloodBurst)
	}
	if !strings.Contains(h.srv.Transcript(lan.ID), "gửi hơi nhanh") {
		t.Fatal("no slow-down notice")
	}
	// Others are not affected.
	h.send(tom, "/help")
	h.expect(tom, "How to use")
}

func TestTelegramFaults(t *testing.T) {
	t.Run("429 honoured", func(t *testing.T) {
		h := newHarness(t)
		h.srv.Inject("sendMessage", telegramtest.Fault{Code: 429, RetryAfter: 1, Times: 1})
		start := time.Now()
		h.send(lan, "/help")
		h.expect(lan, "Hướng dẫn")
		if d := time.Since(start); d < time.Second {
			t.Fatalf("retried after %v, before retry_after", d)
		}
	})
	t.Run("5xx retried", func(t *testing.T) {
		h := newHarness(t)
		h.srv.Inject("sendMessage", telegramtest.Fault{Code: 502, RawBody: "<html>Bad Gateway</html>", Times: 2})
		h.send(lan, "/help")
		h.expect(lan, "Hướng dẫn")
		if n := len(h.srv.CallsTo("sendMessage")); n != 3 {
			t.Fatalf("sendMessage calls: %d, want 3", n)
		}
	})
	t.Run("reply kept when Telegram stays down, sent after restart", func(t *testing.T) {
		h := newHarness(t)
		h.srv.Inject("sendMessage", telegramtest.Fault{Code: 500, Times: 4})
		h.send(lan, "/help")
		if n := h.srv.SentTo(lan.ID); n != 0 {
			t.Fatalf("delivered %d despite failures", n)
		}
		h.restart()
		if !h.srv.WaitMessages(lan.ID, 1, 5*time.Second) {
			t.Fatal("queued reply not delivered after restart")
		}
		h.expect(lan, "Hướng dẫn")
	})
	t.Run("403 marks the user inactive", func(t *testing.T) {
		h := newHarness(t)
		h.send(lan, "/start")
		h.srv.BlockChat(lan.ID)
		h.send(lan, "/help")
		if !h.user(lan.ID).Inactive {
			t.Fatal("user not marked inactive after 403")
		}
	})
	t.Run("kicked marks the user inactive", func(t *testing.T) {
		h := newHarness(t)
		h.send(lan, "/start")
		h.srv.Block(lan)
		h.idle()
		if !h.user(lan.ID).Inactive {
			t.Fatal("user not inactive after my_chat_member kicked")
		}
		h.srv.Unblock(lan)
		h.idle()
		if h.user(lan.ID).Inactive {
			t.Fatal("user still inactive after unblocking")
		}
	})
	t.Run("409 logged and polling continues", func(t *testing.T) {
		h := newHarness(t)
		h.srv.SetConflict(true)
		h.srv.WaitFor(5*time.Second, func(s *telegramtest.Server) bool {
			return strings.Contains(h.logs.String(), "another instance is polling")
		})
		if !strings.Contains(h.logs.String(), "another instance is polling") {
			t.Fatalf("409 not logged:\n%s", h.logs.String())
		}
		h.srv.SetConflict(false)
		h.send(lan, "/help")
		h.expect(lan, "Hướng dẫn")
	})
	t.Run("getUpdates 5xx backs off and recovers", func(t *testing.T) {
		h := newHarness(t)
		h.srv.Inject("getUpdates", telegramtest.Fault{Code: 500, Times: 2})
		h.send(lan, "/help")
		h.expect(lan, "Hướng dẫn")
	})
	t.Run("token never logged", func(t *testing.T) {
		h := newHarness(t)
		h.srv.Inject("getUpdates", telegramtest.Fault{Code: 500, Times: 1})
		h.send(lan, "/help")
		if strings.Contains(h.logs.String(), h.srv.Token()) {
			t.Fatal("bot token appears in logs")
		}
	})
}

func TestPanicRecovered(t *testing.T) {
	var calls atomic.Int32
	h := newHarness(t, func(o *Options) {
		o.SetExtraModules([]Module{{Name: "boom", Commands: []Command{{Name: "boom", Hidden: true, Handler: func(c *Ctx) error {
			calls.Add(1)
			panic("handler bug")
		}}}}})
	})
	h.send(lan, "/boom")
	h.expect(lan, "đã có lỗi xảy ra")
	if !strings.Contains(h.logs.String(), "panic in handler") || !strings.Contains(h.logs.String(), "update_id=") {
		t.Fatalf("panic not logged with update ID:\n%s", h.logs.String())
	}
	h.send(lan, "/help")
	h.expect(lan, "Hướng dẫn")
	if calls.Load() != 1 {
		t.Fatalf("panicking update handled %d times", calls.Load())
	}
}

func TestCommandMenus(t *testing.T) {
	h := newHarness(t)
	h.send(admin, "/start")
	h.restart() // menus are set at start, including staff chats
	calls := h.srv.CallsTo("setMyCommands")
	var vi, en, staff bool
	for _, c := range calls {
		switch {
		case strings.Contains(c.Params["scope"], `"chat"`):
			staff = strings.Contains(c.Params["scope"], fmt.Sprint(admin.ID))
		case c.Params["language_code"] == "vi":
			vi = strings.Contains(c.Params["commands"], "Hướng dẫn")
		case c.Params["language_code"] == "en":
			en = strings.Contains(c.Params["commands"], "How to use")
		}
	}
	if !vi || !en || !staff {
		t.Fatalf("menus vi=%v en=%v staff=%v: %+v", vi, en, staff, calls)
	}
	// A failing setMyCommands is not fatal.
	h.srv.Inject("setMyCommands", telegramtest.Fault{Code: 500})
	h.restart()
	h.send(lan, "/help")
	h.expect(lan, "Hướng dẫn")
}

func TestSlowChatDoesNotBlockOthersAndCrashRedelivers(t *testing.T) {
	release := make(chan struct{})
	var calls atomic.Int32
	h := newHarness(t, func(o *Options) {
		o.SetExtraModules([]Module{{Name: "slow", Commands: []Command{{Name: "slow", Hidden: true, Handler: func(c *Ctx) error {
			calls.Add(1)
			select {
			case <-release:
			case <-c.Context().Done():
				return c.Context().Err()
			}
			c.Say("common.done")
			return nil
		}}}}})
	})
	h.srv.SendText(lan, "/slow")
	h.srv.SendText(tom, "/help")
	// Tom is answered while Lan's update is still being handled.
	if !h.srv.WaitMessages(tom.ID, 1, 5*time.Second) {
		t.Fatal("a slow chat blocked another chat")
	}
	if h.srv.SentTo(lan.ID) != 0 {
		t.Fatal("slow handler answered early")
	}
	// The process stops while Lan's update is in flight: nothing of it is
	// committed or acknowledged, so Telegram delivers it again.
	h.restart()
	if !h.srv.WaitFor(5*time.Second, func(*telegramtest.Server) bool { return calls.Load() == 2 }) {
		t.Fatalf("in-flight update not redelivered after restart (calls %d)", calls.Load())
	}
	close(release)
	h.idle()
	h.expect(lan, "Xong")
	if n := h.srv.SentTo(lan.ID); n != 1 {
		t.Fatalf("Lan got %d replies, want 1", n)
	}
	// Tom's update, redelivered with Lan's, was recognised and skipped.
	if n := h.srv.SentTo(tom.ID); n != 1 {
		t.Fatalf("Tom got %d replies, want 1", n)
	}
}

func TestAfterCommitRunsOnlyOnSuccess(t *testing.T) {
	var ran atomic.Int32
	h := newHarness(t, func(o *Options) {
		o.SetExtraModules([]Module{{Name: "t", Commands: []Command{
			{Name: "ok", Hidden: true, Handler: func(c *Ctx) error {
				c.AfterCommit(func() { ran.Add(1) })
				c.Do(func(tx *store.Tx) error { return nil })
				return nil
			}},
			{Name: "refused", Hidden: true, Handler: func(c *Ctx) error {
				c.AfterCommit(func() { ran.Add(100) })
				return Refuse("common.not_allowed")
			}},
			{Name: "opfails", Hidden: true, Handler: func(c *Ctx) error {
				c.AfterCommit(func() { ran.Add(100) })
				c.Do(func(tx *store.Tx) error { return Refuse("common.empty") })
				return nil
			}},
		}}})
	})
	h.send(lan, "/ok")
	h.send(lan, "/refused")
	h.expect(lan, "không có quyền")
	h.send(lan, "/opfails")
	h.expect(lan, "chưa nhập nội dung")
	if got := ran.Load(); got != 1 {
		t.Fatalf("after-commit functions ran %d (want only the successful one)", got)
	}
}
