package policy

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/qnstartup/trolykhoinghiep/search"
)

// Answer modes.
const (
	ModeRetrieval = "retrieval" // the best passage, condensed
	ModeLLM       = "llm"       // written by a language model from the top passages
	ModeCurated   = "curated"   // an answer saved by staff
)

// Refusal reasons (Answer.Reason).
const (
	ReasonEmpty       = "empty"       // nothing to answer
	ReasonSmallTalk   = "smalltalk"   // a greeting, thanks, … (see Answer.SmallTalk)
	ReasonOtherPlace  = "other_place" // about another province or city
	ReasonNotCovered  = "not_covered" // the knowledge base does not cover it (Topic may say what)
	ReasonMissing     = "missing"     // the best passage says the asked detail is not in the knowledge base
	ReasonQuestionLen = "too_long"    // over MaxQuestionLen
)

// MaxQuestionLen is the longest question answered, in bytes.
const MaxQuestionLen = 2000

// Query is one question.
type Query struct {
	Text     string
	Lang     string // "vi" or "en": the language of the reply's fixed wording
	AllowLLM bool   // may use the language model if one is configured
}

// Answer is the reply to a Query. When Refused, Reason says why and Text
// is empty, except for ReasonMissing, where Text is the one line saying the
// detail is not in the knowledge base and Sources cite it; Render turns a
// refusal into a polite message offering to pass the question to staff.
type Answer struct {
	Question  string
	Text      string
	Lang      string // language of Text: "en" for a question asked in English, else "vi"
	Refused   bool
	Reason    string
	SmallTalk string // kind from search.SmallTalk when Reason is "smalltalk"
	Place     string // the other place named, when Reason is "other_place"
	Topic     string // what the knowledge base has nothing on, when known (not_covered)
	Mode      string
	// Answered is when staff answered, for a curated answer (zero if not known).
	Answered  time.Time
	Sources   []Source
	Followups []string
}

// Source is a document an answer relies on. In LLM mode, Sources[i] is the
// passage cited as [i+1].
type Source struct {
	Doc        string  // số hiệu (or label) exactly as written
	Label      string  // how the citation line names it (see displayNumber)
	Title      string  // document title
	Section    string  // passage heading
	URL        string  // first source URL, may be empty
	ValidTo    string  // effective_to as YYYY[-MM[-DD]], may be empty
	ValidFrom  string  // effective_from as YYYY[-MM[-DD]], may be empty
	Status     Status  // status on the day of the answer
	Score      float64 // retrieval score (higher is better)
	Period     string
	ReplacedBy string
	Locality   string
}

// Options configure an Answerer.
type Options struct {
	// Curated returns a staff-saved answer for a question, if there is
	// one, and when staff answered it (cited as "Trả lời của cán bộ, ngày …").
	Curated func(question string) (text string, answered time.Time, ok bool)
	// LLM enables answers written by a language model (nil: retrieval only).
	LLM *LLMConfig
	// Vectors caches passage embeddings (nil: kept in memory only).
	Vectors VectorCache
	// MinCoverage is the share of the question's weight the best passage
	// must match; below it the question is refused. 0 means the default.
	MinCoverage float64
	// MaxChars bounds the condensed answer text. 0 means 600.
	MaxChars int
	// Logger receives LLM and embedding failures (nil: discarded).
	Logger *slog.Logger
}

// DefaultMinCoverage is the refusal threshold tuned on the evaluation sets.
// A question without any domain term (see domainTerms) must reach
// noAnchorCoverage instead.
// A question naming something the knowledge base never mentions (see
// snapshot.unknownName) must reach unknownNameCoverage.
const (
	DefaultMinCoverage  = 0.4
	noAnchorCoverage    = 0.8
	unknownNameCoverage = 0.7
)

// Answerer answers policy questions from a knowledge base. It is safe for
// concurrent use.
type Answerer struct {
	kb   *KB
	opts Options
	log  *slog.Logger
	llm  *llmClient
}

// New returns an Answerer over kb.
func New(kb *KB, opts Options) *Answerer {
	if opts.MinCoverage <= 0 {
		opts.MinCoverage = DefaultMinCoverage
	}
	if opts.MaxChars <= 0 {
		opts.MaxChars = 600
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &Answerer{kb: kb, opts: opts, log: log}
	if opts.LLM != nil {
		a.llm = newLLMClient(*opts.LLM, opts.Vectors, log)
	}
	return a
}

// KB returns the knowledge base the Answerer reads.
func (a *Answerer) KB() *KB { return a.kb }

const (
	candidates = 20 // passages retrieved before re-ranking
	maxSources = 3
)

// Answer answers one question. It returns an error only when ctx is done
// before anything could be answered; LLM and embedding failures fall back
// to the retrieval answer.
func (a *Answerer) Answer(ctx context.Context, q Query) (Answer, error) {
	if err := ctx.Err(); err != nil {
		return Answer{}, err
	}
	text := strings.TrimSpace(q.Text)
	ans := Answer{Question: text, Mode: ModeRetrieval, Lang: questionLang(text)}
	switch {
	case text == "" || strings.Trim(text, " \t\n?!.,…") == "":
		ans.Refused, ans.Reason = true, ReasonEmpty
		return ans, nil
	case len(text) > MaxQuestionLen:
		ans.Refused, ans.Reason = true, ReasonQuestionLen
		return ans, nil
	}
	if a.opts.Curated != nil {
		if t, when, ok := a.opts.Curated(text); ok && strings.TrimSpace(t) != "" {
			ans.Text, ans.Mode, ans.Answered = strings.TrimSpace(t), ModeCurated, when
			return ans, nil
		}
	}
	if kind, ok := search.SmallTalk(text); ok {
		ans.Refused, ans.Reason, ans.SmallTalk = true, ReasonSmallTalk, kind
		return ans, nil
	}
	// Keyboard residue and Central everyday words, for the rules that read
	// the question's words (places, topics, names).
	text = search.NormalizeQuery(text)

	snap := a.kb.snap.Load()
	qi, best, ok := a.retrieve(ctx, snap, stripPersonal(text), q.AllowLLM)
	if !ok && (qi.place == "" || qi.destination) && qi.abroad == "" {
		// A question wrapped in other talk ("chào ad, mình là Lan, …")
		// may fail as a whole: try its clauses, then its last clause with
		// the domain words of the talk before it.
		whole := qi
		cs := clauses(text)
		if f := focusQuestion(text); f != "" && whole.entity == "" && whole.missingTopic == "" {
			cs = append(cs, f)
		}
		for _, c := range cs {
			if cqi, cbest, cok := a.retrieve(ctx, snap, stripPersonal(c), q.AllowLLM); cok {
				qi, best, ok = cqi, cbest, true
				break
			}
		}
	}
	// A question in parts ("… hiệu lực từ ngày nào và áp dụng đến năm
	// nào?", "quyết định nào quy định …, còn ai làm thường trực …"): each
	// part is also searched on its own (with the document the question
	// names), and a part whose passage the answer does not use is answered
	// from that passage, in the parts' order.
	var partRes []partAnswer
	if parts := questionParts(text); len(parts) > 1 && (qi.place == "" || qi.destination) {
		named := ""
		for d := range qi.refs.subject {
			named += " " + snap.docs[d].Number
		}
		for _, part := range parts {
			if !partNames(part) {
				continue
			}
			if pqi, pbest, pok := a.retrieve(ctx, snap, stripPersonal(part+named), q.AllowLLM); pok {
				partRes = append(partRes, partAnswer{pqi, pbest})
			}
		}
		if !ok && len(partRes) > 1 {
			qi, best, ok = partRes[0].qi, partRes[0].best, true
		}
	}
	if !ok {
		ans.Refused, ans.Reason = true, ReasonNotCovered
		switch {
		case qi.abroad != "":
			ans.Reason, ans.Place = ReasonOtherPlace, qi.abroad
		case qi.place != "" && !qi.destination:
			ans.Reason, ans.Place = ReasonOtherPlace, otherPlaces[qi.place]
		case qi.missingTopic != "":
			ans.Topic = qi.missingTopic
		case qi.entity != "":
			ans.Topic = qi.entity // a name no passage mentions
		case qi.lang == "en":
			ans.Topic = snap.uncovered(qi.topics).nameEN // refused before the topic was looked for
		default:
			ans.Topic = snap.uncovered(qi.topics).name
		}
		return ans, nil
	}
	now := a.kb.now()
	ans.Sources = snap.sources(best, now)
	ans.Followups = snap.followups(best)
	ps, ws := snap.answerPassages(best, qi.terms)
	// The segments of the answer: the whole question's passages where a
	// part is answered by them, else the part's own.
	used := map[uint64]bool{}
	for _, h := range best[:len(ps)] {
		used[h.ID] = true
	}
	type segment struct {
		main bool
		p    partAnswer
	}
	var segs, others []segment
	mainAt := -1
	mainDoc := snap.passages[best[0].ID].docNo
	for _, pr := range partRes {
		switch id := pr.best[0].ID; {
		case used[id] && mainAt < 0:
			mainAt = len(segs)
			segs = append(segs, segment{main: true})
		case used[id]:
		case snap.passages[id].docNo == mainDoc:
			// Another passage of the same document: in the parts' order.
			used[id] = true
			segs = append(segs, segment{p: pr})
		default:
			// Another document: after the answer, which may well cover
			// the part already.
			used[id] = true
			others = append(others, segment{p: pr})
		}
	}
	if mainAt < 0 {
		segs = append([]segment{{main: true}}, segs...)
	}
	segs = append(segs, others...)
	maxChars := a.opts.MaxChars / len(segs)
	c := snap.condense(ps, ws, qi, maxChars, ans.Lang == "en")
	if len(segs) > 1 {
		var texts []string
		for _, sg := range segs {
			if sg.main {
				texts = append(texts, c.text)
				continue
			}
			mps, mws := snap.answerPassages(sg.p.best, sg.p.qi.terms)
			mc := snap.condense(mps, mws, sg.p.qi, maxChars, ans.Lang == "en")
			if c.missing && (mc.missing || askedKinds(sg.p.qi.folded) == 0) {
				// The asked thing is missing: a part asking nothing else
				// (a yes/no part, a part missing too) adds nothing.
				continue
			}
			if mc.english == c.english && !strings.Contains(c.text, mc.text) {
				texts = append(texts, mc.text)
				c.missing = false // another part is answered
				ans.Sources = mergeSources(ans.Sources, snap.sources(sg.p.best, now))
			}
		}
		c.text = strings.Join(texts, "\n")
	}
	ans.Text = c.text
	if ans.Lang == "en" && !c.english {
		ans.Lang = "vi" // no English rendering: the Vietnamese text
	}
	if ans.Lang == "en" {
		ans.Followups = nil // suggestions are section headings, written in Vietnamese only
	}
	if !c.missing && len(ans.Sources) > 0 {
		ans.Text = validityLead(qi, ans.Sources[0], ans.Text, ans.Lang)
		if len(segs) == 1 {
			ans.Text = yesNoLead(qi, c.lead, ans.Text)
		}
	}
	if c.missing {
		// The passage says the asked detail is not known: a refusal that
		// still cites where we looked.
		ans.Refused, ans.Reason = true, ReasonMissing
		return ans, nil
	}

	if a.llm != nil && q.AllowLLM && a.llm.cfg.Model != "" {
		if t, srcs, err := a.llm.answer(ctx, snap, qi.text, best, now); err == nil {
			ans.Text, ans.Sources, ans.Mode = t, srcs, ModeLLM
		} else {
			a.log.Warn("llm answer failed; using retrieval", "err", err)
		}
	}
	return ans, nil
}

// partAnswer is the retrieval for one part of a question in parts.
type partAnswer struct {
	qi   *question
	best []search.Hit
}

// partNames reports whether a part of a question names enough on its own
// to be searched alone: two words other than question words ("ai làm
// thường trực" does, "mức bao nhiêu" does not).
func partNames(part string) bool {
	n := 0
	for _, t := range search.Analyze(part) {
		if !strings.Contains(t, "_") && !questionWords[t] {
			n++
		}
	}
	return n >= 2
}

// mergeSources keeps the first source of each list (the documents each
// part is answered from), then the others, at most maxSources.
func mergeSources(a, b []Source) []Source {
	out := slices.Clone(a[:min(1, len(a))])
	for _, s := range append(append(slices.Clone(b[:min(1, len(b))]), a...), b...) {
		if len(out) == maxSources {
			break
		}
		if !slices.ContainsFunc(out, func(o Source) bool { return o.Doc == s.Doc }) {
			out = append(out, s)
		}
	}
	return out
}

// retrieve searches for text and applies the refusal rules.
func (a *Answerer) retrieve(ctx context.Context, snap *snapshot, text string, allowLLM bool) (*question, []search.Hit, bool) {
	qi := analyzeQuestion(snap, text)
	hits := snap.ix.Search(qi.query, candidates, nil)
	if qi.lang == "en" {
		hits = snap.searchEnglish(qi, hits) // the English renderings too
	}
	if a.llm != nil && a.llm.cfg.EmbeddingModel != "" && allowLLM {
		hits = a.llm.hybrid(ctx, snap, qi.query, hits)
	}
	qi.rerank(snap, hits)
	best, ok := a.pick(snap, qi, hits)
	return qi, best, ok
}

// maxClauses bounds the extra searches for a refused message.
const maxClauses = 2

// clauses splits a message into its sentences and clauses of at least three
// words, longest first, at most maxClauses.
func clauses(text string) []string {
	parts := strings.FieldsFunc(text, func(r rune) bool {
		return r == '.' || r == '?' || r == '!' || r == ',' || r == ';' || r == ':' || r == '\n' || r == '<' || r == '>'
	})
	var out []string
	for _, p := range parts {
		if len(strings.Fields(p)) >= 3 && strings.TrimSpace(p) != strings.TrimSpace(text) {
			out = append(out, strings.TrimSpace(p))
		}
	}
	if len(out) < 1 {
		return nil
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out[:min(len(out), maxClauses)]
}

// question is what Answer works out about a question once.
type question struct {
	text, query string   // as asked; as searched (a travel destination removed, a tier added)
	queryEN     string   // query for the English renderings, for an English question
	abroad      string   // a foreign country an English question asks about, not as a location
	folded      string   // padFold(text)
	lower       string   // lowerText(text)
	terms       []string // search.Analyze(text)
	boost       map[string]bool
	place       string // another place named (folded), or ""
	destination bool   // place is where the asker would travel to
	home        string // "Quảng Nam" or "Đà Nẵng" when only one is named
	tier        string // support tier of the event location named, or ""
	topics      []*topic
	entity      string   // a name the knowledge base never mentions
	years       []string // years named on their own
	merged      bool     // asks what a Quảng Nam place belongs to now
	current     bool     // asks about now: mới, hiện nay, giờ, 2026, còn … không
	merger      bool     // asks about the 2025 merger
	refs        questionRefs
	lang        string

	missingTopic string // set by pick when a topic or name is not covered
}

func analyzeQuestion(snap *snapshot, text string) *question {
	text = snap.respell(text)
	qi := &question{text: text, query: text, folded: padFold(text), lower: lowerText(text), lang: questionLang(text)}
	qi.place = foreignPlace(qi.folded)
	if qi.place != "" && destination(qi.folded, qi.place) {
		qi.destination = true
		qi.query = withoutPlace(text, qi.place) // "đi hội chợ ở Thái Lan": Thái Lan is not the topic
	}
	qi.refs = snap.questionRefs(qi.folded)
	qi.home = homeLocality(qi.folded)
	qi.topics = askedTopics(qi.folded, qi.lower)
	qi.entity = snap.unknownEntity(text)
	qi.years = questionYears(text)
	qi.current = currentWords(qi.folded)
	qi.merger = containsAny(qi.folded, qi.lower, mergerForms)
	extra := ""
	if tier, place := placeTier(qi); tier != "" {
		qi.tier = tier
		if (aseanPlaces[qi.place] || abroadPlaces[qi.place] != "") && (qi.destination || eventWords(qi.folded) || qi.lang == "en" && englishLocation(qi.folded, qi.place)) {
			// A foreign event location, not a foreign policy ("How much
			// does Singapore give startups?" is about Singapore's).
			qi.destination = true
			qi.query = withoutPlace(text, qi.place)
		}
		_ = place
		extra = tier
	}
	if (belongsWords(qi.folded) || addressWords(qi.folded)) && (qi.home == "Quảng Nam" || oldQuangNamPlace(qi.folded)) {
		qi.merged = true
		qi.query = withoutPlace(withoutPlace(qi.query, "dia chi"), "ghi") // the address, not a contact's
		extra += " sáp nhập vào TP Đà Nẵng"
	}
	base := qi.query
	if extra != "" {
		qi.query += " . " + extra
		qi.boost = map[string]bool{}
		for _, t := range search.Analyze(extra) {
			qi.boost[t] = true
		}
	}
	if qi.lang == "en" {
		qi.english(base)
	}
	qi.terms = search.Analyze(qi.query)
	return qi
}

// belongsWords report a question about what a place belongs to now
// ("Hội An giờ thuộc thành phố nào", "Tam Kỳ sau sáp nhập").
func belongsWords(folded string) bool {
	for _, w := range []string{" thuoc ", " sap nhap ", " hop nhat ", " tinh nao ", " thanh pho nao ", " belong "} {
		if strings.Contains(folded, w) {
			return true
		}
	}
	return false
}

// rerank adjusts the BM25 scores: passages matching more of the question's
// words gain (coverageWeight), documents the question names gain (see
// refBoost), and documents of the other locality lose when the question
// names only Quảng Nam or only Đà Nẵng.
func (qi *question) rerank(snap *snapshot, hits []search.Hit) {
	qr := qi.refs
	for i := range hits {
		p := snap.passages[hits[i].ID]
		f := 1 + coverageWeight*hits[i].Coverage
		switch {
		case qr.subject[p.docNo]:
			f *= refBoost
		case len(qr.object) > 0 && !qr.object[p.docNo] && p.mentions(snap, qr.object):
			f *= objectBoost
		case qr.kinds[snap.refs[p.docNo].kind]:
			f *= kindBoost
		}
		if qi.home != "" && p.doc.Locality != "" && p.doc.Locality != qi.home && p.doc.Locality != "Toàn quốc" {
			f *= otherLocality
		}
		if len(qi.years) > 0 && !qr.subject[p.docNo] {
			f *= yearFactor(p, qi.years) * snap.seriesYearFactor(p, qi)
		}
		if qi.current && !qr.subject[p.docNo] {
			// "mới / hiện nay / giờ / 2026": the successor the knowledge
			// base links, not the document it replaced.
			switch {
			case p.doc.Status == StatusReplaced && snap.hasDoc(p.doc.ReplacedBy):
				f *= replacedFactor
			case snap.isSuccessor(p.doc.Number):
				f *= successorBoost
			}
		}
		if qi.merger && len(qr.subject) == 0 && strings.HasPrefix(p.doc.Sections[p.sec].Heading, "Còn hiệu lực") {
			f *= ownValidityFactor // a document's own "still valid?" yields to the merger documents
		}
		hits[i].Score *= f
	}
	sort.SliceStable(hits, func(x, y int) bool { return hits[x].Score > hits[y].Score })
}

// pick applies the refusal rules and orders the hits: it returns hits whose
// first element is the passage to answer from.
func (a *Answerer) pick(snap *snapshot, qi *question, hits []search.Hit) ([]search.Hit, bool) {
	if len(hits) == 0 {
		return nil, false
	}
	top := hits[0]
	minCov := a.opts.MinCoverage
	switch {
	case qi.refs.subject[snap.passages[top.ID].docNo]:
		minCov *= refCoverage // the question names this document
	case qi.merged && snap.passages[top.ID].aboutMerger():
		minCov *= refCoverage // where a Quảng Nam place belongs now: the merger
	case qi.refs.subject == nil && qi.refs.object == nil && !qi.anchored():
		minCov = max(minCov, noAnchorCoverage) // nothing places it in our domain
	case snap.unknownName(qi.text) != "":
		minCov = max(minCov, unknownNameCoverage) // names something we never mention
	}
	if top.Coverage < minCov {
		return nil, false
	}
	if qi.abroad != "" || qi.place != "" && !qi.destination && !snap.passages[top.ID].mentionsPlace(qi) {
		return nil, false
	}
	if qi.entity != "" {
		qi.missingTopic = qi.entity // a name no passage mentions
		return nil, false
	}
	if y := snap.uncoveredYear(qi, snap.passages[top.ID]); y != "" {
		qi.missingTopic = "năm " + y // a year no document reaches
		return nil, false
	}
	if len(qi.topics) > 0 {
		// The asked topic must be in the passage: the first hit that
		// covers every topic, if it matches well enough, else a refusal.
		found := false
		for _, h := range hits[:min(len(hits), 5)] {
			if h.Coverage >= minCov && snap.passages[h.ID].covers(qi.topics) {
				top, found = h, true
				break
			}
		}
		if !found {
			t := snap.uncovered(qi.topics)
			qi.missingTopic = t.name
			if qi.lang == "en" {
				qi.missingTopic = t.nameEN
			}
			return nil, false
		}
	}
	out := make([]search.Hit, 0, len(hits))
	out = append(out, top)
	for _, h := range hits {
		if h.ID != top.ID {
			out = append(out, h)
		}
	}
	return out, true
}

// mentionsPlace reports whether the passage names the other place the
// question names: with its diacritics when the question wrote them, as
// folded words fold together ("Gia Lai", "đánh giá lại").
func (p *passage) mentionsPlace(qi *question) bool {
	if name := strings.ToLower(otherPlaces[qi.place]); name != "" && strings.Contains(qi.lower, " "+name+" ") {
		s := p.doc.Sections[p.sec]
		return strings.Contains(lowerText(s.Heading+" "+s.Text+" "+s.Keywords), " "+name+" ")
	}
	return strings.Contains(p.folded(), " "+qi.place+" ")
}

// uncovered is the first of the topics no passage mentions, for the
// refusal to name; none (the zero topic) when each is mentioned somewhere,
// since "nothing about OCOP" would be untrue of a question refused for
// its other words.
func (s *snapshot) uncovered(ts []*topic) *topic {
	for _, t := range ts {
		key := t.name + "\x00" + strings.Join(t.cover, "|")
		known, ok := s.topicCovered.Load(key)
		if !ok {
			known = slices.ContainsFunc(s.passages, func(p *passage) bool { return p.covers([]*topic{t}) })
			s.topicCovered.Store(key, known)
		}
		if !known.(bool) {
			return t
		}
	}
	return &topic{}
}

// covers reports whether the passage mentions every topic.
func (p *passage) covers(ts []*topic) bool {
	s := p.doc.Sections[p.sec]
	all := s.Heading + " " + s.Text + " " + s.Keywords + " " + s.English
	folded, lower := padFold(all), lowerText(all)
	var dFolded, dLower string
	for _, t := range ts {
		if containsAny(folded, lower, t.cover) {
			continue
		}
		if t.doc {
			if dFolded == "" {
				d := p.doc.Title + " " + strings.Join(p.doc.Aliases, " ")
				dFolded, dLower = padFold(d), lowerText(d)
			}
			if containsAny(dFolded, dLower, t.cover) {
				continue
			}
		}
		return false
	}
	return true
}

// answerPassages returns the best passage and, if the next hit is another
// passage of the same document that scores at least half as well and
// matches question words the best one lacks, that one too (a question such
// as "how many points for 5 stars, and who certifies it" spans two
// passages), with their weights for condensing.
func (s *snapshot) answerPassages(hits []search.Hit, terms []string) ([]*passage, []float64) {
	top := s.passages[hits[0].ID]
	ps, ws := []*passage{top}, []float64{1}
	if len(hits) < 2 || hits[0].Score <= 0 {
		return ps, ws
	}
	next := s.passages[hits[1].ID]
	r := hits[1].Score / hits[0].Score
	if next.docNo != top.docNo || r < secondPassageRatio {
		return ps, ws
	}
	// Unigrams only: bigrams would count the same words twice.
	q := map[string]uint8{} // bit 1: in top, bit 2: in next
	for _, t := range terms {
		if !strings.Contains(t, "_") {
			q[t] = 0
		}
	}
	mark := func(p *passage, bit uint8) {
		for _, u := range p.analyzed() {
			for _, t := range u.terms {
				if v, ok := q[t]; ok {
					q[t] = v | bit
				}
			}
		}
	}
	mark(top, 1)
	mark(next, 2)
	gain, total, rare := 0.0, 0.0, false
	for t, v := range q {
		w := s.termIDF(t)
		total += w
		if v == 2 && !questionWords[t] {
			gain += w
			rare = rare || w >= secondPassageRare
		}
	}
	if total > 0 && gain/total >= secondPassageGain && rare {
		ps, ws = append(ps, next), append(ws, r)
	}
	return ps, ws
}

// A second passage joins the answer when it scores at least
// secondPassageRatio of the best and adds secondPassageGain of the
// question's weight.
// The words it adds must include a rare one (idf ≥ secondPassageRare)
// other than a question word.
const (
	secondPassageRatio = 0.5
	secondPassageGain  = 0.1
	secondPassageRare  = 2.5
)

// questionWords (folded) ask rather than name a topic: "bao nhiêu", "gì",
// "nào", "ở đâu", "ai", "mấy", English "can".
var questionWords = map[string]bool{
	"bao": true, "nhieu": true, "gi": true, "nao": true, "dau": true, "ai": true, "may": true,
	"khong": true, "chua": true, "the": true, "can": true, "lam": true,
}

// A question naming a document multiplies its passages' scores by refBoost
// and the refusal threshold by refCoverage.
const (
	refBoost    = 1.6
	refCoverage = 0.5
	// objectBoost favours passages citing a document named as the object
	// of "triển khai"/"thực hiện"; kindBoost favours documents of a kind
	// named without a number ("nghị định nào …").
	objectBoost = 1.4
	kindBoost   = 1.3
	// coverageWeight makes breadth of match count beside BM25: a passage
	// matching every word of the question scores 1+coverageWeight times
	// its BM25 score.
	coverageWeight = 0.3
	// otherLocality scales documents of Đà Nẵng for a question about
	// Quảng Nam only, and the reverse.
	otherLocality = 0.75
)

// mentions reports whether the passage's text cites one of the documents.
func (p *passage) mentions(s *snapshot, docs map[int]bool) bool {
	text := p.doc.Sections[p.sec].Text
	for d := range docs {
		if k := mentionKey(s.docs[d].Number); k != "" && strings.Contains(text, k) {
			return true
		}
	}
	return false
}

// sources lists up to maxSources distinct documents, best first.
func (s *snapshot) sources(hits []search.Hit, now time.Time) []Source {
	var out []Source
	seen := map[int]bool{}
	for _, h := range hits {
		p := s.passages[h.ID]
		if seen[p.docNo] {
			continue
		}
		seen[p.docNo] = true
		out = append(out, sourceOf(p, h.Score, now))
		if len(out) == maxSources {
			break
		}
	}
	return out
}

func sourceOf(p *passage, score float64, now time.Time) Source {
	d := p.doc
	return Source{
		Doc: d.Number, Label: p.label, Title: d.Title, Section: d.Sections[p.sec].Heading, URL: d.URL(),
		ValidTo: d.EffectiveTo.String(), ValidFrom: d.EffectiveFrom.String(), Status: d.StatusAt(now), Score: score,
		Period: d.Period, ReplacedBy: d.ReplacedBy, Locality: d.Locality,
	}
}

// followups suggests 2–3 related questions: the headings of neighbouring
// passages of the same document, then the best passages of other documents.
func (s *snapshot) followups(hits []search.Hit) []string {
	p := s.passages[hits[0].ID]
	d := p.doc
	var cands []*passage
	for _, off := range []int{1, -1, 2, -2} {
		if j := p.sec + off; j >= 0 && j < len(d.Sections) {
			cands = append(cands, s.passages[int(hits[0].ID)+off])
		}
	}
	for _, h := range hits[1:] {
		if q := s.passages[h.ID]; q.docNo != p.docNo {
			cands = append(cands, q)
		}
	}
	var out []string
	for _, c := range cands {
		if missingHeading(c.doc.Sections[c.sec].Heading) {
			continue // "…: chưa có mức cụ thể" says data is missing: not worth a question
		}
		f := followupText(c)
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
		if len(out) == 3 {
			break
		}
	}
	return out
}

// missingHeading reports whether a section heading says the data is
// missing ("Hỗ trợ tư vấn…: chưa có mức cụ thể").
func missingHeading(h string) bool {
	return strings.Contains(h, "chưa có") || strings.Contains(h, "không có")
}

func followupText(p *passage) string {
	h := p.doc.Sections[p.sec].Heading
	n := p.label
	if h == "Thông tin chung" || h == "Tổng quan" || h == "Nội dung chính" {
		return n + " nói về những gì?" // a real question, not a heading
	}
	return fmt.Sprintf("%s (%s)?", h, n)
}

// numberSuffixRe matches a document number's kind suffix: "377/QĐ-BNN".
var numberSuffixRe = regexp.MustCompile(`^(.*?\d+)/[\p{L}][^\s(]*`)

// displayNumber is how answers name a document: its number without a
// trailing parenthetical, and without a kind suffix ("/QĐ-BNN") when the
// document's own text cites it only without one ("Quyết định 377 ngày …")
// — the fact sheet the text is written from does not give the suffix, so
// it is not shown as if it were verified.
func displayNumber(d *Doc) string {
	n := shortNumber(d.Number)
	m := numberSuffixRe.FindStringSubmatch(n)
	if m == nil {
		return n
	}
	digits := m[1][strings.LastIndexFunc(m[1], func(r rune) bool { return r < '0' || r > '9' })+1:]
	short := false
	for _, s := range d.Sections {
		if strings.Contains(s.Text, n) || strings.Contains(s.English, n) {
			return n
		}
		for _, kind := range []string{"Quyết định ", "QĐ ", "Nghị quyết ", "NQ ", "Decision "} {
			short = short || strings.Contains(s.Text+" "+s.English, kind+digits+" ")
		}
	}
	if !short {
		return n // the text does not cite it at all: the number as given
	}
	return m[1] + strings.TrimSpace(n[len(m[0]):])
}

// Label is how answers name the document (see displayNumber): "QĐ 377"
// for "QĐ 377/QĐ-BNN (17/01/2025)", whose suffix its text never writes.
func (d *Doc) Label() string { return displayNumber(d) }

// shortNumber drops a trailing parenthetical from a label:
// "TechFest Quảng Nam 2023 (sự kiện)" → "TechFest Quảng Nam 2023".
func shortNumber(n string) string {
	if strings.HasSuffix(n, ")") {
		if i := strings.LastIndex(n, " ("); i > 0 {
			return n[:i]
		}
	}
	return n
}

// uncertainty marks (lower case) of units that qualify their neighbours: a
// unit saying a figure is uncertain or missing is kept with the unit it
// qualifies.
var uncertainty = []string{"chưa có", "chưa chắc", "chưa xác", "chưa rõ", "không rõ", "chưa đọc", "chưa kiểm", "chưa tìm", "chưa thấy", "ghi nhầm", "chênh"}

// uncertaintyAll adds the English marks of the renderings.
var uncertaintyAll = append(slices.Clone(uncertainty), "not in our database", "uncertain", "not confirmed", "not known", "unclear", "not verified")

// questionParts splits a question asking several things ("bao nhiêu
// điểm và cơ quan nào cấp?", "quyết định nào, ai làm trưởng ban") into its
// parts, each with a question word; nil for a question in one part.
func questionParts(text string) []string {
	pieces := partSepRe.Split(text, -1)
	var parts []string
	cur := ""
	for _, p := range pieces {
		if cur != "" {
			cur += " "
		}
		cur += p
		if asksSomething(padFold(p)) {
			parts = append(parts, strings.TrimSpace(cur))
			cur = ""
		}
	}
	if strings.TrimSpace(cur) != "" && len(parts) > 0 {
		parts[len(parts)-1] += " " + strings.TrimSpace(cur)
	}
	if len(parts) < 2 {
		return nil
	}
	return parts
}

// partSepRe separates the parts of a question.
var partSepRe = regexp.MustCompile(`\s+(và|với|còn|and)\s+|[,;?]+\s*`)

// partWords (folded, padded) ask something.
var partWords = []string{" bao nhieu ", " may ", " ai ", " nao ", " gi ", " dau ", " bao gio ", " khong ", " chua ",
	" how ", " what ", " who ", " which ", " where ", " when "}

func asksSomething(folded string) bool {
	for _, w := range partWords {
		if strings.Contains(folded, w) {
			return true
		}
	}
	return false
}

// asksList reports whether the question asks for a scale or a set
// ("những", "các", "mấy hạng", "thang điểm", "which"…).
func (qi *question) asksList() bool {
	for _, w := range []string{" nhung ", " cac ", " hang sao ", " thang diem ", " muc nao ", " gom ", " nhom ", " levels ", " tiers ", " which "} {
		if strings.Contains(qi.folded, w) {
			return true
		}
	}
	return false
}

// yearFactor favours passages that mention the year a question names, and
// disfavours documents whose period ended before it.
func yearFactor(p *passage, years []string) float64 {
	s := p.doc.Sections[p.sec]
	for _, y := range years {
		if strings.Contains(s.Heading, y) || strings.Contains(s.Text, y) {
			return yearBoost
		}
	}
	end := ""
	if per := p.doc.Period; len(per) >= 4 {
		end = per[len(per)-4:]
	}
	if !p.doc.EffectiveTo.IsZero() {
		end = fmt.Sprintf("%04d", p.doc.EffectiveTo.Year)
	}
	for _, y := range years {
		if end != "" && y > end {
			return yearPast
		}
	}
	return 1
}

const (
	yearBoost = 1.25
	yearPast  = 0.85
)
