package policy

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// benchQuestions are the dev questions (or a fixed few when the dev set is
// absent), cycled through by the answer benchmarks.
func benchQuestions(tb testing.TB) []string {
	var qs []string
	if cases, err := ReadEvalFile(devSet); err == nil {
		for _, c := range cases {
			qs = append(qs, c.Question)
		}
	}
	if cases, err := ReadEvalFile(heldoutSet); err == nil {
		for _, c := range cases {
			qs = append(qs, c.Question)
		}
	}
	if len(qs) == 0 {
		qs = []string{"tham gia ngày hội khởi nghiệp được hỗ trợ bao nhiêu", "ocop 4 sao la gi", "thủ tục đăng ký kết hôn"}
	}
	return qs
}

// runLatency answers questions b.N times and reports p50 and p99, after
// the passages are analysed (as they are shortly after start-up).
func runLatency(b *testing.B, a *Answerer, qs []string) {
	ctx := context.Background()
	a.kb.snap.Load().warm()
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if _, err := a.Answer(ctx, Query{Text: qs[i%len(qs)]}); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds())
	}
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
}

// BenchmarkAnswer answers the evaluation questions on the real knowledge
// base (retrieval mode). Bars: p50 ≤ 1 ms, p99 ≤ 5 ms.
func BenchmarkAnswer(b *testing.B) {
	runLatency(b, New(mustKB(b), Options{}), benchQuestions(b))
}

// firstWords returns up to n words of s (list items may be shorter).
func firstWords(s string, n int) []string {
	w := strings.Fields(s)
	return w[:min(n, len(w))]
}

// syntheticDocs builds n passages (10 per document) by recombining the
// sentences of the real knowledge base with random numbers, so the
// vocabulary and passage lengths are realistic.
func syntheticDocs(tb testing.TB, n int) []*Doc {
	var units []string
	for _, d := range mustKB(tb).Docs() {
		for _, s := range d.Sections {
			for _, u := range splitUnits(s.Text) {
				units = append(units, u.text)
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var docs []*Doc
	for i := 0; i*10 < n; i++ {
		d := &Doc{
			Name: fmt.Sprintf("syn%04d.md", i), Number: fmt.Sprintf("%d/20%02d/QĐ-UBND", 1000+i, rng.IntN(30)),
			Title: units[rng.IntN(len(units))], Status: StatusInfo, Locality: "Quảng Nam",
		}
		for j := 0; j < 10 && i*10+j < n; j++ {
			var text []string
			for range 2 + rng.IntN(4) {
				text = append(text, units[rng.IntN(len(units))])
			}
			d.Sections = append(d.Sections, Section{
				Heading: fmt.Sprintf("Mục %d: %s", j+1, strings.Join(firstWords(units[rng.IntN(len(units))], 3), " ")),
				Text:    strings.Join(text, " ") + fmt.Sprintf(" Mức %d triệu đồng.", rng.IntN(500)),
			})
		}
		docs = append(docs, d)
	}
	return docs
}

// BenchmarkAnswerSynthetic2000 answers on a 2,000-passage knowledge base.
func BenchmarkAnswerSynthetic2000(b *testing.B) {
	kb, err := NewKB(syntheticDocs(b, 2000))
	if err != nil {
		b.Fatal(err)
	}
	runLatency(b, New(kb, Options{}), benchQuestions(b))
}

// BenchmarkIndexBuild builds the snapshot (passage analysis and BM25
// index) of the real and of the synthetic knowledge base, and reports the
// heap the index holds. Bar: ≤ 300 ms for 2,000 passages.
func BenchmarkIndexBuild(b *testing.B) {
	for _, bc := range []struct {
		name string
		docs []*Doc
	}{
		{"real", mustKB(b).Docs()},
		{"synthetic2000", syntheticDocs(b, 2000)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			keep := buildSnapshot(bc.docs)
			runtime.GC()
			runtime.ReadMemStats(&after)
			built := float64(after.HeapAlloc-before.HeapAlloc) / (1 << 20)
			keep.warm()
			runtime.GC()
			runtime.ReadMemStats(&after)
			warmed := float64(after.HeapAlloc-before.HeapAlloc) / (1 << 20)
			for b.Loop() {
				keep = buildSnapshot(bc.docs)
			}
			runtime.KeepAlive(keep)
			b.ReportMetric(built, "index-MiB")
			b.ReportMetric(warmed, "warmed-MiB")
			b.ReportMetric(float64(len(keep.passages)), "passages")
		})
	}
}
