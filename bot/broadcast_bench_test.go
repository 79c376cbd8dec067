package bot_test

import (
	"context"
	"runtime"
	"sort"
	"sync"
	"testing"
	"time"

	. "github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// sampler records the peak heap in use and goroutine count while a job
// runs.
type sampler struct {
	stop           chan struct{}
	wg             sync.WaitGroup
	peakHeap       uint64
	peakGoroutines int
	baseGoroutines int
	heapBefore     uint64
	heapAfter      uint64
	samples        int
}

func startSampler() *sampler {
	s := &sampler{stop: make(chan struct{})}
	s.heapBefore = heapInUse(true)
	s.baseGoroutines = runtime.NumGoroutine()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-t.C:
				s.samples++
				s.peakHeap = max(s.peakHeap, heapInUse(false))
				s.peakGoroutines = max(s.peakGoroutines, runtime.NumGoroutine())
			}
		}
	}()
	return s
}

func (s *sampler) finish() {
	close(s.stop)
	s.wg.Wait()
	s.heapAfter = heapInUse(true)
}

func heapInUse(gc bool) uint64 {
	if gc {
		runtime.GC()
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// BenchmarkBroadcast20k delivers one announcement to 20,000 users at
// 1,000 messages/s through the fake Bot API (recording off) with a durable
// store, and reports the achieved rate, heap and goroutines.
func BenchmarkBroadcast20k(b *testing.B) {
	const users, rate = 20000, 1000.0
	e := newJobEnv(b, Features{BroadcastRate: rate}, eAdmin.ID)
	e.noSync = false
	e.restart()
	e.addUsers(100, users, nil)
	e.srv.SetRecord(false)
	b.ResetTimer()
	for range b.N {
		j := e.newJob("Thông báo TechFest Quảng Nam 2026", store.Audience{})
		sent0 := e.srv.SentCount()
		s := startSampler()
		start := time.Now()
		e.b.RunJobs(context.Background())
		el := time.Since(start)
		s.finish()
		j = e.job(j.ID)
		if j.Sent != j.Total || j.Total < users { // the users, and the admin recorded at start
			b.Fatalf("job = %+v", j)
		}
		got := float64(e.srv.SentCount()-sent0) / el.Seconds()
		b.ReportMetric(got, "msgs/s")
		b.ReportMetric(100*got/rate, "%rate")
		b.ReportMetric(float64(s.heapBefore)/1e6, "heapMB-before")
		b.ReportMetric(float64(s.peakHeap)/1e6, "heapMB-peak")
		b.ReportMetric(float64(s.heapAfter)/1e6, "heapMB-after")
		b.ReportMetric(float64(s.baseGoroutines), "goroutines-idle")
		b.ReportMetric(float64(s.peakGoroutines), "goroutines-peak")
	}
}

// BenchmarkBroadcastPacing25 sends 150 messages at the default 25/s and
// reports how far the achieved rate and the gaps between sends are from
// the configured pace.
func BenchmarkBroadcastPacing25(b *testing.B) {
	const users, rate = 150, 25.0
	e := newJobEnv(b, Features{BroadcastRate: rate}, eAdmin.ID)
	e.addUsers(100, users, nil)
	for range b.N {
		e.srv.ClearCalls()
		j := e.newJob("Lớp tập huấn OCOP", store.Audience{})
		e.b.RunJobs(context.Background())
		if j = e.job(j.ID); j.Sent != j.Total || j.Total < users {
			b.Fatalf("job = %+v", j)
		}
		var at []time.Time
		for _, c := range e.srv.CallsTo("sendMessage") {
			if c.Status == 200 && c.Params["chat_id"] != "1" {
				at = append(at, c.At)
			}
		}
		el := at[len(at)-1].Sub(at[0]).Seconds()
		got := float64(len(at)-1) / el
		gaps := make([]float64, 0, len(at)-1)
		for i := 1; i < len(at); i++ {
			gaps = append(gaps, at[i].Sub(at[i-1]).Seconds()*1000)
		}
		sort.Float64s(gaps)
		b.ReportMetric(got, "msgs/s")
		b.ReportMetric(100*(got-rate)/rate, "%rate-error")
		b.ReportMetric(gaps[len(gaps)/2], "gap-p50-ms")
		b.ReportMetric(gaps[len(gaps)*99/100], "gap-p99-ms")
		b.ReportMetric(gaps[0], "gap-min-ms")
	}
}
