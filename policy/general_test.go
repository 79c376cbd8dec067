package policy

import (
	"context"
	"testing"
)

// generalCase is a question worded unlike the evaluation sets and the
// document it must be answered from ("" when it must be refused).
type generalCase struct {
	q, doc string
}

func runGeneral(t *testing.T, cases []generalCase) {
	t.Helper()
	a := New(mustKB(t), Options{})
	for _, tc := range cases {
		t.Run(tc.q, func(t *testing.T) {
			ans, err := a.Answer(context.Background(), Query{Text: tc.q})
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tc.doc == "" && !ans.Refused:
				t.Errorf("answered from %s, want a refusal: %.120s", firstDoc(ans), ans.Text)
			case tc.doc == "":
			case ans.Refused && len(ans.Sources) == 0:
				t.Errorf("refused (%s), want %s", ans.Reason, tc.doc)
			case firstDoc(ans) != tc.doc:
				t.Errorf("answered from %s, want %s: %.120s", firstDoc(ans), tc.doc, ans.Text)
			}
		})
	}
}

// Telex residue and Central everyday words are read as the documents'
// words, also by the rules that look at places, topics and names.
func TestAnswerEverydayWording(t *testing.T) {
	runGeneral(t, []generalCase{
		{"ddi trieenr lamx owr Haf Nooij ddc hoox trowj bn tieenf", "09/2020/NQ-HĐND"},
		{"ddi hooij chowj owr Singapore ddc hoox trowj toois ddaa bn", "09/2020/NQ-HĐND"},
		{"quyeets ddinhj naof coong nhaanj sanr phaamr OCOP 5 sao ddaauf tieen cuar Quangr Nam", "QĐ 377/QĐ-BNN (17/01/2025)"},
		{"đề án hỗ trợ phụ nữ khởi nghiệp kéo dài tới năm mô", "2415/QĐ-TTg"},
		{"tham gia hội chợ ở Thái Lan được tỉnh hỗ trợ nhiêu", "09/2020/NQ-HĐND"},
	})
}

// English words of everyday chat and a known word with a letter too many
// are read as the documents' words, not as names the knowledge base lacks.
func TestAnswerChatWordsAndTypos(t *testing.T) {
	runGeneral(t, []generalCase{
		{"số hotline của sở khoa học công nghệ quảng nam", "Đầu mối liên hệ khởi nghiệp (không số hiệu)"},
		{"techfestt quảng nam 2023 tổ chức ở đâu", "TechFest Quảng Nam 2023 (sự kiện)"},
		{"ocopp quảng nam có bao nhiêu sản phẩm", "OCOP Quảng Nam (số liệu 12/2024)"},
	})
}

// Questions next to the domain are refused by what they name: a tax, a
// copyright, a work permit, a law the knowledge base does not hold, a year
// no document reaches.
func TestAnswerNearDomainRefusals(t *testing.T) {
	runGeneral(t, []generalCase{
		{"cửa hàng bán đặc sản ocop của chị mỗi tháng phải nộp thuế bao nhiêu", ""},
		{"muốn đăng ký bản quyền cho logo và phần mềm của startup thì làm ở đâu", ""},
		{"công ty khởi nghiệp thuê kỹ sư Nhật thì xin giấy phép lao động thế nào", ""},
		{"luật đất đai 2024 cho startup thuê đất làm xưởng thế nào", ""},
		{"luat dau tu quy dinh gi ve quy dau tu khoi nghiep", ""},
		{"năm 2039 tỉnh có hỗ trợ sinh viên khởi nghiệp không", ""},
		// Still answered: a law the knowledge base holds, a year inside
		// a document's period.
		{"luật hỗ trợ doanh nghiệp nhỏ và vừa hỗ trợ khởi nghiệp sáng tạo những gì", "04/2017/QH14"},
		{"năm 2028 đề án 2415 hỗ trợ phụ nữ khởi nghiệp những gì", "2415/QĐ-TTg"},
	})
}

// A locality of the former Quảng Nam (a district, a new ward or commune)
// with a question about which province or city it is in now is a merger
// question, also with the asker's talk around it.
func TestAnswerOldPlaces(t *testing.T) {
	runGeneral(t, []generalCase{
		{"nhà tui ở Thăng Bình, làm giấy tờ giờ ghi tỉnh Quảng Nam hay Đà Nẵng", "202/2025/QH15"},
		{"bà con ở Tiên Phước hỏi giờ ghi địa chỉ là tỉnh nào", "202/2025/QH15"},
		{"xã Hà Nha giờ thuộc thành phố nào", "202/2025/QH15"},
	})
}

// Among the documents of a yearly series the question names, the year
// picks the document.
func TestAnswerSeriesYear(t *testing.T) {
	runGeneral(t, []generalCase{
		{"techfest quảng nam năm 2021 khai mạc ngày nào", "TechFest Quảng Nam 2021 (sự kiện)"},
		{"hồi 2019 techfest quảng nam có triển lãm gì", "TechFest Quảng Nam 2019 (sự kiện)"},
		{"năm 2023 techfest quảng nam có chủ đề gì", "TechFest Quảng Nam 2023 (sự kiện)"},
	})
}

// A question after a story about the asker is searched as its last clause
// with the domain words of the story.
func TestAnswerAfterStory(t *testing.T) {
	runGeneral(t, []generalCase{
		{"anh chị em trong hợp tác xã làm chổi đót ở Tiên Phước đã lâu, năm rồi được ocop 3 sao, chứng nhận dùng được mấy năm", "148/QĐ-TTg"},
		// The story's words do not turn a near-domain question into ours.
		{"em mở quán cà phê ở Duy Xuyên được hai năm, sản phẩm ocop của quán bán chạy, giờ có phải đóng bảo hiểm cho nhân viên không", ""},
	})
}

func TestNewScheme(t *testing.T) {
	for q, want := range map[string]bool{
		"đề án phụ nữ khởi nghiệp mới kéo dài bao lâu":       true,
		"chương trình ocop mới áp dụng từ khi nào":           true,
		"kế hoạch mới là gì":                                 true,
		"doanh nghiệp mới thành lập được hỗ trợ gì":          false,
		"doanh nghiệp khởi nghiệp mới có được vay vốn không": false,
		"em mới khởi nghiệp":                                 false,
	} {
		if got := newScheme(padFold(q)); got != want {
			t.Errorf("newScheme(%q) = %v, want %v", q, got, want)
		}
	}
}

// "mới" after a scheme's name asks for the current scheme, the successor.
func TestAnswerNewScheme(t *testing.T) {
	runGeneral(t, []generalCase{
		{"đề án hỗ trợ học sinh sinh viên khởi nghiệp mới kéo dài tới năm mô", "336/QĐ-TTg"},
	})
}
