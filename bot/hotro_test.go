package bot_test

import (
	"strings"
	"testing"

	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
)

// maxZaloButtons is how many buttons a Zalo message shows without paging.
const maxZaloButtons = 5

// buttons counts a message's inline buttons.
func buttons(m telegramtest.Message) int {
	n := 0
	for _, row := range m.Buttons {
		n += len(row)
	}
	return n
}

// tap presses a button and checks that each message it leads to fits
// Zalo. It returns them as one message: the text joined, the buttons of
// the last (a long list is split into several messages).
func (h *harness) tap(u telegramtest.User, prefix string) telegramtest.Message {
	h.t.Helper()
	before := len(h.srv.Messages(u.ID))
	h.press(u, prefix)
	return h.newSince(u, before)
}

func (h *harness) newSince(u telegramtest.User, before int) telegramtest.Message {
	h.t.Helper()
	msgs := h.srv.Messages(u.ID)
	if len(msgs) <= before {
		h.t.Fatalf("no new message to %s:\n%s", u.FirstName, h.srv.Transcript(u.ID))
	}
	var texts []string
	for _, m := range msgs[before:] {
		if n := buttons(m); n > maxZaloButtons {
			h.t.Fatalf("%d buttons on one screen (Zalo shows %d):\n%s", n, maxZaloButtons, m.Text)
		}
		texts = append(texts, m.Text)
	}
	out := msgs[len(msgs)-1]
	out.Text = strings.Join(texts, "\n")
	return out
}

func TestHotroGuide(t *testing.T) {
	h := newPolicyHarness(t)
	h.send(lan, "/hotro")
	h.expect(lan, "vài lần bấm", "Bạn là ai?", "Học sinh, sinh viên", "Khác…")
	if n := buttons(h.last(lan)); n > maxZaloButtons {
		t.Fatalf("first screen has %d buttons", n)
	}
	// The second page of "who" and back.
	h.tap(lan, "hotro:more")
	h.expect(lan, "Hợp tác xã", "Doanh nghiệp nhỏ")
	h.tap(lan, "hotro:who")
	h.tap(lan, "hotro:w:student")
	h.expect(lan, "giai đoạn nào")
	h.tap(lan, "hotro:s:idea")
	h.expect(lan, "lĩnh vực nào")
	h.tap(lan, "hotro:x:it")
	h.expect(lan, "hoạt động ở đâu")
	m := h.tap(lan, "hotro:a:quang_nam")
	for _, want := range []string{
		"Hỗ trợ dành cho bạn", "Học sinh, sinh viên · Mới có ý tưởng · Công nghệ thông tin · Quảng Nam (cũ)",
		"Tối đa 50 triệu đồng", "Giải đặc biệt 20 triệu đồng", "Điều kiện:", "Cách làm:",
		"Hiệu lực", "Nguồn: 09/2020/NQ-HĐND", "Chưa xác định được", "QĐ 454/QĐ-UBND",
	} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("guide lacks %q:\n%s", want, m.Text)
		}
	}
	// Most valuable first: the 50-million supports before the 20-million prize.
	if i, j := strings.Index(m.Text, "50 triệu"), strings.Index(m.Text, "Giải đặc biệt 20 triệu"); i < 0 || j < i {
		t.Errorf("guide not ordered by value:\n%s", m.Text)
	}
	if strings.Contains(m.Text, "phụ nữ khởi nghiệp 2026") {
		t.Errorf("a student got the women's scheme:\n%s", m.Text)
	}
	u := h.user(lan.ID)
	if u.Who != "student" || u.Stage != "idea" || u.Sector != "it" || u.Area != "quang_nam" || u.Kind != "student" || u.GuideSeen == "" {
		t.Fatalf("profile not kept: %+v", u)
	}
	// Remembered: the menu button shows the list at once, after a restart too.
	h.restart()
	before := len(h.srv.Messages(lan.ID))
	h.send(lan, "🎯 Tôi được hỗ trợ gì?")
	if m := h.newSince(lan, before); !strings.Contains(m.Text, "Hỗ trợ dành cho bạn") || !strings.Contains(m.Text, "Giải đặc biệt 20 triệu đồng") {
		t.Fatalf("kept profile not used:\n%s", m.Text)
	}
	// Changing the details asks again.
	h.tap(lan, "hotro:edit")
	h.expect(lan, "Bạn là ai?")
	h.tap(lan, "hotro:w:youth")
	h.tap(lan, "hotro:s:idea")
	h.tap(lan, "hotro:x:other")
	m = h.tap(lan, "hotro:a:other")
	if !strings.Contains(m.Text, "chưa có chương trình riêng cho thanh niên") || strings.Contains(m.Text, "NQ 09/2020") {
		t.Errorf("youth elsewhere:\n%s", m.Text)
	}
}

func TestHotroEnglish(t *testing.T) {
	h := newPolicyHarness(t)
	h.send(tom, "/hotro")
	h.expect(tom, "Who are you?")
	h.tap(tom, "hotro:more")
	h.tap(tom, "hotro:w:coop")
	h.tap(tom, "hotro:s:prototype")
	h.tap(tom, "hotro:x:agri")
	m := h.tap(tom, "hotro:a:quang_nam")
	for _, want := range []string{"Support for you", "OCOP product rating", "valid for 36 months", "Not determined"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("English guide lacks %q:\n%s", want, m.Text)
		}
	}
}

func TestHotroFromQuestion(t *testing.T) {
	h := newPolicyHarness(t)
	h.send(lan, "em là sinh viên thì được hỗ trợ gì")
	h.expect(lan, "giai đoạn nào") // who came from the question
	if u := h.user(lan.ID); u.Who != "student" {
		t.Fatalf("who not read from the question: %+v", u)
	}
	// A question about a topic is still a policy question.
	h.send(tom, "nuoi ong lay mat duoc ho tro gi")
	if strings.Contains(h.last(tom).Text, "Who are you") || strings.Contains(h.last(tom).Text, "What stage") {
		t.Fatalf("a topic question went to the guide:\n%s", h.last(tom).Text)
	}
}

func TestHotroForgedButtons(t *testing.T) {
	h := newPolicyHarness(t)
	h.send(lan, "/hotro")
	for _, data := range []string{"hotro:w:pirate", "hotro:a:hue", "hotro:s", "hotro:x:agri:extra"} {
		h.srv.Press(lan, h.last(lan).ID, data)
		h.idle()
	}
	if u := h.user(lan.ID); u.Who != "" || u.Area != "" || u.Stage != "" || u.Sector != "" {
		t.Fatalf("forged data changed the profile: %+v", u)
	}
}

func TestHotroWithoutKnowledgeBase(t *testing.T) {
	h := newHarness(t)
	h.send(lan, "/hotro")
	h.expect(lan, "tạm dừng")
}

// studentDoc grants students a support: uploading it changes students'
// guides, not farmers'.
const studentDoc = `+++
number = "77/2026/QĐ-TEST"
title = "Quyết định thử nghiệm hỗ trợ sinh viên"
status = "in_force"
locality = "Toàn quốc"

[[support]]
section = "Học bổng khởi nghiệp"
title = "Học bổng khởi nghiệp thử nghiệm"
amount = "Tối đa 30 triệu đồng"
value = 30000000
who = ["student"]
+++

## Học bổng khởi nghiệp
Sinh viên khởi nghiệp được học bổng tối đa 30 triệu đồng.
`

func (h *harness) upload(name, doc string) {
	h.t.Helper()
	h.send(admin, "/kb")
	h.srv.PutFile("file-"+name, []byte(doc))
	h.srv.SendDocument(admin, "file-"+name, name, len(doc))
	h.idle()
	h.expect(admin, "Đã cập nhật văn bản")
}

var nam = telegramtest.User{ID: 103, FirstName: "Nam", LanguageCode: "vi"}

func TestHotroOfferedAgainAfterUpload(t *testing.T) {
	h := newPolicyHarness(t)
	for _, u := range []struct {
		who telegramtest.User
		w   string
	}{{lan, "student"}, {nam, "farmer"}} {
		h.send(u.who, "/hotro")
		h.tap(u.who, "hotro:w:"+u.w)
		h.tap(u.who, "hotro:s:idea")
		h.tap(u.who, "hotro:x:agri")
		h.tap(u.who, "hotro:a:quang_nam")
	}
	lanBefore, namBefore := h.srv.SentTo(lan.ID), h.srv.SentTo(nam.ID)
	h.upload("sv.md", studentDoc)
	h.waitText(lan, "danh sách hỗ trợ dành cho bạn đã thay đổi")
	if got := h.srv.SentTo(lan.ID) - lanBefore; got != 1 {
		t.Errorf("student got %d messages, want one notice", got)
	}
	if h.srv.SentTo(nam.ID) != namBefore {
		t.Errorf("the farmer was told about a student support:\n%s", h.srv.Transcript(nam.ID))
	}
	m := h.tap(lan, "hotro:show")
	if !strings.Contains(m.Text, "Học bổng khởi nghiệp thử nghiệm") || !strings.Contains(m.Text, "Tối đa 30 triệu đồng") {
		t.Fatalf("new support not shown:\n%s", m.Text)
	}
	// The same upload again changes nothing: no second notice.
	n := h.srv.SentTo(lan.ID)
	h.upload("sv.md", studentDoc)
	if h.srv.SentTo(lan.ID) != n {
		t.Errorf("a repeated upload notified again:\n%s", h.srv.Transcript(lan.ID))
	}
}
