package search

import (
	"encoding/binary"
	"slices"
	"strings"
	"sync"
)

// Options are the ranking parameters of an Index. Start from DefaultOptions
// and change fields; NewIndexWith uses them as given.
type Options struct {
	K1          float64 // term-frequency saturation
	TitleWeight float64 // weight of a title occurrence relative to the body
	TitleB      float64 // length normalisation of the title field (0..1)
	BodyWeight  float64
	BodyB       float64 // length normalisation of the body field (0..1)

	BigramWeight float64 // query weight of a bigram term ("ho_tro")
	AltWeight    float64 // query weight of an original kept beside its expansion
	// ToneWeight is the query weight of accent-aware keys (the syllable with
	// its quality marks and a tone digit: "hòa" and "hoà" both give "hoa2").
	// They are indexed only when ToneWeight > 0 and used only for accented
	// queries; they never count towards Coverage.
	ToneWeight float64
	// CoverBigrams makes bigrams count towards Coverage, with their query
	// weight.
	CoverBigrams bool
	// English analyses documents and queries as English (AnalyzeEnglish):
	// stop words dropped, light suffix folding, no Vietnamese expansion or
	// repair and no tone keys. Typo correction needs five letters or more.
	English bool
}

// DefaultOptions returns the parameters measured to work on the policy
// knowledge base.
func DefaultOptions() Options {
	return Options{
		K1:           1.2,
		TitleWeight:  2,
		TitleB:       0.5,
		BodyWeight:   1,
		BodyB:        0.75,
		BigramWeight: 1,
		AltWeight:    0.5,
		ToneWeight:   0.3,
	}
}

// Index is a BM25F index over two fields, title and body. All methods are
// safe for concurrent use: Search takes a read lock, Add and Remove a write
// lock.
type Index struct {
	mu  sync.RWMutex
	opt Options

	// Terms. A term id indexes lists and termStr. Unigrams, alternatives and
	// tone keys are found by their text in terms; a bigram by the ids of its
	// two unigrams in pairs (its termStr is empty), which saves the memory
	// and the hashing of bigram strings.
	terms   map[string]uint32
	pairs   map[uint64]uint32
	termStr []string
	lists   []plist
	words   []uint32 // ids of letter-only terms: the typo-correction vocabulary

	// Documents, by internal index (insertion order; renumbered by compact).
	ids    []uint64
	lenT   []uint32 // title length in units
	lenB   []uint32 // body length in units
	alive  []bool
	dterms [][]byte // sorted term ids of the document, delta-varint coded
	byID   map[uint64]uint32

	live, dead int
	sumT, sumB uint64 // over live documents

	pool    sync.Pool // *accum
	scratch sync.Pool // *addScratch
}

// addScratch holds the buffers of one Add.
type addScratch struct {
	title, body analyzer
	occs        []uint32
}

func (ix *Index) getScratch() *addScratch {
	if sc, ok := ix.scratch.Get().(*addScratch); ok {
		return sc
	}
	return &addScratch{}
}

// plist is the posting list of one term: entries (document delta, frequencies)
// varint-coded in increasing document order. Entries of removed documents
// stay until the next compaction; df counts live documents only.
type plist struct {
	data []byte
	last uint32 // document of the last entry
	n    uint32 // entries, including those of removed documents
	df   uint32 // live documents containing the term
}

// NewIndex returns an empty index with DefaultOptions.
func NewIndex() *Index { return NewIndexWith(DefaultOptions()) }

// NewIndexWith returns an empty index with the given ranking parameters.
func NewIndexWith(opt Options) *Index {
	return &Index{
		opt:   opt,
		terms: make(map[string]uint32),
		pairs: make(map[uint64]uint32),
		byID:  make(map[uint64]uint32),
	}
}

// Len returns the number of documents in the index.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.live
}

// field is the analysed form of one field.
type field struct {
	text  string
	units [][]unit
	n     uint32 // length in units
}

func analyzeField(a *analyzer, text string, english bool) field {
	f := field{text: text}
	if english {
		f.units = a.analyzeEnglish(text)
	} else {
		f.units = a.analyze(text)
	}
	for _, c := range f.units {
		f.n += uint32(len(c))
	}
	return f
}

// An occurrence of a term in a field is coded as term id << 1 | 1 for the
// title, so that sorting groups them by term.

// Add indexes a document under id, replacing any document with the same id.
// The text is analysed before the write lock is taken.
func (ix *Index) Add(id uint64, title, body string) {
	sc := ix.getScratch()
	defer ix.scratch.Put(sc)
	t := analyzeField(&sc.title, title, ix.opt.English)
	b := analyzeField(&sc.body, body, ix.opt.English)

	ix.mu.Lock()
	defer ix.mu.Unlock()
	if old, ok := ix.byID[id]; ok {
		ix.removeLocked(old)
	}
	doc := uint32(len(ix.ids))

	occs := ix.appendOccs(sc.occs[:0], t, 1)
	occs = ix.appendOccs(occs, b, 0)
	sc.occs = occs
	slices.Sort(occs)

	var dt []byte
	prevTerm := uint32(0)
	for i := 0; i < len(occs); {
		j := i
		var tfT, tfB uint32
		tid := occs[i] >> 1
		for ; j < len(occs) && occs[j]>>1 == tid; j++ {
			if occs[j]&1 != 0 {
				tfT++
			} else {
				tfB++
			}
		}
		ix.lists[tid].add(doc, tfT, tfB)
		dt = binary.AppendUvarint(dt, uint64(tid-prevTerm))
		prevTerm = tid
		i = j
	}

	ix.ids = append(ix.ids, id)
	ix.lenT = append(ix.lenT, t.n)
	ix.lenB = append(ix.lenB, b.n)
	ix.alive = append(ix.alive, true)
	ix.dterms = append(ix.dterms, slices.Clip(dt))
	ix.byID[id] = doc
	ix.live++
	ix.sumT += uint64(t.n)
	ix.sumB += uint64(b.n)
}

// appendOccs appends the term ids of a field: units, alternatives, bigrams
// and tone keys.
func (ix *Index) appendOccs(occs []uint32, f field, title uint32) []uint32 {
	for _, c := range f.units {
		prev := uint32(0)
		for i, u := range c {
			id := ix.termID(u.s, termUni)
			occs = append(occs, id<<1|title)
			if u.alt != "" {
				occs = append(occs, ix.termID(u.alt, termAlt)<<1|title)
			}
			if i > 0 {
				occs = append(occs, ix.pairID(prev, id)<<1|title)
			}
			prev = id
		}
	}
	if ix.opt.ToneWeight > 0 && !ix.opt.English {
		var buf [2 * maxTokenBytes]byte
		eachToneKey(f.text, buf[:0], func(k []byte) {
			occs = append(occs, ix.termIDBytes(k)<<1|title)
		})
	}
	return occs
}

func pairKey(a, b uint32) uint64 { return uint64(a)<<32 | uint64(b) }

// termID returns the id of a term, creating it if needed.
func (ix *Index) termID(s string, kind termKind) uint32 {
	if id, ok := ix.terms[s]; ok {
		return id
	}
	return ix.newTerm(s, kind)
}

// termIDBytes is termID for a tone key held in a buffer.
func (ix *Index) termIDBytes(b []byte) uint32 {
	if id, ok := ix.terms[string(b)]; ok {
		return id
	}
	return ix.newTerm(string(b), termTone)
}

// pairID returns the id of the bigram of two unigram ids, creating it if
// needed.
func (ix *Index) pairID(a, b uint32) uint32 {
	k := pairKey(a, b)
	if id, ok := ix.pairs[k]; ok {
		return id
	}
	id := ix.newTerm("", termBi)
	ix.pairs[k] = id
	return id
}

// bigram returns the id of the bigram "a_b", if indexed.
func (ix *Index) bigram(a, b string) (uint32, bool) {
	ia, ok := ix.terms[a]
	if !ok {
		return 0, false
	}
	ib, ok := ix.terms[b]
	if !ok {
		return 0, false
	}
	id, ok := ix.pairs[pairKey(ia, ib)]
	return id, ok
}

func (ix *Index) newTerm(s string, kind termKind) uint32 {
	id := uint32(len(ix.termStr))
	if kind != termBi {
		ix.terms[s] = id
	}
	ix.termStr = append(ix.termStr, s)
	ix.lists = append(ix.lists, plist{})
	if (kind == termUni || kind == termAlt) && isASCIIWord(s) {
		ix.words = append(ix.words, id)
	}
	return id
}

func (p *plist) add(doc, tfT, tfB uint32) {
	delta := doc
	if p.n > 0 {
		delta = doc - p.last
	}
	p.data = binary.AppendUvarint(p.data, uint64(delta))
	if tfT > 0 {
		p.data = binary.AppendUvarint(p.data, uint64(tfB)<<1|1)
		p.data = binary.AppendUvarint(p.data, uint64(tfT))
	} else {
		p.data = binary.AppendUvarint(p.data, uint64(tfB)<<1)
	}
	p.last = doc
	p.n++
	p.df++
}

// each calls fn for every entry of the list, in document order.
func (p *plist) each(fn func(doc, tfT, tfB uint32)) {
	data := p.data
	doc := uint32(0)
	for k := uint32(0); k < p.n; k++ {
		d, n := binary.Uvarint(data)
		data = data[n:]
		if k == 0 {
			doc = uint32(d)
		} else {
			doc += uint32(d)
		}
		f, n := binary.Uvarint(data)
		data = data[n:]
		tfT := uint32(0)
		if f&1 != 0 {
			t, n := binary.Uvarint(data)
			data = data[n:]
			tfT = uint32(t)
		}
		fn(doc, tfT, uint32(f>>1))
	}
}

// Remove deletes the document with the given id, if present.
func (ix *Index) Remove(id uint64) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if doc, ok := ix.byID[id]; ok {
		ix.removeLocked(doc)
	}
}

func (ix *Index) removeLocked(doc uint32) {
	delete(ix.byID, ix.ids[doc])
	ix.alive[doc] = false
	eachTerm(ix.dterms[doc], func(tid uint32) { ix.lists[tid].df-- })
	ix.dterms[doc] = nil
	ix.live--
	ix.dead++
	ix.sumT -= uint64(ix.lenT[doc])
	ix.sumB -= uint64(ix.lenB[doc])
	if ix.dead >= 32 && ix.dead*4 >= len(ix.ids) {
		ix.compact()
	}
}

func eachTerm(dt []byte, fn func(uint32)) {
	tid := uint32(0)
	for len(dt) > 0 {
		d, n := binary.Uvarint(dt)
		dt = dt[n:]
		tid += uint32(d)
		fn(tid)
	}
}

// compact drops removed documents from every posting list, renumbers the
// documents and drops terms no document uses any more.
func (ix *Index) compact() {
	newDoc := make([]uint32, len(ix.ids))
	n := uint32(0)
	for d, ok := range ix.alive {
		if ok {
			newDoc[d] = n
			n++
		} else {
			newDoc[d] = ^uint32(0)
		}
	}
	// Terms, keeping their relative order so document term lists stay sorted.
	newTerm := make([]uint32, len(ix.termStr))
	isBigram := make([]bool, len(ix.termStr))
	for _, id := range ix.pairs {
		isBigram[id] = true
	}
	terms := make(map[string]uint32, len(ix.terms))
	var termStr []string
	var lists []plist
	var words []uint32
	isWord := make([]bool, len(ix.termStr))
	for _, w := range ix.words {
		isWord[w] = true
	}
	for tid, p := range ix.lists {
		if p.df == 0 {
			newTerm[tid] = ^uint32(0)
			continue
		}
		id := uint32(len(termStr))
		newTerm[tid] = id
		s := ix.termStr[tid]
		if !isBigram[tid] {
			terms[s] = id
		}
		termStr = append(termStr, s)
		if isWord[tid] {
			words = append(words, id)
		}
		var np plist
		p.each(func(doc, tfT, tfB uint32) {
			if nd := newDoc[doc]; nd != ^uint32(0) {
				np.add(nd, tfT, tfB)
			}
		})
		np.data = slices.Clip(np.data)
		lists = append(lists, np)
	}
	ids := make([]uint64, 0, n)
	lenT := make([]uint32, 0, n)
	lenB := make([]uint32, 0, n)
	alive := make([]bool, 0, n)
	dterms := make([][]byte, 0, n)
	for d, ok := range ix.alive {
		if !ok {
			continue
		}
		var dt []byte
		prev := uint32(0)
		eachTerm(ix.dterms[d], func(tid uint32) {
			nt := newTerm[tid]
			dt = binary.AppendUvarint(dt, uint64(nt-prev))
			prev = nt
		})
		ids = append(ids, ix.ids[d])
		lenT = append(lenT, ix.lenT[d])
		lenB = append(lenB, ix.lenB[d])
		alive = append(alive, true)
		dterms = append(dterms, slices.Clip(dt))
	}
	for i, id := range ids {
		ix.byID[id] = uint32(i)
	}
	pairs := make(map[uint64]uint32, len(ix.pairs))
	for k, id := range ix.pairs {
		// A bigram in a live document implies its unigrams are live too.
		if nid := newTerm[id]; nid != ^uint32(0) {
			pairs[pairKey(newTerm[k>>32], newTerm[uint32(k)])] = nid
		}
	}
	ix.pairs = pairs
	ix.terms, ix.termStr, ix.lists, ix.words = terms, termStr, lists, words
	ix.ids, ix.lenT, ix.lenB, ix.alive, ix.dterms = ids, lenT, lenB, alive, dterms
	ix.dead = 0
}

// DocFreq returns the number of live documents containing an analysed
// term, as given by Analyze or AnalyzeEnglish ("a_b" for a bigram).
func (ix *Index) DocFreq(term string) int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if a, b, ok := strings.Cut(term, "_"); ok && a != "" && b != "" {
		if id, ok := ix.bigram(a, b); ok {
			return int(ix.lists[id].df)
		}
		return 0
	}
	return int(ix.df(term))
}
