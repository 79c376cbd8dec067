package policy

import (
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/qnstartup/trolykhoinghiep/search"
)

// condensed is the answer text cut from one or two passages.
type condensed struct {
	text    string
	english bool   // text is the passages' English rendering
	missing bool   // the best unit says the asked detail is not known
	lead    string // the unit the answer leads with
}

// condense builds the answer text from the best passage and, when given, a
// second passage of the same document that matches almost as well: the
// unit that best matches the question first (the asked figure leads), then,
// in their original order, the lead sentence, the other matching units, the
// list intro of a chosen item, every item of a list whose item was chosen
// when the whole list fits (a scale is never cut), and the caveats next to
// chosen units, within max characters. With en and an English rendering of
// the best passage, the rendering is condensed instead.
func (s *snapshot) condense(ps []*passage, weights []float64, qi *question, max int, en bool) condensed {
	c := newCondenser(s, ps, weights, qi, max, en)
	out := condensed{english: c.english}
	c.choose()
	if c.lead.p >= 0 {
		out.lead = c.leadSentence()
		if text, ok := c.missing(); ok {
			out.missing, out.text = true, text
			return out
		}
	}
	out.text = c.write()
	return out
}

// cand is a unit of one of the passages and how well it answers.
type cand struct {
	p, u  int // passage, unit
	score float64
}

// noCand is no unit.
var noCand = cand{-1, -1, 0}

// condenser holds one condensing: the passages, the question's weighted
// terms, every unit's score, and the units kept so far.
type condenser struct {
	s       *snapshot
	ps      []*passage
	weights []float64 // per passage
	qi      *question
	max     int // characters
	english bool

	qs    map[string]float64 // the question's terms and their weights
	asks  []figure           // figures the question gives
	want  func(string) bool  // the asked kind of thing (nil: none)
	bonus float64            // for a unit holding it
	cands []cand             // every unit, scored
	best  float64            // the best score

	keep      [][]bool // per passage and unit: in the answer
	length    int      // characters kept
	lead      cand     // the unit the answer leads with (p < 0: none)
	partLeads []cand   // the best unit for each part of a question in parts
}

func newCondenser(s *snapshot, ps []*passage, weights []float64, qi *question, max int, en bool) *condenser {
	c := &condenser{s: s, ps: ps, weights: weights, qi: qi, max: max, lead: noCand}
	if en && ps[0].englishUnits() != nil {
		c.english = true
		var eps []*passage
		for _, p := range ps {
			if p.englishUnits() != nil {
				eps = append(eps, p)
			}
		}
		c.ps = eps
	}
	for _, p := range c.ps {
		p.analyzed() // computes the subject terms
	}
	c.qs = c.weigh(qi.terms)
	c.asks = smallNumbers(qi.folded)
	for t := range qi.boost {
		c.qs[t] = boostWeight
	}
	for _, y := range qi.years {
		if !c.subject(y) {
			c.qs[y] = boostWeight // "năm 2022" picks the 2022 sentence
		}
	}
	c.want, c.bonus = qi.asked()
	c.cands, c.best = c.score(c.qs, c.want, c.bonus)
	c.keep = make([][]bool, len(c.ps))
	for i := range c.ps {
		c.keep[i] = make([]bool, len(c.units(i)))
	}
	return c
}

// units are passage pi's units, in the language condensed.
func (c *condenser) units(pi int) []unit {
	if c.english {
		return c.ps[pi].englishUnits()
	}
	return c.ps[pi].analyzed()
}

func (c *condenser) unit(x cand) unit { return c.units(x.p)[x.u] }

// subject reports whether a term names what the passages are about.
func (c *condenser) subject(t string) bool {
	for _, p := range c.ps {
		if _, ok := slices.BinarySearch(p.subject, t); ok {
			return true
		}
	}
	return false
}

// weigh gives each term its weight.
func (c *condenser) weigh(terms []string) map[string]float64 {
	qs := make(map[string]float64, len(terms))
	for _, t := range terms {
		qs[t] = 1
		if c.subject(t) {
			// Words naming what the passage is about do not tell its
			// sentences apart: the other words of the question choose.
			qs[t] = subjectWeight
		}
	}
	return qs
}

// score rates every unit against weighted terms and the asked kind.
func (c *condenser) score(qs map[string]float64, want func(string) bool, bonus float64) ([]cand, float64) {
	var cands []cand
	best := 0.0
	// termsScore adds the terms' weights to sc, in order (the sums decide
	// ties), leaving out those in skip.
	termsScore := func(sc float64, terms []string, skip []string) float64 {
		for _, t := range terms {
			if skip != nil {
				if _, in := slices.BinarySearch(skip, t); in {
					continue
				}
			}
			if w, ok := qs[t]; ok {
				sc += w * c.s.termIDF(t)
			}
		}
		return sc
	}
	for pi := range c.ps {
		units := c.units(pi)
		intro := -1 // the intro of the inline list being scored
		for ui, u := range units {
			sc := termsScore(0, u.terms, nil)
			switch {
			case u.inline && !u.cont:
				intro = ui
			case u.inline && intro >= 0 && units[intro].sent == u.sent:
				// An item of an inline list is read with its intro.
				sc = termsScore(sc, units[intro].terms, u.terms)
			}
			sc *= c.weights[pi]
			if sc > 0 && want != nil && want(u.text) {
				sc *= bonus
			}
			if sc > 0 && inRange(u.text, c.asks) {
				sc *= specificBonus // "75 điểm" picks "4 sao: 70–89 điểm"
			}
			cands = append(cands, cand{pi, ui, sc})
			best = math.Max(best, sc)
		}
	}
	return cands, best
}

// bestOf is the best-scoring unit that is not a list's intro.
func (c *condenser) bestOf(cs []cand) (cand, bool) {
	top := noCand
	for _, x := range cs {
		if x.score > top.score && !c.unit(x).intro {
			top = x
		}
	}
	return top, top.p >= 0
}

// findPartLeads finds, for a question in parts ("bao nhiêu điểm và cơ
// quan nào cấp"), the best unit for each part, the first part's first.
func (c *condenser) findPartLeads() []cand {
	parts := questionParts(c.qi.text)
	if len(parts) < 2 || c.best == 0 {
		return nil
	}
	var leads []cand
	for _, part := range parts {
		pq := &question{folded: padFold(part)}
		pw, pb := pq.asked()
		pc, _ := c.score(c.weigh(search.Analyze(part)), pw, pb)
		if pw != nil {
			// A part asking for a kind of thing ("bao nhiêu", "cơ quan
			// nào") is answered by a unit holding one, if any.
			var with []cand
			for _, x := range pc {
				if pw(c.unit(x).text) {
					with = append(with, x)
				}
			}
			if len(with) > 0 {
				pc = with
			}
		}
		if x, ok := c.bestOf(pc); ok && !slices.ContainsFunc(leads, func(d cand) bool { return d.p == x.p && d.u == x.u }) {
			leads = append(leads, x)
		}
	}
	return leads
}

// add keeps a unit if it fits; it reports whether the unit is kept.
func (c *condenser) add(pi, ui int) bool {
	if c.keep[pi][ui] {
		return true
	}
	n := len([]rune(c.units(pi)[ui].text)) + 1
	if c.length > 0 && c.length+n > c.max {
		return false
	}
	c.keep[pi][ui] = true
	c.length += n
	return true
}

// withContext keeps a unit, the rest of its sentence, the intro of its
// list and its caveats.
func (c *condenser) withContext(pi, ui int) {
	if !c.add(pi, ui) {
		return
	}
	units := c.units(pi)
	for j := ui; j > 0 && units[j].cont; j-- {
		c.add(pi, j-1)
	}
	for j := ui + 1; j < len(units) && units[j].cont; j++ {
		c.add(pi, j)
	}
	if units[ui].bullet {
		for j := ui - 1; j >= 0; j-- {
			if !units[j].bullet {
				if units[j].intro {
					c.add(pi, j)
				}
				break
			}
		}
	}
	for j, u := range units {
		if j != ui && u.para == units[ui].para && !u.bullet && u.caveat {
			c.add(pi, j)
		}
	}
}

// wholeList keeps every item of the list around a chosen item when the
// list fits: a scale or a set of tiers is shown whole or not at all.
func (c *condenser) wholeList(pi, ui int) {
	units := c.units(pi)
	if !units[ui].bullet {
		return
	}
	lo, hi := ui, ui
	for lo > 0 && units[lo-1].bullet {
		lo--
	}
	for hi+1 < len(units) && units[hi+1].bullet {
		hi++
	}
	n := 0
	for j := lo; j <= hi; j++ {
		if !c.keep[pi][j] {
			n += len([]rune(units[j].text)) + 1
		}
	}
	if c.length+n > c.max+c.max/4 {
		return
	}
	for j := lo; j <= hi; j++ {
		if !c.keep[pi][j] {
			c.keep[pi][j] = true
			c.length += len([]rune(units[j].text)) + 1
		}
	}
}

// choose picks the lead and the units kept. With no unit matching, the
// best passage is kept from its start.
func (c *condenser) choose() {
	if c.best == 0 {
		for ui := range c.units(0) {
			if !c.add(0, ui) {
				break
			}
		}
		return
	}
	order := slices.Clone(c.cands)
	sort.SliceStable(order, func(x, y int) bool { return order[x].score > order[y].score })
	c.lead = order[0]
	for _, x := range order {
		// A list's intro names the list; an item of it answers.
		if x.score > 0 && !c.unit(x).intro {
			c.lead = x
			break
		}
	}
	if leads := c.findPartLeads(); len(leads) > 1 {
		c.lead, c.partLeads = leads[0], leads[1:]
	}
	c.withContext(c.lead.p, c.lead.u)
	for _, x := range c.partLeads {
		c.withContext(x.p, x.u) // each further part's answer
	}
	if u := c.units(0); len(u) > 0 && !u[0].bullet && !(c.lead.p == 0 && u[c.lead.u].bullet) {
		// The lead sentence names the subject: all of it.
		for j := 0; j == 0 || (j < len(u) && u[j].cont); j++ {
			c.add(0, j)
		}
	}
	for pi := 1; pi < len(c.ps); pi++ {
		// A second passage joined for the words it adds: its best unit.
		for _, x := range order {
			if x.p == pi {
				c.withContext(x.p, x.u)
				break
			}
		}
	}
	for _, x := range order[1:] {
		if x.score >= 0.3*c.best {
			c.withContext(x.p, x.u)
		}
	}
	if c.qi.asksList() || c.qi.boost != nil {
		c.wholeList(c.lead.p, c.lead.u)
	}
}

// leadSentence is the lead unit's whole sentence.
func (c *condenser) leadSentence() string {
	var b strings.Builder
	sent := c.unit(c.lead).sent
	for _, u := range c.units(c.lead.p) {
		if u.sent == sent {
			b.WriteString(u.text + " ")
		}
	}
	return b.String()
}

// missing is the answer when the passage says the asked thing is not
// known: one line saying what is missing, then what the passage does say.
func (c *condenser) missing() (string, bool) {
	p := c.ps[c.lead.p]
	units := c.units(c.lead.p)
	heading := p.doc.Sections[p.sec].Heading
	scores := make([]float64, len(units))
	for _, x := range c.cands {
		if x.p == c.lead.p {
			scores[x.u] = x.score
		}
	}
	for _, x := range c.partLeads {
		if x.p == c.lead.p {
			// A question in parts: a gap must match the question better
			// than the answer to each part, not only the first ("trong
			// nước bao nhiêu, còn Đông Nam Á thì bao nhiêu" is not
			// answered by "ngoài Đông Nam Á: chưa có").
			scores[c.lead.u] = math.Max(scores[c.lead.u], scores[x.u])
		}
	}
	if g, ok := missingAsked(c.qi, units, c.lead.u, heading, scores, c.bonus); ok {
		return missingLine(g, units, c.lead.u), true
	}
	if !strings.Contains(heading, "chưa có") {
		return "", false
	}
	// A passage about what is missing ("…: chưa có mức cụ thể"): the
	// unit saying so, then the lead.
	for i, u := range units {
		if saysMissing(u.text) {
			text := leadText(u.text)
			if i != c.lead.u {
				text += " " + capitalise(units[c.lead.u].text)
			}
			return text, true
		}
	}
	return "", false
}

// write writes the kept units: the lead first (and each further part's
// answer), then the rest in their order, within max characters and a
// quarter.
func (c *condenser) write() string {
	w := writer{c: c, written: make([][]bool, len(c.ps))}
	for i := range c.ps {
		w.written[i] = make([]bool, len(c.units(i)))
	}
	leadHi := c.lead.u
	if c.lead.p >= 0 {
		leadHi = w.first(c.lead)
		for _, x := range c.partLeads {
			if c.keep[x.p][x.u] && !w.written[x.p][x.u] {
				w.first(x)
			}
		}
	}
	for pi := range c.ps {
		prev := -1
		if pi == c.lead.p {
			prev = leadHi
		}
		w.rest(pi, prev)
	}
	text := strings.TrimSuffix(w.b.String(), ";")
	if r := []rune(text); len(r) > c.max+c.max/4 {
		text = cutWords(string(r[:c.max])) + "…"
	}
	return text
}

// writer is the answer text being written.
type writer struct {
	c       *condenser
	b       strings.Builder
	written [][]bool // units written before the rest, in order
}

// first writes a unit first, as a line of its own; an item of a list
// within a sentence comes with the sentence, its intro and it first. It
// returns the last unit written.
func (w *writer) first(x cand) int {
	c := w.c
	units := c.units(x.p)
	text, lo, hi := units[x.u].text, x.u, x.u
	if units[x.u].inline && units[x.u].cont {
		text, lo, hi = inlineLead(units, c.keep[x.p], x.u)
	}
	if w.b.Len() > 0 {
		w.b.WriteString("\n")
	}
	text = leadText(text)
	if x == c.lead && !units[x.u].inline {
		text = askedFirst(text, c.want, func(cl string) float64 {
			sc := 0.0
			for _, t := range distinctTerms(cl) {
				sc += c.qs[t] * c.s.termIDF(t)
			}
			return sc
		})
	}
	w.b.WriteString(text)
	for j := lo; j <= hi; j++ {
		w.written[x.p][j] = true
	}
	return hi
}

// rest writes passage pi's kept units not yet written, in order; prev is
// the unit written last in it (-1: none).
func (w *writer) rest(pi, prev int) {
	c := w.c
	units := c.units(pi)
	for i, u := range units {
		if !c.keep[pi][i] || w.written[pi][i] {
			continue
		}
		text := u.text
		if u.intro && !u.inline && pi == c.lead.p && !otherBullets(c.keep[pi], units, i, c.lead.u) {
			if !u.caveat {
				continue // the intro of a list whose only kept item leads
			}
			// The intro says the items are uncertain: it stays, as a
			// sentence of its own.
			text = strings.TrimSuffix(text, ":") + "."
		}
		brk := !(u.cont && prev == i-1 && !w.written[pi][prev])
		if brk {
			text = capitalise(text)
			if s := w.b.String(); strings.HasSuffix(s, ";") {
				w.b.Reset()
				w.b.WriteString(strings.TrimSuffix(s, ";") + ".")
			}
		}
		switch {
		case w.b.Len() == 0:
		case !brk:
			w.b.WriteString(" ")
		case prev < 0 || u.bullet || units[prev].bullet || units[prev].intro || u.para != units[prev].para || w.written[pi][prev]:
			w.b.WriteString("\n")
		default:
			w.b.WriteString(" ")
		}
		w.b.WriteString(text)
		prev = i
	}
}

// rangeRe matches a range of figures and the word after it in a unit:
// "70–89 điểm", "30-49 points", "dưới 30 điểm", "below 30 points".
var rangeRe = regexp.MustCompile(`(?:(\d+)\s*[–-]\s*(\d+)|(?i:dưới|below|under|less than) (\d+)) (\pL+)`)

// figure is a whole number a question gives and the (folded) word after
// it: "75 điểm" → {75, "diem"}.
type figure struct {
	n    int
	word string
}

// smallNumbers returns the figures under 1,000 a question gives with the
// word after each (a score, a count), not years or document numbers.
func smallNumbers(folded string) []figure {
	var out []figure
	ws := strings.Fields(folded)
	for i, f := range ws[:max(0, len(ws)-1)] {
		if n, err := strconv.Atoi(f); err == nil && n < 1000 {
			out = append(out, figure{n, ws[i+1]})
		}
	}
	return out
}

// inRange reports whether a unit states a range of figures, in the same
// words, holding one of the question's figures: the row of a scale the
// question falls in ("75 điểm" and "4 sao: 70–89 điểm").
func inRange(text string, figs []figure) bool {
	if len(figs) == 0 {
		return false
	}
	for _, m := range rangeRe.FindAllStringSubmatch(text, -1) {
		lo, hi := 0, 0
		if m[3] != "" {
			hi, _ = strconv.Atoi(m[3])
			hi--
		} else {
			lo, _ = strconv.Atoi(m[1])
			hi, _ = strconv.Atoi(m[2])
		}
		if lo >= hi || hi >= 1000 {
			continue
		}
		word := strings.TrimSpace(padFold(m[4]))
		for _, f := range figs {
			if f.n >= lo && f.n <= hi && f.word == word {
				return true
			}
		}
	}
	return false
}

// askedLate is the rune offset past which the clause of a long lead
// sentence holding the asked thing is moved to the front.
const askedLate = 100

// askedFirst moves the clause of a long lead sentence that holds the asked
// kind of thing and matches the question best to the front, when it starts
// late: "Quyết định 454 được ban hành theo đề nghị của …, tại Công văn 09
// ngày 27/01/2021." asked "ký ngày nào" becomes "Tại Công văn 09 ngày
// 27/01/2021. Quyết định 454 được ban hành theo đề nghị của …". The
// clauses are the sentence's top-level ", " and "; " parts; the other
// clauses follow in their order. Otherwise the sentence is left whole.
func askedFirst(text string, want func(string) bool, score func(string) float64) string {
	if want == nil || len([]rune(text)) <= longSentence || len(topLevel(text, ": ")) > 0 {
		return text // a list's intro and items keep their order
	}
	end := strings.TrimRight(text, ".;")
	var cuts []int
	for _, sep := range []string{", ", "; "} {
		cuts = append(cuts, topLevel(end, sep)...)
	}
	if len(cuts) == 0 {
		return text
	}
	slices.Sort(cuts)
	var parts []string
	from := 0
	for _, c := range cuts {
		parts = append(parts, end[from:c])
		from = c + 2
	}
	parts = append(parts, end[from:])
	// The clause that starts the moved tail: the one holding the asked
	// kind that matches the question best, ties going to the earlier.
	best, bestScore := -1, 0.0
	for i, p := range parts {
		if sc := score(p); sc > bestScore && want(p) {
			best, bestScore = i, sc
		}
	}
	if best <= 0 {
		return text
	}
	at := len(strings.Join(parts[:best], ", "))
	head, tail := strings.TrimSpace(end[:at]), strings.TrimSpace(end[at+2:])
	if len([]rune(head)) < askedLate || len([]rune(tail)) > longSentence+longSentence/4 || listComma(head) {
		return text
	}
	for _, c := range []string{"cùng với ", "cùng ", "và ", "còn ", "and "} {
		if r, ok := strings.CutPrefix(tail, c); ok && r != "" {
			tail = r
			break
		}
	}
	for _, w := range []string{"do ", "với ", "by ", "with "} {
		if strings.HasPrefix(tail, w) {
			return text // "…, do Phó Thủ tướng ký": the agent stays after its verb
		}
	}
	for _, a := range tailAdjuncts {
		if strings.HasPrefix(tail, a) {
			// "…, để thực hiện Đề án 844": "Để thực hiện Đề án 844, Nghị
			// quyết …" keeps one sentence.
			return capitalise(tail) + ", " + head + "."
		}
	}
	if best == 1 {
		for _, a := range adjunctOpeners {
			if strings.HasPrefix(head, a) {
				// "Thực hiện Thông báo 49, Sở … ban hành Công văn 903 …":
				// the adjunct follows the clause it belongs to.
				return capitalise(tail) + ", " + lowerFirst(head) + "."
			}
		}
	}
	return capitalise(tail) + ". " + capitalise(head) + "."
}

// adjunctOpeners open a clause that is not a sentence of its own.
var adjunctOpeners = []string{"Thực hiện ", "Theo ", "Căn cứ ", "Trên cơ sở ", "Following ", "Under ", "According to ", "Pursuant to "}

// listComma reports that the comma after head likely parts the items of a
// list rather than clauses: a word that takes what follows ("để ý tưởng,
// dự án …", "cho cá nhân, nhóm …") is among head's last three words.
func listComma(head string) bool {
	ws := strings.Fields(strings.ToLower(head))
	for _, w := range ws[max(0, len(ws)-3):] {
		if listOpeners[w] {
			return true
		}
	}
	return false
}

// listOpeners (lower-case) take a noun phrase that may be a list.
var listOpeners = map[string]bool{"để": true, "nếu": true, "khi": true, "vì": true, "mà": true, "của": true, "cho": true, "là": true, "với": true, "và": true, "hoặc": true, "gồm": true, "như": true,
	"to": true, "for": true, "of": true, "if": true, "when": true, "and": true, "or": true, "as": true, "such": true}

// tailAdjuncts open a clause after a comma that is not a sentence of its
// own but can open the sentence it belongs to.
var tailAdjuncts = []string{"để ", "nhằm ", "theo ", "tại ", "khi ", "sau khi ", "trước khi ", "following ", "under ", "to "}

// lowerFirst lower-cases the first letter of a clause.
func lowerFirst(t string) string {
	r, n := utf8.DecodeRuneInString(t)
	return string(unicode.ToLower(r)) + t[n:]
}

// inlineLead writes the sentence of the inline list item at ui with that
// item first after the intro, then the other kept items in their order:
// "Mục tiêu: b; a; c." for a question about b. It returns the text and the
// first and last units of the sentence.
func inlineLead(units []unit, keep []bool, ui int) (string, int, int) {
	lo, hi := ui, ui
	for lo > 0 && units[lo].cont {
		lo--
	}
	for hi+1 < len(units) && units[hi+1].cont {
		hi++
	}
	sep := ", "
	var items []string
	end := ""
	for j := lo + 1; j <= hi; j++ {
		t := units[j].text
		if j == hi {
			if r, n := utf8.DecodeLastRuneInString(t); r == '.' || r == '!' || r == '?' {
				t, end = t[:len(t)-n], string(r)
			}
		}
		if strings.HasSuffix(t, ";") {
			sep = "; "
		}
		t = strings.TrimSuffix(strings.TrimSuffix(t, ";"), ",")
		for _, and := range []string{"và ", "and "} {
			t = strings.TrimPrefix(t, and)
		}
		if j == ui {
			items = append([]string{t}, items...)
		} else if keep[j] {
			items = append(items, t)
		}
	}
	var b strings.Builder
	b.WriteString(units[lo].text)
	for i, t := range items {
		switch {
		case i == 0:
			b.WriteString(" ")
		case i == len(items)-1 && sep == ", ":
			b.WriteString(andWord(units[lo].text))
		default:
			b.WriteString(sep)
		}
		b.WriteString(t)
	}
	b.WriteString(end)
	return b.String(), lo, hi
}

// andWord joins the last two items of a list: " và ", or " and " in an
// English rendering.
func andWord(intro string) string {
	if questionLang(intro) == "en" {
		return " and "
	}
	return " và "
}

// theoRe matches a leading "Theo <document>, " which the source line
// repeats.
var theoRe = regexp.MustCompile(`^(Theo|Under|According to) [^,;:]{3,90}, `)

// leadText is a unit as the first line of an answer: without a list
// marker or a leading "Theo …, ", capitalised, a clause ending with a full
// stop.
func leadText(t string) string {
	t = strings.TrimPrefix(t, "- ")
	if m := theoRe.FindString(t); m != "" && len(t) > len(m)+20 {
		t = t[len(m):]
	}
	for _, c := range leadConnectives {
		if r := strings.TrimPrefix(t, c); len(r) < len(t) && len(r) > 20 {
			t = r // "Vì vậy, …" refers to a sentence no longer before it
			break
		}
	}
	if strings.HasSuffix(t, ";") {
		t = strings.TrimSuffix(t, ";") + "."
	}
	return capitalise(t)
}

// leadConnectives open a sentence by referring to the one before it.
var leadConnectives = []string{"Vì vậy, ", "Do đó, ", "Tuy nhiên, ", "Ngoài ra, ", "Bên cạnh đó, ", "Therefore, ", "However, ", "In addition, "}

// capitalise upper-cases the first letter of a clause (not of a web
// address).
func capitalise(t string) string {
	r, n := utf8.DecodeRuneInString(t)
	if unicode.IsLower(r) && !strings.HasPrefix(t, "khoinghiep") && !strings.HasPrefix(t, "ocop.") {
		t = string(unicode.ToUpper(r)) + t[n:]
	}
	return t
}

// subjectWeight is the condensing weight of a question word that names
// the passage's subject (its document's number, title or aliases, or its
// heading).
const subjectWeight = 0.35

// boostWeight multiplies the condensing weight of the terms a question
// implies without saying them (the support tier of a named country).
const boostWeight = 3

// otherBullets reports whether a list intro at i keeps an item other than
// the lead one.
func otherBullets(keep []bool, units []unit, i, lead int) bool {
	for j := i + 1; j < len(units) && units[j].bullet; j++ {
		if keep[j] && j != lead {
			return true
		}
	}
	return false
}

// cutWords cuts s after its last whole word in its second half.
func cutWords(s string) string {
	if i := strings.LastIndexAny(s, " \n"); i > len(s)/2 {
		return strings.TrimRight(s[:i], " ,;:")
	}
	return s
}
