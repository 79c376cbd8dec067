package search

// Typo correction of query tokens against the index vocabulary.

// maxCorrections bounds the vocabulary scans of one query.
const maxCorrections = 12

// correct replaces out-of-vocabulary query units with indexed words; the
// caller holds the read lock.
func (ix *Index) correct(clauses [][]unit) {
	tries := 0
	for _, c := range clauses {
		for i := range c {
			u := &c[i]
			if !u.raw || len(u.s) < 3 || !isASCIIWord(u.s) || ix.df(u.s) > 0 || tries >= maxCorrections {
				continue
			}
			syl := Syllable(u.s)
			maxd := 1
			switch {
			case ix.opt.English && len(u.s) < 5:
				continue
			case ix.opt.English:
				syl = false // English words are not judged as syllables
				if len(u.s) >= 8 {
					maxd = 2
				}
			case len(u.s) >= 5 && !syl:
				maxd = 2
			}
			tries++
			left, right := "", ""
			if i > 0 {
				left = c[i-1].s
			}
			if i+1 < len(c) {
				right = c[i+1].s
			}
			if w, ok := ix.bestCandidate(u.s, maxd, left, right, syl); ok {
				u.s = w
				u.raw = false
			}
		}
	}
}

func (ix *Index) df(s string) uint32 {
	if id, ok := ix.terms[s]; ok {
		return ix.lists[id].df
	}
	return 0
}

// bestCandidate returns the indexed word closest to s: first one forming an
// indexed bigram with a neighbour, then the smaller distance, then the more
// frequent word, then the alphabetically first. needBigram demands the
// bigram.
func (ix *Index) bestCandidate(s string, maxd int, left, right string, needBigram bool) (string, bool) {
	type cand struct {
		w      string
		bigram bool
		dist   int
		df     uint32
	}
	var best cand
	found := false
	hasBigram := func(a, b string) bool {
		id, ok := ix.bigram(a, b)
		return ok && ix.lists[id].df > 0
	}
	for _, id := range ix.words {
		df := ix.lists[id].df
		if df == 0 {
			continue
		}
		w := ix.termStr[id]
		if d := len(w) - len(s); d > maxd || -d > maxd || len(w) < 2 {
			continue
		}
		dist := editDistance(s, w, maxd)
		if dist > maxd {
			continue
		}
		c := cand{w: w, dist: dist, df: df}
		c.bigram = hasBigram(left, w) || hasBigram(w, right)
		if needBigram && !c.bigram {
			continue
		}
		if !found || candLess(c.bigram, c.dist, c.df, c.w, best.bigram, best.dist, best.df, best.w) {
			best, found = c, true
		}
	}
	return best.w, found
}

func candLess(b1 bool, d1 int, f1 uint32, w1 string, b2 bool, d2 int, f2 uint32, w2 string) bool {
	if b1 != b2 {
		return b1
	}
	if d1 != d2 {
		return d1 < d2
	}
	if f1 != f2 {
		return f1 > f2
	}
	return w1 < w2
}

// editDistance is the optimal-string-alignment distance between ASCII
// strings a and b (an adjacent transposition counts as one edit), or
// limit+1 when it exceeds limit.
func editDistance(a, b string, limit int) int {
	if len(a) > 32 || len(b) > 32 {
		return limit + 1
	}
	var rows [3][34]int
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], limit+1)
}
