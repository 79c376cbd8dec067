package search

import (
	"slices"
	"testing"
)

func TestNormalizeQuery(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"plain text unchanged", "Nghị quyết 09 hỗ trợ gì?", "Nghị quyết 09 hỗ trợ gì?"},
		{"telex words repaired, case kept", "hoox trowj ddi Haf Nooij", "ho tro di Ha Noi"},
		{"telex đ before teencode", "ddc hoox trowj khoong", "duoc ho tro khong"},
		{"telex đ before ambiguous teencode", "ddk hoox trowj", "đk ho tro"},
		{"final s r x repaired next to telex", "tinhr nafo cos hoox trowj", "tinh nao co ho tro"},
		{"final s r x alone kept", "tax for bus", "tax for bus"},
		{"mid s alone kept (foreign word)", "visa singapore", "visa singapore"},
		{"răng rứa", "răng rứa, tỉnh có hỗ trợ không", "sao vậy, tỉnh có hỗ trợ không"},
		{"chừ", "chừ nộp hồ sơ ở đâu", "bây giờ nộp hồ sơ ở đâu"},
		{"mô after a noun", "đề án kéo dài tới năm mô", "đề án kéo dài tới năm nào"},
		{"mô after a verb of place", "hồ sơ nộp ở mô", "hồ sơ nộp ở đâu"},
		{"quy mô and mô hình kept", "quy mô mô hình kinh doanh", "quy mô mô hình kinh doanh"},
		{"ni tê nớ", "chương trình ni với cái tê, cái nớ", "chương trình này với cái kia, cái đó"},
		{"ni lông kept", "túi ni lông", "túi ni lông"},
		{"nhiêu alone", "được hỗ trợ nhiêu tiền", "được hỗ trợ bao nhiêu tiền"},
		{"bao nhiêu kept", "được bao nhiêu tiền", "được bao nhiêu tiền"},
		{"particles dropped", "có hỗ trợ hông hỉ, nói giúp nhen", "có hỗ trợ không, nói giúp"},
		{"mùa hè kept", "mùa hè có cuộc thi không hè", "mùa hè có cuộc thi không"},
		{"chi as gì", "tỉnh hỗ trợ chi không", "tỉnh hỗ trợ gì không"},
		{"chi at the end", "làm hồ sơ cần chi", "làm hồ sơ cần gì"},
		{"mức chi kept", "mức chi không quá 20 triệu", "mức chi không quá 20 triệu"},
		{"chi phí kept", "chi phí đi lại", "chi phí đi lại"},
		{"hong ending a question", "có hỗ trợ hong", "có hỗ trợ không"},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := NormalizeQuery(tc.in); got != tc.want {
				t.Errorf("NormalizeQuery(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// Normalising a question must not change the terms of standard text.
func TestNormalizeQueryKeepsTerms(t *testing.T) {
	for _, s := range []string{
		"Sinh viên khởi nghiệp được hỗ trợ bao nhiêu?",
		"ho tro khoi nghiep o Quang Nam",
		"khoiwr nghieepj ddc hoox trowj gif",
		"What support is there for women startups?",
	} {
		if a, b := Analyze(s), Analyze(NormalizeQuery(s)); !slices.Equal(a, b) {
			t.Errorf("%q: terms %v, after NormalizeQuery %v", s, a, b)
		}
	}
}

func TestAnalyzeTelexDBeforeTeencode(t *testing.T) {
	if got := Analyze("ddc ddk"); !slices.Contains(got, "duoc") || slices.Contains(got, "ddc") {
		t.Errorf("Analyze(ddc ddk) = %v, want duoc for đc", got)
	}
}

func TestAnalyzeChatEnglish(t *testing.T) {
	for in, want := range map[string]string{
		"hotline sở":         "dien_thoai",
		"center nào":         "trung_tam",
		"app phần mềm":       "phan_mem",
		"demo day ở đâu":     "goi_von",
		"web của tỉnh":       "thong_tin",
		"liên hệ contact ai": "lien_he",
	} {
		if got := Analyze(in); !slices.Contains(got, want) {
			t.Errorf("Analyze(%q) = %v, want %s", in, got, want)
		}
	}
}
