package policy

import (
	"regexp"
	"strings"

	"github.com/qnstartup/trolykhoinghiep/search"
)

// A question that names a document ("Nghị quyết 09", "QĐ 2332", "đề án
// 844", "Resolution 09/2020") is about that document: its passages get a
// higher score and a lower refusal threshold.

// docKind is the kind of a document number, from its số hiệu.
type docKind string

// refWords maps folded words that introduce a document number to the kinds
// of document they can name.
var refWords = map[string][]docKind{
	"nghi quyet": {"nq", "qh"}, "nq": {"nq", "qh"}, "resolution": {"nq", "qh"},
	"quyet dinh": {"qd"}, "qd": {"qd"}, "decision": {"qd"},
	"de an": {"qd"}, "chuong trinh": {"qd"}, "project": {"qd"}, "scheme": {"qd"},
	"programme": {"qd"}, "program": {"qd"},
	"ke hoach": {"kh", "qd"}, "kh": {"kh", "qd"}, "plan": {"kh", "qd"},
	"thong tu": {"tt"}, "tt": {"tt"}, "circular": {"tt"},
	"nghi dinh": {"nd"}, "nd": {"nd"}, "decree": {"nd"},
	"chi thi": {"ct"}, "ct": {"ct"}, "directive": {"ct"},
	"luat": {"qh"}, "law": {"qh"},
	"cong van": {"cv"}, "cv": {"cv"},
}

var refRe = func() *regexp.Regexp {
	words := make([]string, 0, len(refWords))
	for w := range refWords {
		words = append(words, regexp.QuoteMeta(w))
	}
	return regexp.MustCompile(`\b(` + strings.Join(words, "|") + `)\s*(?:so\s*)?(\d+)(?:\s*/\s*(\d{4}))?`)
}()

// docNumRe finds the number of a số hiệu: "09/2020/NQ-HĐND" → 09, 2020;
// "454/QĐ-UBND" → 454; "12-NQ/TU" → 12; "NQ 19 HĐND …" → 19.
var docNumRe = regexp.MustCompile(`^(?:(?:qd|nq|ct|tt|nd|kh|cv)\s+)?(\d+)(?:/(\d{4}))?[/-]`)
var docNumLooseRe = regexp.MustCompile(`^(?:qd|nq|ct|tt|nd|kh|cv)\s+(\d+)\b`)

// docRef is what a document number can be referred to by.
type docRef struct {
	num  string // without leading zeros
	year string // may be empty
	kind docKind
}

func refOf(number string) (docRef, bool) {
	f := strings.TrimSpace(search.Fold(number))
	m := docNumRe.FindStringSubmatch(f)
	if m == nil {
		m = docNumLooseRe.FindStringSubmatch(f)
		if m == nil {
			return docRef{}, false
		}
		m = append(m, "")
	}
	r := docRef{num: strings.TrimLeft(m[1], "0"), year: m[2]}
	switch {
	case strings.Contains(f, "qh1"):
		r.kind = "qh"
	case strings.Contains(f, "nq"):
		r.kind = "nq"
	case strings.Contains(f, "qd"):
		r.kind = "qd"
	case strings.Contains(f, "tt-"):
		r.kind = "tt"
	case strings.Contains(f, "nd-"):
		r.kind = "nd"
	case strings.Contains(f, "ct-"):
		r.kind = "ct"
	case strings.Contains(f, "kh-"):
		r.kind = "kh"
	default:
		r.kind = "cv"
	}
	return r, true
}

// referencedDocs returns the documents (indexes in s.docs) the question
// names explicitly.
func (s *snapshot) referencedDocs(question string) map[int]bool {
	f := search.Fold(question)
	ms := refRe.FindAllStringSubmatch(f, -1)
	if len(ms) == 0 {
		return nil
	}
	out := map[int]bool{}
	for _, m := range ms {
		kinds := refWords[m[1]]
		num, year := strings.TrimLeft(m[2], "0"), m[3]
		for di, r := range s.refs {
			if r.num == "" || r.num != num || (year != "" && r.year != "" && year != r.year) {
				continue
			}
			for _, k := range kinds {
				if k == r.kind {
					out[di] = true
				}
			}
		}
	}
	return out
}
