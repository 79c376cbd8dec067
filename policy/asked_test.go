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
	if qi := (&question{folded: padFold("tỉnh ủy có chỉ thị gì về khởi nghiệp không")}); qi != nil {
		if want, specific := qi.askedKind(); specific || (want != nil && want("Chỉ thị 19-CT/TU.") && !want("Bí thư ký Chỉ thị.")) {
			t.Errorf("a question about a directive's content asks for its number")
		}
	}
}
