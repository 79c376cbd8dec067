package zalo

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/locales"
	"github.com/qnstartup/trolykhoinghiep/store"
	"github.com/qnstartup/trolykhoinghiep/zalo/zalotest"
)

// BenchmarkWebhook posts signed user_send_text events from 16 concurrent
// senders (1,000 users) to the real handler, each committed by the bot's
// inbox (bot.Accept: dedup key, user lookup or creation, fsynced bbolt
// commit) before the 200. The engine is not running: this is the
// acknowledgement path alone.
func BenchmarkWebhook(b *testing.B) {
	st, err := store.Open(filepath.Join(b.TempDir(), "bot.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	const appID, key = zalotest.DefaultAppID, zalotest.DefaultOAKey
	var bt *bot.Bot
	ch, err := New(Options{AppID: appID, AppSecret: "s", OASecretKey: key, Tokens: &memTokens{},
		Inbox: InboxFunc(func(ctx context.Context, ups []*bot.Update) error { return bt.Accept(ctx, ups) })})
	if err != nil {
		b.Fatal(err)
	}
	if bt, err = bot.New(bot.Options{Store: st, Channels: []bot.Channel{ch}, Locales: locales.MustLoad()}); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(ch.Webhook())
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

	bodies := make([][]byte, b.N)
	sigs := make([]string, b.N)
	for i := range bodies {
		ts := fmt.Sprint(1_700_000_000_000 + i)
		bodies[i] = fmt.Appendf(nil, `{"app_id":%q,"user_id_by_app":"55","event_name":"user_send_text","timestamp":%q,`+
			`"sender":{"id":"%d"},"recipient":{"id":"4318720096142563871"},"message":{"msg_id":"%032x","text":"Cho tôi hỏi về hỗ trợ khởi nghiệp"}}`,
			appID, ts, 8817264536271819283+uint64(i%1000), i)
		sigs[i] = zalotest.Mac(appID, bodies[i], ts, key)
	}
	var next atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	b.SetParallelism(8) // 16 senders on 2 cores
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			i := next.Add(1) - 1
			req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(bodies[i]))
			req.Header.Set("X-ZEvent-Signature", sigs[i])
			t0 := time.Now()
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			resp.Body.Close()
			mine = append(mine, time.Since(t0))
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	el := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	if len(lat) == 0 {
		return
	}
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))]) / float64(time.Millisecond) }
	b.ReportMetric(float64(b.N)/el.Seconds(), "events/s")
	b.ReportMetric(q(0.50), "p50_ms")
	b.ReportMetric(q(0.99), "p99_ms")
}
