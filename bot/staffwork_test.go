package bot_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	. "github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/store"
	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
)

// questionsOf lists every stored question.
func questionsOf(h *harness) []*store.Question {
	h.t.Helper()
	var out []*store.Question
	h.st.View(func(tx *store.Tx) error {
		for id := uint64(1); ; id++ {
			q, err := tx.Question(id)
			if err != nil {
				return nil
			}
			out = append(out, q)
		}
	})
	return out
}

// Staff questions: small talk and nonsense stay with the bot; a forwarded
// follow-up shows staff the user's own words and the bot's answer; staff
// close a question as already answered, and the asker is told.
func TestStaffQuestions(t *testing.T) {
	h := newPolicyHarness(t)
	h.send(admin, "/start")
	h.send(lan, "/start")

	for _, text := range []string{"Thời tiết Tam Kỳ hôm nay thế nào?", "giá vàng sjc hôm nay", "kể chuyện cười đi", "asdfgh jklqwr", "12345 !!!"} {
		h.send(lan, text)
		m := h.last(lan)
		if hasButton(m, "ask:fwd:") {
			t.Errorf("%q offered to staff: %s", text, m.Text)
		}
	}
	h.expect(lan, "nằm ngoài phạm vi đó nên mình không chuyển cho cán bộ")
	if qs := questionsOf(h); len(qs) != 0 {
		t.Fatalf("off-topic messages stored for staff: %+v", qs[0])
	}

	// A question, then a suggested follow-up, then "ask staff as well".
	asked := "gian hàng khởi nghiệp ở siêu thị được hỗ trợ bao nhiêu"
	h.send(lan, asked)
	first := h.last(lan)
	if !hasButton(first, "ask:fu:") {
		t.Fatalf("no follow-up buttons: %+v", first.Buttons)
	}
	for _, row := range first.Buttons {
		for _, b := range row {
			if strings.Contains(b.Text, "chưa có") {
				t.Errorf("follow-up about missing data: %q", b.Text)
			}
		}
	}
	h.press(lan, "ask:fu:")
	h.press(lan, "ask:fwd:")
	h.expect(lan, "Đã chuyển câu hỏi của bạn cho cán bộ")
	staffMsg := h.expect(admin, "Câu hỏi mới cần cán bộ trả lời", "Người dân hỏi: <i>"+asked, "Sau đó bấm câu hỏi gợi ý", "Trợ lý đã trả lời")
	if !hasButton(staffMsg, "asks:close:") {
		t.Fatalf("no close buttons for staff: %+v", staffMsg.Buttons)
	}

	// /start tells staff what is waiting; /questions shows the same.
	h.send(admin, "/start")
	h.expect(admin, "Việc đang chờ bạn:</b> 0 ý tưởng chờ duyệt, 1 câu hỏi chờ trả lời", "Trả lời câu hỏi (1)")
	if menu := staffMenu(h); !strings.Contains(menu, "📨 Câu hỏi chờ trả lời") || !strings.Contains(menu, "🛠 Duyệt ý tưởng") {
		t.Fatalf("staff menu: %s", menu)
	}
	h.press(admin, "asks:list")
	h.expect(admin, "Người dân hỏi: <i>"+asked, "Trợ lý đã trả lời", "Trợ lý đã trả lời đúng", "Ngoài phạm vi hỗ trợ")

	h.press(admin, "asks:close:")
	h.expect(admin, "Đã đóng câu hỏi")
	h.expect(lan, "xác nhận câu trả lời của trợ lý là đúng")
	qs := questionsOf(h)
	last := qs[len(qs)-1]
	if last.Status != store.QuestionClosed || last.Closed != store.CloseAnswered || last.Asked != asked {
		t.Fatalf("closed question: %+v", last)
	}
	// Closed means closed: answering or closing again is refused.
	pressData(h, admin, "asks:reply:"+itoa(last.ID))
	h.expect(admin, "đã được đóng rồi")
	h.send(admin, "/questions")
	h.expect(admin, "Câu hỏi đang chờ cán bộ trả lời: 0")
	h.send(admin, "/start")
	h.expect(admin, "không có câu hỏi nào chờ cán bộ trả lời")
}

// The review queue: "next" is on every card after every action, counts
// right with one idea left, decline asks first, and each action says what
// it did.
func TestReviewQueueWords(t *testing.T) {
	h, _ := newIdeaHarness(t)
	a := submitIdea(h, lan, samTitle, samDesc, true)
	b := submitIdea(h, mai, "Tour trải nghiệm làng gốm Thanh Hà", "Du lịch cộng đồng ở làng gốm Thanh Hà, Hội An.", true)

	h.send(admin, "/start")
	h.expect(admin, "2 ý tưởng chờ duyệt", "Duyệt ý tưởng (2)")
	h.send(admin, "🛠 Duyệt ý tưởng") // the staff menu button
	h.expect(admin, "Hàng chờ duyệt: 2 ý tưởng", a.Code)
	h.press(admin, "rv:q:n:"+itoa(a.ID))
	h.expect(admin, "thứ 2", b.Code)

	// Ask the author: the card keeps "next", the reply says what was done.
	h.press(admin, "rv:t:ask:"+itoa(b.ID))
	h.send(admin, "Tour đi mấy giờ?")
	h.expect(admin, "Đã gửi câu hỏi cho tác giả ý tưởng "+b.Code)
	h.expect(mai, "Tour đi mấy giờ?")
	if m := h.last(admin); !hasButton(m, "rv:q:n:") {
		t.Fatalf("no next button after asking: %+v", m.Buttons)
	}
	// b waits for its author: one idea is left in the queue.
	h.press(admin, "rv:q:n:"+itoa(b.ID))
	h.expect(admin, "còn đúng 1 ý tưởng", a.Code)
	h.press(admin, "rv:q:n:"+itoa(a.ID))
	h.expect(admin, "Đây là ý tưởng cuối cùng đang chờ duyệt")

	// Declining asks first; "change the reason" goes back to typing it.
	h.press(admin, "rv:t:dec:"+itoa(a.ID))
	h.send(admin, "Chưa rõ")
	h.expect(admin, "Từ chối ý tưởng "+a.Code+"?", "Chưa rõ", "Đúng, từ chối")
	h.press(admin, "rv_text:edit")
	h.send(admin, "Ý tưởng đã có chương trình khác hỗ trợ.")
	h.expect(admin, "Ý tưởng đã có chương trình khác hỗ trợ.")
	if s := h.idea(a.ID).Status; s == store.IdeaDeclined {
		t.Fatal("declined before the confirmation")
	}
	h.press(admin, "rv_text:yes:")
	h.expect(admin, "Đã từ chối ý tưởng "+a.Code+" và gửi lý do cho tác giả")
	h.expect(lan, "chương trình khác hỗ trợ")
	h.press(admin, "rv:q:n:"+itoa(a.ID))
	h.expect(admin, "Không còn ý tưởng nào chờ duyệt")
}

// Announcements: history in plain words with the scheduled time, a
// scheduled one cancelled before it starts, an event announcement with
// an RSVP button, and the attendee list for staff.
func TestBroadcastHistoryAndEvents(t *testing.T) {
	e := newJobEnv(t, Features{BroadcastRate: 1000}, eAdmin.ID)
	e.say(eAdmin, "/start")
	e.say(eLan, "/start")
	e.st.Update(func(tx *store.Tx) error { // Lan is in the event's audience
		u, err := tx.User(eLan.ID)
		if err != nil {
			return err
		}
		u.Kind = "youth"
		return tx.PutUser(u)
	})
	ev := publishEvent(e, eAdmin, "TechFest Tam Kỳ 2026", "20/3 8h")

	// Announce the event: the preview and the message carry RSVP.
	e.say(eAdmin, "/events")
	e.press(eAdmin, "ev:show:")
	e.press(eAdmin, "ev:announce:")
	e.harness.expect(eAdmin, "Tôi sẽ tham dự", "Bấm «🙋 Tôi sẽ tham dự» bên dưới")
	e.press(eAdmin, "bc:now:")
	e.b.RunJobs(context.Background())
	e.waitText(eLan, "TechFest Tam Kỳ 2026")
	e.press(eLan, "ev:rsvp:")
	if n := e.eventRSVPs(ev.ID); n != 1 {
		t.Fatalf("RSVPs after pressing the announcement's button: %d", n)
	}

	// Staff see who will attend and export the list.
	e.say(eAdmin, "/events")
	e.press(eAdmin, "ev:show:")
	e.press(eAdmin, "ev:att:")
	e.harness.expect(eAdmin, "Người sẽ tham dự «TechFest Tam Kỳ 2026»: 1", "1. Lan")
	e.press(eAdmin, "ev:attcsv:")
	docs := e.srv.CallsTo("sendDocument")
	if len(docs) == 0 {
		t.Fatal("no attendee file")
	}
	csvDoc := docs[len(docs)-1]
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(csvDoc.Files["document"], []byte("\ufeff")))).ReadAll()
	if err != nil || len(rows) != 2 || rows[1][1] != "Lan" {
		t.Fatalf("attendee csv %q: %v", rows, err)
	}
	for _, cell := range rows[1] {
		if cell == itoa(uint64(eLan.ID)) && cell != rows[1][0] {
			t.Fatalf("platform ID in the attendee file: %q", rows[1])
		}
	}
	e.forge(eLan, "ev:att:"+itoa(ev.ID))
	e.expect(eLan, e.T("common.not_allowed"))

	// A scheduled announcement, cancelled before its time.
	e.say(eAdmin, "/broadcast")
	e.say(eAdmin, "Lớp tập huấn <OCOP> sáng thứ 7")
	e.press(eAdmin, "bc:next")
	e.press(eAdmin, "bc:sched")
	e.say(eAdmin, "14/3 8h")
	e.press(eAdmin, "bc:confirm")
	e.harness.expect(eAdmin, "Hủy thông báo #2")
	e.say(eAdmin, "/broadcast history")
	m := e.harness.expect(eAdmin, "hẹn gửi", "14/03/2026", "Lớp tập huấn &lt;OCOP&gt; sáng thứ 7", "TechFest Tam Kỳ 2026", "Hủy thông báo #2")
	if strings.Contains(m.Text, "&lt;b&gt;") || strings.Contains(m.Text, "<b>TechFest") {
		t.Fatalf("raw tags in the history:\n%s", m.Text)
	}
	e.press(eAdmin, "bc:cancel:2")
	if j := e.job(2); j.Status != store.JobCancelled {
		t.Fatalf("job after cancel: %+v", j)
	}
	seen := e.srv.SentTo(eLan.ID)
	e.clock.Set(time.Date(2026, 3, 14, 8, 0, 1, 0, Vietnam))
	e.b.RunJobs(context.Background())
	if e.srv.SentTo(eLan.ID) != seen {
		t.Fatal("a cancelled announcement was sent")
	}
}

// An announcement for a former district reaches users who chose one of
// its new wards.
func TestAudienceFormerDistrict(t *testing.T) {
	e := newJobEnv(t, Features{BroadcastRate: 1000}, eAdmin.ID)
	e.say(eAdmin, "/start")
	e.addUsers(100, 3, func(u *store.User) {
		u.Locality = map[int64]string{100: "p-tamky", 101: "qn-tamky", 102: "qn-hoian"}[u.ID]
	})
	e.say(eAdmin, "/broadcast")
	e.say(eAdmin, "Hội thảo khởi nghiệp ở Tam Kỳ")
	e.press(eAdmin, "bc:a:loc")
	e.say(eAdmin, "tam ky")
	e.press(eAdmin, "bc:l:qn-tamky")
	e.press(eAdmin, "bc:menu")
	e.harness.expect(eAdmin, "Tiếp tục (2 người)")
	e.press(eAdmin, "bc:next")
	e.press(eAdmin, "bc:now:")
	e.b.RunJobs(context.Background())
	if e.srv.SentTo(100) != 1 || e.srv.SentTo(101) != 1 || e.srv.SentTo(102) != 0 {
		t.Fatalf("sent to ward %d, district %d, other %d", e.srv.SentTo(100), e.srv.SentTo(101), e.srv.SentTo(102))
	}
}

// staffMenu is the newest main-menu keyboard sent to the admin.
func staffMenu(h *harness) string {
	msgs := h.srv.Messages(admin.ID)
	for i := len(msgs) - 1; i >= 0; i-- {
		if len(msgs[i].Keyboard) > 0 {
			return fmt.Sprint(msgs[i].Keyboard)
		}
	}
	return ""
}

// eventRSVPs is an event's RSVP count.
func (e *jobEnv) eventRSVPs(id uint64) int {
	e.t.Helper()
	n := 0
	e.st.View(func(tx *store.Tx) error {
		return tx.EachRSVP(id, func(int64) error { n++; return nil })
	})
	return n
}

var _ = telegramtest.User{}
