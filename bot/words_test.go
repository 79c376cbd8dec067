package bot_test

import (
	"strings"
	"testing"

	. "github.com/qnstartup/trolykhoinghiep/bot"
)

// Words: labels are not repeated, answers lead with the document rather
// than a web site, follow-ups are real questions, and the audit log speaks
// Vietnamese (see TestIdeaLifecycle).
func TestWords(t *testing.T) {
	t.Run("event review names its audience once", func(t *testing.T) {
		e := newJobEnv(t, Features{}, eAdmin.ID)
		e.say(eAdmin, "/newevent")
		e.say(eAdmin, "Hội chợ OCOP Tam Kỳ")
		e.say(eAdmin, "20/3 8h")
		e.say(eAdmin, "Nhà Văn hóa tỉnh")
		e.say(eAdmin, "Gian hàng sản phẩm OCOP")
		e.press(eAdmin, "ev:skip")
		e.press(eAdmin, "ev:a:kind")
		e.press(eAdmin, "ev:k:farmer")
		e.press(eAdmin, "ev:menu")
		e.press(eAdmin, "ev:next")
		e.press(eAdmin, "ev:skip")
		m := e.last(eAdmin)
		if !strings.Contains(m, "Sự kiện dành cho:") || !strings.Contains(m, "Nông dân") || strings.Count(m, "Đối tượng") > 1 {
			t.Fatalf("event review:\n%s", m)
		}
	})

	t.Run("answers lead with the document", func(t *testing.T) {
		h := newPolicyHarness(t)
		for _, q := range []string{"Đề án 1377 đặt mục tiêu gì", "Đề án 844 giai đoạn hiện tại tập trung hỗ trợ ai"} {
			h.send(lan, q)
			m := h.last(lan)
			for _, site := range []string{"Theo vjs.vietnam.vn", "Theo startup.gov.vn"} {
				if strings.Contains(m.Text, site) {
					t.Errorf("%q: answer names a web site first:\n%s", q, m.Text)
				}
			}
			for _, row := range m.Buttons {
				for _, b := range row {
					if strings.Contains(b.Text, "chưa có") || strings.Contains(b.Text, "Thông tin chung") {
						t.Errorf("%q: follow-up is a heading, not a question: %q", q, b.Text)
					}
				}
			}
		}
	})
}
