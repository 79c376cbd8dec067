package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/store"
	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
)

// BenchmarkRSS100kUsers measures the resident memory of the real binary:
// it is built, started as its own process against the fake Bot API on a
// database of 100,000 users and 10,000 published ideas, sent 1,000
// updates from 1,000 users (each answered), and its VmRSS read from
// /proc. Every iteration starts a new process.
func BenchmarkRSS100kUsers(b *testing.B) {
	bin := buildBinary(b)
	db := filepath.Join(b.TempDir(), "bot.db")
	prepare100k(b, db)
	var rss, hwm float64
	for i := 0; i < b.N; i++ {
		srv := telegramtest.NewServer()
		srv.SetRecord(false)
		cmd := exec.Command(bin)
		cmd.Env = append(os.Environ(), "TELEGRAM_BOT_TOKEN=123456:AAbenchmarkTokenNotReal0123456789", "TELEGRAM_API_ENDPOINT="+srv.URL(),
			"DB_PATH="+db, "HTTP_ADDR=127.0.0.1:0", "LOG_LEVEL=error", "OPENAI_API_KEY=", "GOMEMLIMIT="+os.Getenv("BENCH_GOMEMLIMIT"))
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		if !srv.WaitFor(time.Minute, func(s *telegramtest.Server) bool { return s.Polling() }) {
			b.Fatal("the bot did not start polling")
		}
		for u := range 1000 {
			srv.SendText(telegramtest.User{ID: int64(u + 1), FirstName: "U", LanguageCode: "vi"}, []string{"/start", "/help", "/ideas", "/events"}[u%4])
		}
		if !srv.WaitFor(2*time.Minute, func(s *telegramtest.Server) bool { return s.PendingUpdates() == 0 && s.SentCount() >= 1000 }) {
			b.Fatalf("answered %d of 1,000 updates", srv.SentCount())
		}
		if os.Getenv("BENCH_SMAPS") != "" {
			logSmaps(b, cmd.Process.Pid)
		}
		r, h := procMB(cmd.Process.Pid)
		if data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)); err == nil {
			for _, l := range strings.Split(string(data), "\n") {
				if strings.HasPrefix(l, "Rss") {
					b.Log(l)
				}
			}
		}
		rss, hwm = rss+r, hwm+h
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		srv.Close()
	}
	b.ReportMetric(rss/float64(b.N), "RSS-MB")
	b.ReportMetric(hwm/float64(b.N), "peak-RSS-MB")
}

// procMB reads VmRSS and VmHWM of a process, in MB.
func procMB(pid int) (rss, hwm float64) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1, -1
	}
	for _, line := range strings.Split(string(data), "\n") {
		var kb float64
		switch {
		case strings.HasPrefix(line, "VmRSS:"):
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, "VmRSS:")), "%f", &kb)
			rss = kb / 1024
		case strings.HasPrefix(line, "VmHWM:"):
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:")), "%f", &kb)
			hwm = kb / 1024
		}
	}
	return rss, hwm
}

// prepare100k writes 100,000 users and 10,000 published ideas.
func prepare100k(b *testing.B, path string) {
	st, err := store.Open(path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	now := time.Now()
	for chunk := range 100 {
		err := st.Update(func(tx *store.Tx) error {
			for i := range 1000 {
				id := int64(chunk*1000 + i + 1)
				u := &store.User{ID: id, Channel: store.Telegram, Ref: strconv.FormatInt(id, 10), FirstName: "Người dùng", LastName: strconv.Itoa(int(id)), Lang: "vi",
					Kind: bot.Kinds[i%len(bot.Kinds)], Interests: []string{bot.Sectors[i%len(bot.Sectors)]}, Subscribed: true, Created: now, LastSeen: now}
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
	for chunk := range 10 {
		err := st.Update(func(tx *store.Tx) error {
			for i := range 1000 {
				n := chunk*1000 + i
				var title, desc []string
				for w := range 8 {
					title = append(title, words[(n*7+w*13)%len(words)])
				}
				for w := range 60 {
					desc = append(desc, words[(n*11+w*17)%len(words)])
				}
				idea := &store.Idea{AuthorID: int64(n%100000 + 1), Title: strings.Join(title, " "), Description: strings.Join(desc, " "),
					Sector: bot.Sectors[n%len(bot.Sectors)], Locality: "qn-dailoc", AuthorKind: bot.Kinds[n%len(bot.Kinds)], Public: true,
					Status: store.IdeaPublished, Created: now, Updated: now}
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
}

// logSmaps logs resident memory per mapped file (and anonymous memory).
func logSmaps(b *testing.B, pid int) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps", pid))
	if err != nil {
		return
	}
	by := map[string]int{}
	name := ""
	for _, l := range strings.Split(string(data), "\n") {
		f := strings.Fields(l)
		switch {
		case len(f) >= 5 && strings.Contains(f[0], "-"):
			name = "[anon]"
			if len(f) >= 6 {
				name = f[5]
			}
		case len(f) >= 2 && f[0] == "Rss:":
			kb, _ := strconv.Atoi(f[1])
			by[name] += kb
		}
	}
	for k, v := range by {
		if v > 512 {
			b.Logf("%-60s %6d kB", k, v)
		}
	}
}
