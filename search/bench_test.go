package search

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"
)

// reportLatency reports the median and 99th percentile of per-query times.
func reportLatency(b *testing.B, d []time.Duration) {
	slices.Sort(d)
	pct := func(p float64) float64 {
		i := int(p * float64(len(d)-1))
		return float64(d[i].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

var ideaBank struct {
	once    sync.Once
	ix      *Index
	heapMB  float64
	queries []string
}

// ideaIndex builds, once per process, an index of 100,000 synthetic ideas
// (a title and a description of about 30–90 syllables each).
func ideaIndex() (*Index, []string, float64) {
	ideaBank.once.Do(func() {
		rng := rand.New(rand.NewPCG(100, 1000))
		var before runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		ix := NewIndex()
		for i := range 100_000 {
			ix.Add(uint64(i+1), synthTitle(rng), synthBody(rng, 30))
		}
		var after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&after)
		ideaBank.ix = ix
		ideaBank.heapMB = float64(after.HeapAlloc-before.HeapAlloc) / (1 << 20)
		for range 500 {
			ideaBank.queries = append(ideaBank.queries, synthQuery(rng, 1+rng.IntN(4)))
		}
	})
	return ideaBank.ix, ideaBank.queries, ideaBank.heapMB
}

// BenchmarkSearch100k: idea-bank search over 100,000 ideas, top 20, with a
// facet filter on half of them. Bar: p99 ≤ 50 ms.
func BenchmarkSearch100k(b *testing.B) {
	ix, queries, heapMB := ideaIndex()
	filter := func(id uint64) bool { return id%2 == 0 }
	d := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		ix.Search(queries[i%len(queries)], 20, filter)
		d = append(d, time.Since(start))
	}
	b.StopTimer()
	reportLatency(b, d)
	b.ReportMetric(heapMB, "index-MB")
}

var passages struct {
	once    sync.Once
	docs    []doc
	ix      *Index
	queries []string
}

// policyCorpus returns 2,000 synthetic passages (titles of 4–10 syllables,
// bodies of about 100–300 syllables) and question-like queries.
func policyCorpus() ([]doc, *Index, []string) {
	passages.once.Do(func() {
		rng := rand.New(rand.NewPCG(2000, 1))
		for i := range 2000 {
			passages.docs = append(passages.docs, doc{uint64(i + 1), synthTitle(rng), synthBody(rng, 100)})
		}
		passages.ix = NewIndex()
		for _, d := range passages.docs {
			passages.ix.Add(d.id, d.title, d.body)
		}
		for range 500 {
			passages.queries = append(passages.queries, synthQuery(rng, 3+rng.IntN(5)))
		}
	})
	return passages.docs, passages.ix, passages.queries
}

// BenchmarkSearch2000: policy answers over 2,000 passages, top 5.
// Bars: p50 ≤ 1 ms, p99 ≤ 5 ms.
func BenchmarkSearch2000(b *testing.B) {
	_, ix, queries := policyCorpus()
	d := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		ix.Search(queries[i%len(queries)], 5, nil)
		d = append(d, time.Since(start))
	}
	b.StopTimer()
	reportLatency(b, d)
}

// BenchmarkBuild2000: indexing 2,000 passages. Bar: ≤ 300 ms.
func BenchmarkBuild2000(b *testing.B) {
	docs, _, _ := policyCorpus()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ix := NewIndex()
		for _, d := range docs {
			ix.Add(d.id, d.title, d.body)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/build")
}

var foldSentence = "Theo Nghị quyết 09/2020/NQ-HĐND, mức hỗ trợ tối đa cho mỗi đơn vị tham gia ngày hội khởi nghiệp sáng tạo trên địa bàn tỉnh Quảng Nam là bao nhiêu?"

func BenchmarkFold(b *testing.B) {
	b.SetBytes(int64(len(foldSentence)))
	for b.Loop() {
		Fold(foldSentence)
	}
}

func BenchmarkAnalyze(b *testing.B) {
	b.SetBytes(int64(len(foldSentence)))
	for b.Loop() {
		Analyze(foldSentence)
	}
}

// ExampleIndex_Search shows the intended use.
func ExampleIndex_Search() {
	ix := NewIndex()
	ix.Add(1, "Đề án 1665", "Hỗ trợ học sinh, sinh viên khởi nghiệp đến năm 2025.")
	ix.Add(2, "Đề án 939", "Hỗ trợ phụ nữ khởi nghiệp giai đoạn 2017–2025.")
	for _, h := range ix.Search("sinh vien khoiwr nghieepj", 5, nil) {
		fmt.Printf("%d %.2f\n", h.ID, h.Coverage)
	}
	// Output:
	// 1 1.00
	// 2 0.21
}
