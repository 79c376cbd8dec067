package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/qnstartup/trolykhoinghiep/store"
	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
)

// BenchmarkUpdatesBinary runs the release binary as its own process
// against the fake Bot API in the benchmark's process and sends b.N
// updates from 1,000 chats, as fast as they are taken.
// BenchmarkUpdatesBinaryAt2000 offers them at 2,000 a second. Each update
// is a locality typed in the settings flow: the bot reads the chat's
// conversation, searches the places, durably commits the new step with the
// reply and sends one message with seven buttons.
//
// Reported: updates/s; the latency the user sees, from the update being
// queued at the server to the reply reaching it (p50, p99); the bot
// process's own CPU per update (user + system, from /proc), which
// does not depend on the fake server sharing the cores; updates fetched
// per update.
func BenchmarkUpdatesBinary(b *testing.B)       { benchUpdatesBinary(b, 0) }
func BenchmarkUpdatesBinaryAt2000(b *testing.B) { benchUpdatesBinary(b, 2000) }
func BenchmarkUpdatesBinaryAt200(b *testing.B)  { benchUpdatesBinary(b, 200) }

func benchUpdatesBinary(b *testing.B, rate int) {
	bin := buildBinary(b)
	const chats = 1000
	db := filepath.Join(b.TempDir(), "bot.db")
	users := make([]telegramtest.User, chats)
	st, err := store.Open(db, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	err = st.Update(func(tx *store.Tx) error {
		for i := range users {
			users[i] = telegramtest.User{ID: int64(10_000 + i), FirstName: "U" + strconv.Itoa(i), LanguageCode: "vi"}
			if err := tx.PutState(&store.State{ChatID: users[i].ID, Flow: "settings_loc", Step: "query", Updated: time.Now().Add(time.Hour)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		err = st.Close()
	}
	if err != nil {
		b.Fatal(err)
	}

	srv := telegramtest.NewServer()
	defer srv.Close()
	srv.SetRecord(false)
	var (
		mu     sync.Mutex
		queued = map[int64][]time.Time{} // per chat, updates not yet answered
		lat    []time.Duration
	)
	srv.SetOnSent(func(chat int64) {
		mu.Lock()
		if q := queued[chat]; len(q) > 0 {
			lat = append(lat, time.Since(q[0]))
			queued[chat] = q[1:]
		}
		mu.Unlock()
	})
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "TELEGRAM_BOT_TOKEN=123456:AAbenchmarkTokenNotReal0123456789", "TELEGRAM_API_ENDPOINT="+srv.URL(),
		"DB_PATH="+db, "HTTP_ADDR=127.0.0.1:0", "LOG_LEVEL=error", "OPENAI_API_KEY=")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	if !srv.WaitFor(time.Minute, func(s *telegramtest.Server) bool { return s.Polling() }) {
		b.Fatal("the bot did not start polling")
	}
	// Let the start-up work (command menus, the idea index) finish before
	// the process's CPU is counted.
	time.Sleep(500 * time.Millisecond)
	cpu0 := procCPU(cmd.Process.Pid)
	queries := []string{"dai loc", "tam ky", "hoi an", "Điện Bàn", "nui thanh"}
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if rate > 0 {
			if d := time.Until(start.Add(time.Duration(i) * time.Second / time.Duration(rate))); d > 0 {
				time.Sleep(d)
			}
		}
		u := users[i%chats]
		mu.Lock()
		queued[u.ID] = append(queued[u.ID], time.Now())
		mu.Unlock()
		srv.SendText(u, queries[i%len(queries)])
	}
	if !srv.WaitFor(5*time.Minute, func(s *telegramtest.Server) bool { return s.SentCount() >= b.N }) {
		b.Fatalf("answered %d of %d updates", srv.SentCount(), b.N)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	cpu := procCPU(cmd.Process.Pid) - cpu0
	mu.Lock()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "updates/s")
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	mu.Unlock()
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "bot-cpu-ms/update")
	b.ReportMetric(float64(srv.UpdatesFetched())/float64(b.N), "fetched/update")
}

// buildBinary builds the release binary into a temporary directory.
func buildBinary(b *testing.B) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "trolykhoinghiep")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// procCPU is the user and system CPU time a process has used, from
// /proc/<pid>/stat (fields 14 and 15, in clock ticks of 1/100 s).
func procCPU(pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name (field 2) may hold spaces; fields after it follow
	// its closing parenthesis.
	s := string(data)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	stt, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+stt) * 10 * time.Millisecond
}
