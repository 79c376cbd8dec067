package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/qnstartup/trolykhoinghiep/store"
)

func (h *harness) question(id uint64) *store.Question {
	h.t.Helper()
	var q *store.Question
	if err := h.st.View(func(tx *store.Tx) error {
		var err error
		q, err = tx.Question(id)
		return err
	}); err != nil {
		h.t.Fatalf("question %d: %v", id, err)
	}
	return q
}

func TestAskAnswersWithCitationAndValidity(t *testing.T) {
	h := newPolicyHarness(t)
	// Everyday Vietnamese without diacritics, as typed on a cheap phone.
	h.send(lan, "tham gia ngay hoi khoi nghiep o Quang Nam duoc ho tro bao nhieu tien")
	h.expect(lan, "8 triệu", "09/2020/NQ-HĐND", "2021–2025", "Đà Nẵng", "Hữu ích")
	q := h.question(1)
	if q.Refused || q.UserID != lan.ID || len(q.Docs) == 0 || q.Docs[0] != "09/2020/NQ-HĐND" {
		t.Fatalf("recorded question: %+v", q)
	}
	// Telex slips work too, through the /ask command.
	h.send(lan, "/ask khoiwr nghieepj sinh vieen dduowcj hoox trowj gif")
	h.expect(lan, "1665")

	h.press(lan, "ask:vote:1:up")
	if h.question(1).Vote != 1 {
		t.Fatal("vote not recorded")
	}
	// Another user cannot vote on Lan's answer with forged data.
	h.srv.Press(tom, 1, "ask:vote:1:down")
	h.idle()
	if h.question(1).Vote != 1 {
		t.Fatal("forged vote changed the record")
	}
	// A follow-up button asks the related question.
	h.press(lan, "ask:fu:1:0")
	if h.question(3).UserID != lan.ID {
		t.Fatal("follow-up not answered")
	}
}

func TestAskMenuAndSmallTalk(t *testing.T) {
	h := newPolicyHarness(t)
	h.send(lan, "❓ Hỏi chính sách")
	h.expect(lan, "Bạn muốn hỏi gì")
	h.send(lan, "OCOP 4 sao là gì?")
	h.expect(lan, "148/QĐ-TTg")
	h.send(lan, "xin chào")
	h.expect(lan, "Xin chào")
	var n int
	h.st.View(func(tx *store.Tx) error {
		for id := uint64(1); id < 5; id++ {
			if _, err := tx.Question(id); err == nil {
				n++
			}
		}
		return nil
	})
	if n != 1 {
		t.Fatalf("%d questions recorded, want 1 (small talk is not a question)", n)
	}
}

func TestAskRefusalHandOffAndCuratedAnswer(t *testing.T) {
	h := newPolicyHarness(t)
	h.send(admin, "/start")
	h.send(lan, "Hà Nội hỗ trợ doanh nghiệp mới thành lập bao nhiêu tiền vậy?")
	h.expect(lan, "chưa có chính sách riêng của Hà Nội", "Chuyển câu hỏi cho cán bộ")
	if q := h.question(1); !q.Refused {
		t.Fatalf("not refused: %+v", q)
	}
	// Someone else cannot forward Lan's question.
	h.srv.Press(tom, 1, "ask:fwd:1")
	h.idle()
	if h.question(1).Status != store.QuestionAnswered {
		t.Fatal("forged forward accepted")
	}
	h.press(lan, "ask:fwd:1")
	h.expect(lan, "Đã chuyển câu hỏi")
	h.expect(admin, "Câu hỏi mới cần cán bộ trả lời", "Hà Nội", "Trả lời")
	h.press(lan, "ask:fwd:1") // twice: no second notification
	staffMsgs := h.srv.SentTo(admin.ID)

	h.send(admin, "/questions")
	h.expect(admin, "Câu hỏi đang chờ cán bộ trả lời: 1", "#1")
	// A citizen cannot answer or list questions.
	h.send(lan, "/questions")
	h.expect(lan, "không có quyền")
	h.srv.Press(lan, 1, "asks:reply:1")
	h.idle()
	if st := h.state(lan.ID); st.Flow != "" {
		t.Fatalf("citizen entered the staff flow: %+v", st)
	}

	h.press(admin, "asks:reply:1")
	h.expect(admin, "Bạn gõ câu trả lời")
	h.send(admin, "Hà Nội có chính sách riêng; bạn liên hệ Sở KH&CN Hà Nội để biết mức hỗ trợ.")
	h.expect(lan, "Cán bộ hỗ trợ khởi nghiệp đã trả lời", "Sở KH&amp;CN Hà Nội")
	if q := h.question(1); q.Status != store.QuestionStaffAnswered || q.StaffID != admin.ID {
		t.Fatalf("after staff answer: %+v", q)
	}
	if h.srv.SentTo(admin.ID) < staffMsgs {
		t.Fatal("staff messages went missing")
	}
	h.setNow(time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC))
	h.press(admin, "asks:save:1")
	// Tom asks the same thing in other words and gets the staff answer,
	// cited with the day staff answered.
	h.send(tom, "Hà Nội hỗ trợ doanh nghiệp mới thành lập bao nhiêu tiền?")
	h.expect(tom, "Sở KH&amp;CN Hà Nội", "Staff answer, 4/3/2026.")
	h.send(lan, "ha noi ho tro doanh nghiep moi thanh lap bao nhieu tien")
	h.expect(lan, "Sở KH&amp;CN Hà Nội", "Trả lời của cán bộ, ngày 4/3/2026.")
	if q := h.question(2); q.Mode != "curated" {
		t.Fatalf("second asker got mode %q", q.Mode)
	}
	// The list is empty again.
	h.send(admin, "/questions")
	h.expect(admin, "Câu hỏi đang chờ cán bộ trả lời: 0")
}

const uploadedDoc = `+++
number = "99/2026/QĐ-TEST"
title = "Quy định thử nghiệm về hỗ trợ nuôi ong lấy mật"
issuer = "UBND thử nghiệm"
status = "in_force"
locality = "Đà Nẵng"
aliases = ["quyết định nuôi ong"]
sources = ["https://example.org/ong"]
+++

## Mức hỗ trợ nuôi ong
Hộ nuôi ong lấy mật được hỗ trợ thùng ong và tập huấn kỹ thuật nuôi ong.
`

func TestKBUpload(t *testing.T) {
	h := newPolicyHarness(t)
	h.send(admin, "/kb")
	h.expect(admin, "Cơ sở dữ liệu chính sách có", "09/2020/NQ-HĐND")
	h.srv.PutFile("doc-bad", []byte("# no front matter\n"))
	h.srv.SendDocument(admin, "doc-bad", "bad.md", 18)
	h.idle()
	h.expect(admin, "Tệp chưa hợp lệ")
	h.srv.SendDocument(admin, "doc-x", "notes.txt", 10)
	h.idle()
	h.expect(admin, ".md")
	h.srv.PutFile("doc-ong", []byte(uploadedDoc))
	h.srv.SendDocument(admin, "doc-ong", "nuoi-ong.md", len(uploadedDoc))
	h.idle()
	h.expect(admin, "Đã cập nhật văn bản 99/2026/QĐ-TEST")

	h.send(lan, "nuoi ong lay mat duoc ho tro gi")
	h.expect(lan, "thùng ong", "99/2026/QĐ-TEST")
	// Kept in the store: still applied after a restart.
	h.restart()
	h.send(tom, "hỗ trợ nuôi ong lấy mật")
	h.expect(tom, "99/2026/QĐ-TEST")

	// Citizens cannot upload.
	h.send(lan, "/kb")
	h.expect(lan, "không có quyền")
}

func TestAskUnavailableWithoutKnowledgeBase(t *testing.T) {
	h := newHarness(t)
	h.send(lan, "ho tro khoi nghiep")
	if !strings.Contains(h.last(lan).Text, "tạm dừng") {
		t.Fatalf("reply: %s", h.last(lan).Text)
	}
}
