package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Analyze turns text into index/query terms: folded syllables (after
// Telex/VNI residue repair for tokens that cannot be Vietnamese syllables,
// and abbreviation/teencode/English expansion) plus adjacent-syllable bigrams
// "a_b" within a clause (punctuation starts a new clause). Numbers are terms
// without leading zeros ("09" → "9"); thousands separators are removed
// ("20.000" → "20000"). Terms come in text order; a term may repeat.
func Analyze(s string) []string {
	var out []string
	for _, t := range analyzeTerms(analyzeUnits(s)) {
		out = append(out, t.s)
	}
	return out
}

// maxTokenBytes bounds a single token (URLs, pasted hashes).
const maxTokenBytes = 40

type tokKind uint8

const (
	tokWord    tokKind = iota // letters (and marks) only
	tokNumber                 // ASCII digits only
	tokMixed                  // letters and digits
	tokPercent                // "%"
)

type token struct {
	s    string
	kind tokKind
}

// unit is one position of a clause after expansion and repair.
type unit struct {
	s   string // the term
	alt string // an extra term at the same position ("" if none)
	num bool   // a number
	raw bool   // an unmodified letter token: a candidate for typo correction
}

type termKind uint8

const (
	termUni  termKind = iota // a syllable, word or number
	termBi                   // two adjacent units "a_b"
	termAlt                  // an original kept next to its expansion or repair
	termTone                 // accent-aware key (index option)
)

type term struct {
	s    string
	kind termKind
}

func isTokRune(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z'
	case 0xC0 <= r && r <= 0x24F:
		return r != 0xD7 && r != 0xF7 // Latin letters but × and ÷
	case 0x1E00 <= r && r <= 0x1EFF:
		return true // Latin Extended Additional: precomposed Vietnamese letters
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// connectors join tokens of one expression when written between two token
// characters without spaces: 09/2020/NQ-HĐND, khoinghiep.quangnam.gov.vn,
// KH&CN, 7:30.
func isConnector(r rune) bool {
	switch r {
	case '-', '\u2010', '\u2011', '\u2013', '\u2014', '/', '\\', '&', '.', ',', '\'', '\u2019', ':', '_', '+', '@', '\u00b7':
		return true
	}
	return false
}

// ignorable runes neither make tokens nor break clauses: Markdown emphasis
// and quotation marks.
func isIgnorable(r rune) bool {
	switch r {
	case '*', '`', '"', '\'', '\u201c', '\u201d', '\u2018', '\u2019', '\u00ab', '\u00bb', '_', '~', '^', '\u200b', '\u200c', '\u200d', '\ufeff':
		return true
	}
	return unicode.IsSpace(r) && r != '\n'
}

// tokenize splits folded text into clauses of tokens.
func tokenize(f string) [][]token {
	var a analyzer
	a.tokenize(f)
	return a.tokClauses
}

// analyzer holds the buffers of one analysis, reused between calls.
type analyzer struct {
	toks       []token
	tokBounds  []int // end of each clause in toks
	tokClauses [][]token
	units      []unit
	unitBounds []int
	clauses    [][]unit
	x          clauseExpander
}

// tokenize fills a.tokClauses with the clauses of folded text f.
func (a *analyzer) tokenize(f string) {
	if n := len(f)/5 + 1; cap(a.toks) < n {
		a.toks = make([]token, 0, n)
	}
	a.toks = a.toks[:0]
	a.tokBounds = a.tokBounds[:0]
	brk := func() {
		if n := len(a.toks); n > 0 && (len(a.tokBounds) == 0 || a.tokBounds[len(a.tokBounds)-1] < n) {
			a.tokBounds = append(a.tokBounds, n)
		}
	}
	prevTok := false // the rune just before i was a token rune
	newlines := 0
	for i := 0; i < len(f); {
		r, size := utf8.DecodeRuneInString(f[i:])
		if isTokRune(r) {
			if newlines >= 2 {
				brk()
			}
			newlines = 0
			t, n := scanToken(f[i:])
			a.toks = append(a.toks, t)
			i += n
			prevTok = true
			continue
		}
		next, _ := utf8.DecodeRuneInString(f[i+size:])
		switch {
		case r == '\n':
			newlines++
		case prevTok && isConnector(r) && i+size < len(f) && isTokRune(next):
			// inside an expression: same clause
		case r == '%':
			a.toks = append(a.toks, token{s: "%", kind: tokPercent})
		case isIgnorable(r):
		default:
			brk()
		}
		prevTok = false
		i += size
	}
	brk()
	a.tokClauses = a.tokClauses[:0]
	start := 0
	for _, end := range a.tokBounds {
		a.tokClauses = append(a.tokClauses, a.toks[start:end:end])
		start = end
	}
}

// scanToken reads one token at the start of s and returns it with the number
// of bytes consumed. Digit groups joined by thousands separators
// ("20.000", "1,500,000") become one number.
func scanToken(s string) (token, int) {
	j := 0
	allDigits, anyDigit, anyLetter := true, false, false
	seps := false
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if isTokRune(r) {
			if '0' <= r && r <= '9' {
				anyDigit = true
			} else {
				allDigits = false
				anyLetter = true
			}
			j += size
			continue
		}
		if (r == '.' || r == ',') && allDigits && j > 0 && thousandsGroup(s[j+1:]) {
			seps = true
			j++
			continue
		}
		break
	}
	tok := s[:j]
	if seps {
		tok = strings.NewReplacer(".", "", ",", "").Replace(tok)
	}
	if len(tok) > maxTokenBytes {
		k := maxTokenBytes
		for k > 0 && !utf8.RuneStart(tok[k]) {
			k--
		}
		tok = tok[:k]
	}
	kind := tokWord
	switch {
	case anyDigit && !anyLetter:
		kind = tokNumber
	case anyDigit:
		kind = tokMixed
	}
	return token{s: tok, kind: kind}, j
}

// thousandsGroup reports whether s starts with exactly three digits.
func thousandsGroup(s string) bool {
	if len(s) < 3 {
		return false
	}
	for k := 0; k < 3; k++ {
		if s[k] < '0' || s[k] > '9' {
			return false
		}
	}
	return len(s) == 3 || !isTokRune(rune(s[3])) || s[3] >= utf8.RuneSelf && !isDigitStart(s[3:])
}

func isDigitStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsDigit(r)
}

// analyzeUnits folds and tokenizes text, then expands and repairs each token.
func analyzeUnits(text string) [][]unit {
	var a analyzer
	return a.analyze(text)
}

// analyze is analyzeUnits with a's buffers; the result is valid until the
// next call.
func (a *analyzer) analyze(text string) [][]unit {
	a.begin(text)
	for _, cl := range a.tokClauses {
		a.x.reset(cl)
		a.x.expand()
		if len(a.x.out) > 0 {
			a.units = append(a.units, a.x.out...)
			a.unitBounds = append(a.unitBounds, len(a.units))
		}
	}
	return a.cutClauses()
}

// begin tokenizes folded text and empties the unit buffers for a new
// analysis.
func (a *analyzer) begin(text string) {
	a.tokenize(Fold(text))
	if n := len(a.toks) + 8; cap(a.units) < n {
		a.units = make([]unit, 0, n)
	}
	a.units = a.units[:0]
	a.unitBounds = a.unitBounds[:0]
}

// cutClauses cuts the analysed units into clauses at unitBounds; nil when
// there are none.
func (a *analyzer) cutClauses() [][]unit {
	a.clauses = a.clauses[:0]
	start := 0
	for _, end := range a.unitBounds {
		a.clauses = append(a.clauses, a.units[start:end:end])
		start = end
	}
	if len(a.clauses) == 0 {
		return nil
	}
	return a.clauses
}

// analyzeTerms turns units into terms: every unit and alternative, and a
// bigram for every pair of adjacent units.
func analyzeTerms(clauses [][]unit) []term {
	n := 0
	for _, c := range clauses {
		n += 2 * len(c)
	}
	out := make([]term, 0, n)
	for _, c := range clauses {
		for i, u := range c {
			out = append(out, term{u.s, termUni})
			if u.alt != "" {
				out = append(out, term{u.alt, termAlt})
			}
			if i > 0 {
				out = append(out, term{c[i-1].s + "_" + u.s, termBi})
			}
		}
	}
	return out
}

type clauseExpander struct {
	toks  []token
	out   []unit
	en    bool // the clause contains an unambiguous English word
	enSet bool // en has been computed
}

// english reports whether the clause has an unambiguous English word, the
// condition for entries marked enCtx.
func (x *clauseExpander) english() bool {
	if !x.enSet {
		x.enSet = true
		for _, t := range x.toks {
			if e, ok := expansions[t.s]; ok && e.en && !e.enCtx {
				x.en = true
				break
			}
		}
	}
	return x.en
}

func (x *clauseExpander) reset(toks []token) {
	x.toks = toks
	x.out = x.out[:0]
	x.en, x.enSet = false, false
}

func (x *clauseExpander) expand() {
	toks := x.toks
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch t.kind {
		case tokPercent:
			x.add("phan tram", "")
		case tokNumber:
			x.number(t.s)
		case tokMixed:
			x.mixed(t.s, i)
		case tokWord:
			if phraseFirst[t.s] && i+1 < len(toks) && toks[i+1].kind == tokWord {
				key := t.s + " " + toks[i+1].s
				if e, ok := expansions[key]; ok && (!e.enCtx || x.english()) {
					x.apply(e, key)
					i++
					continue
				}
			}
			x.word(t.s, i)
		}
	}
}

func (x *clauseExpander) number(s string) {
	for len(s) > 1 && s[0] == '0' {
		s = s[1:]
	}
	x.out = append(x.out, unit{s: s, num: true})
}

// add appends the syllables of to as units; alt goes with the first.
func (x *clauseExpander) add(to, alt string) {
	first := true
	for to != "" {
		w := to
		if k := strings.IndexByte(to, ' '); k >= 0 {
			w, to = to[:k], to[k+1:]
		} else {
			to = ""
		}
		u := unit{s: w}
		if first {
			u.alt = alt
			first = false
		}
		x.out = append(x.out, u)
	}
}

func (x *clauseExpander) apply(e expansion, key string) {
	alt := ""
	if e.keep {
		alt = key
	}
	if e.to == "" {
		return
	}
	x.add(e.to, alt)
}

func (x *clauseExpander) mixed(s string, i int) {
	if e, ok := lookupExpansion(s); ok {
		x.apply(e, s)
		return
	}
	if r, ok := repairVNI(s); ok {
		x.word(r, -1)
		return
	}
	// Split into letter and digit runs: "qh14" → qh 14, "covid19" → covid 19.
	for s != "" {
		j := 0
		digit := '0' <= s[0] && s[0] <= '9'
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if ('0' <= r && r <= '9') != digit {
				break
			}
			j += size
		}
		if digit {
			x.number(s[:j])
		} else {
			x.word(s[:j], -1)
		}
		s = s[j:]
	}
}

// word handles a letters-only token; i is its index in the clause, or -1
// when it is part of a larger token.
func (x *clauseExpander) word(w string, i int) {
	if e, ok := expansions[w]; ok && (!e.enCtx || x.english()) {
		x.apply(e, w)
		return
	}
	if x.contextual(w, i) {
		return
	}
	if isASCIIWord(w) && !Syllable(w) {
		if e, ok := teencode[strings.TrimPrefix(w, "d")]; ok && strings.HasPrefix(w, "dd") {
			x.apply(e, w[1:]) // Telex đ before teencode: "ddc" is đc
			return
		}
		if r, weak, ok := repairTelex(w); ok {
			alt := ""
			if weak {
				alt = w
			}
			x.out = append(x.out, unit{s: r, alt: alt})
			return
		}
	}
	x.out = append(x.out, unit{s: w, raw: true})
}

// contextual expands tokens whose reading depends on their neighbours.
func (x *clauseExpander) contextual(w string, i int) bool {
	afterNumber := len(x.out) > 0 && x.out[len(x.out)-1].num
	last := i >= 0 && i == len(x.toks)-1
	next := ""
	if i >= 0 && i+1 < len(x.toks) {
		next = x.toks[i+1].s
	}
	prev := ""
	if len(x.out) > 0 {
		prev = x.out[len(x.out)-1].s
	}
	switch w {
	case "bn":
		// bạn or bao nhiêu: "bn ơi", "cảm ơn bn" vs "hỗ trợ bn", "bn tiền".
		if banFollowers[next] || prev == "on" || prev == "chao" {
			x.add("ban", w)
		} else {
			x.add("bao nhieu", w)
		}
	case "k":
		if afterNumber {
			x.add("nghin", "")
		} else {
			x.add("khong", w)
		}
	case "tr":
		if !afterNumber {
			return false
		}
		x.add("trieu", "")
	case "d":
		if !afterNumber {
			return false
		}
		x.add("dong", "")
	case "v", "z":
		if !last {
			return false
		}
		x.add("vay", "")
	case "r":
		if !last {
			return false
		}
		x.add("roi", w)
	default:
		return false
	}
	return true
}

func isASCIIWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isASCIILetter(s[i]) {
			return false
		}
	}
	return true
}
