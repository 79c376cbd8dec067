package policy

import (
	"math"
	"regexp"
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
	docNo int // index in snapshot.docs
	sec   int // index in doc.Sections
	units []unit
	text  string // what an embedding model sees
	fold  string // folded heading and text, padded with spaces

	once sync.Once // computes units[i].terms on first use
	strs *interner
}

// analyzed returns the passage's units with their terms: analysing every
// unit at build time would double the cost of building the index, so it
// happens the first time a passage is used for an answer.
func (p *passage) analyzed() []unit {
	p.once.Do(func() {
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
}

// snapshot is an immutable view of the knowledge base and its index.
type snapshot struct {
	docs     []*Doc
	byNumber map[string]int
	passages []*passage
	ix       *search.Index
	idf      map[string]float64
	refs     []docRef            // per document; num is empty when it has no number
	vocab    map[string]struct{} // quickTerms of titles, aliases, headings, keywords not in idf
	built    time.Time
}

func buildSnapshot(docs []*Doc) *snapshot {
	s := &snapshot{
		docs:     docs,
		byNumber: make(map[string]int, len(docs)),
		ix:       search.NewIndex(),
		built:    time.Now(),
		vocab:    map[string]struct{}{},
	}
	df := map[string]int{}
	strs := &interner{m: map[string]string{}}
	for di, d := range docs {
		s.byNumber[numberKey(d.Number)] = di
		r, _ := refOf(d.Number)
		s.refs = append(s.refs, r)
		head := d.Number + " . " + d.Title + " . " + strings.Join(d.Aliases, " . ")
		for si, sec := range d.Sections {
			extra := ""
			if si == 0 && d.Issuer != "" {
				extra += " . " + d.Issuer
			}
			extra += dateVocabulary(d, sec.Text)
			p := &passage{doc: d, docNo: di, sec: si, strs: strs}
			p.units = splitUnits(sec.Text)
			for t := range quickTerms(sec.Text) {
				df[t]++
			}
			for t := range quickTerms(head + " . " + sec.Heading + " . " + sec.Keywords) {
				s.vocab[t] = struct{}{}
			}
			p.fold = padFold(sec.Heading + " " + sec.Text + " " + sec.Keywords)
			p.text = d.Number + " – " + d.Title + "\n" + sec.Heading + "\n" + sec.Text
			id := uint64(len(s.passages))
			s.passages = append(s.passages, p)
			s.ix.Add(id, head+" . "+sec.Heading+" . "+sec.Keywords+extra, sec.Text)
		}
	}
	n := float64(len(s.passages))
	if n == 0 {
		n = 1
	}
	s.idf = make(map[string]float64, len(df))
	for t, c := range df {
		s.idf[t] = math.Log(1 + (n-float64(c)+0.5)/(float64(c)+0.5))
		delete(s.vocab, t)
	}
	return s
}

// known reports whether a term occurs anywhere in the knowledge base.
func (s *snapshot) known(t string) bool {
	if _, ok := s.idf[t]; ok {
		return true
	}
	_, ok := s.vocab[t]
	return ok
}

// termIDF is the weight of a query term when condensing: rarer is heavier.
// A term the quick analysis did not see (an expansion, a repaired typo)
// gets a middling weight.
func (s *snapshot) termIDF(t string) float64 {
	if w, ok := s.idf[t]; ok {
		return w
	}
	return 1.5
}

// quickTerms is a fast approximation of search.Analyze for document
// frequencies: folded words and adjacent-word bigrams within a clause,
// numbers without leading zeros, no expansion or repair. Runes other than
// letters and digits are replaced before folding so Fold stays on its fast
// path.
func quickTerms(text string) map[string]struct{} {
	m := map[string]struct{}{}
	var b strings.Builder
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
	for _, w := range strings.Fields(search.Fold(b.String())) {
		if w == "|" {
			prev = ""
			continue
		}
		if w[0] >= '0' && w[0] <= '9' {
			if t := strings.TrimLeft(w, "0"); t != "" {
				w = t
			}
		}
		m[w] = struct{}{}
		if prev != "" {
			m[prev+"_"+w] = struct{}{}
		}
		prev = w
	}
	return m
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
	para := 0
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			para++
			continue
		}
		if b, ok := strings.CutPrefix(line, "- "); ok {
			out = append(out, unit{text: "- " + strings.TrimSpace(b), bullet: true, para: para})
			continue
		}
		if b, ok := strings.CutPrefix(line, "* "); ok {
			out = append(out, unit{text: "- " + strings.TrimSpace(b), bullet: true, para: para})
			continue
		}
		for _, sent := range splitSentences(line) {
			out = append(out, unit{text: sent, intro: strings.HasSuffix(sent, ":"), para: para})
		}
	}
	for i := range out {
		low := strings.ToLower(out[i].text)
		for _, m := range uncertainty {
			if strings.Contains(low, m) {
				out[i].caveat = true
				break
			}
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

var dateRe = regexp.MustCompile(`\b(\d{1,2})/(\d{1,2})/(\d{4})\b`)

// dateVocabulary gives a passage that states the document's date of issue
// or entry into force the words people use to ask for them.
func dateVocabulary(d *Doc, text string) string {
	var out string
	for _, m := range dateRe.FindAllStringSubmatch(text, -1) {
		day, _ := strconv.Atoi(m[1])
		month, _ := strconv.Atoi(m[2])
		year, _ := strconv.Atoi(m[3])
		got := Date{Year: year, Month: month, Day: day}
		if got == d.Issued && !strings.Contains(out, "ban hành") {
			out += " . ngày ban hành, ngày ký, ký ngày nào, thông qua ngày nào, ban hành khi nào"
		}
		if got == d.EffectiveFrom && !strings.Contains(out, "hiệu lực") {
			out += " . hiệu lực từ ngày nào, có hiệu lực khi nào"
		}
	}
	return out
}

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// warm analyses every passage (see passage.analyzed), so that no question
// pays for it. KB runs it in the background after each rebuild.
func (s *snapshot) warm() {
	for _, p := range s.passages {
		p.analyzed()
	}
}
