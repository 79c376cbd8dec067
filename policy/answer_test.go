package policy

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/qnstartup/trolykhoinghiep/locales"
	"github.com/qnstartup/trolykhoinghiep/search"
)

func answer(t *testing.T, a *Answerer, q string) Answer {
	t.Helper()
	ans, err := a.Answer(t.Context(), Query{Text: q, Lang: "vi"})
	if err != nil {
		t.Fatal(err)
	}
	return ans
}

func TestAnswer(t *testing.T) {
	a := New(mustKB(t), Options{})
	for _, tc := range []struct {
		q       string
		refused bool
		reason  string
		doc     string
		has     string
	}{
		{"tham gia ngày hội khởi nghiệp ở Quảng Nam được hỗ trợ bao nhiêu", false, "", "09/2020/NQ-HĐND", "8 triệu"},
		{"THAM GIA NGAY HOI KHOI NGHIEP O QUANG NAM DUOC HO TRO BAO NHIEU", false, "", "09/2020/NQ-HĐND", "8 triệu"},
		{norm.NFD.String("tham gia ngày hội khởi nghiệp ở Quảng Nam được hỗ trợ bao nhiêu"), false, "", "09/2020/NQ-HĐND", "8 triệu"},
		{"khoiwr nghieepj: gian hangf sieeu thij hoox trowj bao nhieeu", false, "", "09/2020/NQ-HĐND", "50 triệu"},
		{"ho tro so huu tri tue theo nghi quyet 09 bao nhieu", true, ReasonMissing, "09/2020/NQ-HĐND", "chưa có"},
		{"chào ad, cho em hỏi ocop 4 sao là bao nhiêu điểm ạ?", false, "", "148/QĐ-TTg", "70–89"},
		{"Xin chào", true, ReasonSmallTalk, "", ""},
		{"cảm ơn bạn nhiều nha", true, ReasonSmallTalk, "", ""},
		{"", true, ReasonEmpty, "", ""},
		{" ?? ", true, ReasonEmpty, "", ""},
		{strings.Repeat("khởi nghiệp ", 300), true, ReasonQuestionLen, "", ""},
		{"Hà Nội hỗ trợ doanh nghiệp mới thành lập bao nhiêu tiền?", true, ReasonOtherPlace, "", ""},
		{"thủ tục đăng ký kết hôn cần giấy tờ gì", true, ReasonNotCovered, "", ""},
		{"dự án em đi triển lãm khởi nghiệp ở Hà Nội thì được tỉnh hỗ trợ bao nhiêu", false, "", "09/2020/NQ-HĐND", "20 triệu"},
	} {
		ans := answer(t, a, tc.q)
		if ans.Refused != tc.refused || ans.Reason != tc.reason {
			t.Errorf("%q: refused=%v reason=%q, want %v %q", short(tc.q), ans.Refused, ans.Reason, tc.refused, tc.reason)
			continue
		}
		if tc.refused && tc.reason != ReasonMissing {
			if ans.Text != "" || len(ans.Sources) != 0 {
				t.Errorf("%q: refusal with text or sources: %+v", tc.q, ans)
			}
			continue
		}
		if ans.Mode != ModeRetrieval || len(ans.Sources) == 0 || ans.Sources[0].Doc != tc.doc {
			t.Errorf("%q: mode %s, sources %+v, want %s first", tc.q, ans.Mode, ans.Sources, tc.doc)
		}
		if !strings.Contains(ans.Text, tc.has) {
			t.Errorf("%q: answer %q lacks %q", tc.q, ans.Text, tc.has)
		}
		if n := len([]rune(ans.Text)); n > 750 {
			t.Errorf("%q: answer of %d characters", tc.q, n)
		}
		if len(ans.Followups) < 2 || len(ans.Followups) > 3 {
			t.Errorf("%q: followups %q", tc.q, ans.Followups)
		}
	}
}

func TestAnswerFollowupsAnswerable(t *testing.T) {
	a := New(mustKB(t), Options{})
	ans := answer(t, a, "gian hàng khởi nghiệp ở siêu thị được hỗ trợ bao nhiêu")
	for _, f := range ans.Followups {
		if fa := answer(t, a, f); fa.Refused && fa.Reason != ReasonMissing {
			t.Errorf("follow-up %q is refused", f)
		}
	}
}

func TestAnswerCurated(t *testing.T) {
	a := New(mustKB(t), Options{Curated: func(q string) (string, time.Time, bool) {
		if strings.Contains(q, "giờ làm việc") {
			return "Cán bộ làm việc từ 7h30 đến 17h.", time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC), true
		}
		return "", time.Time{}, false
	}})
	ans := answer(t, a, "giờ làm việc của Sở?")
	if ans.Mode != ModeCurated || ans.Refused || !strings.Contains(ans.Text, "7h30") {
		t.Errorf("curated: %+v", ans)
	}
	if out := Render(ans, locales.MustLoad().For("vi")); !strings.HasSuffix(out, "Trả lời của cán bộ, ngày 4/3/2026.") {
		t.Errorf("curated citation: %q", out)
	}
	if ans := answer(t, a, "ocop 4 sao la gi"); ans.Mode != ModeRetrieval {
		t.Errorf("not curated: %+v", ans)
	}
}

func TestAnswerContextDone(t *testing.T) {
	a := New(mustKB(t), Options{})
	ctx, stop := context.WithCancel(t.Context())
	stop()
	if _, err := a.Answer(ctx, Query{Text: "ocop"}); err == nil {
		t.Error("Answer with a cancelled context returned no error")
	}
}

func TestRender(t *testing.T) {
	b := locales.MustLoad()
	a := New(mustKB(t), Options{})
	a.kb.Now = func() time.Time { return time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) }
	vi, en := b.For("vi"), b.For("en")

	ans := answer(t, a, "tham gia ngày hội khởi nghiệp ở Quảng Nam được hỗ trợ bao nhiêu")
	out := Render(ans, vi)
	for _, want := range []string{"8 triệu", "Nguồn: 09/2020/NQ-HĐND, mục", "2021–2025 đã kết thúc", "1/7/2025", "Sở Khoa học và Công nghệ TP Đà Nẵng"} {
		if !strings.Contains(out, want) {
			t.Errorf("rendered answer lacks %q:\n%s", want, out)
		}
	}
	// The figure leads; the link is left to the channel's button.
	if i := strings.Index(out, "8 triệu"); i < 0 || len([]rune(out[:i])) > 160 || strings.Contains(out, "https://") {
		t.Errorf("figure not first, or URL printed:\n%s", out)
	}
	if ans.Sources[0].URL == "" {
		t.Error("answer source has no URL for the button")
	}
	if strings.ContainsAny(out, "<>") {
		t.Errorf("rendered answer has markup:\n%s", out)
	}
	if out := Render(ans, en); !strings.Contains(out, "Source:") || !strings.Contains(out, "period has ended") {
		t.Errorf("English rendering:\n%s", out)
	}

	for q, want := range map[string]string{
		"ocop 4 sao là gì": "chưa xác định",
		"đề án hỗ trợ học sinh sinh viên khởi nghiệp 2026-2035": "giai đoạn áp dụng 2026–2035",
		"Đề án OCOP Quảng Nam 2018-2020 là quyết định nào":      "định hướng đến năm 2030, nhưng",
		"de an 939 muc tieu ho tro bao nhieu phu nu":            "2415/QĐ-TTg",
		"TechFest Quảng Nam 2021 tổ chức ở đâu":                 "thông tin tham khảo",
		"trưởng ban điều hành hỗ trợ khởi nghiệp":               "chưa xác định được",
	} {
		if out := Render(answer(t, a, q), vi); !strings.Contains(out, want) {
			t.Errorf("%q: rendering lacks %q:\n%s", q, want, out)
		}
	}

	for q, want := range map[string]string{
		"thủ tục đăng ký kết hôn cần giấy tờ gì":        "chuyển câu hỏi cho cán bộ",
		"Bình Dương hỗ trợ khởi nghiệp bao nhiêu tiền?": "Bình Dương",
		"xin chào":   "Xin chào",
		"cảm ơn nhé": "Không có gì",
		"":           "gõ câu hỏi",
	} {
		if out := Render(answer(t, a, q), vi); !strings.Contains(out, want) {
			t.Errorf("%q: refusal lacks %q:\n%s", q, want, out)
		}
	}
	if out := Render(Answer{Refused: true, Reason: ReasonSmallTalk, SmallTalk: "laugh"}, vi); !strings.Contains(out, "trợ lý") {
		t.Errorf("unknown small talk kind: %q", out)
	}
	if out := Render(Answer{Text: "Có.", Mode: ModeCurated}, vi); !strings.Contains(out, "cán bộ") {
		t.Errorf("curated rendering: %q", out)
	}
	llm := Answer{Text: "Mức 8 triệu [1].", Mode: ModeLLM, Sources: ans.Sources}
	if out := Render(llm, vi); !strings.Contains(out, "[1] 09/2020/NQ-HĐND") || !strings.Contains(out, "tự động") {
		t.Errorf("LLM rendering:\n%s", out)
	}
}

func TestRunAsk(t *testing.T) {
	a := New(mustKB(t), Options{})
	b := locales.MustLoad()

	var out bytes.Buffer
	if err := RunAsk(t.Context(), a, b, []string{"-json", "ocop 4 sao là gì"}, nil, &out); err != nil {
		t.Fatal(err)
	}
	line := strings.TrimSpace(out.String())
	if !strings.HasPrefix(line, `{"question":"ocop 4 sao là gì","answer":"`) ||
		!strings.Contains(line, `,"refused":false,"mode":"retrieval","lang":"vi","sources":[{"doc":"148/QĐ-TTg","title":"`) ||
		!strings.Contains(line, `"section":"`) || !strings.Contains(line, `"url":"https://`) || !strings.Contains(line, `"valid_to":"`) || !strings.Contains(line, `"score":`) {
		t.Errorf("JSON shape: %s", line)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(line), &m); err != nil || len(m) != 6 {
		t.Errorf("JSON object %v (%v)", m, err)
	}

	out.Reset()
	in := strings.NewReader("ocop 4 sao là gì\n\nthủ tục đăng ký kết hôn\nxin chào\n")
	if err := RunAsk(t.Context(), a, b, []string{"-json", "-"}, in, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("stdin mode wrote %d lines:\n%s", len(lines), out.String())
	}
	var refused struct {
		Answer  string `json:"answer"`
		Refused bool   `json:"refused"`
		Sources []any  `json:"sources"`
	}
	if err := json.Unmarshal([]byte(lines[1]), &refused); err != nil || !refused.Refused || refused.Sources == nil || !strings.Contains(refused.Answer, "cán bộ") {
		t.Errorf("refusal line: %s (%v)", lines[1], err)
	}

	out.Reset()
	if err := RunAsk(t.Context(), a, b, []string{"gian", "hàng", "siêu", "thị", "khởi", "nghiệp"}, nil, &out); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "50 triệu") || !strings.Contains(s, "Nguồn:") || !strings.Contains(s, "hỏi thêm") {
		t.Errorf("text output:\n%s", s)
	}
	if err := RunAsk(t.Context(), a, b, nil, nil, &out); err == nil {
		t.Error("ask without a question: no error")
	}
	if err := RunAsk(t.Context(), a, b, []string{"-bogus"}, nil, &out); err == nil {
		t.Error("ask with an unknown flag: no error")
	}
}

func TestRunEval(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "qa.tsv")
	data := "id\tquestion\texpected_doc\tmust_contain\tstyle\n" +
		"a\tgian hàng khởi nghiệp ở siêu thị hỗ trợ bao nhiêu\t09/2020/NQ-HĐND\t50 triệu\tcolloquial\n" +
		"b\tgian hang khoi nghiep sieu thi ho tro bao nhieu\t09/2020/NQ-HĐND\t50 trieu\tno_diacritics\n" +
		"c\tocop 4 sao la gi\t919/QĐ-TTg\t70\tno_diacritics\n" +
		"d\tthủ tục kết hôn\tNONE\t-\tcolloquial\n"
	if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := RunEval(t.Context(), New(mustKB(t), Options{}), []string{"-v", file}, &out); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{"colloquial", "no_diacritics", "overall", "top-1", "MRR", "must-contain", "100.0% of 1", "miss: c"} {
		if !strings.Contains(s, want) {
			t.Errorf("eval output lacks %q:\n%s", want, s)
		}
	}
	cases, _ := ReadEvalFile(file)
	rep, err := Evaluate(t.Context(), New(mustKB(t), Options{}), cases, false)
	if err != nil {
		t.Fatal(err)
	}
	if o := rep.Overall; o.N != 3 || o.Top1 < 0.66 || o.Top1 > 0.67 || o.Top3 != 1 || o.NoneN != 1 || o.RefusalAcc != 1 {
		t.Errorf("overall = %+v", o)
	}
	if err := RunEval(t.Context(), New(mustKB(t), Options{}), []string{filepath.Join(dir, "missing.tsv")}, &out); err == nil {
		t.Error("eval of a missing file: no error")
	}
}

// TestAnswerCoverage checks refusals decided by what the question is
// about, "not in our database" refusals, place tiers and English answers.
func TestAnswerCoverage(t *testing.T) {
	a := New(mustKB(t), Options{})
	for _, c := range []struct {
		q          string
		refused    bool
		reason     string
		topic, has string // Topic contains; Text contains (folded)
		lang       string
		noTopic    bool // refused without naming a topic
	}{
		// Refused for their other words: the knowledge base has much on
		// OCOP and a loan, so the refusal names neither.
		{q: "thuê mặt bằng ở chợ Tam Kỳ bán đặc sản ocop giá bao nhiêu 1 tháng", refused: true, reason: ReasonNotCovered, noTopic: true},
		{q: "hội phụ nữ có cho chị em vay vốn khởi nghiệp ko, lãi bao nhiêu", refused: true, reason: ReasonNotCovered, noTopic: true},
		{q: "Agribank cho startup vay lãi suất bao nhiêu?", refused: true, reason: ReasonNotCovered, topic: "Agribank"},
		{q: "doanh nghiệp khởi nghiệp được miễn thuế thu nhập mấy năm?", refused: true, reason: ReasonNotCovered, topic: "thuế"},
		{q: "lãi suất vay ngân hàng cho doanh nghiệp khởi nghiệp bao nhiêu", refused: true, reason: ReasonNotCovered, topic: "ngân hàng"},
		{q: "ho tro so huu tri tue theo nghi quyet 09 duoc bao nhieu tien", refused: true, reason: ReasonMissing, has: "chua co trong co so du lieu"},
		{q: "đi sự kiện khởi nghiệp ở Nhật Bản được hỗ trợ bao nhiêu", refused: true, reason: ReasonMissing, has: "ngoai dong nam a"},
		{q: "đi hội chợ khởi nghiệp ở Malaysia được hỗ trợ mấy triệu", has: "dong nam a: toi da 50 trieu"},
		// Two parts: the gap beside them ("ngoài Đông Nam Á: chưa có")
		// answers neither.
		{q: "nq 09 cho đi sự kiện trong nước tối đa nhiêu, còn đi Đông Nam Á thì nhiêu", has: "dong nam a: toi da 50 trieu"},
		// "đề án đó" is not Ấn Độ; "ở an do" is.
		{q: "Nghị quyết 09/2020/NQ-HĐND được ban hành để thực hiện đề án quốc gia nào, đề án đó được Thủ tướng phê duyệt ngày nào?", has: "de an 844"},
		{q: "du an di ngay hoi khoi nghiep o an do thi tinh ho tro bao nhieu", refused: true, reason: ReasonMissing, has: "ngoai dong nam a"},
		{q: "nhóm mình đi ngày hội khởi nghiệp ở Hà Nội thì được hỗ trợ nhiêu", has: "trong nuoc: toi da 20 trieu"},
		{q: "Hội An giờ thuộc thành phố nào?", has: "da nang"},
		{q: "How much support is there for a startup attending a fair in Thailand?", has: "50 million", lang: "en"},
		{q: "How long is an OCOP certificate valid?", has: "36 months", lang: "en"},
	} {
		ans := answer(t, a, c.q)
		if ans.Refused != c.refused || (c.reason != "" && ans.Reason != c.reason) {
			t.Errorf("%q: refused %v (%s), want %v (%s): %q", c.q, ans.Refused, ans.Reason, c.refused, c.reason, ans.Text)
			continue
		}
		if c.topic != "" && !strings.Contains(ans.Topic, c.topic) {
			t.Errorf("%q: topic %q lacks %q", c.q, ans.Topic, c.topic)
		}
		if c.noTopic && ans.Topic != "" {
			t.Errorf("%q: refusal names %q, which the knowledge base covers", c.q, ans.Topic)
		}
		if c.has != "" && !strings.Contains(search.Fold(ans.Text), c.has) {
			t.Errorf("%q: text lacks %q:\n%s", c.q, c.has, ans.Text)
		}
		if c.lang != "" && ans.Lang != c.lang {
			t.Errorf("%q: lang %s, want %s", c.q, ans.Lang, c.lang)
		}
		if c.reason == ReasonMissing && (len(ans.Sources) == 0 || !strings.Contains(Render(ans, locales.MustLoad().For("vi")), "cán bộ")) {
			t.Errorf("%q: missing refusal without source or hand-off", c.q)
		}
	}
}

// TestAnswerTimeAndValidity: "mới / hiện nay / còn … không" follow the
// successor links, a validity question is answered yes or no first, and a
// document's own "still valid?" section yields to the merger documents.
func TestAnswerTimeAndValidity(t *testing.T) {
	a := New(mustKB(t), Options{})
	for _, tc := range []struct {
		q, doc, lead string
	}{
		{"Đề án hỗ trợ sinh viên khởi nghiệp mới nhất là gì?", "336/QĐ-TTg", ""},
		{"Hiện nay có đề án hỗ trợ phụ nữ khởi nghiệp nào?", "2415/QĐ-TTg", ""},
		{"Đề án 939 hiện nay còn áp dụng không?", "939/QĐ-TTg", "Không, đã có văn bản kế nhiệm."},
		{"Nghị quyết 09 còn hiệu lực không?", "09/2020/NQ-HĐND", "Không, giai đoạn áp dụng đã kết thúc."},
		{"Is Resolution 09 still in force?", "09/2020/NQ-HĐND", "No: its period has ended."},
		{"Sau sáp nhập các nghị quyết của Quảng Nam còn hiệu lực không?", "NQ 19 HĐND TP Đà Nẵng (2025)", ""},
	} {
		t.Run(tc.q, func(t *testing.T) {
			ans := answer(t, a, tc.q)
			if ans.Refused || len(ans.Sources) == 0 || ans.Sources[0].Doc != tc.doc {
				t.Fatalf("source = %+v, want %s", ans.Sources, tc.doc)
			}
			if tc.lead != "" && !strings.HasPrefix(ans.Text, tc.lead) {
				t.Errorf("answer does not start with %q: %q", tc.lead, ans.Text)
			}
		})
	}
}

// Follow-up suggestions are section headings, written in Vietnamese only:
// an answer in English offers none, the same question in Vietnamese does.
func TestFollowupsOnlyInVietnamese(t *testing.T) {
	a := New(mustKB(t), Options{})
	vi := answer(t, a, "hội chợ khởi nghiệp ở Thái Lan được hỗ trợ bao nhiêu")
	en := answer(t, a, "How much support for a booth at a startup fair in Thailand?")
	if vi.Lang != "vi" || len(vi.Followups) == 0 {
		t.Errorf("Vietnamese answer: lang %q, followups %q", vi.Lang, vi.Followups)
	}
	if en.Lang != "en" || len(en.Followups) != 0 {
		t.Errorf("English answer: lang %q, followups %q", en.Lang, en.Followups)
	}
}
