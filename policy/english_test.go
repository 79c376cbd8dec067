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
		{"Is there a tax holiday for startups in Quang Nam?", true, ReasonNotCovered, "", "tax incentives"},
		{"Sacombank loan rate", true, ReasonNotCovered, "", "Sacombank"},
		{"tax holiday", true, ReasonNotCovered, "", "tax incentives"},
		{"startup visa in France", true, ReasonNotCovered, "", "visas"},
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

func TestQuestionLangTable(t *testing.T) {
	for _, tc := range []struct{ q, want string }{
		// English.
		{"What support is there for startup booths?", "en"},
		{"Sacombank loan rate", "en"},
		{"tax holiday", "en"},
		{"startup visa in France", "en"},
		{"Is TechFest Quang Nam 2023 held in Tam Ky?", "en"},
		{"Which city does the former Nui Thanh district of Quang Nam belong to now?", "en"},
		{"What does Resolution 09/2020/NQ-HĐND say about Quảng Nam booths?", "en"},
		{"Đà Nẵng startup ranking?", "en"},
		{"How much can I get?", "en"},
		{"OCOP 4 stars how many points", "en"},
		// Vietnamese, with and without diacritics.
		{"theo de an 844 to chuc cung cap dich vu can dieu kien gi", "vi"},
		{"theo de an 844 to chuc can dieu kien gi", "vi"},
		{"do an khoi nghiep can gi", "vi"},
		{"hỗ trợ gian hàng bao nhiêu", "vi"},
		{"ho tro startup cho sinh vien the nao", "vi"},
		{"cho em hỏi startup visa là gì", "vi"},
		{"hotline so khcn quang nam", "vi"},
		{"center ho tro khoi nghiep o dau", "vi"},
		{"Where is the startup support center?", "en"},
		{"ubnd tinh co ho tro ko", "vi"},
		{"khoiwr nghieepj dc hoox trowj bao nhieeu", "vi"},
		{"ocop la gi", "vi"},
		{"Quang Nam ho tro khoi nghiep bao nhieu tien", "vi"},
		{"an to can do", "vi"}, // only words of both languages
		{"", "vi"},
		{"2025", "vi"},
	} {
		if got := questionLang(tc.q); got != tc.want {
			t.Errorf("questionLang(%q) = %q, want %q", tc.q, got, tc.want)
		}
	}
}
