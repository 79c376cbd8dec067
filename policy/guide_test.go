package policy

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func guideKB(t *testing.T) *KB {
	t.Helper()
	kb := mustKB(t)
	kb.Now = func() time.Time { return time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) }
	return kb
}

func benefitDocs(g Guide) []string {
	var out []string
	for _, b := range g.Benefits {
		out = append(out, b.Source.Doc)
	}
	return out
}

func TestGuideEmbedded(t *testing.T) {
	kb := guideKB(t)
	for _, tc := range []struct {
		name       string
		p          Profile
		first      string   // document of the first benefit
		want, not  []string // documents present / absent
		noSpecific bool
	}{
		{"student in Quảng Nam", Profile{Who: WhoStudent, Stage: StageIdea, Sector: SectorIT, Area: AreaQuangNam},
			"09/2020/NQ-HĐND", []string{"126/2018/TT-BTC", "336/QĐ-TTg", "2332/QĐ-UBND"}, []string{"2415/QĐ-TTg", "148/QĐ-TTg", "328/2020/NQ-HĐND", "80/2021/NĐ-CP"}, false},
		{"student elsewhere", Profile{Who: WhoStudent, Stage: StageIdea, Sector: SectorIT, Area: AreaOther},
			"126/2018/TT-BTC", []string{"336/QĐ-TTg"}, []string{"09/2020/NQ-HĐND", "328/2020/NQ-HĐND"}, false},
		{"farmer with a product", Profile{Who: WhoFarmer, Stage: StagePrototype, Sector: SectorAgri, Area: AreaQuangNam},
			"09/2020/NQ-HĐND", []string{"148/QĐ-TTg", "07/2021/NQ-HĐND"}, []string{"126/2018/TT-BTC", "2415/QĐ-TTg"}, false},
		{"farmer with an idea only", Profile{Who: WhoFarmer, Stage: StageIdea, Sector: SectorAgri, Area: AreaQuangNam},
			"09/2020/NQ-HĐND", nil, []string{"148/QĐ-TTg", "07/2021/NQ-HĐND"}, true},
		{"woman in Đà Nẵng", Profile{Who: WhoWoman, Stage: StageRegistered, Sector: SectorTourism, Area: AreaDaNang},
			"2415/QĐ-TTg", []string{"328/2020/NQ-HĐND", "2332/QĐ-UBND"}, []string{"09/2020/NQ-HĐND", "939/QĐ-TTg"}, false},
		{"youth: nothing of their own", Profile{Who: WhoYouth, Stage: StageIdea, Sector: SectorOther, Area: AreaQuangNam},
			"09/2020/NQ-HĐND", []string{"2332/QĐ-UBND"}, []string{"126/2018/TT-BTC", "2415/QĐ-TTg"}, true},
		{"registered small business", Profile{Who: WhoBusiness, Stage: StageRegistered, Sector: SectorIndustry, Area: AreaOther},
			"80/2021/NĐ-CP", nil, []string{"09/2020/NQ-HĐND", "148/QĐ-TTg"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := kb.Guide(tc.p, "vi")
			docs := benefitDocs(g)
			if len(docs) == 0 || docs[0] != tc.first {
				t.Fatalf("first = %v, want %s", docs, tc.first)
			}
			for _, d := range tc.want {
				if !slices.Contains(docs, d) {
					t.Errorf("missing %s in %v", d, docs)
				}
			}
			for _, d := range tc.not {
				if slices.Contains(docs, d) {
					t.Errorf("%s should not apply: %v", d, docs)
				}
			}
			if g.NoSpecific != tc.noSpecific {
				t.Errorf("NoSpecific = %v, want %v", g.NoSpecific, tc.noSpecific)
			}
			if len(g.Missing) != 0 {
				t.Errorf("Missing = %v for a full profile", g.Missing)
			}
			for i, b := range g.Benefits {
				if i > 0 && b.Value > g.Benefits[i-1].Value {
					t.Errorf("benefit %d (%s, %d) outranks a less valuable one before it", i, b.Title, b.Value)
				}
				if b.Source.Section == "" || b.Title == "" || b.Source.Status == "" {
					t.Errorf("benefit %d incomplete: %+v", i, b)
				}
				if len(b.Maybe) != 0 {
					t.Errorf("benefit %q: Maybe %v for a full profile", b.Title, b.Maybe)
				}
			}
		})
	}
}

func TestGuidePartialProfile(t *testing.T) {
	kb := guideKB(t)
	g := kb.Guide(Profile{Who: WhoStudent}, "vi")
	if !slices.Equal(g.Missing, []string{"stage", "sector", "area"}) {
		t.Errorf("Missing = %v", g.Missing)
	}
	var nq09 *Benefit
	for i, b := range g.Benefits {
		if b.Source.Doc == "09/2020/NQ-HĐND" {
			nq09 = &g.Benefits[i]
			break
		}
	}
	if nq09 == nil || !slices.Equal(nq09.Maybe, []string{"area"}) {
		t.Fatalf("NQ 09 benefit should depend on the area: %+v", nq09)
	}
	// The guide says what it could not determine, once each.
	if len(g.Unknown) == 0 || !strings.Contains(strings.Join(g.Unknown, " "), "QĐ 454/QĐ-UBND") {
		t.Errorf("Unknown = %q", g.Unknown)
	}
	seen := map[string]bool{}
	for _, u := range g.Unknown {
		if seen[u] {
			t.Errorf("unknown %q listed twice", u)
		}
		seen[u] = true
	}
	if g.Fingerprint() == kb.Guide(Profile{Who: WhoStudent, Area: AreaOther}, "vi").Fingerprint() {
		t.Error("different guides share a fingerprint")
	}
}

func TestGuideEnglish(t *testing.T) {
	g := guideKB(t).Guide(Profile{Who: WhoStudent, Area: AreaQuangNam, Stage: StageIdea, Sector: SectorIT}, "en")
	for _, b := range g.Benefits {
		if hasNonASCIIWords(b.Title) {
			t.Errorf("English guide has a Vietnamese title: %q", b.Title)
		}
	}
}

// hasNonASCIIWords reports Vietnamese words other than place names.
func hasNonASCIIWords(s string) bool {
	s = strings.NewReplacer("Quảng Nam", "", "Đà Nẵng", "", "QĐ", "", "HĐND", "", "NĐ", "", "–", "").Replace(s)
	return hasNonASCII(s)
}

const supportDoc = `+++
number = "01/2026/NQ-HĐND"
title = "Nghị quyết thử"
status = "in_force"

[[support]]
section = "Mục một"
title = "Hỗ trợ thử"
amount = "Tối đa 10 triệu đồng"
value = 10000000
who = ["farmer"]
areas = ["da_nang"]
+++

## Mục một
Hỗ trợ tối đa 10 triệu đồng.
`

func TestParseSupports(t *testing.T) {
	d, err := Parse("s.md", []byte(supportDoc))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Supports) != 1 || d.Supports[0].Value != 10_000_000 || !slices.Equal(d.Supports[0].Who, []string{"farmer"}) {
		t.Fatalf("supports: %+v", d.Supports)
	}
	back, err := Parse("s.md", d.Marshal())
	if err != nil {
		t.Fatalf("marshal round trip: %v\n%s", err, d.Marshal())
	}
	if len(back.Supports) != 1 || back.Supports[0].Amount != d.Supports[0].Amount || !slices.Equal(back.Supports[0].Areas, d.Supports[0].Areas) {
		t.Errorf("round trip: %+v", back.Supports)
	}
	for _, tc := range []struct{ name, old, new string }{
		{"unknown who", `who = ["farmer"]`, `who = ["pirate"]`},
		{"unknown area", `areas = ["da_nang"]`, `areas = ["hue"]`},
		{"no such section", `section = "Mục một"`, `section = "Mục hai"`},
		{"no title", `title = "Hỗ trợ thử"`, ``},
		{"value without amount", `amount = "Tối đa 10 triệu đồng"`, ``},
		{"negative value", `value = 10000000`, `value = -1`},
		{"unknown field", `value = 10000000`, "value = 10000000\nbonus = 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("s.md", []byte(strings.Replace(supportDoc, tc.old, tc.new, 1)))
			if !errors.Is(err, ErrFrontMatter) {
				t.Errorf("err = %v, want ErrFrontMatter", err)
			}
		})
	}
}

func TestGuideAfterUpload(t *testing.T) {
	kb := guideKB(t)
	p := Profile{Who: WhoFarmer, Stage: StageIdea, Sector: SectorAgri, Area: AreaDaNang}
	before := kb.Guide(p, "vi")
	d, err := Parse("s.md", []byte(supportDoc))
	if err != nil {
		t.Fatal(err)
	}
	after := kb.GuideAfter(d, p, "vi")
	if after.Fingerprint() == before.Fingerprint() || after.Benefits[0].Source.Doc != "01/2026/NQ-HĐND" {
		t.Fatalf("the new support should lead: %v", benefitDocs(after))
	}
	if kb.Guide(p, "vi").Fingerprint() != before.Fingerprint() {
		t.Error("GuideAfter changed the knowledge base")
	}
	// Someone it does not concern sees the same guide.
	other := Profile{Who: WhoStudent, Stage: StageIdea, Sector: SectorIT, Area: AreaOther}
	if kb.GuideAfter(d, other, "vi").Fingerprint() != kb.Guide(other, "vi").Fingerprint() {
		t.Error("an unrelated upload changed the student's guide")
	}
	// A replaced document's supports give way to its successor's.
	old := strings.NewReplacer(`number = "01/2026/NQ-HĐND"`, `number = "01/2025/NQ-HĐND"`,
		`status = "in_force"`, "status = \"replaced\"\nreplaced_by = \"01/2026/NQ-HĐND\"").Replace(supportDoc)
	od, err := Parse("o.md", []byte(old))
	if err != nil {
		t.Fatal(err)
	}
	kb2, err := NewKB([]*Doc{od, d})
	if err != nil {
		t.Fatal(err)
	}
	if docs := benefitDocs(kb2.Guide(p, "vi")); !slices.Equal(docs, []string{"01/2026/NQ-HĐND"}) {
		t.Errorf("replaced document still listed: %v", docs)
	}
}

func TestParseProfile(t *testing.T) {
	for _, tc := range []struct {
		q    string
		ok   bool
		want Profile
	}{
		{"em là sinh viên thì được hỗ trợ gì", true, Profile{Who: WhoStudent}},
		{"Tôi được hỗ trợ gì?", true, Profile{}},
		{"toi la nong dan o Tam Ky co ho tro gi khong", true, Profile{Who: WhoFarmer, Area: AreaQuangNam}},
		{"Hợp tác xã làm dược liệu ở Đà Nẵng được hưởng chính sách gì?", true, Profile{Who: WhoCoop, Sector: SectorAgri, Area: AreaDaNang}},
		{"chị em phụ nữ mới có ý tưởng thì được hỗ trợ những gì", true, Profile{Who: WhoWoman, Stage: StageIdea}},
		{"What support can a student get?", true, Profile{Who: WhoStudent}},
		{"nuoi ong lay mat duoc ho tro gi", false, Profile{}},
		{"tôi muốn đi hội chợ ở Thái Lan thì được hỗ trợ gì", false, Profile{}},
		{"chào ad, mình là sinh viên năm 3 ở Hội An, được hỗ trợ những gì ạ?", true, Profile{Who: WhoStudent, Area: AreaQuangNam}},
		{"nhóm mình 3 đứa sinh viên có ý tưởng app du lịch, tỉnh có hỗ trợ gì k", true, Profile{Who: WhoStudent, Stage: StageIdea, Sector: SectorTourism}},
		{"bọn em là hợp tác xã thì thành phố có hỗ trợ gì không", true, Profile{Who: WhoCoop}},
		{"bọn em là hợp tác xã ở Đại Lộc thì tỉnh có hỗ trợ gì không", true, Profile{Who: WhoCoop, Area: AreaQuangNam}},
		{"toi la nong dan o Hoa Vang co ho tro gi khong", true, Profile{Who: WhoFarmer, Area: AreaDaNang}},
		{"Tham gia ngày hội khởi nghiệp được hỗ trợ bao nhiêu?", false, Profile{}},
		{"Nghị quyết 09 còn hiệu lực không?", false, Profile{}},
		{"", false, Profile{}},
	} {
		t.Run(tc.q, func(t *testing.T) {
			p, ok := ParseProfile(tc.q)
			if ok != tc.ok || p != tc.want {
				t.Errorf("ParseProfile = %+v, %v; want %+v, %v", p, ok, tc.want, tc.ok)
			}
		})
	}
}
