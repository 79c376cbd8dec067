package policy

import (
	"regexp"
	"slices"
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

// relationWords (folded) introduce a document as the object of another one:
// in "văn bản nào triển khai Nghị quyết 09", the answer is a different
// document that mentions Nghị quyết 09.
var relationWords = []string{"trien khai", "thuc hien"}

// questionRefs are the documents a question names, split by role.
type questionRefs struct {
	subject map[int]bool // the question is about these documents
	object  map[int]bool // the question asks for documents acting on these
	kinds   map[docKind]bool
}

// kindWords name a kind of document without a number ("nghị định nào …").
var kindWords = map[string]docKind{
	"nghi quyet": "nq", "quyet dinh": "qd", "thong tu": "tt", "nghi dinh": "nd", "chi thi": "ct",
	"luat": "qh", "cong van": "cv", "ke hoach": "kh",
	"resolution": "nq", "decision": "qd", "circular": "tt", "decree": "nd", "directive": "ct", "law": "qh",
}

// questionRefs finds the documents and kinds of document a question names;
// folded is the question as given by padFold ("09/2020" is then "09 2020").
func (s *snapshot) questionRefs(folded string) questionRefs {
	var r questionRefs
	words := strings.Fields(folded)
	relation := -1 // index of the first relation word
	for i := 0; i < len(words); i++ {
		w, n := words[i], 1
		if i+1 < len(words) {
			if two := w + " " + words[i+1]; refWords[two] != nil || kindWords[two] != "" || slices.Contains(relationWords, two) {
				w, n = two, 2
			}
		}
		if slices.Contains(relationWords, w) {
			if relation < 0 {
				relation = i
			}
			continue
		}
		if refWords[w] == nil && kindWords[w] == "" {
			continue
		}
		j := i + n
		if j < len(words) && words[j] == "so" {
			j++
		}
		if j >= len(words) || !isNumber(words[j]) {
			if k := kindWords[w]; k != "" {
				if r.kinds == nil {
					r.kinds = map[docKind]bool{}
				}
				r.kinds[k] = true
			}
			i += n - 1
			continue
		}
		year := ""
		if j+1 < len(words) && len(words[j+1]) == 4 && isNumber(words[j+1]) {
			year = words[j+1]
		}
		docs := s.matchRef(w, words[j], year)
		object := relation >= 0 && relation < i
		for _, di := range docs {
			if object {
				if r.object == nil {
					r.object = map[int]bool{}
				}
				r.object[di] = true
			} else {
				if r.subject == nil {
					r.subject = map[int]bool{}
				}
				r.subject[di] = true
			}
		}
		i = j
	}
	return r
}

func isNumber(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return w != ""
}

// matchRef returns the documents a reference word and number can name.
func (s *snapshot) matchRef(word, num, year string) []int {
	var out []int
	{
		kinds := refWords[word]
		num = strings.TrimLeft(num, "0")
		for di, r := range s.refs {
			if r.num == "" || r.num != num || (year != "" && r.year != "" && year != r.year) {
				continue
			}
			for _, k := range kinds {
				if k == r.kind {
					out = append(out, di)
					break
				}
			}
		}
	}
	return out
}

// mentionKey is how a passage's text cites a document: its number up to
// the first letter ("09/2020/", "454/", "12-").
func mentionKey(number string) string {
	for i, r := range number {
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r > 127 {
			if i == 0 {
				return ""
			}
			return number[:i]
		}
	}
	return number
}
