package policy

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/qnstartup/trolykhoinghiep/search"
)

// passage is one section of one document, as indexed.
type passage struct {
	doc   *Doc
	docNo int    // index in snapshot.docs
	sec   int    // index in doc.Sections
	units []unit // see analyzed
	label string // displayNumber(doc), computed once per snapshot
	// subject are the terms of the document's number, title and aliases
	// and of the heading (sorted): what the passage is about, not what
	// one of its sentences says (see analyzed).
	subject []string

	once sync.Once // computes units on first use
	strs *interner

	onceEN  sync.Once
	unitsEN []unit // see englishUnits
}

// embedText is what an embedding model sees of the passage.
func (p *passage) embedText() string {
	s := p.doc.Sections[p.sec]
	return p.doc.Number + " – " + p.doc.Title + "\n" + s.Heading + "\n" + s.Text
}

// folded is the passage's heading, text and keywords as given by padFold.
func (p *passage) folded() string {
	s := p.doc.Sections[p.sec]
	return padFold(s.Heading + " " + s.Text + " " + s.Keywords)
}

// analyzed returns the passage's units (sentences and list items) with
// their terms. Doing this for every passage at build time would double the
// cost of building the index, so it happens the first time a passage is
// used for an answer, or in the background after a build (warm).
func (p *passage) analyzed() []unit {
	p.once.Do(func() {
		d := p.doc
		p.subject = p.strs.intern(distinctTerms(d.Number + " . " + d.Title + " . " + strings.Join(d.Aliases, " . ") + " . " + d.Sections[p.sec].Heading))
		p.units = splitUnits(d.Sections[p.sec].Text)
		for i := range p.units {
			p.units[i].terms = p.strs.intern(distinctTerms(p.units[i].text))
		}
	})
	return p.units
}

// interner shares the strings of terms between passages.
type interner struct {
	mu sync.Mutex
	m  map[string]string
}

func (in *interner) intern(ts []string) []string {
	in.mu.Lock()
	defer in.mu.Unlock()
	for i, t := range ts {
		if s, ok := in.m[t]; ok {
			ts[i] = s
		} else {
			in.m[t] = t
		}
	}
	return ts
}

// unit is a sentence or list item of a passage, the grain of condensing.
type unit struct {
	text   string
	terms  []string // distinct analysed terms
	bullet bool
	intro  bool // a line ending with ':' that introduces the bullets after it
	para   int  // paragraph number within the passage
	caveat bool // says something is uncertain or missing
	cont   bool // a clause continuing the previous unit's sentence
	// inline marks the intro ("… đặt mục tiêu:") and the items of a list
	// written within one sentence; sent numbers the sentences of a passage.
	inline bool
	sent   int
}

// snapshot is an immutable view of the knowledge base and its index.
type snapshot struct {
	docs     []*Doc
	byNumber map[string]int
	passages []*passage
	ix       *search.Index
	ixEN     *search.Index   // English renderings (see english.go)
	df       termCounts      // passages containing each term (quick analysis)
	refs     []docRef        // per document; num is empty when it has no number
	vocab    termCounts      // terms of titles, aliases, headings and keywords
	succ     map[string]bool // numberKey of every document named as a successor (replaced_by)
	series   []seriesInfo    // per document: its place in a yearly series (coverage.go)
	built    time.Time

	topicCovered sync.Map // topic key → whether some passage mentions it (uncovered)
}

func buildSnapshot(docs []*Doc) *snapshot {
	s := &snapshot{
		docs:     docs,
		byNumber: make(map[string]int, len(docs)),
		ix:       search.NewIndex(),
		ixEN:     newEnglishIndex(),
		built:    time.Now(),
		df:       newTermCounts(),
		vocab:    newTermCounts(),
		succ:     map[string]bool{},
	}
	s.series = yearSeries(docs)
	strs := &interner{m: map[string]string{}}
	for di, d := range docs {
		s.byNumber[numberKey(d.Number)] = di
		if d.ReplacedBy != "" {
			s.succ[numberKey(d.ReplacedBy)] = true
		}
		r, _ := refOf(d.Number)
		s.refs = append(s.refs, r)
		head := d.Number + " . " + d.Title + " . " + strings.Join(d.Aliases, " . ")
		label := displayNumber(d)
		for si, sec := range d.Sections {
			extra := ""
			if si == 0 && d.Issuer != "" {
				extra += " . " + d.Issuer
			}
			extra += dateVocabulary(d, sec.Text)
			p := &passage{doc: d, docNo: di, sec: si, strs: strs, label: label}
			pid := int32(len(s.passages))
			s.df.addText(sec.Text, pid)
			if si == 0 {
				s.vocab.addText(head, pid)
			}
			s.vocab.addText(sec.Heading+" . "+sec.Keywords, pid)
			id := uint64(len(s.passages))
			s.passages = append(s.passages, p)
			s.ix.Add(id, head+" . "+sec.Heading+" . "+sec.Keywords+extra, sec.Text)
			if sec.English != "" {
				s.ixEN.Add(id, englishTitle(d, sec), sec.English)
			}
		}
	}
	return s
}

// hasDoc reports whether a document with the number is in the snapshot.
func (s *snapshot) hasDoc(number string) bool {
	_, ok := s.byNumber[numberKey(number)]
	return number != "" && ok
}

// isSuccessor reports whether some document names this one as its successor.
func (s *snapshot) isSuccessor(number string) bool { return s.succ[numberKey(number)] }

// known reports whether a term occurs anywhere in the knowledge base.
func (s *snapshot) known(t string) bool { return s.df.count(t) > 0 || s.vocab.count(t) > 0 }

// termIDF is the weight of a query term when condensing: rarer is heavier.
// A term the quick analysis did not see (an expansion, a repaired typo)
// gets a middling weight.
func (s *snapshot) termIDF(t string) float64 {
	c := s.df.count(t)
	if c == 0 {
		return 1.5
	}
	n := float64(max(1, len(s.passages)))
	return math.Log(1 + (n-float64(c)+0.5)/(float64(c)+0.5))
}

// termCounts counts, for quickly analysed terms (folded words and
// adjacent-word bigrams within a clause, numbers without leading zeros, no
// expansion or repair: an approximation of search.Analyze), the passages
// containing them. Bigrams are keyed by their two words, so counting
// allocates no strings.
type termCounts struct {
	uni map[string][2]int32    // word → {count, last passage counted}
	bi  map[[2]string][2]int32 // word pair → {count, last passage counted}
}

func newTermCounts() termCounts {
	return termCounts{uni: map[string][2]int32{}, bi: map[[2]string][2]int32{}}
}

// addText counts the terms of text once for passage pid (pids must be
// added in increasing order, starting at 0).
func (tc termCounts) addText(text string, pid int32) {
	var b strings.Builder
	b.Grow(len(text) + 8)
	for _, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '/':
			b.WriteByte(' ')
		default:
			b.WriteString(" | ") // punctuation ends a clause
		}
	}
	prev := ""
	for w := range strings.FieldsSeq(search.Fold(b.String())) {
		if w == "|" {
			prev = ""
			continue
		}
		if w[0] >= '0' && w[0] <= '9' {
			if t := strings.TrimLeft(w, "0"); t != "" {
				w = t
			}
		}
		if v, ok := tc.uni[w]; !ok || v[1] != pid+1 {
			tc.uni[w] = [2]int32{v[0] + 1, pid + 1}
		}
		if prev != "" {
			k := [2]string{prev, w}
			if v, ok := tc.bi[k]; !ok || v[1] != pid+1 {
				tc.bi[k] = [2]int32{v[0] + 1, pid + 1}
			}
		}
		prev = w
	}
}

// count returns the number of passages containing t ("a_b" for a bigram).
func (tc termCounts) count(t string) int32 {
	if a, b, ok := strings.Cut(t, "_"); ok {
		return tc.bi[[2]string{a, b}][0]
	}
	return tc.uni[t][0]
}

// distinctTerms analyses text and drops repeated terms.
func distinctTerms(text string) []string {
	ts := search.Analyze(text)
	slices.Sort(ts)
	return slices.Clip(slices.Compact(ts))
}

// splitUnits cuts a passage into list items and sentences.
func splitUnits(text string) []unit {
	var out []unit
	para, sent := 0, 0
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			para++
			continue
		}
		if b, ok := strings.CutPrefix(line, "- "); ok {
			sent++
			out = append(out, unit{text: "- " + strings.TrimSpace(b), bullet: true, para: para, sent: sent})
			continue
		}
		if b, ok := strings.CutPrefix(line, "* "); ok {
			sent++
			out = append(out, unit{text: "- " + strings.TrimSpace(b), bullet: true, para: para, sent: sent})
			continue
		}
		for _, s := range splitSentences(line) {
			sent++
			cs, inline := splitClauses(s)
			for i, c := range cs {
				out = append(out, unit{text: c, intro: strings.HasSuffix(c, ":") || (inline && i == 0), para: para, cont: i > 0, inline: inline, sent: sent})
			}
		}
	}
	for i := range out {
		low := strings.ToLower(out[i].text)
		for _, m := range uncertaintyAll {
			if strings.Contains(low, m) {
				out[i].caveat = true
				break
			}
		}
	}
	return out
}

// longSentence is the length, in runes, above which a sentence is cut
// into its "; " clauses, so that the clause holding the answer can lead.
// A sentence over inlineSentence runes that introduces a list ("… đặt mục
// tiêu: a; b; c", "… có: 3 trung tâm, 9 vườn ươm và 6 quỹ") is cut into
// its intro and items, so that the item asked about can lead the list.
const (
	longSentence   = 160
	inlineSentence = 120
	maxCommaItem   = 130 // runes in an item of a comma-separated list
)

// splitClauses cuts a long sentence into its clauses; inline reports that
// the first clause is the intro of a list whose items are the others.
func splitClauses(sent string) (parts []string, inline bool) {
	n := len([]rune(sent))
	if n > inlineSentence {
		if items := inlineItems(sent); len(items) > 2 {
			return items, true
		}
	}
	if n <= longSentence || !strings.Contains(sent, "; ") || strings.Contains(sent, ": ") {
		return []string{sent}, false
	}
	parts = strings.SplitAfter(sent, "; ")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts, false
}

// inlineItems splits "intro: a; b; c." (or "intro: a, b và c.") into the
// intro, ending with ':', and the items with their separators, outside
// brackets and quotes; nil when the sentence is not such a list.
func inlineItems(sent string) []string {
	colon := topLevel(sent, ": ")
	if len(colon) == 0 || colon[0] < 12 {
		return nil
	}
	intro, rest := sent[:colon[0]+1], sent[colon[0]+2:]
	if len(topLevel(rest, ": ")) > 0 {
		return nil // a second list inside: leave it whole
	}
	cuts := topLevel(rest, "; ")
	comma := len(cuts) == 0
	if comma {
		cuts = topLevel(rest, ", ")
		if len(cuts) == 0 {
			return nil
		}
		// "…, 8 không gian làm việc chung và 6 quỹ đầu tư": the last "và"
		// joins the last two items when a figure follows it.
		last := rest[cuts[len(cuts)-1]+2:]
		for _, and := range []string{" và ", " and "} {
			if i := strings.LastIndex(last, and); i > 0 && i+len(and) < len(last) && last[i+len(and)] >= '0' && last[i+len(and)] <= '9' {
				cuts = append(cuts, cuts[len(cuts)-1]+2+i-1)
				break
			}
		}
	}
	out := []string{intro}
	start := 0
	for _, c := range cuts {
		out = append(out, strings.TrimSpace(rest[start:c+1]))
		start = c + 2
	}
	out = append(out, strings.TrimSpace(rest[start:]))
	if comma {
		// Commas also join clauses: a list has three items or more, each
		// short ("…: Nghị quyết 09 hỗ trợ …, siêu thị hoặc cửa hàng" is a
		// sentence, not a list).
		if len(out) < 4 {
			return nil
		}
		for _, it := range out[1:] {
			if len([]rune(it)) > maxCommaItem {
				return nil
			}
		}
	}
	// "…: thành phố có 3 trung tâm, 9 vườn ươm": the words before the
	// first figure belong to the intro, not to the first item.
	if first := out[1]; len(out) > 2 {
		if i := strings.IndexFunc(first, unicode.IsDigit); i > 0 && len(strings.Fields(first[:i])) <= 4 &&
			out[2] != "" && out[2][0] >= '0' && out[2][0] <= '9' {
			out[0] += " " + strings.TrimSpace(first[:i])
			out[1] = first[i:]
		}
	}
	return out
}

// topLevel returns the byte offsets of sep in s outside brackets and
// quotes.
func topLevel(s, sep string) []int {
	var out []int
	depth, quote := 0, false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', '[':
			depth++
		case ')', ']':
			depth = max(0, depth-1)
		case '"':
			quote = !quote
		}
		if depth == 0 && !quote && strings.HasPrefix(s[i:], sep) {
			out = append(out, i)
		}
	}
	return out
}

// splitSentences splits after '.', '!' or '?' followed by a space and an
// upper-case letter, a digit or an opening quote.
func splitSentences(line string) []string {
	var out []string
	rs := []rune(line)
	start := 0
	for i := 0; i < len(rs)-2; i++ {
		if (rs[i] == '.' || rs[i] == '!' || rs[i] == '?') && rs[i+1] == ' ' {
			next := rs[i+2]
			if unicode.IsUpper(next) || next == '"' || next == '“' {
				out = append(out, strings.TrimSpace(string(rs[start:i+1])))
				start = i + 2
			}
		}
	}
	if tail := strings.TrimSpace(string(rs[start:])); tail != "" {
		out = append(out, tail)
	}
	return out
}

// dateVocabulary gives a passage that states the document's date of issue
// or entry into force the words people use to ask for them.
func dateVocabulary(d *Doc, text string) string {
	var out string
	if mentionsDate(text, d.Issued) {
		out += " . ngày ban hành, ngày ký, ký ngày nào, thông qua ngày nào, ban hành khi nào"
	}
	if mentionsDate(text, d.EffectiveFrom) {
		out += " . hiệu lực từ ngày nào, có hiệu lực khi nào"
	}
	return out
}

// mentionsDate reports whether text writes the full date t as d/m/yyyy,
// with or without leading zeros.
func mentionsDate(text string, t Date) bool {
	if t.Day == 0 || !strings.Contains(text, strconv.Itoa(t.Year)) {
		return false
	}
	for _, f := range []string{"%d/%d/%d", "%02d/%02d/%d", "%d/%02d/%d", "%02d/%d/%d"} {
		ds := fmt.Sprintf(f, t.Day, t.Month, t.Year)
		for i := strings.Index(text, ds); i >= 0; {
			if i == 0 || text[i-1] < '0' || text[i-1] > '9' {
				return true
			}
			j := strings.Index(text[i+1:], ds)
			if j < 0 {
				break
			}
			i += 1 + j
		}
	}
	return false
}

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// warm analyses every passage (see passage.analyzed), so that no question
// pays for it. KB runs it in the background after each rebuild.
func (s *snapshot) warm() {
	for _, p := range s.passages {
		p.analyzed()
	}
}

// englishUnits returns the units of the passage's English rendering, or
// nil when it has none.
func (p *passage) englishUnits() []unit {
	p.onceEN.Do(func() {
		en := p.doc.Sections[p.sec].English
		if en == "" {
			return
		}
		p.unitsEN = splitUnits(en)
		for i := range p.unitsEN {
			p.unitsEN[i].terms = p.strs.intern(distinctTerms(p.unitsEN[i].text))
		}
	})
	return p.unitsEN
}
