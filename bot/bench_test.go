package bot_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	. "github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/locales"
	"github.com/qnstartup/trolykhoinghiep/policy"
	"github.com/qnstartup/trolykhoinghiep/store"
	"github.com/qnstartup/trolykhoinghiep/telegram"
	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
)

// latencies collects durations for percentiles.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

func (l *latencies) pct(p float64) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.d) == 0 {
		return 0
	}
	sort.Slice(l.d, func(i, j int) bool { return l.d[i] < l.d[j] })
	return l.d[int(float64(len(l.d)-1)*p)]
}

// BenchmarkUpdates measures updates end to end: the fake Bot API serves
// them over loopback HTTP, the real tgbotapi client fetches them, and each
// one reads the chat's conversation state, durably commits the new draft
// (fsync) with its handled mark and reply, and sends the reply. 1,000 chats,
// each in the middle of a flow. fetched/update is how many update objects
// getUpdates returned per update (1: each fetched once).
func BenchmarkUpdates(b *testing.B) { benchUpdates(b, 0) }

// BenchmarkUpdatesAt2000 offers updates at the bar's rate, 2,000 a second,
// and reports the handling latency at that load.
func BenchmarkUpdatesAt2000(b *testing.B) { benchUpdates(b, 2000) }

// BenchmarkUpdatesAt200 offers a tenth of that: no update waits for
// another, so its latency is the floor (one commit and the reply's HTTP
// call).
func BenchmarkUpdatesAt200(b *testing.B) { benchUpdates(b, 200) }

func benchUpdates(b *testing.B, rate int) {
	var lat latencies
	h := newHarness(b, func(o *Options) { o.SetOnHandled(lat.add) })
	h.srv.SetRecord(false)
	const chats = 1000
	users := make([]telegramtest.User, chats)
	err := h.st.Update(func(tx *store.Tx) error {
		for i := range users {
			users[i] = telegramtest.User{ID: int64(10_000 + i), FirstName: "U" + strconv.Itoa(i), LanguageCode: "vi"}
			if err := tx.PutState(&store.State{ChatID: users[i].ID, Flow: "settings_loc", Step: "query", Updated: time.Now().Add(time.Hour)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	queries := []string{"dai loc", "tam ky", "hoi an", "Điện Bàn", "nui thanh"}
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if rate > 0 {
			// Pace: the i-th update is due at start + i/rate.
			if d := time.Until(start.Add(time.Duration(i) * time.Second / time.Duration(rate))); d > 0 {
				time.Sleep(d)
			}
		}
		// Chats are in the flood guard's burst; spread the load so no user
		// exceeds it.
		h.srv.SendText(users[i%chats], queries[i%len(queries)])
	}
	if !h.srv.WaitUpdatesConsumed(5*time.Minute) || !h.b.WaitIdle(5*time.Minute) {
		b.Fatal("not handled")
	}
	elapsed := time.Since(start)
	b.StopTimer()
	if got := h.srv.SentCount(); got < b.N {
		b.Fatalf("sent %d replies for %d updates", got, b.N)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "updates/s")
	b.ReportMetric(float64(h.srv.UpdatesFetched())/float64(b.N), "fetched/update")
	b.ReportMetric(float64(lat.pct(0.5).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat.pct(0.99).Microseconds())/1000, "p99-ms")
}

// BenchmarkStartup100kUsers measures the time from opening a database of
// 100,000 users and 10,000 published ideas to the first getUpdates (policy
// knowledge base loaded, as in production), and the process's resident
// memory once polling with the idea-bank search index built.
func BenchmarkStartup100kUsers(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "bot.db")
	st, err := store.Open(path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for chunk := 0; chunk < 100; chunk++ {
		err := st.Update(func(tx *store.Tx) error {
			for i := 0; i < 1000; i++ {
				id := int64(chunk*1000 + i + 1)
				u := &store.User{ID: id, FirstName: "Người dùng", LastName: strconv.Itoa(int(id)), Lang: "vi", Kind: Kinds[i%len(Kinds)], Interests: []string{Sectors[i%len(Sectors)]}, Subscribed: true, Created: time.Now(), LastSeen: time.Now()}
				if i == 0 && chunk < 5 {
					u.Role = store.RoleStaff
				}
				if err := tx.PutUser(u); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	words := strings.Fields("sấy khô sâm ngọc linh năng lượng mặt trời nuôi ong lấy mật du lịch cộng đồng hội an nước mắm truyền thống ứng dụng đặt tour trồng rau sạch hữu cơ hợp tác xã dệt thổ cẩm tre đan thủ công quế trà my bánh tráng đại lộc cá khô núi thành camera cảnh báo lũ cho bà con miền núi")
	for chunk := 0; chunk < 10; chunk++ {
		err := st.Update(func(tx *store.Tx) error {
			for i := 0; i < 1000; i++ {
				n := chunk*1000 + i
				var title, desc []string
				for w := 0; w < 8; w++ {
					title = append(title, words[(n*7+w*13)%len(words)])
				}
				for w := 0; w < 60; w++ {
					desc = append(desc, words[(n*11+w*17)%len(words)])
				}
				idea := &store.Idea{AuthorID: int64(n%100000 + 1), Title: strings.Join(title, " "), Description: strings.Join(desc, " "),
					Sector: Sectors[n%len(Sectors)], Locality: "qn-dailoc", AuthorKind: Kinds[n%len(Kinds)], Public: true,
					Status: store.IdeaPublished, Created: time.Now(), Updated: time.Now()}
				if err := tx.AddIdea(idea); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	st.Close()
	srv := telegramtest.NewServer()
	defer srv.Close()
	i18n := locales.MustLoad()
	var startup time.Duration
	for i := 0; i < b.N; i++ {
		runtime.GC()
		t0 := time.Now()
		st, err := store.Open(path, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		tg, err := telegram.New(ctx, telegram.Options{Token: srv.Token(), Endpoint: srv.Endpoint(), PollTimeout: time.Second})
		if err != nil {
			b.Fatal(err)
		}
		kb, err := policy.LoadEmbedded()
		if err != nil {
			b.Fatal(err)
		}
		cur := NewCuratedAnswers(st)
		bot, err := New(Options{Store: st, Channels: []Channel{tg}, Locales: i18n, Features: Features{Policy: policy.New(kb, policy.Options{Curated: cur.Lookup}), Curated: cur}})
		if err != nil {
			b.Fatal(err)
		}
		bot.SetupCommands()
		bot.Redeliver(ctx)
		done := make(chan error, 1)
		go func() { done <- tg.Poll(ctx, bot) }()
		// Calls are recorded when they end; a waiting long poll is visible
		// at once.
		srv.WaitFor(10*time.Second, func(s *telegramtest.Server) bool { return s.Polling() })
		startup += time.Since(t0)
		if i == b.N-1 {
			if err := bot.SyncIdeas(st); err != nil { // what Run builds in the background
				b.Fatal(err)
			}
			// Return the garbage of building the database above to the
			// system, so RSS shows what the running bot holds.
			debug.FreeOSMemory()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.ReportMetric(rssMB(), "RSS-MB")
			b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
		}
		cancel()
		<-done
		st.Close()
	}
	b.ReportMetric(float64(startup.Microseconds())/1000/float64(b.N), "startup-ms")
}

// rssMB reads the process's resident set size (Linux).
func rssMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, "VmRSS:")), "%f", &kb)
			return kb / 1024
		}
	}
	return -1
}
