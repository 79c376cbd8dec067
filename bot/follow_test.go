package bot_test

import (
	"os"
	"slices"
	"strings"
	"testing"
)

const oldTestDoc = `+++
number = "55/2020/QĐ-TEST"
title = "Quyết định thử nghiệm hỗ trợ nuôi ong lấy mật giai đoạn cũ"
status = "replaced"
replaced_by = "56/2026/QĐ-TEST"
locality = "Đà Nẵng"
+++

## Mức hỗ trợ nuôi ong
Hộ nuôi ong lấy mật được hỗ trợ thùng ong theo quyết định thử nghiệm giai đoạn cũ.
`

const newTestDoc = `+++
number = "56/2026/QĐ-TEST"
title = "Quyết định thử nghiệm hỗ trợ nuôi ong lấy mật giai đoạn mới"
status = "in_force"
locality = "Đà Nẵng"
+++

## Mức hỗ trợ nuôi ong
Hộ nuôi ong lấy mật được hỗ trợ thùng ong và tập huấn theo quyết định thử nghiệm giai đoạn mới.
`

func TestFollowPolicy(t *testing.T) {
	h := newPolicyHarness(t)
	h.send(lan, "Nghị quyết 09 còn hiệu lực không?")
	h.expect(lan, "09/2020/NQ-HĐND", "Theo dõi văn bản này")
	h.press(lan, "fol:add:")
	h.expect(lan, "Đã theo dõi 09/2020/NQ-HĐND")
	if u := h.user(lan.ID); !slices.Equal(u.Follows, []string{"09/2020/NQ-HĐND"}) {
		t.Fatalf("follows: %v", u.Follows)
	}
	h.press(lan, "fol:add:")
	h.expect(lan, "đang theo dõi 09/2020/NQ-HĐND rồi")
	h.send(tom, "hello")
	tomBefore := h.srv.SentTo(tom.ID)

	// Staff update the document: one short notice to the follower only.
	data, err := os.ReadFile("../policy/kb/nq-09-2020-nq-hdnd.md")
	if err != nil {
		t.Fatal(err)
	}
	updated := strings.Replace(string(data), "Bạn nên kiểm tra với Sở Khoa học", "Cán bộ đã rà soát lại; bạn nên kiểm tra với Sở Khoa học", 1)
	lanBefore := h.srv.SentTo(lan.ID)
	h.upload("nq-09-2020-nq-hdnd.md", updated)
	h.waitText(lan, "09/2020/NQ-HĐND mà bạn theo dõi vừa được cập nhật")
	if got := h.srv.SentTo(lan.ID) - lanBefore; got != 1 {
		t.Errorf("follower got %d messages, want 1:\n%s", got, h.srv.Transcript(lan.ID))
	}
	if h.srv.SentTo(tom.ID) != tomBefore {
		t.Errorf("a non-follower was told:\n%s", h.srv.Transcript(tom.ID))
	}
	h.expect(lan, "giai đoạn 2021–2025 đã kết thúc", "Bỏ theo dõi")

	// Unfollowing stops the notices.
	h.press(lan, "fol:del:")
	h.expect(lan, "Đã bỏ theo dõi 09/2020/NQ-HĐND")
	lanBefore = h.srv.SentTo(lan.ID)
	h.upload("nq-09-2020-nq-hdnd.md", updated+"\n")
	if h.srv.SentTo(lan.ID) != lanBefore {
		t.Errorf("notice after unfollowing:\n%s", h.srv.Transcript(lan.ID))
	}
}

func TestFollowSuccessor(t *testing.T) {
	h := newPolicyHarness(t)
	h.upload("ong-cu.md", oldTestDoc)
	h.send(lan, "quyết định thử nghiệm hỗ trợ nuôi ong lấy mật giai đoạn cũ")
	h.expect(lan, "55/2020/QĐ-TEST")
	h.press(lan, "fol:add:")
	h.expect(lan, "Đã theo dõi 55/2020/QĐ-TEST")
	h.upload("ong-moi.md", newTestDoc)
	h.waitText(lan, "Đã có văn bản kế nhiệm 55/2020/QĐ-TEST mà bạn theo dõi: 56/2026/QĐ-TEST")
	if u := h.user(lan.ID); !slices.Contains(u.Follows, "56/2026/QĐ-TEST") {
		t.Fatalf("successor not followed: %v", u.Follows)
	}
}

func TestFollowForgedButton(t *testing.T) {
	h := newPolicyHarness(t)
	h.send(lan, "Nghị quyết 09 còn hiệu lực không?")
	// Tom presses Lan's follow button (forged data): refused.
	h.send(tom, "hello")
	for _, data := range []string{"fol:add:1", "fol:add:x", "fol:del:deadbeef00", "fol:add"} {
		h.srv.Press(tom, h.last(tom).ID, data)
		h.idle()
	}
	if u := h.user(tom.ID); len(u.Follows) != 0 {
		t.Fatalf("forged follow: %v", u.Follows)
	}
}

// A followed document is named to the user as its own text names it: a
// number suffix the text never writes is not shown (policy.Doc.Label).
func TestFollowNamesDocumentAsItsText(t *testing.T) {
	h := newPolicyHarness(t)
	h.upload("ong-nhan.md", `+++
number = "QĐ 12/QĐ-XYZ (1/2025)"
title = "Quyết định thử nghiệm hỗ trợ nuôi ong lấy mật có dán nhãn"
status = "in_force"
locality = "Đà Nẵng"
+++

## Mức hỗ trợ nuôi ong dán nhãn
Theo Quyết định 12 năm 2025, hộ nuôi ong lấy mật có dán nhãn được hỗ trợ thùng ong.
`)
	h.send(lan, "quyết định thử nghiệm hỗ trợ nuôi ong lấy mật có dán nhãn")
	h.press(lan, "fol:add:")
	m := h.expect(lan, "Đã theo dõi QĐ 12")
	if strings.Contains(m.Text, "XYZ") {
		t.Errorf("the follow confirmation shows a suffix the document never writes: %q", m.Text)
	}
	h.press(lan, "fol:del:")
	if m := h.expect(lan, "Đã bỏ theo dõi QĐ 12"); strings.Contains(m.Text, "XYZ") {
		t.Errorf("the unfollow confirmation shows the suffix: %q", m.Text)
	}
}
