package search

import (
	"container/heap"
	"math"
	"slices"
)

// Hit is one search result.
type Hit struct {
	ID    uint64
	Score float64
	// Coverage is the share (0..1) of the query's IDF weight that the
	// document matches: the sum of the IDF of the query's distinct unigrams
	// found in the document over the sum for all of them (a term unknown to
	// the index counts with the IDF of a term in no document). Bigrams,
	// alternatives and tone keys do not count.
	Coverage float64
}

// qterm is one distinct query term.
type qterm struct {
	s      string // the term ("a_b" for a bigram)
	id     uint32
	known  bool // id is valid: the term is indexed
	weight float64
	cover  bool // counts towards Coverage
	coverW float64
}

// Search returns at most k hits, best first (ties by ascending id). filter,
// if not nil, is called at most once per candidate document, before ranking,
// while the index is read-locked: it must not call Add or Remove. A query
// token that is not in the index vocabulary and cannot be a Vietnamese
// syllable is corrected to an indexed word at edit distance ≤1 (3–4 letters)
// or ≤2 (5 or more), preferring a candidate that forms an indexed bigram with
// a neighbour; a token that can be a syllable is corrected only at distance
// 1 and with such a bigram.
func (ix *Index) Search(query string, k int, filter func(id uint64) bool) []Hit {
	if k <= 0 {
		return nil
	}
	var a analyzer
	var units [][]unit
	if ix.opt.English {
		units = a.analyzeEnglish(query)
	} else {
		units = a.analyze(query)
	}
	units = limitUnits(units, maxQueryUnits)
	var tones []string
	if ix.opt.ToneWeight > 0 && !ix.opt.English && hasNonASCII(query) {
		tones = toneKeys(query)
		if len(tones) > maxQueryUnits {
			tones = tones[:maxQueryUnits]
		}
	}

	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.live == 0 || len(units) == 0 {
		return nil
	}
	ix.correct(units)
	qts := ix.queryTerms(units, tones)

	acc := ix.getAccum()
	defer ix.pool.Put(acc)

	n := float64(ix.live)
	avgT := float64(ix.sumT) / n
	avgB := float64(ix.sumB) / n
	o := ix.opt
	totalCover := 0.0
	for _, q := range qts {
		id, ok := q.id, q.known
		df := 0.0
		if ok {
			df = float64(ix.lists[id].df)
		}
		idf := math.Log(1 + (n-df+0.5)/(df+0.5))
		if q.cover {
			totalCover += idf * q.coverW
		}
		if df == 0 {
			continue
		}
		coverW := float32(0)
		if q.cover {
			coverW = float32(idf * q.coverW)
		}
		w := idf * q.weight * (o.K1 + 1)
		ix.lists[id].each(func(doc, tfT, tfB uint32) {
			if !acc.admit(ix, doc, filter) {
				return
			}
			tf := 0.0
			if tfT > 0 && avgT > 0 {
				tf += o.TitleWeight * float64(tfT) / (1 - o.TitleB + o.TitleB*float64(ix.lenT[doc])/avgT)
			}
			if tfB > 0 && avgB > 0 {
				tf += o.BodyWeight * float64(tfB) / (1 - o.BodyB + o.BodyB*float64(ix.lenB[doc])/avgB)
			}
			acc.score[doc] += w * tf / (o.K1 + tf)
			acc.cover[doc] += coverW
		})
	}
	return acc.top(ix, k, totalCover)
}

// queryTerms resolves the query's terms to ids and deduplicates them,
// keeping the highest weight.
func (ix *Index) queryTerms(units [][]unit, tones []string) []qterm {
	o := ix.opt
	out := make([]qterm, 0, 3*len(units)+len(tones))
	put := func(s string, id uint32, known bool, w float64, cover bool) {
		cw := 0.0
		if cover {
			cw = w
		}
		for i := range out {
			if out[i].s == s {
				out[i].weight = max(out[i].weight, w)
				out[i].cover = out[i].cover || cover
				out[i].coverW = max(out[i].coverW, cw)
				return
			}
		}
		out = append(out, qterm{s, id, known, w, cover, cw})
	}
	word := func(s string, w float64, cover bool) {
		id, ok := ix.terms[s]
		put(s, id, ok, w, cover)
	}
	for _, c := range units {
		for i, u := range c {
			word(u.s, 1, true)
			if u.alt != "" && o.AltWeight > 0 {
				word(u.alt, o.AltWeight, false)
			}
			if i > 0 && o.BigramWeight > 0 {
				id, ok := ix.bigram(c[i-1].s, u.s)
				put(c[i-1].s+"_"+u.s, id, ok, o.BigramWeight, o.CoverBigrams)
			}
		}
	}
	for _, s := range tones {
		word(s, o.ToneWeight, false)
	}
	return out
}

// accum holds the per-document state of one search.
type accum struct {
	score   []float64
	cover   []float32
	state   []uint8 // 0 unseen, 1 admitted, 2 rejected
	touched []uint32
}

func (ix *Index) getAccum() *accum {
	a, _ := ix.pool.Get().(*accum)
	if a == nil {
		a = &accum{}
	}
	if n := len(ix.ids); len(a.state) < n {
		a.score = make([]float64, n)
		a.cover = make([]float32, n)
		a.state = make([]uint8, n)
	}
	return a
}

func (a *accum) admit(ix *Index, doc uint32, filter func(uint64) bool) bool {
	switch a.state[doc] {
	case 1:
		return true
	case 2:
		return false
	}
	ok := ix.alive[doc] && (filter == nil || filter(ix.ids[doc]))
	a.state[doc] = 2
	if ok {
		a.state[doc] = 1
	}
	a.touched = append(a.touched, doc)
	return ok
}

// top selects the k best admitted documents and resets the accumulator.
func (a *accum) top(ix *Index, k int, totalCover float64) []Hit {
	h := make(hitHeap, 0, k)
	for _, doc := range a.touched {
		if a.state[doc] == 1 && a.score[doc] > 0 {
			hit := Hit{ID: ix.ids[doc], Score: a.score[doc]}
			if totalCover > 0 {
				hit.Coverage = min(1, float64(a.cover[doc])/totalCover)
			}
			if len(h) < k {
				heap.Push(&h, hit)
			} else if better(hit, h[0]) {
				h[0] = hit
				heap.Fix(&h, 0)
			}
		}
		a.score[doc], a.cover[doc], a.state[doc] = 0, 0, 0
	}
	a.touched = a.touched[:0]
	out := []Hit(h)
	slices.SortFunc(out, func(x, y Hit) int {
		if better(x, y) {
			return -1
		}
		if better(y, x) {
			return 1
		}
		return 0
	})
	if len(out) == 0 {
		return nil
	}
	return out
}

func better(x, y Hit) bool {
	if x.Score != y.Score {
		return x.Score > y.Score
	}
	return x.ID < y.ID
}

// hitHeap is a min-heap: the worst kept hit on top.
type hitHeap []Hit

func (h hitHeap) Len() int           { return len(h) }
func (h hitHeap) Less(i, j int) bool { return better(h[j], h[i]) }
func (h hitHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *hitHeap) Push(x any)        { *h = append(*h, x.(Hit)) }
func (h *hitHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// maxQueryUnits bounds the work of one query: a pasted page is cut to its
// first 128 syllables, words and numbers.
const maxQueryUnits = 128

func limitUnits(clauses [][]unit, n int) [][]unit {
	for i, c := range clauses {
		if len(c) >= n {
			return append(clauses[:i:i], c[:n])
		}
		n -= len(c)
	}
	return clauses
}

func hasNonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
	}
	return false
}
