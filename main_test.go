package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/config"
	"github.com/qnstartup/trolykhoinghiep/locales"
	"github.com/qnstartup/trolykhoinghiep/store"
	"github.com/qnstartup/trolykhoinghiep/telegram"
	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
	"github.com/qnstartup/trolykhoinghiep/zalo/zalotest"
)

// TestDemo runs `go run .` without a token, as a person would with piped
// input: the real bot answers through the in-process fake Bot API.
func TestDemo(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TELEGRAM_BOT_TOKEN", "")
	t.Setenv("DB_PATH", filepath.Join(dir, "demo.db"))
	t.Setenv("HTTP_ADDR", "127.0.0.1:0")
	t.Setenv("WEB_ADDR", "127.0.0.1:0")
	in := strings.NewReader(strings.Join([]string{
		"/start",
		"1", // 🇻🇳 Tiếng Việt
		"tham gia ngay hoi khoi nghiep duoc ho tro bao nhieu",
		"!staff",
		"/questions",
		"!quit",
	}, "\n"))
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, nil, in, &out, &bytes.Buffer{}); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"Xin chào An Nguyễn",                 // welcome
		"[1] 🇻🇳 Tiếng Việt",                  // numbered buttons
		"[a] 💡 Gửi ý tưởng",                  // lettered menu
		"8 triệu",                            // a policy answer
		"09/2020/NQ-HĐND",                    // with its source
		"Câu hỏi đang chờ cán bộ trả lời: 0", // a staff command as the staff persona
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestSubcommands(t *testing.T) {
	t.Setenv("DB_PATH", filepath.Join(t.TempDir(), "bot.db"))
	var out bytes.Buffer
	ctx := context.Background()
	if err := run(ctx, []string{"ask", "-json", "OCOP 5 sao cần bao nhiêu điểm"}, nil, &out, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"question":"OCOP 5 sao cần bao nhiêu điểm"`, `"refused":false`, `"doc":"148/QĐ-TTg"`, `"mode":"retrieval"`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("ask -json lacks %s: %s", want, out.String())
		}
	}
	out.Reset()
	if err := run(ctx, []string{"export", "-format", "json"}, nil, &out, &out); err != nil {
		t.Fatalf("export: %v", err)
	}
	out.Reset()
	if err := run(ctx, []string{"frobnicate"}, nil, &out, &out); err == nil || !strings.Contains(err.Error(), "unknown command") {
		t.Fatalf("unknown command: %v", err)
	}
	t.Setenv("BROADCAST_RATE", "fast")
	if err := run(ctx, nil, nil, &out, &out); err == nil || !strings.Contains(err.Error(), "BROADCAST_RATE") {
		t.Fatalf("bad configuration: %v", err)
	}
}

// demoRun runs the demo once with these lines on a database in dir.
func demoRun(t *testing.T, dir string, args []string, lines ...string) string {
	t.Helper()
	t.Setenv("TELEGRAM_BOT_TOKEN", "")
	t.Setenv("DB_PATH", filepath.Join(dir, "demo.db"))
	t.Setenv("HTTP_ADDR", "127.0.0.1:0")
	t.Setenv("WEB_ADDR", "127.0.0.1:0")
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, args, strings.NewReader(strings.Join(lines, "\n")), &out, &bytes.Buffer{}); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	return out.String()
}

// The demo answers on every run in the same folder (the fake server's
// update IDs start again each time), offers seed data and !reset, shows
// the notices of pressed buttons, and lets a persona press buttons it got
// while the other persona was playing.
func TestDemoEveryRun(t *testing.T) {
	dir := t.TempDir()
	first := demoRun(t, dir, nil, "/start", "!quit")
	if !strings.Contains(first, "Xin chào") {
		t.Fatalf("first run did not answer:\n%s", first)
	}
	second := demoRun(t, dir, nil, "/help", "!quit")
	if !strings.Contains(second, "/idea") {
		t.Fatalf("second run did not answer:\n%s", second)
	}
	seeded := demoRun(t, dir, []string{"demo", "-seed"}, "/ideas", "!staff", "/questions", "!quit")
	for _, want := range []string{"Máy sấy nông sản", "Câu hỏi đang chờ cán bộ trả lời: 1"} {
		if !strings.Contains(seeded, want) {
			t.Errorf("seeded demo lacks %q:\n%s", want, seeded)
		}
	}
	reset := demoRun(t, dir, nil, "!reset", "!staff", "/questions", "!quit")
	if !strings.Contains(reset, "Đã xoá dữ liệu chạy thử") || !strings.Contains(reset, "Câu hỏi đang chờ cán bộ trả lời: 0") {
		t.Errorf("!reset did not start over:\n%s", reset)
	}
	// '1 sends the text "1" (a policy question), not the first button.
	// Pressing [1] (Tiếng Việt) would greet again; the text "1" is a
	// question, answered with its vote buttons.
	quoted := demoRun(t, dir, nil, "/start", "'1", "!quit")
	if strings.Count(quoted, "Xin chào") != 1 || !strings.Contains(quoted, "👍") {
		t.Errorf("'1 pressed a button instead of sending the text:\n%s", quoted)
	}
}

// `demo -channel zalo` plays the Zalo client: at most 5 buttons a message,
// commands typed without "/", no HTML.
func TestDemoZalo(t *testing.T) {
	out := demoRun(t, t.TempDir(), []string{"demo", "-channel", "zalo"}, "/start", "help", "!staff", "review", "!quit")
	for _, want := range []string{"hiển thị như trên Zalo", "Xin chào bạn", "[5] 📅 Sự kiện", "Thêm lựa chọn:", "/idea", "Không còn ý tưởng nào chờ duyệt"} {
		if !strings.Contains(out, want) {
			t.Errorf("zalo demo lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "[6]") || strings.Contains(out, "<b>") {
		t.Errorf("zalo demo shows more than 5 buttons or HTML:\n%s", out)
	}
}

// The running bot serves the public site and the Zalo webhook on
// WEB_ADDR, and never the operations endpoints there.
// twoChannels is the configuration of a bot on the fake Bot API and the
// fake Zalo OA, with a fresh database and more environment as pairs.
func twoChannels(t *testing.T, srv *telegramtest.Server, zs *zalotest.Server, kv ...string) *config.Config {
	t.Helper()
	_, refresh := zs.IssueTokens()
	env := map[string]string{
		"ZALO_APP_ID": zs.AppID(), "ZALO_APP_SECRET": zs.AppSecret(), "ZALO_OA_SECRET_KEY": zs.OAKey(),
		"ZALO_REFRESH_TOKEN": refresh, "ZALO_API_URL": zs.URL(), "ZALO_OAUTH_URL": zs.URL(),
		"DB_PATH": filepath.Join(t.TempDir(), "bot.db"), "HTTP_ADDR": "127.0.0.1:0",
	}
	for n := 0; n+1 < len(kv); n += 2 {
		env[kv[n]] = kv[n+1]
	}
	cfg, err := config.FromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	cfg.Token, cfg.Endpoint = srv.Token(), srv.URL() // the fake's token is not BotFather's shape
	return cfg
}

func TestPublicListener(t *testing.T) {
	srv := telegramtest.NewServer()
	defer srv.Close()
	zs := zalotest.NewServer()
	defer zs.Close()
	cfg := twoChannels(t, srv, zs, "WEB_ADDR", "127.0.0.1:0")
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- runBot(ctx, cfg, slog.New(slog.DiscardHandler), func(_ *bot.Bot, web string) { addr <- web })
	}()
	var base string
	select {
	case a := <-addr:
		base = "http://" + a
	case err := <-done:
		t.Fatal(err)
	}
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	get := func(path string) (int, string) {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/"); code != 200 || !strings.Contains(body, "<html") {
		t.Errorf("home page: %d", code)
	}
	for _, p := range []string{"/metrics", "/healthz"} {
		if code, _ := get(p); code != 404 {
			t.Errorf("%s on WEB_ADDR: %d, want 404", p, code)
		}
	}
	resp, err := http.Post(base+"/zalo/webhook", "application/json", strings.NewReader(`{"app_id":"1","event_name":"user_send_text","timestamp":"1"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unsigned webhook: %d, want 401", resp.StatusCode)
	}
}

// The same input typed in two runs in a row (within one second, so the
// fake platforms' updates are alike to the byte but for their IDs) is
// answered both times, on Telegram and on Zalo.
func TestDemoSameInputTwice(t *testing.T) {
	for _, args := range [][]string{nil, {"demo", "-channel", "zalo"}} {
		dir := t.TempDir()
		for run := 1; run <= 2; run++ {
			if out := demoRun(t, dir, args, "/start"); !strings.Contains(out, "Xin chào") {
				t.Fatalf("%v run %d did not answer:\n%s", args, run, out)
			}
		}
	}
}

// When Zalo refuses the token refresh the admins hear of it on Telegram,
// and again when a later refresh works.
func TestZaloAuthAlerts(t *testing.T) {
	srv := telegramtest.NewServer()
	defer srv.Close()
	zs := zalotest.NewServer()
	defer zs.Close()
	zs.Inject("oauth", zalotest.Fault{Error: zalotest.ErrBadRefresh, Times: 1})
	cfg := twoChannels(t, srv, zs, "ADMIN_IDS", "4242")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runBot(ctx, cfg, slog.New(slog.DiscardHandler), nil) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	has := func(s string) func(*telegramtest.Server) bool {
		return func(srv *telegramtest.Server) bool {
			for _, m := range srv.Messages(4242) {
				if strings.Contains(m.Text, s) {
					return true
				}
			}
			return false
		}
	}
	if !srv.WaitFor(10*time.Second, has("mất quyền gửi tin")) {
		t.Fatalf("no alert to the admin:\n%s", srv.Transcript(4242))
	}
	if !srv.WaitFor(10*time.Second, has("gửi tin lại được")) {
		t.Fatalf("no recovery notice to the admin:\n%s", srv.Transcript(4242))
	}
	if n := srv.SentTo(4242); n != 2 {
		t.Fatalf("%d messages to the admin, want 2:\n%s", n, srv.Transcript(4242))
	}
}

// An alert raised before the bot exists (a channel failing while the bot
// is built) is sent once it does.
func TestAlertBeforeBot(t *testing.T) {
	srv := telegramtest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	st, err := store.Open(filepath.Join(t.TempDir(), "bot.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tg, err := telegram.New(ctx, telegram.Options{Token: srv.Token(), Endpoint: srv.URL() + "/bot%s/%s", Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	admin := &lateAdmins{log: slog.New(slog.DiscardHandler)}
	admin.tell("channel.zalo_auth_failed", "Err", "-14014")
	b, err := bot.New(bot.Options{Store: st, Channels: []bot.Channel{tg}, Locales: locales.MustLoad(), AdminIDs: []int64{4242}})
	if err != nil {
		t.Fatal(err)
	}
	admin.set(b)
	if !srv.WaitMessages(4242, 1, 5*time.Second) {
		t.Fatal("the alert raised before the bot existed was not sent")
	}
	if m, _ := srv.LastMessage(4242); !strings.Contains(m.Text, "-14014") {
		t.Fatalf("alert %q", m.Text)
	}
}

// `go run .` in a folder it cannot write keeps the demo's data in the
// user's cache folder instead of failing.
func TestDemoReadOnlyFolder(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("DB_PATH", "")
	t.Setenv("TELEGRAM_BOT_TOKEN", "")
	t.Setenv("HTTP_ADDR", "127.0.0.1:0")
	t.Setenv("WEB_ADDR", "127.0.0.1:0")
	t.Chdir("/proc") // not writable, even by root
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, nil, strings.NewReader("/start\n!quit\n"), &out, &bytes.Buffer{}); err != nil {
		t.Fatalf("demo in a read-only folder: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "Xin chào") {
		t.Fatalf("no greeting:\n%s", out.String())
	}
	if _, err := os.Stat(filepath.Join(cache, "trolykhoinghiep", "demo", "demo.db")); err != nil {
		t.Fatalf("the demo's database is not in the cache folder: %v", err)
	}
}
