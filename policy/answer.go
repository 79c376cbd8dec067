package policy

import (
	"context"
	"fmt"
	"log/slog"
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
	ReasonEmpty       = "empty"        // nothing to answer
	ReasonSmallTalk   = "smalltalk"    // a greeting, thanks, … (see Answer.SmallTalk)
	ReasonOtherPlace  = "other_place"  // about another province or city
	ReasonNotCovered  = "not_covered"  // the knowledge base does not cover it
	ReasonQuestionLen = "too_long"     // over MaxQuestionLen
)

// MaxQuestionLen is the longest question answered, in bytes.
const MaxQuestionLen = 2000

// Query is one question.
type Query struct {
	Text     string
	Lang     string // "vi" or "en": the language of the reply's fixed wording
	AllowLLM bool   // may use the language model if one is configured
}

// Answer is the reply to a Query. When Refused, Text is empty and Reason
// says why; Render turns it into a polite message offering to pass the
// question to staff.
type Answer struct {
	Question  string
	Text      string
	Refused   bool
	Reason    string
	SmallTalk string // kind from search.SmallTalk when Reason is "smalltalk"
	Place     string // the other place named, when Reason is "other_place"
	Mode      string
	Sources   []Source
	Followups []string
}

// Source is a document an answer relies on. In LLM mode, Sources[i] is the
// passage cited as [i+1].
type Source struct {
	Doc        string  // số hiệu (or label) exactly as written
	Title      string  // document title
	Section    string  // passage heading
	URL        string  // first source URL, may be empty
	ValidTo    string  // effective_to as YYYY[-MM[-DD]], may be empty
	Status     Status  // status on the day of the answer
	Score      float64 // retrieval score (higher is better)
	Period     string
	ReplacedBy string
	Locality   string
}

// Options configure an Answerer.
type Options struct {
	// Curated returns a staff-saved answer for a question, if there is one.
	Curated func(question string) (text string, ok bool)
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
const DefaultMinCoverage = 0.45

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
	ans := Answer{Question: text, Mode: ModeRetrieval}
	switch {
	case text == "" || strings.Trim(text, " \t\n?!.,…") == "":
		ans.Refused, ans.Reason = true, ReasonEmpty
		return ans, nil
	case len(text) > MaxQuestionLen:
		ans.Refused, ans.Reason = true, ReasonQuestionLen
		return ans, nil
	}
	if a.opts.Curated != nil {
		if t, ok := a.opts.Curated(text); ok && strings.TrimSpace(t) != "" {
			ans.Text, ans.Mode = strings.TrimSpace(t), ModeCurated
			return ans, nil
		}
	}
	if kind, ok := search.SmallTalk(text); ok {
		ans.Refused, ans.Reason, ans.SmallTalk = true, ReasonSmallTalk, kind
		return ans, nil
	}

	snap := a.kb.snap.Load()
	hits := snap.ix.Search(text, candidates, nil)
	if a.llm != nil && a.llm.cfg.EmbeddingModel != "" && q.AllowLLM {
		hits = a.llm.hybrid(ctx, snap, text, hits)
	}
	best, ok := a.pick(snap, text, hits)
	if !ok {
		ans.Refused, ans.Reason = true, ReasonNotCovered
		if len(hits) > 0 {
			if p := foreignPlace(padFold(text)); p != "" {
				ans.Reason, ans.Place = ReasonOtherPlace, otherPlaces[p]
			}
		}
		return ans, nil
	}
	now := a.kb.now()
	ans.Sources = snap.sources(best, now)
	ans.Followups = snap.followups(best)
	p := snap.passages[best[0].ID]
	ans.Text = snap.condense(p, text, a.opts.MaxChars)

	if a.llm != nil && q.AllowLLM && a.llm.cfg.Model != "" {
		if t, srcs, err := a.llm.answer(ctx, snap, text, best, now); err == nil {
			ans.Text, ans.Sources, ans.Mode = t, srcs, ModeLLM
		} else {
			a.log.Warn("llm answer failed; using retrieval", "err", err)
		}
	}
	return ans, nil
}

// pick applies the refusal rules and orders the hits by document: it returns
// hits whose first element is the passage to answer from.
func (a *Answerer) pick(snap *snapshot, text string, hits []search.Hit) ([]search.Hit, bool) {
	if len(hits) == 0 {
		return nil, false
	}
	top := hits[0]
	for _, h := range hits {
		if h.Coverage > top.Coverage+0.25 && h.Score > top.Score*0.8 {
			top = h
		}
	}
	if top.Coverage < a.opts.MinCoverage {
		return nil, false
	}
	folded := padFold(text)
	if place := foreignPlace(folded); place != "" {
		if !strings.Contains(snap.passages[top.ID].fold, " "+place+" ") {
			return nil, false
		}
	}
	out := []search.Hit{top}
	for _, h := range hits {
		if h.ID != top.ID {
			out = append(out, h)
		}
	}
	return out, true
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

func sourceOf(p passage, score float64, now time.Time) Source {
	d := p.doc
	return Source{
		Doc: d.Number, Title: d.Title, Section: d.Sections[p.sec].Heading, URL: d.URL(),
		ValidTo: d.EffectiveTo.String(), Status: d.StatusAt(now), Score: score,
		Period: d.Period, ReplacedBy: d.ReplacedBy, Locality: d.Locality,
	}
}

// followups suggests 2–3 related questions: the headings of neighbouring
// passages of the same document, then the best passages of other documents.
func (s *snapshot) followups(hits []search.Hit) []string {
	p := s.passages[hits[0].ID]
	d := p.doc
	var cands []passage
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

func followupText(p passage) string {
	h := p.doc.Sections[p.sec].Heading
	if h == "Thông tin chung" || h == "Tổng quan" || h == "Nội dung chính" {
		return p.doc.Number + ": " + strings.ToLower(h[:1]) + h[1:] + "?"
	}
	return fmt.Sprintf("%s (%s)?", h, p.doc.Number)
}

// condense keeps the units of p that best match the question, in their
// original order, within max characters.
func (s *snapshot) condense(p passage, question string, max int) string {
	q := search.Analyze(question)
	qs := map[string]struct{}{}
	for _, t := range q {
		qs[t] = struct{}{}
	}
	scores := make([]float64, len(p.units))
	bestI, best := 0, 0.0
	for i, u := range p.units {
		for t := range qs {
			if _, ok := u.terms[t]; ok {
				scores[i] += s.termIDF(t)
			}
		}
		if scores[i] > best {
			bestI, best = i, scores[i]
		}
	}
	keep := make([]bool, len(p.units))
	length := 0
	add := func(i int) bool {
		if keep[i] {
			return true
		}
		n := len([]rune(p.units[i].text)) + 1
		if length > 0 && length+n > max {
			return false
		}
		keep[i] = true
		length += n
		return true
	}
	order := make([]int, len(p.units))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool { return scores[order[x]] > scores[order[y]] })
	if best == 0 {
		for i := range p.units {
			if !add(i) {
				break
			}
		}
	} else {
		add(bestI)
		if u := p.units[bestI]; u.bullet {
			for j := bestI - 1; j >= 0; j-- {
				if !p.units[j].bullet {
					if p.units[j].intro {
						add(j)
					}
					break
				}
			}
		}
		for _, i := range order {
			if scores[i] >= 0.6*best {
				add(i)
			}
		}
	}
	var b strings.Builder
	prev := -1
	for i, u := range p.units {
		if !keep[i] {
			continue
		}
		if prev >= 0 {
			if u.bullet || p.units[prev].bullet || p.units[prev].intro || u.para != p.units[prev].para {
				b.WriteString("\n")
			} else {
				b.WriteString(" ")
			}
		}
		b.WriteString(u.text)
		prev = i
	}
	out := b.String()
	if r := []rune(out); len(r) > max+max/4 {
		out = cutWords(string(r[:max])) + "…"
	}
	return out
}

func cutWords(s string) string {
	if i := strings.LastIndexAny(s, " \n"); i > len(s)/2 {
		return strings.TrimRight(s[:i], " ,;:")
	}
	return s
}
