package policy

import (
	"context"
	"strings"
	"testing"

	"github.com/qnstartup/trolykhoinghiep/locales"
)

// A question whose asked thing the passage says is missing or unverified
// is a refusal whose first sentence says what is missing; a question the
// passage answers stays an answer even when another detail is unverified.
func TestMissingAsked(t *testing.T) {
	a := New(mustKB(t), Options{})
	loc := locales.MustLoad()
	cases := []struct {
		name, q string
		missing bool
		has     string // in the answer text (folded comparison)
		first   string // in the first sentence, for a refusal
	}{
		// The asked thing is missing: a refusal.
		{"date in a parenthesis", "quyet dinh 309 thanh lap ban dieu hanh ky ngay nao", true, "309/QĐ-UBND", "ngày ký chưa xác định"},
		{"date beside another date", "luật hỗ trợ dnnvv có hiệu lực từ ngày nào vậy", true, "12/6/2017", "ngày có hiệu lực"},
		{"contact", "số điện thoại Sở Khoa học và Công nghệ Đà Nẵng là bao nhiêu?", true, "", "số điện thoại"},
		{"address", "trung tam ho tro khoi nghiep doi moi sang tao da nang o dia chi nao", true, "", "địa chỉ"},
		{"unlisted list item", "giải ba cuộc thi ý tưởng khởi nghiệp HSSV toàn quốc được bao nhiêu tiền", true, "giải nhì 10 triệu", "giải thấp hơn chưa có"},
		{"body after the merger", "Sau khi bỏ cấp huyện thì ai công nhận sản phẩm OCOP 3 sao?", true, "", "chưa xác định"},
		{"now, not then", "nhà em ở huyện Quế Sơn cũ, giờ ko còn huyện thì sản phẩm ocop 3 sao ai công nhận", true, "", "chưa xác định"},
		{"amount in the remainder", "nghị quyết 328 của đà nẵng cũ hỗ trợ startup đi sự kiện bao nhiêu tiền", true, "", "mức chi cụ thể"},
		{"tasks", "chỉ thị 9 của thủ tướng giao bộ tài chính làm những việc gì", true, "", "nhiệm vụ chi tiết"},
		{"yes/no answered by a gap", "nghị quyết 09 có nằm trong số nghị quyết bị bãi bỏ sau sáp nhập không", true, "", "chưa xác định"},
		{"yes/no part adds nothing", "tỉnh có hỗ trợ tiền thuê chỗ ở vườn ươm không, bao nhiêu", true, "", "chưa có"},
		{"English date", "When was Decision 309 on the steering board signed?", true, "Lê Trí Thanh", "date not confirmed"},
		{"English unlisted prize", "How much is the third prize of the national student startup idea contest?", true, "", "not in our database"},
		{"English contact", "What is the phone number of the Da Nang Department of Science and Technology?", true, "", "phone number"},

		// The asked thing is answered; another detail is unverified.
		{"person beside an unverified date", "ai là trưởng ban điều hành khởi nghiệp quảng nam", false, "Phạm Ngọc Sinh", ""},
		{"signer beside an unverified date", "ai ký quyết định 309", false, "Lê Trí Thanh", ""},
		{"listed item", "giải nhất cuộc thi ý tưởng khởi nghiệp HSSV toàn quốc bao nhiêu tiền", false, "15 triệu", ""},
		{"the date that is known", "luật hỗ trợ dnnvv được thông qua ngày nào", false, "12/6/2017", ""},
		{"share of the national prizes", "cuộc thi khởi nghiệp sinh viên do tỉnh tổ chức thì giải thưởng tối đa bằng bao nhiêu phần trăm giải toàn quốc", false, "80%", ""},
		{"another document's unverified date", "Scheme 844 was approved on what date?", false, "18/5/2016", ""},
		{"year asked, year known", "quyết định 188 sửa đề án 844 năm nào", false, "2021", ""},
		{"yes/no with an unverified condition", "hộ kinh doanh làm bánh tráng có đăng ký OCOP được không", false, "hộ sản xuất", ""},
		{"the body of 2024", "nam 2024 o quang nam san pham ocop 4 sao do ai danh gia", false, "Hội đồng cấp tỉnh", ""},
		{"English person", "Who heads the Quang Nam startup steering board?", false, "Phạm Ngọc Sinh", ""},
		{"figure given, article asked", "Theo Nghị quyết 09/2020/NQ-HĐND, mức hỗ trợ tối đa cho mỗi đơn vị tham gia ngày hội khởi nghiệp sáng tạo trên địa bàn tỉnh Quảng Nam là bao nhiêu?", false, "8 triệu", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ans, err := a.Answer(context.Background(), Query{Text: c.q})
			if err != nil {
				t.Fatal(err)
			}
			got := ans.Refused && ans.Reason == ReasonMissing
			if got != c.missing {
				t.Fatalf("%q: missing refusal %v (refused %v, %q), want %v: %s", c.q, got, ans.Refused, ans.Reason, c.missing, ans.Text)
			}
			if c.has != "" && foldedIndex(ans.Text, c.has) < 0 {
				t.Errorf("%q: text lacks %q: %s", c.q, c.has, ans.Text)
			}
			if !c.missing {
				return
			}
			first, _, _ := strings.Cut(ans.Text, ". ")
			if foldedIndex(first, c.first) < 0 {
				t.Errorf("%q: first sentence lacks %q: %s", c.q, c.first, ans.Text)
			}
			if len(ans.Sources) == 0 {
				t.Errorf("%q: a missing refusal cites no source", c.q)
			}
			lang := "vi"
			if ans.Lang == "en" {
				lang = "en"
			}
			r := Render(ans, loc.For(lang))
			if !strings.Contains(r, loc.For(lang).T("policy.missing_offer")) || !strings.HasPrefix(r, strings.TrimSpace(ans.Text)) {
				t.Errorf("%q: rendering does not lead with the line and offer the hand-off:\n%s", c.q, r)
			}
		})
	}
}

func TestGapsOf(t *testing.T) {
	cases := []struct {
		text   string
		clause string // "" for no gap
		paren  bool
	}{
		{"Ban được thành lập theo Quyết định 309/QĐ-UBND do ông A ký (ngày ký chưa xác định), thay cho Tổ công tác.", "ngày ký chưa xác định", true},
		{"Giải nhất 15 triệu đồng; mức các giải thấp hơn chưa có trong cơ sở dữ liệu.", "mức các giải thấp hơn chưa có trong cơ sở dữ liệu.", false},
		{"It was amended in 2021 (exact date not verified).", "exact date not verified", true},
		{"Quảng Nam chưa có sản phẩm 5 sao.", "", false}, // a fact, not a gap
		{"", "", false},
		{"Ngày (chưa xác định", "", false}, // an unclosed parenthesis: the clause, not a parenthesis
	}
	for _, c := range cases {
		gs := gapsOf(splitUnits(c.text))
		switch {
		case c.clause == "" && c.text == "Ngày (chưa xác định":
			if len(gs) != 1 || gs[0].paren {
				t.Errorf("%q: gaps %+v, want one clause", c.text, gs)
			}
		case c.clause == "":
			if len(gs) != 0 {
				t.Errorf("%q: gaps %+v, want none", c.text, gs)
			}
		case len(gs) == 0:
			t.Errorf("%q: no gap, want %q", c.text, c.clause)
		case gs[0].clause != c.clause || gs[0].paren != c.paren:
			t.Errorf("%q: gap %q (paren %v), want %q (paren %v)", c.text, gs[0].clause, gs[0].paren, c.clause, c.paren)
		}
	}
}

func TestAskedKinds(t *testing.T) {
	cases := []struct {
		q    string
		want int
	}{
		{"quyết định 309 ký ngày nào", kindDate},
		{"số điện thoại sở khcn là bao nhiêu", kindContact | kindAmount},
		{"ai công nhận sản phẩm 3 sao", kindPerson},
		{"chỉ thị 9 giao bộ tài chính những việc gì", kindList},
		{"nghị quyết 09 còn hiệu lực không", 0},
		{"", 0},
	}
	for _, c := range cases {
		if got := askedKinds(padFold(c.q)); got != c.want {
			t.Errorf("askedKinds(%q) = %b, want %b", c.q, got, c.want)
		}
	}
}
