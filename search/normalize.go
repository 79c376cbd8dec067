package search

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// NormalizeQuery rewrites a question into the words the documents use, for
// the question-level rules of a caller that look at the text itself (places
// named, topics, names the knowledge base lacks) rather than at the terms
// of Analyze:
//
//   - keyboard residue is repaired word by word, as Analyze does: Telex
//     "Caanf Thow" → "Can Tho", "nghieepj" → "nghiep", "ddc" → "duoc". A
//     repair that only drops an s, r or x ("tinhr", "cos", "visa"), which
//     is also how foreign words are spelt, is made only when another word
//     of the question is clearly Telex ("nghieepj", "ddi");
//   - Central (Quảng Nam – Đà Nẵng) everyday words with diacritics become
//     the standard ones: răng → sao, mô → nào / đâu, rứa → vậy, chừ → bây
//     giờ, ni → này, tê → kia, nớ → đó, ri → thế này, nhiêu → bao nhiêu,
//     chi → gì ("hỗ trợ chi", not "mức chi"), hông (and "hong" ending a
//     question) → không; the particles hỉ, hè, nhen are dropped.
//
// Words it does not change keep their case, diacritics and punctuation.
// Analyze(NormalizeQuery(s)) gives the same terms as Analyze(s) for text
// without Central words.
func NormalizeQuery(s string) string {
	type word struct {
		s        string // the text of the word
		sep      string // what follows it up to the next word
		lower    string
		out      string
		repaired bool
		weak     string // a repair made only when another is strong
	}
	var ws []word
	lead := ""
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isTokRune(r) {
			j := i
			for j < len(s) {
				r, size := utf8.DecodeRuneInString(s[j:])
				if isTokRune(r) {
					break
				}
				j += size
			}
			if len(ws) == 0 {
				lead = s[i:j]
			} else {
				ws[len(ws)-1].sep = s[i:j]
			}
			i = j
			continue
		}
		j := i + size
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if !isTokRune(r) {
				break
			}
			j += size
		}
		w := s[i:j]
		ws = append(ws, word{s: w, out: w, lower: strings.ToLower(w)})
		i = j
	}
	strong := false
	for k := range ws {
		w := &ws[k]
		f := Fold(w.s)
		if !isASCIIWord(f) || Syllable(f) {
			continue
		}
		if _, ok := lookupExpansion(f); ok {
			continue
		}
		if len(f) > 2 && strings.HasPrefix(f, "dd") {
			// "ddc", "ddk": Telex đ before teencode.
			if e, ok := teencode[f[1:]]; ok {
				r := e.to // "ddc" → duoc
				if e.keep {
					r = "đ" + f[2:] // two readings: left to Analyze
				}
				w.out, w.repaired, strong = keepCase(w.s, r), true, true
				continue
			}
		}
		r, weak, ok := repairTelex(f)
		switch {
		case !ok:
		case weak || !telexMarked(f):
			w.weak = keepCase(w.s, r)
		default:
			w.out, w.repaired, strong = keepCase(w.s, r), true, true
		}
	}
	for k := range ws {
		w := &ws[k]
		if strong && w.weak != "" {
			w.out, w.repaired = w.weak, true
		}
		if w.repaired {
			w.lower = strings.ToLower(w.out)
		}
	}
	for k := range ws {
		prev, next := "", ""
		if k > 0 && !clauseBreak(ws[k-1].sep) {
			prev = ws[k-1].lower
		}
		if k+1 < len(ws) && !clauseBreak(ws[k].sep) {
			next = ws[k+1].lower
		}
		if d, ok := dialect(ws[k].lower, prev, next); ok {
			ws[k].out = keepCase(ws[k].s, d)
		}
	}
	changed := false
	for _, w := range ws {
		changed = changed || w.out != w.s
	}
	if !changed {
		return s
	}
	b := make([]byte, 0, len(s)+8)
	b = append(b, lead...)
	for _, w := range ws {
		if w.out == "" {
			// A dropped particle: keep the separator that follows.
			b = append(bytes.TrimRight(b, " "), w.sep...)
			continue
		}
		b = append(append(b, w.out...), w.sep...)
	}
	out := string(b)
	for strings.Contains(out, "  ") {
		out = strings.ReplaceAll(out, "  ", " ")
	}
	return strings.TrimSpace(out)
}

// telexMarked reports whether a folded word carries keys only Telex puts
// there: a leading dd, f, j, z or w, or a doubled a, e or o. A word that
// only loses an s, r or x ("visa" → via) may be a foreign word.
func telexMarked(f string) bool {
	return strings.HasPrefix(f, "dd") || strings.ContainsAny(f, "fjzw") ||
		strings.Contains(f, "aa") || strings.Contains(f, "ee") || strings.Contains(f, "oo")
}

// clauseBreak reports whether a separator ends a clause.
func clauseBreak(sep string) bool { return strings.ContainsAny(sep, ".,;:!?\n()") }

// dialect returns the standard form of a Central everyday word (lower case,
// with diacritics) given its neighbours in the clause, "" to drop it.
func dialect(w, prev, next string) (string, bool) {
	switch w {
	case "răng":
		return "sao", true
	case "rứa":
		return "vậy", true
	case "chừ":
		return "bây giờ", true
	case "tê":
		return "kia", true
	case "nớ":
		return "đó", true
	case "hông":
		return "không", true
	case "hỉ", "nhen", "hén":
		return "", true
	case "hè":
		// A particle at the end of a clause; "mùa hè", "hè 2025" are summer.
		return "", next == "" && prev != "mùa" && prev != "dịp" && prev != ""
	case "mô":
		// "quy mô", "mô hình", "mô tả" are standard words.
		switch next {
		case "hình", "tả", "phỏng", "đun", "típ":
			return "", false
		}
		switch prev {
		case "", "quy":
			return "", false
		case "ở", "đi", "về", "ra", "vô", "đến", "tới", "chỗ", "nơi", "từ", "mô":
			return "đâu", true
		}
		return "nào", true
	case "ni":
		// "ni lông", "ni cô" are standard words.
		switch next {
		case "lông", "cô", "sư", "tơ":
			return "", false
		}
		return "này", prev != ""
	case "ri":
		return "thế này", prev != ""
	case "chi":
		// "hỗ trợ chi", "làm chi rứa": gì; "mức chi", "chi phí" are
		// spending.
		switch prev {
		case "", "mức", "khoản", "kinh", "ngân", "tổng", "dự", "thu", "nội", "muc", "khoan", "tong":
			return "", false
		}
		switch next {
		case "", "không", "hông", "rứa", "ri", "vậy", "hè", "hỉ", "ạ", "á", "nữa", "hết", "khong", "ko", "k", "hong":
			return "gì", true
		}
	case "hong":
		// "có hỗ trợ hong": không at the end of a question.
		if next == "" && prev != "" {
			return "không", true
		}
	case "nhiêu":
		if prev == "bao" || prev == "bấy" {
			return "", false
		}
		return "bao nhiêu", true
	}
	return "", false
}

// keepCase returns r with the first letter upper case if w's is.
func keepCase(w, r string) string {
	first, _ := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(first) || r == "" {
		return r
	}
	c, size := utf8.DecodeRuneInString(r)
	return string(unicode.ToUpper(c)) + r[size:]
}
