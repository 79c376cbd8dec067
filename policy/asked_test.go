package policy

import "testing"

// TestAskedKindForms checks question wordings the plain forms of askedKind
// missed: the test it returns must accept a sentence holding the asked
// kind of thing and reject one that does not.
func TestAskedKindForms(t *testing.T) {
	cases := []struct {
		q, with, without string
		specific         bool
	}{
		{"kế hoạch này căn cứ tờ trình số mấy của sở", "Căn cứ Tờ trình 112/TTr-SKHCN của Sở.", "Kế hoạch do Sở Khoa học và Công nghệ chủ trì.", true},
		{"quy che hoi dong duoc ban hanh theo cong van nao", "Ban hành kèm Công văn 77/SKHCN-QLKH.", "Hội đồng có 7 thành viên.", true},
		{"Which two earlier plans did the new plan replace?", "It replaces Decision 210/QĐ-UBND.", "The plan runs for five years.", true},
		{"Which Party resolution set the goal?", "The goal comes from Resolution 08-NQ/TU.", "The goal is 100 startups.", true},
		{"cuộc thi năm nay tổ chức vào tháng mấy", "Cuộc thi tổ chức ngày 12/9/2024.", "Cuộc thi có 3 giải nhất.", false},
		{"vườn ươm khai trương hồi nào vậy", "Vườn ươm khai trương năm 2022.", "Vườn ươm có 12 nhóm khởi nghiệp.", false},
		{"quỹ được thành lập vào thời điểm nào", "Quỹ thành lập ngày 3/4/2021.", "Quỹ có vốn 20 tỷ đồng.", false},
		{"In which year did the fund open?", "The fund opened in 2019.", "The fund has 20 billion VND.", false},
	}
	for _, c := range cases {
		qi := &question{text: c.q, folded: padFold(c.q)}
		want, specific := qi.askedKind()
		if want == nil {
			t.Errorf("askedKind(%q): no kind", c.q)
			continue
		}
		if specific != c.specific {
			t.Errorf("askedKind(%q): specific %v, want %v", c.q, specific, c.specific)
		}
		if !want(c.with) {
			t.Errorf("askedKind(%q) rejects %q", c.q, c.with)
		}
		if want(c.without) {
			t.Errorf("askedKind(%q) accepts %q", c.q, c.without)
		}
	}
	// "chỉ thị gì" asks what a directive says, not its number.
	qi := &question{folded: padFold("tỉnh ủy có chỉ thị gì về khởi nghiệp không")}
	if want, specific := qi.askedKind(); specific || (want != nil && want("Chỉ thị 19-CT/TU.") && !want("Bí thư ký Chỉ thị.")) {
		t.Errorf("a question about a directive's content asks for its number")
	}
}

// TestAskedFirst checks that the clause of a long lead sentence holding the
// asked thing comes first, and that sentences it cannot reorder safely stay
// whole.
func TestAskedFirst(t *testing.T) {
	date := dateRe.MatchString
	docNo := docNoRe.MatchString
	cases := []struct {
		name, q, text string
		want          func(string) bool
		out           string // "" keeps text
	}{
		{"date clause to the front", "vườn ươm được công nhận vào ngày nào",
			"Vườn ươm doanh nghiệp công nghệ cao của tỉnh ra đời từ một dự án hợp tác với trường đại học và được nhiều doanh nghiệp góp thiết bị, được công nhận bằng Quyết định 77/QĐ-UBND ngày 12/3/2022.", date,
			"Được công nhận bằng Quyết định 77/QĐ-UBND ngày 12/3/2022. Vườn ươm doanh nghiệp công nghệ cao của tỉnh ra đời từ một dự án hợp tác với trường đại học và được nhiều doanh nghiệp góp thiết bị."},
		{"adjunct tail opens the sentence", "kế hoạch lập theo văn bản nào",
			"Kế hoạch giao các sở, ngành và địa phương xây dựng chương trình hỗ trợ khởi nghiệp hằng năm với kinh phí từ ngân sách và nguồn xã hội hóa, theo Công văn 214/SKHCN-QLKH của Sở Khoa học.", docNo,
			"Theo Công văn 214/SKHCN-QLKH của Sở Khoa học, Kế hoạch giao các sở, ngành và địa phương xây dựng chương trình hỗ trợ khởi nghiệp hằng năm với kinh phí từ ngân sách và nguồn xã hội hóa."},
		{"adjunct head follows the clause", "which letter asked the wards to act",
			"Following Notice 12/TB-VP of 3/3/2024 (the conclusions of the meeting of the city leaders on the innovation programme), the department issued Letter 55/SKHCN-QLKH asking the wards to act.", docNo,
			"The department issued Letter 55/SKHCN-QLKH asking the wards to act, following Notice 12/TB-VP of 3/3/2024 (the conclusions of the meeting of the city leaders on the innovation programme)."},
		{"short sentence stays", "khai trương ngày nào", "Vườn ươm khai trương ngày 2/9/2023, tại Tam Kỳ.", date, ""},
		{"early answer stays", "thành lập ngày nào",
			"Quỹ thành lập ngày 2/9/2023, do Sở Tài chính quản lý, với vốn điều lệ từ ngân sách tỉnh, các doanh nghiệp lớn và các tổ chức quốc tế tài trợ cho các dự án khởi nghiệp xanh.", date, ""},
		{"list comma stays", "công nhận theo quyết định nào",
			"Bạn nộp hồ sơ trên cổng thông tin khởi nghiệp của tỉnh, nộp trực tiếp hoặc gửi qua bưu điện cho Ban Điều hành để ý tưởng, dự án được công nhận theo Quyết định 88/QĐ-UBND.", docNo, ""},
		{"agent stays after its verb", "ai ký quyết định năm nào",
			"Chương trình hỗ trợ doanh nghiệp nhỏ và vừa của tỉnh giai đoạn 2021–2025 được phê duyệt tại một quyết định riêng của UBND tỉnh, do Phó Chủ tịch ký năm 2022.", date, ""},
		{"a list keeps its order", "đến năm nào",
			"Mục tiêu của đề án gồm nhiều chỉ tiêu về ý tưởng và dự án khởi nghiệp sáng tạo của học sinh, sinh viên trong toàn tỉnh: 100 ý tưởng, 20 dự án được gọi vốn, đến năm 2030.", date, ""},
	}
	for _, c := range cases {
		qs := make(map[string]float64)
		for _, term := range distinctTerms(c.q) {
			qs[term] = 1
		}
		score := func(cl string) float64 {
			sc := 0.0
			for _, term := range distinctTerms(cl) {
				sc += qs[term]
			}
			return sc
		}
		want := c.out
		if want == "" {
			want = c.text
		}
		if got := askedFirst(c.text, c.want, score); got != want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, want)
		}
	}
	if got := askedFirst("x", nil, func(string) float64 { return 1 }); got != "x" {
		t.Errorf("no asked kind: got %q", got)
	}
}

// TestAskedCountOfOffice checks that "mấy phó chủ tịch" asks for a figure,
// not for a person.
func TestAskedCountOfOffice(t *testing.T) {
	qi := &question{folded: padFold("hội đồng có thêm mấy phó chủ tịch")}
	want, _ := qi.askedKind()
	if want == nil || !want("Hội đồng có 3 phó chủ tịch và 12 thành viên.") || want("Do ông Nguyễn Văn An làm Chủ tịch.") {
		t.Error("a count of office holders is not asked as a figure")
	}
	qi = &question{folded: padFold("chủ tịch hội đồng năm 2022")}
	if want, _ := qi.askedKind(); want == nil || !want("Chủ tịch là ông Nguyễn Văn An.") {
		t.Error("the holder of an office is not asked as a person")
	}
}

// TestInRange checks that a figure the question gives picks the row of a
// scale holding it, in the same words only.
func TestInRange(t *testing.T) {
	cases := []struct {
		q, unit string
		want    bool
	}{
		{"đội em được 64 điểm thì xếp loại gì", "- Loại khá: 60–79 điểm, được vào vòng chung kết.", true},
		{"đội em được 64 điểm thì xếp loại gì", "- Loại giỏi: 80–100 điểm.", false},
		{"mình có 12 thành viên thì được xếp nhóm nào", "- Nhóm nhỏ: dưới 15 thành viên.", true},
		{"A team of 7 people, which tier?", "- Tier 2: 5-9 people, up to 30 million VND.", true},
		{"sản phẩm 3 sao cần bao nhiêu điểm", "- 1 sao: dưới 30 điểm.", false}, // stars are not points
		{"được 64 điểm năm 2023", "Giai đoạn 2021–2025 điểm thưởng thêm.", false},
		{"không có số", "- Loại khá: 60–79 điểm.", false},
	}
	for _, c := range cases {
		if got := inRange(c.unit, smallNumbers(padFold(c.q))); got != c.want {
			t.Errorf("inRange(%q, %q) = %v, want %v", c.unit, c.q, got, c.want)
		}
	}
}
