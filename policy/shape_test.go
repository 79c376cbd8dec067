package policy

import (
	"strings"
	"testing"
	"time"

	"github.com/qnstartup/trolykhoinghiep/locales"
)

// The shape of answers: the asked item leads, lists stay whole, every
// part of a question is answered.

func TestInlineListUnits(t *testing.T) {
	for _, tc := range []struct {
		sent  string
		want  []string // units; nil: the sentence is left whole
		ask   int      // the item asked about
		write string   // the sentence as written with that item first
	}{
		{"Ngày 26/11/2025, Sở Khoa học và Công nghệ tổng kết đề án giai đoạn 2022–2025: thành phố có 3 trung tâm hỗ trợ, 9 vườn ươm, 8 không gian làm việc chung và 6 quỹ đầu tư.",
			[]string{"Ngày 26/11/2025, Sở Khoa học và Công nghệ tổng kết đề án giai đoạn 2022–2025: thành phố có", "3 trung tâm hỗ trợ,", "9 vườn ươm,", "8 không gian làm việc chung", "và 6 quỹ đầu tư."},
			4, "Ngày 26/11/2025, Sở Khoa học và Công nghệ tổng kết đề án giai đoạn 2022–2025: thành phố có 6 quỹ đầu tư, 3 trung tâm hỗ trợ, 9 vườn ươm và 8 không gian làm việc chung."},
		{"Đề án đặt mục tiêu cho cả giai đoạn như sau: ban hành 2–3 chính sách; đào tạo 20–25 dự án (trong đó 5; 6 dự án nữ); có 20 chuyên gia, cố vấn.",
			[]string{"Đề án đặt mục tiêu cho cả giai đoạn như sau:", "ban hành 2–3 chính sách;", "đào tạo 20–25 dự án (trong đó 5; 6 dự án nữ);", "có 20 chuyên gia, cố vấn."},
			3, "Đề án đặt mục tiêu cho cả giai đoạn như sau: có 20 chuyên gia, cố vấn; ban hành 2–3 chính sách; đào tạo 20–25 dự án (trong đó 5; 6 dự án nữ)."},
		{"Câu ngắn: a, b.", nil, 0, ""},
		// A colon and commas that join clauses, not a list.
		{"Mức hỗ trợ là 50 triệu đồng cho mỗi gian hàng mỗi năm: nghị quyết hỗ trợ xây dựng gian hàng đặt tại trung tâm thương mại lớn, siêu thị hoặc cửa hàng trong cả nước.", nil, 0, ""},
		{"Một câu dài không có dấu hai chấm nào cả, chỉ có dấu phẩy, và nhiều chữ để vượt quá một trăm hai mươi ký tự của ngưỡng tách câu, vẫn là một câu.", nil, 0, ""},
	} {
		us := splitUnits(tc.sent)
		if tc.want == nil {
			if len(us) != 1 {
				t.Errorf("%q: cut into %d units, want whole", short(tc.sent), len(us))
			}
			continue
		}
		var got []string
		for _, u := range us {
			got = append(got, u.text)
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("units\n got %q\nwant %q", got, tc.want)
			continue
		}
		if !us[0].intro || !us[0].inline || us[0].cont || !us[1].cont {
			t.Errorf("%q: intro/inline/cont flags wrong: %+v", short(tc.sent), us[:2])
		}
		keep := make([]bool, len(us))
		for i := range keep {
			keep[i] = true
		}
		text, lo, hi := inlineLead(us, keep, tc.ask)
		if text != tc.write || lo != 0 || hi != len(us)-1 {
			t.Errorf("lead\n got %q (%d–%d)\nwant %q", text, lo, hi, tc.write)
		}
	}
}

// firstWithin reports whether phrase occurs (diacritics folded) within the
// first n characters of text.
func firstWithin(text, phrase string, n int) bool {
	i := foldedIndex(text, phrase)
	return i >= 0 && i < n
}

func TestAnswerFigureFirst(t *testing.T) {
	a := New(mustKB(t), Options{})
	for _, tc := range []struct{ q, doc, first string }{
		{"ở Đà Nẵng hiện có mấy quỹ đầu tư khởi nghiệp vậy", "Hệ sinh thái khởi nghiệp Đà Nẵng (thông tin chung, không số hiệu)", "6 quỹ"},
		{"Đề án 1377 muốn đến 2030 có bao nhiêu chuyên gia cố vấn khởi nghiệp", "1377/QĐ-UBND", "20 chuyên gia"},
		{"Nghị quyết 19 của Đà Nẵng bãi bỏ bao nhiêu nghị quyết?", "NQ 19 HĐND TP Đà Nẵng (2025)", "bãi bỏ"},
		// The words naming the board are its subject; "ký" chooses.
		{"người ký quyết định lập Ban Điều hành hỗ trợ khởi nghiệp sáng tạo tỉnh là ai", "309/QĐ-UBND", "Lê Trí Thanh"},
		{"Ban Điều hành hỗ trợ khởi nghiệp sáng tạo của tỉnh do quyết định nào lập ra", "309/QĐ-UBND", "309/QĐ-UBND"},
		// "Vì vậy, …" does not open an answer.
		{"hiện giờ Quảng Nam còn cấp huyện nữa không", "203/2025/QH15", "Quảng Nam"},
	} {
		ans := answer(t, a, tc.q)
		if ans.Refused || len(ans.Sources) == 0 || ans.Sources[0].Doc != tc.doc {
			t.Errorf("%q: refused=%v sources=%v, want %s", tc.q, ans.Refused, ans.Sources, tc.doc)
			continue
		}
		if !firstWithin(ans.Text, tc.first, 160) {
			t.Errorf("%q: %q not within the first 160 characters of %q", tc.q, tc.first, ans.Text)
		}
	}
}

func TestAnswerMissingFirst(t *testing.T) {
	a := New(mustKB(t), Options{})
	ans := answer(t, a, "nghị quyết 09 hỗ trợ thuê khu làm việc chung bao nhiêu tiền")
	if !ans.Refused || ans.Reason != ReasonMissing {
		t.Fatalf("refused=%v reason=%q, want a missing-detail refusal", ans.Refused, ans.Reason)
	}
	if !firstWithin(ans.Text, "chưa có", 80) {
		t.Errorf("the missing detail is not said first: %q", ans.Text)
	}
	if strings.HasPrefix(ans.Text, "Tuy nhiên") {
		t.Errorf("answer opens with a connective: %q", ans.Text)
	}
}

func TestQuestionLang(t *testing.T) {
	for _, tc := range []struct{ q, want string }{
		{"What support is there for startup booths?", "en"},
		{"Can I get support for a booth", "en"},
		{"Is Resolution 09 still in force", "en"},
		// Vietnamese without diacritics: "to", "can", "an", "do" are
		// Vietnamese syllables too.
		{"theo de an 844 to chuc cung cap dich vu can dieu kien gi", "vi"},
		{"do an khoi nghiep can gi", "vi"},
		{"hỗ trợ gian hàng bao nhiêu", "vi"},
	} {
		if got := questionLang(tc.q); got != tc.want {
			t.Errorf("questionLang(%q) = %q, want %q", tc.q, got, tc.want)
		}
	}
}

func TestEvalMustContainAll(t *testing.T) {
	data := "id\tquestion\texpected_doc\tmust_contain\tstyle\n" +
		"both\tcâu một\t09/2020/NQ-HĐND\t50 triệu && 8 triệu\tformal\n" +
		"lacks\tcâu hai\t09/2020/NQ-HĐND\t50 triệu && 20 triệu\tformal\n" +
		"late\tcâu ba\t09/2020/NQ-HĐND\t8 trieu&&50 trieu\tformal\n" +
		"plain\tcâu bốn\t09/2020/NQ-HĐND\t50 triệu\tformal\n"
	cases, err := ReadEval(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if got := cases[2].Musts(); len(got) != 2 || got[0] != "8 trieu" || got[1] != "50 trieu" {
		t.Fatalf("Musts() = %q", got)
	}
	if got := (EvalCase{MustContain: "-"}).Musts(); got != nil {
		t.Errorf("Musts() of \"-\" = %q, want none", got)
	}
	texts := map[string]string{
		"câu một": "Tối đa 50 triệu đồng; trên địa bàn tỉnh tối đa 8 triệu đồng.",
		"câu hai": "Tối đa 50 triệu đồng.",
		"câu ba":  "Tối đa 50 triệu đồng. " + strings.Repeat("Điều kiện kèm theo. ", 10) + "Trên địa bàn tỉnh 8 triệu đồng.",
		"câu bốn": "Tối đa 50 triệu đồng.",
	}
	a := New(mustKB(t), Options{Curated: func(q string) (string, time.Time, bool) {
		s, ok := texts[q]
		return s, time.Time{}, ok
	}})
	rep, err := Evaluate(t.Context(), a, cases, false)
	if err != nil {
		t.Fatal(err)
	}
	o := rep.Overall
	if o.MustN != 4 || o.MustContain != 0.75 || o.First160 != 0.5 {
		t.Errorf("must-contain %.2f of %d, in first 160 %.2f; want 0.75 of 4, 0.50", o.MustContain, o.MustN, o.First160)
	}
	fails := strings.Join(rep.Failures, "\n")
	if !strings.Contains(fails, `lacks [formal] answer lacks "20 triệu"`) || !strings.Contains(fails, `late [formal] "8 trieu" at`) {
		t.Errorf("failures do not name the missing and the late phrase:\n%s", fails)
	}
}

func TestQuestionParts(t *testing.T) {
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"Sản phẩm OCOP 5 sao cần đạt bao nhiêu điểm và do cơ quan nào cấp giấy chứng nhận?",
			[]string{"Sản phẩm OCOP 5 sao cần đạt bao nhiêu điểm", "do cơ quan nào cấp giấy chứng nhận"}},
		{"hỗ trợ bao nhiêu, nộp hồ sơ ở đâu", []string{"hỗ trợ bao nhiêu", "nộp hồ sơ ở đâu"}},
		// "và" inside a part does not cut it.
		{"doanh nghiệp nhỏ và vừa là gì", nil},
		{"Quảng Nam có bao nhiêu sản phẩm 3 sao và 4 sao", nil},
		{"khởi nghiệp là gì", nil},
		{"", nil},
	} {
		got := questionParts(tc.q)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("questionParts(%q) = %q, want %q", tc.q, got, tc.want)
		}
	}
}

// TestAnswerEveryPart checks that a question asking two things gets both,
// the first part's answer first, from one passage or from two documents.
func TestAnswerEveryPart(t *testing.T) {
	a := New(mustKB(t), Options{})
	for _, tc := range []struct {
		q      string
		first  string
		second string
	}{
		{"OCOP 5 sao phải được bao nhiêu điểm, và cơ quan nào cấp chứng nhận", "90", "Bộ Nông nghiệp"},
		{"quyết định nào quy định nhãn hiệu chứng nhận OCOP Quảng Nam, còn ai làm cơ quan thường trực chương trình OCOP tỉnh", "77/QĐ-UBND", "Sở Nông nghiệp"},
	} {
		ans := answer(t, a, tc.q)
		if ans.Refused {
			t.Errorf("%q: refused (%s)", tc.q, ans.Reason)
			continue
		}
		if !firstWithin(ans.Text, tc.first, 160) || foldedIndex(ans.Text, tc.second) < 0 {
			t.Errorf("%q: want %q first and %q too, got %q", tc.q, tc.first, tc.second, ans.Text)
		}
	}
}

// TestMetadataHonesty checks that answers name documents as the knowledge
// base's text does, claim "đang áp dụng" only for a document within its
// period, and never call an orientation "ended".
func TestMetadataHonesty(t *testing.T) {
	kb := mustKB(t)
	// Every label with a kind suffix ("…/QĐ-UBND") is written in its
	// document's text; 377's "/QĐ-BNN" is not, so it is not shown.
	for _, d := range kb.snap.Load().docs {
		l := d.Label()
		if !numberSuffixRe.MatchString(l) {
			continue
		}
		found := false
		for _, s := range d.Sections {
			found = found || strings.Contains(s.Text, l)
		}
		if !found {
			t.Errorf("%s: label %q is not written in the document's text", d.Number, l)
		}
	}
	a := New(kb, Options{})
	loc := locales.MustLoad().For("vi")
	ans := answer(t, a, "sản phẩm OCOP 5 sao đầu tiên của Quảng Nam là gì")
	if len(ans.Sources) == 0 || ans.Sources[0].Doc != "QĐ 377/QĐ-BNN (17/01/2025)" {
		t.Fatalf("sources %+v, want QĐ 377 first", ans.Sources)
	}
	if out := Render(ans, loc); strings.Contains(out, "QĐ-BNN") || !strings.Contains(out, "QĐ 377") {
		t.Errorf("rendered answer names the document with a suffix the facts lack:\n%s", out)
	}
	if got := displayNumber(&Doc{Number: "77/QĐ-UBND", Sections: []Section{{Text: "Quyết định 77/QĐ-UBND ngày 09/01/2019"}}}); got != "77/QĐ-UBND" {
		t.Errorf("label of a number its text writes = %q", got)
	}
	if got := displayNumber(&Doc{Number: "QĐ 12/QĐ-XYZ (1/2025)", Sections: []Section{{Text: "Theo Quyết định 12 năm 2025, …"}}}); got != "QĐ 12" {
		t.Errorf("label of a suffix its text never writes = %q, want QĐ 12", got)
	}
	if got := displayNumber(&Doc{Number: "99/2026/QĐ-TEST", Sections: []Section{{Text: "Hộ nuôi ong được hỗ trợ."}}}); got != "99/2026/QĐ-TEST" {
		t.Errorf("label of a number its text does not cite = %q, want it as given", got)
	}

	// "✅ … đang …" only for a document in force within a period; an
	// orientation to 2030 is not called ended, in Render, in the yes/no
	// lead or in what the language model is told.
	for _, tc := range []struct {
		src     Source
		ok, bad string
	}{
		{Source{Status: StatusInForce, Period: "2026–2035"}, "✅", ""},
		{Source{Status: StatusInForce}, "chưa xác định", "✅"},
		{Source{Status: StatusInForce, ValidFrom: "2021-10-15"}, "chưa xác định", "✅"},
		{Source{Status: StatusPeriodEnded, Period: "2018–2020, định hướng đến năm 2030"}, "định hướng đến năm 2030", "2030 đã kết thúc"},
	} {
		v := Validity(tc.src, loc)
		if !strings.Contains(v, tc.ok) || (tc.bad != "" && strings.Contains(v, tc.bad)) {
			t.Errorf("Validity(%+v) = %q, want %q and not %q", tc.src, v, tc.ok, tc.bad)
		}
		if p := validityPlain(tc.src); strings.Contains(p, "2030 đã kết thúc") || (tc.bad == "✅" && strings.Contains(p, "đang áp dụng")) {
			t.Errorf("validityPlain(%+v) = %q", tc.src, p)
		}
	}
	qi := &question{folded: padFold("quyết định 1599 còn hiệu lực không"), lower: lowerText("quyết định 1599 còn hiệu lực không")}
	oriented := Source{Status: StatusPeriodEnded, Period: "2018–2020, định hướng đến năm 2030"}
	if got := validityLead(qi, oriented, "Đề án …", "vi"); strings.HasPrefix(got, "Không") {
		t.Errorf("validity lead for a period with an orientation = %q, want no \"Không\"", got)
	}
	if got := validityLead(qi, Source{Status: StatusPeriodEnded, Period: "2021–2025"}, "Nghị quyết …", "vi"); !strings.HasPrefix(got, "Không") {
		t.Errorf("validity lead for an ended period = %q, want \"Không, …\"", got)
	}
}

// TestRefuseByTopic checks refusals decided by what the question is about
// — another province, a brand, an organisation, a tax, a loan — and that
// questions sharing those words with the knowledge base are still answered.
func TestRefuseByTopic(t *testing.T) {
	a := New(mustKB(t), Options{})
	for _, tc := range []struct {
		q      string
		reason string // "" = answered
	}{
		{"tỉnh Gia Lai có hỗ trợ sản phẩm OCOP không", ReasonOtherPlace}, // "Gia Lai" is not "giá lại"
		{"Huế hỗ trợ startup bao nhiêu tiền", ReasonOtherPlace},
		{"mở gian hàng ocop trên lazada thì đăng ký thế nào", ReasonNotCovered},
		{"hội phụ nữ có cho chị em vay vốn làm ăn không", ReasonNotCovered},
		{"thuế tiêu thụ đặc biệt với rượu ocop là bao nhiêu", ReasonNotCovered},
		{"giải thưởng cuộc thi khởi nghiệp của đại học Duy Tân là bao nhiêu", ReasonNotCovered},
		{"doanh nghiệp công nghệ cao được ưu đãi gì", ReasonNotCovered},
		{"techfes 2023 có bao nhiêu gian hàng", ""}, // a typo, not a brand
		{"công ty em dựng gian hàng ở ngày hội khởi nghiệp ở Quảng Nam được hỗ trợ bao nhiêu", ""},
		{"hội phụ nữ hỗ trợ phụ nữ khởi nghiệp ra sao", ""},
	} {
		ans := answer(t, a, tc.q)
		switch {
		case tc.reason == "" && ans.Refused:
			t.Errorf("%q: refused (%s), want an answer", tc.q, ans.Reason)
		case tc.reason != "" && (!ans.Refused || ans.Reason != tc.reason):
			t.Errorf("%q: refused=%v reason=%q, want %q; answered from %s: %.80s", tc.q, ans.Refused, ans.Reason, tc.reason, firstDoc(ans), ans.Text)
		}
	}
}

func TestYesNoLead(t *testing.T) {
	a := New(mustKB(t), Options{})
	for _, tc := range []struct {
		q   string
		yes bool
	}{
		{"Nghị quyết 09 có hỗ trợ gian hàng khởi nghiệp ở siêu thị không", true},
		{"hợp tác xã có được làm chủ thể OCOP không", true},
		// The passage does not say yes: no guess.
		{"nghị quyết 09 có hỗ trợ thuê khu làm việc chung không", false},
		{"tham gia ngày hội khởi nghiệp ở Quảng Nam được hỗ trợ bao nhiêu", false},
	} {
		ans := answer(t, a, tc.q)
		if got := strings.HasPrefix(ans.Text, "Có. "); got != tc.yes {
			t.Errorf("%q: starts with \"Có.\" = %v, want %v: %.100q", tc.q, got, tc.yes, ans.Text)
		}
	}
}

// TestEnglishQuestions checks that a question in English is found by its
// English words and answered in English.
func TestEnglishQuestions(t *testing.T) {
	a := New(mustKB(t), Options{})
	for _, tc := range []struct{ q, doc, has string }{
		{"Which rank did Da Nang get in the StartupBlink list?", "Hệ sinh thái khởi nghiệp Đà Nẵng (thông tin chung, không số hiệu)", "766"},
	} {
		ans := answer(t, a, tc.q)
		if ans.Refused || len(ans.Sources) == 0 || ans.Sources[0].Doc != tc.doc || ans.Lang != "en" || !strings.Contains(ans.Text, tc.has) {
			t.Errorf("%q: refused=%v lang=%s sources=%v text=%q; want %s in English with %q", tc.q, ans.Refused, ans.Lang, len(ans.Sources), ans.Text, tc.doc, tc.has)
		}
	}
}
