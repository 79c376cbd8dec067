package policy

import (
	"strings"
	"testing"
)

// TestAnswerEnglish checks English questions: found through the English
// renderings, answered in English, and refused on the same grounds as
// Vietnamese ones (a bank, a tax, a visa, another country's policies).
func TestAnswerEnglish(t *testing.T) {
	a := New(mustKB(t), Options{})
	for _, tc := range []struct {
		q       string
		refused bool
		reason  string
		doc     string
		has     string // in the answer text, or in Topic/Place for a refusal
	}{
		{"How much support for a booth at a fair in Thailand?", false, "", "09/2020/NQ-HĐND", "50 million"},
		{"How much support for a startup festival in Hanoi?", false, "", "09/2020/NQ-HĐND", "20 million"},
		{"How long is an OCOP certificate valid?", false, "", "148/QĐ-TTg", "36"},
		{"Which decision sets the criteria for ranking OCOP products?", false, "", "148/QĐ-TTg", "148"},
		{"How many places did Da Nang climb in the StartupBlink ranking?", false, "", "Hệ sinh thái khởi nghiệp Đà Nẵng (thông tin chung, không số hiệu)", "130"},
		{"What share of Women's Union members should Project 939 reach with startup awareness activities by 2025?", false, "", "939/QĐ-TTg", "70%"},
		{"Which city does the former Nui Thanh district of Quang Nam belong to now?", false, "", "202/2025/QH15", "Đà Nẵng"},
		{"How much are consulting and IP protection supported under Resolution 09?", true, ReasonMissing, "09/2020/NQ-HĐND", "not in our database"},
		{"What is the loan interest rate at Vietcombank for startups?", true, ReasonNotCovered, "", "Vietcombank"},
		{"Is there a tax holiday for startups in Quang Nam?", true, ReasonNotCovered, "", ""},
		{"Can I get a startup visa in France?", true, ReasonNotCovered, "", "visas"},
		{"How much does Singapore give startups?", true, ReasonOtherPlace, "", "Singapore"},
		{"Does Japan support Vietnamese startups?", true, ReasonOtherPlace, "", "Japan"},
		{"What startup support does Hanoi offer?", true, ReasonOtherPlace, "", "Hà Nội"},
		{"What is the weather in Da Nang today?", true, ReasonNotCovered, "", ""},
	} {
		ans := answer(t, a, tc.q)
		if ans.Lang != "en" {
			t.Errorf("%q: Lang %q, want en", tc.q, ans.Lang)
		}
		if ans.Refused != tc.refused || ans.Reason != tc.reason {
			t.Errorf("%q: refused=%v reason=%q (%s), want %v %q", tc.q, ans.Refused, ans.Reason, firstDoc(ans), tc.refused, tc.reason)
			continue
		}
		if tc.doc != "" && (len(ans.Sources) == 0 || ans.Sources[0].Doc != tc.doc) {
			t.Errorf("%q: source %s, want %s", tc.q, firstDoc(ans), tc.doc)
		}
		if got := ans.Text + "|" + ans.Topic + "|" + ans.Place; !strings.Contains(got, tc.has) {
			t.Errorf("%q: %q lacks %q", tc.q, got, tc.has)
		}
	}
}
