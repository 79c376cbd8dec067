package telegramtest_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
)

// BenchmarkSendMessage posts sendMessage forms from parallel clients, as a
// bot sending a broadcast would, and reports messages per second.
func BenchmarkSendMessage(b *testing.B) {
	for _, record := range []bool{true, false} {
		name := "Record"
		if !record {
			name = "NoRecord"
		}
		b.Run(name, func(b *testing.B) {
			s := telegramtest.Start(b)
			s.SetRecord(record)
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			defer client.CloseIdleConnections()
			endpoint := s.URL() + "/bot" + s.Token() + "/sendMessage"
			var next atomic.Int64
			markup := `{"inline_keyboard":[[{"text":"Ý tưởng","callback_data":"idea:new"},{"text":"Hỏi","callback_data":"ask:open"}]]}`

			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					n := next.Add(1)
					form := url.Values{
						"chat_id":      {itoa(int(1000 + n%500))},
						"text":         {"Xin chào <b>bạn</b>, tin số " + itoa(int(n))},
						"parse_mode":   {"HTML"},
						"reply_markup": {markup},
					}
					resp, err := client.Post(endpoint, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						b.Errorf("status %d", resp.StatusCode)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
			if got := s.SentCount(); got != b.N {
				b.Fatalf("SentCount = %d, want %d", got, b.N)
			}
		})
	}
}

// BenchmarkUpdates queues updates and drains them with getUpdates in
// batches of 100, as the bot's poll loop does.
func BenchmarkUpdates(b *testing.B) {
	s, bot := MustBot(b)
	s.SetRecord(false)
	u := telegramtest.User{ID: 1, FirstName: "A"}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	offset := 0
	for i := 0; i < b.N; i += 100 {
		n, last := min(100, b.N-i), 0
		for j := 0; j < n; j++ {
			last = s.SendText(u, "hello")
		}
		raws, err := PollRaw(bot, offset, 100, 0)
		if err != nil || len(raws) != n {
			b.Fatalf("got %d updates, want %d: %v", len(raws), n, err)
		}
		offset = last + 1
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "updates/s")
}
