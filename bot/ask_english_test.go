package bot_test

import (
	"strings"
	"testing"
)

// TestAskInEnglish: a question asked in English gets its answer, source
// and validity lines, and its refusals, in English, whatever the asker's
// language setting.
func TestAskInEnglish(t *testing.T) {
	h := newPolicyHarness(t)
	h.send(lan, "How much support for a booth at a fair in Thailand?")
	m := h.expect(lan, "50 million VND", "Source: 09/2020/NQ-HĐND", "Validity:")
	if strings.Contains(m.Text, "Nguồn") || strings.Contains(m.Text, "triệu") {
		t.Errorf("English question answered in Vietnamese: %q", m.Text)
	}
	h.send(lan, "What is the loan interest rate at Vietcombank for startups?")
	h.expect(lan, "no information on Vietcombank", "pass your question")
	h.send(lan, "How much does Singapore give startups?")
	h.expect(lan, "not the policies of Singapore")
	// A Vietnamese question is still answered in Vietnamese.
	h.send(lan, "tham gia ngay hoi khoi nghiep o Quang Nam duoc ho tro bao nhieu tien")
	h.expect(lan, "8 triệu", "Nguồn")
}
