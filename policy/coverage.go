package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/qnstartup/trolykhoinghiep/search"
)

// Questions next to our domain that the knowledge base does not answer:
// a law it does not hold, a year no document reaches. They look like
// covered questions (startup words, a province), so they are refused by
// what they name rather than by how well they match.

// lawStop (folded) are words after "luật" that do not name a law.
var lawStop = map[string]bool{
	"co": true, "la": true, "nao": true, "gi": true, "moi": true, "nam": true, "so": true, "ve": true,
	"quy": true, "thi": true, "duoc": true, "nay": true, "do": true, "cua": true, "cho": true,
	"hien": true, "ban": true, "hieu": true, "ap": true, "dieu": true, "khoan": true, "tai": true,
	"o": true, "sua": true, "noi": true, "nhu": true, "the": true, "rieng": true, "chung": true,
	"nghiep": true, "su": true, "sư": true, "phap": true, "quoc": true, "hoi": true, "khong": true,
}

// lawTopic returns a topic for a law the question names ("luật doanh
// nghiệp", "luat khoa hoc cong nghe"): the passage or its document must
// name the same law, by its first two words.
func lawTopic(folded, lower string) *topic {
	i := strings.Index(folded, " luat ")
	if i < 0 {
		return nil
	}
	var name []string
	for _, w := range strings.Fields(folded[i+len(" luat "):]) {
		if w == "va" {
			continue // "Khoa học và Công nghệ"
		}
		if search.Shorthand(w) {
			return nil // "luật dnnvv": an abbreviation, not the law's own words
		}
		if lawStop[w] || strings.Trim(w, "0123456789") == "" || len(name) == 2 {
			break
		}
		name = append(name, w)
	}
	if len(name) < 2 {
		return nil
	}
	form := " luat " + strings.Join(name, " ") + " "
	label := "luật " + strings.Join(name, " ")
	if j := strings.Index(lower, " luật "); j >= 0 {
		// The words as asked, with their diacritics.
		if ws := strings.Fields(lower[j:]); len(ws) >= 3 {
			var out []string
			for _, w := range ws[1:] {
				if w != "và" {
					out = append(out, w)
				}
				if len(out) == 2 {
					break
				}
			}
			label = "Luật " + strings.Join(out, " ")
		}
	}
	return &topic{name: label, nameEN: label, ask: []string{form}, cover: []string{form}, doc: true}
}

// uncoveredYear returns a year the question names that the knowledge base
// never mentions and that the passage's document does not reach (its
// period or validity ends before it): "TechFest năm 2027", "kế hoạch
// 2027". A year inside the document's period ("2027" for a 2026–2035
// scheme) is covered.
func (s *snapshot) uncoveredYear(qi *question, p *passage) string {
	for _, y := range qi.years {
		if s.df.count(y) > 0 {
			continue
		}
		from, to := "", ""
		if per := p.doc.Period; len(per) >= 4 {
			from, to = per[:4], per[len(per)-4:]
		}
		if !p.doc.EffectiveTo.IsZero() && to == "" {
			to = fmt.Sprintf("%04d", p.doc.EffectiveTo.Year)
		}
		if from != "" && to != "" && strings.Trim(from+to, "0123456789") == "" && from <= y && y <= to {
			continue
		}
		return y
	}
	return ""
}

// oldQuangNamPlace reports whether the question names a locality of the
// former Quảng Nam province other than the province itself: a former
// district or town ("Đại Lộc", "Hội An") or a new ward or commune.
func oldQuangNamPlace(folded string) bool {
	for _, p := range homePlaces {
		if p != "quang nam" && p != "quangnam" && !danangPlaces[p] && strings.Contains(folded, " "+p+" ") {
			return true
		}
	}
	for _, p := range placeAreas() {
		if p.area == AreaQuangNam && strings.Contains(folded, p.form) {
			return true
		}
	}
	return false
}

// addressForms (folded) ask which province or city to write in an address
// or which one a place is in now ("ghi địa chỉ là tỉnh Quảng Nam hay thành
// phố Đà Nẵng").
var addressForms = []string{
	" ghi dia chi ", " dia chi ghi ", " ghi la tinh ", " ghi la thanh pho ", " ghi tinh ", " ghi thanh pho ",
	" quang nam hay ", " hay quang nam ", " hay thanh pho da nang ", " hay tp da nang ", " hay da nang ",
	" tinh nao ", " thanh pho nao ", " o tinh nao ",
}

func addressWords(folded string) bool {
	for _, f := range addressForms {
		if strings.Contains(folded, f) {
			return true
		}
	}
	return false
}

// aboutMerger reports whether a passage is about the 2025 merger.
func (p *passage) aboutMerger() bool {
	s := p.doc.Sections[p.sec]
	return containsAny(padFold(s.Heading+" "+s.Text), "", mergerForms)
}

// seriesInfo is a document's place in a yearly series: documents whose
// numbers differ only by their year ("TechFest Quảng Nam 2022 (sự kiện)",
// "… 2024 (sự kiện)").
type seriesInfo struct {
	name  string   // the series name, folded and padded ("" when not in one)
	years []string // the years its number names
}

// yearSeries works out the series of every document.
func yearSeries(docs []*Doc) []seriesInfo {
	out := make([]seriesInfo, len(docs))
	count := map[string]int{}
	keys := make([]string, len(docs))
	for i, d := range docs {
		if ys := questionYears(d.Number); len(ys) > 0 {
			keys[i] = withoutYears(d.Number)
			out[i].years = ys
			count[keys[i]]++
		}
	}
	for i, k := range keys {
		if k == "" || count[k] < 2 {
			continue
		}
		name := k
		if j := strings.IndexByte(name, '('); j >= 0 {
			name = name[:j]
		}
		if n := padFold(name); strings.TrimSpace(n) != "" {
			out[i].name = n
		}
	}
	return out
}

// seriesYearFactor favours, among the documents of a yearly series that
// the question names, the one whose number names the year the question
// names, and disfavours its siblings.
func (s *snapshot) seriesYearFactor(p *passage, qi *question) float64 {
	si := s.series[p.docNo]
	if si.name == "" || !strings.Contains(qi.folded, si.name) {
		return 1
	}
	for _, y := range qi.years {
		if slices.Contains(si.years, y) {
			return seriesYearBoost
		}
	}
	return seriesYearOther
}

// withoutYears removes the years (2010–2039) named in s.
func withoutYears(s string) string {
	for _, y := range questionYears(s) {
		s = strings.Replace(s, y, "", 1)
	}
	return s
}

const (
	seriesYearBoost = 1.5
	seriesYearOther = 0.8
)

// focusQuestion returns the last clause of a message that tells a story
// before it asks ("nhà em làm mật ong ở Nam Giang, được OCOP 3 sao năm
// 2023, giờ có phải làm lại hồ sơ không"), preceded by the domain words of
// the clauses before it ("OCOP"), or "" when the message has one clause or
// the story has no domain word. Vietnamese only.
func focusQuestion(text string) string {
	parts := strings.FieldsFunc(text, func(r rune) bool {
		return r == '.' || r == '?' || r == '!' || r == ',' || r == ';' || r == ':' || r == '\n'
	})
	var cs []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			cs = append(cs, p)
		}
	}
	if len(cs) < 2 || questionLang(text) != "vi" {
		return ""
	}
	var keep []string
	for _, c := range cs[:len(cs)-1] {
		ws := strings.Fields(c)
		for i, w := range ws {
			f := search.Fold(w)
			pair := i+1 < len(ws) && domainTerms[f+"_"+search.Fold(ws[i+1])]
			prev := i > 0 && domainTerms[search.Fold(ws[i-1])+"_"+f]
			if domainTerms[f] || pair || prev {
				keep = append(keep, w)
			}
		}
	}
	if len(keep) == 0 {
		return ""
	}
	return strings.Join(keep, " ") + " " + cs[len(cs)-1]
}

// newScheme reports "mới" after the name of a scheme or programme and
// before what it does ("đề án phụ nữ khởi nghiệp mới chạy tới năm nào",
// "chương trình OCOP mới áp dụng từ khi nào"): the current one, not
// "doanh nghiệp mới thành lập".
func newScheme(folded string) bool {
	ws := strings.Fields(folded)
	for i := 1; i < len(ws); i++ {
		if ws[i] != "moi" {
			continue
		}
		switch ws[i-1] {
		case "an", "trinh", "hoach", "quyet", "doan", "ocop", "nghiep", "sach":
		default:
			continue
		}
		next := ""
		if i+1 < len(ws) {
			next = ws[i+1]
		}
		switch next {
		case "", "chay", "ap", "ban", "la", "keo", "den", "toi", "thi", "nay", "co", "the", "gom", "ra":
			return !(ws[i-1] == "nghiep" && next == "co") // "doanh nghiệp mới có …"
		}
	}
	return false
}
