package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	. "github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/store"
	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
)

// fillIdea answers every step of the idea flow up to the review screen.
func fillIdea(h *harness, u telegramtest.User, title string) {
	h.t.Helper()
	ideaToContact(h, u, title, samDesc, "tam ky", "p-tamky", "coop")
	h.send(u, "0235 3812 345") // the cooperative's office
	h.press(u, "idea:vis:pub")
	h.press(u, "idea:consent:yes")
	h.expect(u, "Bạn kiểm tra lại", title, "+842353812345", "Phường Tam Kỳ")
}

// lastWith is the newest message to u with a button whose data starts
// with prefix.
func lastWith(h *harness, u telegramtest.User, prefix string) (telegramtest.Message, string) {
	h.t.Helper()
	msgs := h.srv.Messages(u.ID)
	for i := len(msgs) - 1; i >= 0; i-- {
		for _, row := range msgs[i].Buttons {
			for _, b := range row {
				if strings.HasPrefix(b.Data, prefix) {
					return msgs[i], b.Data
				}
			}
		}
	}
	h.t.Fatalf("no button %q for %s", prefix, u.FirstName)
	return telegramtest.Message{}, ""
}

func countIdeas(h *harness, u telegramtest.User) int {
	h.t.Helper()
	var n int
	h.st.View(func(tx *store.Tx) error {
		ideas, err := tx.IdeasByAuthor(u.ID)
		n = len(ideas)
		return err
	})
	return n
}

// Nothing typed is thrown away: back from an edit returns to the review,
// cancel asks first, commands pause the draft, and a confirm button
// confirms only the draft it was shown for.
func TestFlowsKeepTheDraft(t *testing.T) {
	h, _ := newIdeaHarness(t)

	// The first step offers cancel only: going back would leave the flow.
	h.send(lan, "/idea")
	if m := h.last(lan); len(m.Keyboard) == 0 || strings.Contains(fmt.Sprint(m.Keyboard), "Quay lại") {
		t.Fatalf("first step keyboard: %v", m.Keyboard)
	}
	h.send(lan, "✖️ Hủy") // nothing typed yet: cancels at once
	h.expect(lan, "Đã hủy")

	fillIdea(h, lan, samTitle)

	t.Run("back from an edit returns to the review", func(t *testing.T) {
		for _, field := range []string{"title", "desc", "sector"} {
			h.press(lan, "idea:edit:"+field)
			h.send(lan, "⬅️ Về trang xem lại")
			h.expect(lan, "Bạn kiểm tra lại", samTitle, "+842353812345")
		}
		// The plain "back" label works too.
		h.press(lan, "idea:edit:title")
		h.send(lan, "⬅️ Quay lại")
		h.expect(lan, "Bạn kiểm tra lại", samTitle)
		if st := h.state(lan.ID); st.Flow != "idea" || st.Draft["desc"] != samDesc {
			t.Fatalf("draft after back: %+v", st)
		}
	})

	t.Run("cancel asks once", func(t *testing.T) {
		h.send(lan, "✖️ Hủy")
		h.expect(lan, "Bạn có chắc muốn bỏ hết không?")
		h.press(lan, "nav:resume")
		h.expect(lan, "Bạn kiểm tra lại", samTitle)
		h.send(lan, "/cancel")
		h.expect(lan, "Bạn có chắc")
		if st := h.state(lan.ID); st.Flow != "idea" {
			t.Fatalf("draft gone after the question: %+v", st)
		}
	})

	t.Run("a command pauses the flow visibly", func(t *testing.T) {
		h.send(lan, "/start")
		h.expect(lan, "Mình tạm dừng «gửi ý tưởng»")
		// The next question typed is not taken as an answer.
		h.send(lan, "Thủ tục đăng ký hộ kinh doanh thế nào?")
		if st := h.state(lan.ID); !st.Paused || st.Draft["title"] != samTitle || st.Draft["desc"] != samDesc {
			t.Fatalf("paused draft: %+v", st)
		}
		// Starting the flow again asks: continue or start again.
		h.send(lan, "💡 Gửi ý tưởng")
		h.expect(lan, "Bạn đang có bản nháp «gửi ý tưởng» chưa xong", "Làm tiếp bản nháp", "Bắt đầu lại")
		h.press(lan, "nav:resume")
		h.expect(lan, "Bạn kiểm tra lại", samTitle)
	})

	t.Run("a button that starts another flow asks first", func(t *testing.T) {
		h.send(lan, "/ideas") // pauses the draft
		h.press(lan, "bank:q:")
		h.expect(lan, "Bạn đang có bản nháp «gửi ý tưởng» chưa xong")
		if st := h.state(lan.ID); st.Flow != "idea" || st.Draft["title"] != samTitle {
			t.Fatalf("draft dropped by a button: %+v", st)
		}
		h.press(lan, "nav:resume")
		h.expect(lan, "Bạn kiểm tra lại", samTitle)
		// Starting over runs the button that asked.
		h.send(lan, "/ideas")
		h.press(lan, "bank:q:")
		h.press(lan, "nav:restart:b")
		if st := h.state(lan.ID); st.Flow != "bank_search" {
			t.Fatalf("after starting over: %+v", st)
		}
		h.send(lan, "/cancel")
		h.send(lan, "/idea")
		fillIdea(h, lan, samTitle)
	})

	t.Run("a stale confirm button is refused", func(t *testing.T) {
		old, oldData := lastWith(h, lan, "idea:ok:")
		h.press(lan, "idea:edit:title")
		h.send(lan, "Sấy sâm bằng năng lượng mặt trời")
		h.expect(lan, "Bạn kiểm tra lại", "Sấy sâm bằng năng lượng")
		h.srv.Press(lan, old.ID, oldData)
		h.idle()
		h.expect(lan, "Nút này thuộc một bản nháp cũ", "Bạn kiểm tra lại")
		if n := countIdeas(h, lan); n != 0 {
			t.Fatalf("stale confirm saved %d ideas", n)
		}
		h.press(lan, "idea:ok:")
		h.expect(lan, "Mã ý tưởng")
		if i := h.idea(1); i.Title != "Sấy sâm bằng năng lượng mặt trời" || i.Phone != "+842353812345" || i.Locality != "p-tamky" {
			t.Fatalf("saved idea: %+v", i)
		}
	})

	t.Run("start again drops the draft", func(t *testing.T) {
		h.send(lan, "/idea")
		h.send(lan, "Tên một")
		h.send(lan, "/idea")
		h.expect(lan, "Bạn đang có bản nháp")
		h.press(lan, "nav:restart:")
		h.expect(lan, "Bước 1")
		if st := h.state(lan.ID); st.Draft["title"] != "" || st.Paused {
			t.Fatalf("draft after restart: %+v", st)
		}
	})
}

// A typed phone number is checked; a bad one says what to type.
func TestIdeaTypedPhone(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"0905 123 456", "+84905123456"},
		{"+84 905 123 456", "+84905123456"},
		{"0235.3812.345", "+842353812345"},
		{"(0235) 3812345", "+842353812345"},
		{"84905123456", "+84905123456"},
		{"0905 123", ""},
		{"+1 202 555 0100", ""},
		{"số nhà 12", ""},
		{"00905123456", ""},
		{"090512345678", ""},
	} {
		got, ok := ParsePhone(tc.in)
		if ok != (tc.want != "") || got != tc.want {
			t.Errorf("ParsePhone(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
	h, _ := newIdeaHarness(t)
	ideaToContact(h, lan, samTitle, samDesc, "dai loc", "qn-dailoc", "coop")
	h.send(lan, "0905 12")
	h.expect(lan, "10 hoặc 11 chữ số")
	h.send(lan, "+84 905 123 456")
	h.expect(lan, "Đã lưu số +84905123456", "Bước 8")
}

// The event flow reads weekdays in words and says what it understood; a
// stale publish button does nothing.
func TestEventDateWords(t *testing.T) {
	e := newJobEnv(t, Features{}, eAdmin.ID)
	// Wednesday 2/12/2026, 10:00.
	e.clock.Set(time.Date(2026, 12, 2, 10, 0, 0, 0, Vietnam))
	e.say(eAdmin, "/newevent")
	e.say(eAdmin, "Ngày hội khởi nghiệp Tam Kỳ")
	e.say(eAdmin, "thứ 7 tuần sau 8h-11h30")
	e.harness.expect(eAdmin, "Mình hiểu là: <b>Thứ Bảy 12/12/2026, 08:00–11:30</b>")
	e.say(eAdmin, "⬅️ Quay lại")
	e.say(eAdmin, "sáng thứ bảy tuần sau 8 giờ")
	e.harness.expect(eAdmin, "Thứ Bảy 12/12/2026, 08:00</b>")
	e.say(eAdmin, "Nhà Văn hóa tỉnh")
	e.say(eAdmin, "Gian hàng và hội thảo")
	e.press(eAdmin, "ev:skip")
	e.press(eAdmin, "ev:next")
	e.press(eAdmin, "ev:skip")
	e.expect(eAdmin, "Ngày hội khởi nghiệp Tam Kỳ")
	e.press(eAdmin, "ev:publish:")
	var ev *store.Event
	e.st.View(func(tx *store.Tx) error {
		evs, _, _ := tx.UpcomingEvents(time.Unix(0, 0), 0, 10)
		if len(evs) == 1 {
			ev = evs[0]
		}
		return nil
	})
	if ev == nil || !ev.Start.Equal(time.Date(2026, 12, 12, 8, 0, 0, 0, Vietnam)) {
		t.Fatalf("event: %+v", ev)
	}
}

// An old "send now" button never sends the announcement now at preview.
func TestBroadcastStaleConfirm(t *testing.T) {
	e := newJobEnv(t, Features{BroadcastRate: 1000}, eAdmin.ID)
	e.say(eAdmin, "/start")
	e.say(eLan, "/start")
	e.say(eAdmin, "/broadcast")
	e.say(eAdmin, "Thông báo A")
	e.press(eAdmin, "bc:next")
	old, oldData := lastWith(e.harness, eAdmin, "bc:now:")
	e.press(eAdmin, "bc:edit")
	e.say(eAdmin, "Thông báo B")
	e.harness.expect(eAdmin, "Thông báo B")
	e.srv.Press(eAdmin, old.ID, oldData)
	e.idle()
	e.waitText(eAdmin, "Nút này thuộc một bản nháp cũ")
	var n int
	e.st.View(func(tx *store.Tx) error {
		js, err := tx.RecentBroadcasts(store.JobAnnounce, 10)
		n = len(js)
		return err
	})
	if n != 0 {
		t.Fatalf("stale button created %d jobs", n)
	}
	e.press(eAdmin, "bc:now:")
	e.st.View(func(tx *store.Tx) error {
		js, err := tx.RecentBroadcasts(store.JobAnnounce, 10)
		if err != nil || len(js) != 1 || js[0].Text != "Thông báo B" {
			t.Fatalf("jobs after confirm: %v %v", js, err)
		}
		return nil
	})
}
