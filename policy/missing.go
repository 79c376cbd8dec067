package policy

import (
	"regexp"
	"slices"
	"strings"
)

// This file decides when an answer is a "not in our database" refusal:
// the chosen passage says that what the question asks for (a date, an
// amount, a person, a contact, a document number, the items of a list) is
// missing or unverified — in the unit the answer leads with, in a
// parenthesis attached to the asked thing ("(ngày ký chưa xác định)"), or
// as the remainder of a list whose listed items do not include the asked
// one ("mức các giải thấp hơn chưa có"). A passage that answers the asked
// thing stays an answer even when another of its details is unverified.

// gapMarks (lower case) say that a detail is missing or unverified.
var gapMarks = []string{
	"chưa có trong", "chưa có số liệu", "chưa có mức", "chưa có dữ liệu", "chưa có thông tin",
	"chưa xác định", "chưa xác minh", "chưa xác nhận", "chưa rõ", "chưa được nêu",
	"không có trong nguồn", "không có số liệu", "chưa tìm thấy", "không tìm thấy",
	"not in our database", "not in the database", "not in the sources of our database", "unverified", "not verified", "not confirmed",
	"no figure is", "not found in", "not known",
}

// gapMark returns the first gap mark in text and where it starts, or "", -1.
func gapMark(text string) (string, int) {
	low := strings.ToLower(text)
	at, mark := -1, ""
	for _, m := range gapMarks {
		if i := strings.Index(low, m); i >= 0 && (at < 0 || i < at) {
			at, mark = i, m
		}
	}
	return mark, at
}

// Kinds of thing a question asks for (a bit set).
const (
	kindDate = 1 << iota
	kindAmount
	kindPerson
	kindContact
	kindPlace
	kindDocNo
	kindList
)

// askedKinds returns every kind of thing the question asks for.
func askedKinds(folded string) int {
	has := func(ws ...string) bool {
		for _, w := range ws {
			if strings.Contains(folded, " "+w+" ") {
				return true
			}
		}
		return false
	}
	k := 0
	if has("ai", "who", "nguoi nao", "do ai", "co quan nao", "don vi nao", "cap nao", "which body", "which authority") {
		k |= kindPerson
	}
	if has("quyet dinh nao", "nghi quyet nao", "nghi dinh nao", "thong tu nao", "chi thi nao", "van ban nao", "so hieu", "which decision", "which resolution", "which decree", "what number") {
		k |= kindDocNo
	}
	if has("ngay nao", "khi nao", "bao gio", "nam nao", "thang nao", "hieu luc tu", "tu ngay", "when", "what date", "which date") {
		k |= kindDate
	}
	if has("bao nhieu", "may", "how much", "how many", "muc", "toi da", "phan tram", "so luong", "how long", "bao lau") {
		k |= kindAmount
	}
	if has("dia chi", "so dien thoai", "dien thoai", "sdt", "email", "hotline", "thong tin lien he", "address", "phone", "phone number", "contact details") {
		k |= kindContact
	}
	if has("o dau", "where", "noi nao", "dia diem", "venue") {
		k |= kindPlace
	}
	if has("nhung gi", "nhung viec", "viec gi", "nhiem vu", "noi dung", "gom nhung", "cu the", "what tasks", "which tasks", "what exactly", "details") {
		k |= kindList
	}
	return k
}

// gapKindWords (folded) name, in a clause saying something is missing, the
// kind of thing that is missing.
var gapKindWords = map[int][]string{
	kindDate:    {"ngay", "thoi diem", "thoi gian", "hieu luc", "date", "dates", "when"},
	kindAmount:  {"muc", "so tien", "kinh phi", "con so", "so lieu", "giai", "amount", "amounts", "figure", "figures", "prize", "prizes", "rate"},
	kindPerson:  {"nguoi", "co quan", "don vi", "truong ban", "who", "body", "authority", "agency"},
	kindContact: {"dia chi", "dien thoai", "email", "lien he", "hotline", "website", "address", "phone", "contact"},
	kindPlace:   {"dia diem", "dia chi", "noi", "venue", "place", "where", "address"},
	kindDocNo:   {"so hieu", "number"},
	kindList:    {"noi dung", "nhiem vu", "chi tiet", "quy trinh", "ho so", "content", "tasks", "details", "procedure"},
}

// namesKind reports whether a folded, padded clause names a kind in ks.
func namesKind(folded string, ks int) bool {
	for k, ws := range gapKindWords {
		if ks&k == 0 {
			continue
		}
		for _, w := range ws {
			if strings.Contains(folded, " "+w+" ") {
				return true
			}
		}
	}
	return false
}

var (
	moneyRe   = regexp.MustCompile(`\d[\d.,]*\s*(triệu|tỷ|nghìn|đồng|million|billion|VND|%)`)
	dayRe     = regexp.MustCompile(`\b\d{1,2}/\d{1,2}\b`)
	contactRe = regexp.MustCompile(`\b0\d{2,3}[ .]?\d{3}[ .]?\d{3,4}\b|@|\bđường\b|\bsố \d+|www\.|\.vn\b|\.com\b`)
	// docNameRe matches a document named in a sentence, for the subject
	// of a parenthesised gap: "Quyết định 309/QĐ-UBND".
	docNameRe = regexp.MustCompile(`(Quyết định|Nghị quyết|Nghị định|Thông tư|Chỉ thị|Kế hoạch|Công văn|Luật|Decision|Resolution|Decree|Circular|Directive|Plan|Law)( số| No\.)? \d+(/[\p{L}\d/-]*[\p{L}\d])?`)
)

// answersKind reports whether text (a unit with its gaps removed) holds
// the kind of thing asked: a day for "ngày nào", a figure that is no
// document number or date, a person or body, a contact, a place, a
// document number other than the question's own.
func answersKind(k int, text string, qi *question) bool {
	strip := func(t string) string {
		if nums := numberRe.FindAllString(qi.folded, -1); len(nums) > 0 {
			t = numberRe.ReplaceAllStringFunc(t, func(n string) string {
				if slices.Contains(nums, n) {
					return ""
				}
				return n
			})
		}
		return t
	}
	switch k {
	case kindDate:
		t := docNoRe.ReplaceAllString(text, "")
		if strings.Contains(qi.folded, " ngay ") || strings.Contains(qi.folded, " what date ") || strings.Contains(qi.folded, " which date ") {
			return dayRe.MatchString(t)
		}
		return dateRe.MatchString(t)
	case kindAmount:
		t := dateRe.ReplaceAllString(docNoRe.ReplaceAllString(strip(text), ""), "")
		return amountRe.MatchString(t)
	case kindPerson:
		return personRe.MatchString(text) || issuerRe.MatchString(text)
	case kindContact:
		return contactRe.MatchString(text)
	case kindPlace:
		return placeRe.MatchString(text)
	case kindDocNo:
		return docNoRe.MatchString(strip(text))
	}
	return false
}

// A gap is a clause of a unit saying a detail is missing or unverified.
type gap struct {
	unit   int
	clause string // the clause that says so (a parenthesis's content, or the unit's clause)
	paren  bool   // within a parenthesis
	lo, hi int    // for paren: the bytes of " (…)" in the unit's text
}

// gapsOf returns the gaps of a passage's units.
func gapsOf(units []unit) []gap {
	var out []gap
	for ui, u := range units {
		if !u.caveat {
			continue
		}
		t := u.text
		// Parentheses first: "(ngày ký chưa xác định)".
		rest := t
		for off := 0; ; {
			i := strings.IndexByte(t[off:], '(')
			if i < 0 {
				break
			}
			i += off
			j := strings.IndexByte(t[i:], ')')
			if j < 0 {
				break
			}
			j += i
			if m, _ := gapMark(t[i+1 : j]); m != "" {
				lo := i
				if lo > 0 && t[lo-1] == ' ' {
					lo--
				}
				out = append(out, gap{unit: ui, clause: t[i+1 : j], paren: true, lo: lo, hi: j + 1})
				rest = strings.Replace(rest, t[i:j+1], "", 1)
			}
			off = j + 1
		}
		// Then the unit's own clauses, cut at "; " and ": ".
		if m, _ := gapMark(rest); m == "" {
			continue
		}
		cuts := append(topLevel(rest, "; "), topLevel(rest, ": ")...)
		slices.Sort(cuts)
		from := 0
		for _, c := range append(cuts, len(rest)) {
			if cl := strings.TrimSpace(rest[from:c]); cl != "" {
				if m, _ := gapMark(cl); m != "" {
					out = append(out, gap{unit: ui, clause: cl})
					break
				}
			}
			from = min(len(rest), c+2)
		}
	}
	return out
}

// withoutGaps is a unit's text with its parenthesised gaps removed.
func withoutGaps(text string, gs []gap, ui int) string {
	for i := len(gs) - 1; i >= 0; i-- {
		if g := gs[i]; g.unit == ui && g.paren && g.hi <= len(text) {
			text = text[:g.lo] + text[g.hi:]
		}
	}
	return text
}

// remainderWords (folded) say a clause is about the items a list leaves out.
var remainderWords = []string{" khac ", " thap hon ", " con lai ", " other ", " others ", " lower ", " remaining ", " rest "}

// currentGapWords (folded) say a gap is about the present.
var currentGapWords = []string{" sau khi ", " tu 1/7/2025 ", " hien nay ", " sau sap nhap ", " since ", " now ", " after "}

// missingAsked returns the gap of the lead passage's units that says the
// asked thing is missing, if any. lead is the unit the answer leads with;
// heading is the passage's heading.
// scores are the units' condensing scores, bonus the asked-kind factor
// a unit holding the asked kind earned.
func missingAsked(qi *question, units []unit, lead int, heading string, scores []float64, bonus float64) (gap, bool) {
	gs := gapsOf(units)
	if len(gs) == 0 {
		return gap{}, false
	}
	kinds := askedKinds(qi.folded)
	if moneyRe.MatchString(qi.text) {
		kinds &^= kindAmount // the question gives the figure ("mức 8 triệu … ở điều nào")
	}
	leadText := withoutGaps(units[lead].text, gs, lead)
	answered := func(ks int) bool {
		if units[lead].bullet || units[lead].inline {
			if ks&kindList != 0 {
				return true
			}
		}
		for k := 1; k <= kindList; k <<= 1 {
			if ks&k != 0 && answersKind(k, leadText, qi) {
				return true
			}
		}
		return false
	}
	qterms := map[string]bool{}
	for _, t := range qi.terms {
		if !questionWords[t] {
			qterms[t] = true
		}
	}
	for _, g := range gs {
		cf := padFold(g.clause)
		kinded := kinds != 0 && namesKind(cf, kinds)
		switch {
		case g.unit == lead && !g.paren:
			// The answer leads with a gap: missing, unless the rest of the
			// unit answers the asked kind and the gap names another. A
			// question asking no kind of thing (yes/no) is refused only by
			// a gap that is the answer: "Chưa xác định được …", "… chưa có
			// trong cơ sở dữ liệu".
			switch {
			case kinds != 0 && !kinded && answered(kinds):
				continue
			case kinds == 0 && !startsWithMark(g.clause) && !saysMissing(g.clause):
				continue
			case containsAny(qi.folded, qi.lower, validityForms):
				continue // the document's status answers
			}
			return g, true
		case !kinded:
			continue
		case g.paren && g.unit == lead:
			// "(ngày ký chưa xác định)" attached to the thing asked: a
			// document the question names, or any when it names none.
			if !answered(kinds) && attached(qi, units[lead].text[:g.lo]) {
				return g, true
			}
		case !answered(kinds):
			// The lead does not hold the asked kind; the gap names it.
			if sharesTerm(units[g.unit].terms, qterms) {
				return g, true
			}
		default:
			// The lead holds a thing of the asked kind, but the gap names
			// what the question asks more precisely ("ngày có hiệu lực"
			// beside "thông qua ngày 12/6/2017"), or is about the present
			// the question asks about.
			// The gap's unit, credited with the kind it names, must match
			// the question as well as the lead does.
			uf := padFold(units[g.unit].text)
			if g.unit < len(scores) && lead < len(scores) && scores[g.unit] > 0 && scores[g.unit]*bonus >= scores[lead] ||
				qi.current && containsAny(uf, "", currentGapWords) {
				return g, true
			}
		}
		if containsAny(cf, "", remainderWords) && asksUnlisted(qi, units, cf, heading) {
			return g, true
		}
	}
	return gap{}, false
}

// startsWithMark reports whether a clause opens with a gap mark ("Chưa
// xác định được …").
func startsWithMark(clause string) bool {
	_, at := gapMark(clause)
	return at == 0
}

// attached reports whether the document a parenthesised gap follows (the
// last one named in before) is one the question names, or the question
// names no number at all.
func attached(qi *question, before string) bool {
	nums := numberRe.FindAllString(qi.folded, -1)
	if len(nums) == 0 {
		return true
	}
	ms := docNameRe.FindAllString(before, -1)
	if len(ms) == 0 {
		return true
	}
	n := numberRe.FindString(ms[len(ms)-1])
	if i := strings.IndexByte(n, '/'); i > 0 {
		n = n[:i]
	}
	for _, q := range nums {
		if q == n || strings.HasPrefix(q, n+"/") {
			return true
		}
	}
	return false
}

// sharesTerm reports whether terms holds one of the question's terms.
func sharesTerm(terms []string, q map[string]bool) bool {
	for _, t := range terms {
		if q[t] {
			return true
		}
	}
	return false
}

// asksUnlisted reports whether the question asks for an item of a list
// the passage gives only in part: a word of the question heads the gap
// clause ("các giải thấp hơn") and the listed items ("giải nhất", "giải
// nhì"), but the question's item ("giải ba") is neither listed nor the
// name of the whole list (the heading's "giải thưởng").
func asksUnlisted(qi *question, units []unit, gapFolded, heading string) bool {
	qw := strings.Fields(qi.folded)
	var all strings.Builder
	for _, u := range units {
		all.WriteString(u.text + " ")
	}
	text := padFold(all.String())
	title := padFold(heading)
	// head names the list ("giải", "prize"), item the asked one ("ba",
	// "third"): a word the passage does not use at all.
	unlisted := func(head, item, pair string) bool {
		return !questionWords[head] && !questionWords[item] && len(head) >= 2 &&
			strings.Contains(gapFolded, " "+head) && strings.Count(text, " "+head+" ") >= 3 &&
			!strings.Contains(text, " "+item+" ") && !strings.Contains(title, pair)
	}
	for i := 0; i+1 < len(qw); i++ {
		pair := " " + qw[i] + " " + qw[i+1] + " "
		head, item := qw[i], qw[i+1] // Vietnamese: "giải ba"
		if qi.lang == "en" {
			head, item = item, head // English: "third prize"
		}
		if unlisted(head, item, pair) {
			return true
		}
	}
	return false
}

// missingLine is the refusal's text for a gap: one line saying what is
// missing, then, when the passage says something else in the unit the
// answer led with, that unit (short).
func missingLine(g gap, units []unit, lead int) string {
	if g.paren {
		u := units[g.unit].text
		subject := ""
		for _, m := range docNameRe.FindAllStringIndex(u[:g.lo], -1) {
			subject = u[m[0]:m[1]]
		}
		line := leadText(strings.TrimSpace(g.clause))
		if subject != "" {
			line += " (" + subject + ")"
		}
		line = strings.TrimSuffix(line, ".") + "."
		rest := strings.TrimSpace(u[:g.lo] + u[g.hi:])
		if rest != "" && len([]rune(rest)) <= maxMissingRest {
			line += " " + leadText(rest)
		}
		return line
	}
	line := leadText(units[g.unit].text)
	if lead != g.unit && lead >= 0 {
		if rest := units[lead].text; len([]rune(rest)) <= maxMissingRest {
			if _, at := gapMark(rest); at < 0 {
				line += " " + leadText(rest)
			}
		}
	}
	return line
}

// maxMissingRest bounds, in runes, the sentence of what the passage does
// say that follows a refusal's line.
const maxMissingRest = 220
