package policy

import (
	"fmt"
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
