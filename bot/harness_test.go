package bot_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	. "github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/locales"
	"github.com/qnstartup/trolykhoinghiep/policy"
	"github.com/qnstartup/trolykhoinghiep/store"
	"github.com/qnstartup/trolykhoinghiep/telegram"
	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
	"github.com/qnstartup/trolykhoinghiep/zalo"
	"github.com/qnstartup/trolykhoinghiep/zalo/zalotest"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// Test users: Lan speaks Vietnamese, Tom English, Admin is in ADMIN_IDS.
var (
	lan   = telegramtest.User{ID: 101, FirstName: "Lan", LastName: "Trần", LanguageCode: "vi"}
	tom   = telegramtest.User{ID: 102, FirstName: "Tom", LanguageCode: "en"}
	admin = telegramtest.User{ID: 900, FirstName: "Hà", LastName: "Cán bộ", LanguageCode: "vi"}
)

// harness runs the real bot, polling a fake Bot API server through the
// real tgbotapi client, on a real bbolt file in a temporary directory.
type harness struct {
	t      testing.TB
	srv    *telegramtest.Server
	dbPath string
	opt    Options
	st     *store.Store
	b      *Bot
	tg     *telegram.Channel
	zsrv   *zalotest.Server // with withZalo: the fake Zalo OA, kept across restarts
	zc     *zalo.Channel
	zweb   *httptest.Server // the bot's public listener: POST /zalo/webhook
	cancel context.CancelFunc
	done   chan error
	logs   *syncBuffer
	reg    *prometheus.Registry // the running bot's metrics

	mu  sync.Mutex
	now time.Time // zero: real time

	harnessConfig
}

// harnessConfig are the harness's own switches.
type harnessConfig struct {
	withPolicy   bool // answer policy questions from the embedded knowledge base
	noSync       bool // skip fsync (tests that commit thousands of records)
	noBackground bool // do not start Bot.Run: the test drives jobs and reminders
	llm          *policy.LLMConfig
	withZalo     bool                         // also run the Zalo channel against a fake Zalo OA
	fromDB       string                       // start on a copy of this database file
	endpoint     func() string                // the Bot API endpoint (default: the fake server's)
	onOpen       func(*harness, *store.Store) // called when the store is opened
	onBot        func(*Bot)                   // called when the bot is built, before it starts
}

// syncBuffer collects log output for assertions.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newHarness starts the bot. mods adjust the options before start.
func newHarness(t testing.TB, mods ...func(*Options)) *harness {
	t.Helper()
	return startHarness(t, harnessConfig{}, mods...)
}

// newPolicyHarness starts the bot with the embedded policy knowledge base.
func newPolicyHarness(t testing.TB, mods ...func(*Options)) *harness {
	t.Helper()
	return startHarness(t, harnessConfig{withPolicy: true}, mods...)
}

func startHarness(t testing.TB, cfg harnessConfig, mods ...func(*Options)) *harness {
	t.Helper()
	h := &harness{t: t, srv: telegramtest.NewServer(), dbPath: filepath.Join(t.TempDir(), "bot.db"), logs: &syncBuffer{}, harnessConfig: cfg}
	t.Cleanup(h.srv.Close)
	if cfg.fromDB != "" {
		data, err := os.ReadFile(cfg.fromDB)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(h.dbPath, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	h.opt = Options{
		Locales:  locales.MustLoad(),
		Log:      slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		AdminIDs: []int64{admin.ID},
		Now:      h.clock,
	}
	for _, m := range mods {
		m(&h.opt)
	}
	h.start()
	t.Cleanup(h.stop)
	return h
}

func (h *harness) clock() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.now.IsZero() {
		return time.Now()
	}
	return h.now
}

// setNow fixes the bot's clock (zero restores real time).
func (h *harness) setNow(t time.Time) {
	h.mu.Lock()
	h.now = t
	h.mu.Unlock()
}

func (h *harness) start() {
	h.t.Helper()
	st, err := store.Open(h.dbPath, store.Options{NoSync: h.noSync})
	if err != nil {
		h.t.Fatalf("open store: %v", err)
	}
	if h.onOpen != nil {
		h.onOpen(h, st)
	}
	endpoint := h.srv.Endpoint()
	if h.endpoint != nil {
		endpoint = h.endpoint()
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.reg = prometheus.NewRegistry()
	met := NewMetrics(h.reg)
	tg, err := telegram.New(ctx, telegram.Options{Token: h.srv.Token(), Endpoint: endpoint, Log: h.opt.Log, Calls: met.APICalls, PollTimeout: 2 * time.Second})
	if err != nil {
		cancel()
		h.t.Fatalf("connect: %v", err)
	}
	opt := h.opt
	opt.Store, opt.Channels, opt.Metrics = st, []Channel{tg}, met
	var inbox lateInbox
	if h.withZalo {
		if h.zsrv == nil {
			h.zsrv = zalotest.NewServer()
			h.t.Cleanup(h.zsrv.Close)
		}
		_, refresh := h.zsrv.IssueTokens()
		zc, err := zalo.New(zalo.Options{
			AppID: h.zsrv.AppID(), AppSecret: h.zsrv.AppSecret(), OASecretKey: h.zsrv.OAKey(), SeedRefreshToken: refresh,
			APIURL: h.zsrv.URL(), OAuthURL: h.zsrv.URL(), Log: h.opt.Log, Tokens: st, Inbox: &inbox, RatePerMinute: 3000,
		})
		if err != nil {
			cancel()
			h.t.Fatalf("zalo: %v", err)
		}
		h.zc = zc
		opt.Channels = append(opt.Channels, zc)
		mux := http.NewServeMux()
		mux.Handle("POST /zalo/webhook", zc.Webhook())
		h.zweb = httptest.NewServer(mux)
		h.zsrv.SetWebhook(h.zweb.URL + "/zalo/webhook")
		go zc.Run(ctx)
	}
	if h.withPolicy {
		kb, err := policy.LoadEmbedded()
		if err != nil {
			h.t.Fatal(err)
		}
		if err := ApplyUploads(st, kb, opt.Log); err != nil {
			h.t.Fatal(err)
		}
		cur := NewCuratedAnswers(st)
		opt.Features.Curated = cur
		opt.Features.Policy = policy.New(kb, policy.Options{Curated: cur.Lookup, LLM: h.llm, Vectors: st})
		opt.Features.LLM = h.llm != nil
	}
	b, err := New(opt)
	if err != nil {
		cancel()
		h.t.Fatalf("new bot: %v", err)
	}
	h.st, h.tg, h.b, h.cancel, h.done = st, tg, b, cancel, make(chan error, 1)
	inbox.set(b)
	if h.onBot != nil {
		h.onBot(b)
	}
	b.SetupCommands()
	b.Redeliver(ctx)
	if h.noBackground {
		b.Serve(ctx)
	} else {
		b.Run(ctx)
	}
	go func() { h.done <- tg.Poll(ctx, b) }()
}

// stop ends polling and closes the store, like a shutdown.
func (h *harness) stop() {
	if h.cancel == nil {
		return
	}
	h.cancel()
	select {
	case <-h.done:
	case <-time.After(10 * time.Second):
		h.t.Errorf("poll loop did not stop")
	}
	h.b.Wait()
	if h.zweb != nil {
		h.zweb.Close()
		h.zweb = nil
	}
	h.cancel = nil
	if err := h.st.Check(); err != nil {
		h.t.Errorf("store consistency: %v", err)
	}
	h.st.Close()
}

// restart stops the bot and starts a new one on the same database.
func (h *harness) restart() {
	h.t.Helper()
	h.stop()
	h.start()
}

// idle waits until every queued update has been handled and acknowledged.
func (h *harness) idle() {
	h.t.Helper()
	if !h.srv.WaitUpdatesConsumed(10 * time.Second) {
		h.t.Fatalf("updates not consumed; logs:\n%s", h.logs.String())
	}
	if !h.b.WaitIdle(10 * time.Second) {
		h.t.Fatalf("updates not handled; logs:\n%s", h.logs.String())
	}
}

// send types text as u and waits for the bot to handle it.
func (h *harness) send(u telegramtest.User, text string) {
	h.t.Helper()
	h.srv.SendText(u, text)
	h.idle()
}

// last is the newest message the bot sent to u.
func (h *harness) last(u telegramtest.User) telegramtest.Message {
	h.t.Helper()
	m, ok := h.srv.LastMessage(u.ID)
	if !ok {
		h.t.Fatalf("no message to %s", u.FirstName)
	}
	return m
}

// press presses the newest button in u's chat whose data starts with
// prefix, and waits for the bot.
func (h *harness) press(u telegramtest.User, prefix string) {
	h.t.Helper()
	msgs := h.srv.Messages(u.ID)
	for i := len(msgs) - 1; i >= 0; i-- {
		for _, row := range msgs[i].Buttons {
			for _, b := range row {
				if b.Data != "" && strings.HasPrefix(b.Data, prefix) {
					h.srv.Press(u, msgs[i].ID, b.Data)
					h.idle()
					return
				}
			}
		}
	}
	h.t.Fatalf("no button %q in %s's chat:\n%s", prefix, u.FirstName, h.srv.Transcript(u.ID))
}

// user reads a user record.
func (h *harness) user(id int64) *store.User {
	h.t.Helper()
	u, err := h.st.User(id)
	if err != nil {
		h.t.Fatalf("user %d: %v", id, err)
	}
	return u
}

// golden compares a chat's transcript with testdata/<name>.golden.
func (h *harness) golden(name string, u telegramtest.User) {
	h.t.Helper()
	got := h.srv.Transcript(u.ID)
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			h.t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			h.t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		h.t.Fatalf("read golden (run with -update to create): %v", err)
	}
	if got != string(want) {
		h.t.Errorf("transcript differs from %s (run with -update if intended)\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
}

// expect fails unless the newest messages to u (the last three, with
// their button labels) contain all of parts. It returns the newest.
func (h *harness) expect(u telegramtest.User, parts ...string) telegramtest.Message {
	h.t.Helper()
	msgs := h.srv.Messages(u.ID)
	if len(msgs) == 0 {
		h.t.Fatalf("no message to %s", u.FirstName)
	}
	var sb strings.Builder
	for _, m := range msgs[max(0, len(msgs)-3):] {
		sb.WriteString(m.Text + "\n")
		for _, row := range m.Buttons {
			for _, b := range row {
				sb.WriteString("[" + b.Text + "]")
			}
		}
		sb.WriteString("\n")
	}
	for _, p := range parts {
		if !strings.Contains(sb.String(), p) {
			h.t.Fatalf("latest messages to %s lack %q:\n%s", u.FirstName, p, sb.String())
		}
	}
	return msgs[len(msgs)-1]
}

// waitText waits until a message to u contains text (replies sent by
// background work arrive after the update is acknowledged).
func (h *harness) waitText(u telegramtest.User, text string) {
	h.t.Helper()
	ok := h.srv.WaitFor(10*time.Second, func(s *telegramtest.Server) bool {
		for _, m := range s.Messages(u.ID) {
			if strings.Contains(m.Text, text) {
				return true
			}
		}
		return false
	})
	if !ok {
		h.t.Fatalf("no message to %s with %q:\n%s", u.FirstName, text, h.srv.Transcript(u.ID))
	}
}

// lateInbox hands the Zalo channel's input to the bot built after it.
type lateInbox struct {
	mu sync.Mutex
	b  *Bot
}

func (l *lateInbox) set(b *Bot) {
	l.mu.Lock()
	l.b = b
	l.mu.Unlock()
}

func (l *lateInbox) Accept(ctx context.Context, ups []*Update) error {
	l.mu.Lock()
	b := l.b
	l.mu.Unlock()
	if b == nil {
		return errors.New("starting")
	}
	return b.Accept(ctx, ups)
}

// zsend posts text from a Zalo user as a signed webhook and waits for the
// bot.
func (h *harness) zsend(user, text string) {
	h.t.Helper()
	if code, err := h.zsrv.SendText(user, text); err != nil || code != http.StatusOK {
		h.t.Fatalf("zalo webhook: %d %v", code, err)
	}
	h.zidle()
}

func (h *harness) zidle() {
	h.t.Helper()
	if !h.b.WaitIdle(10 * time.Second) {
		h.t.Fatalf("updates not handled; logs:\n%s", h.logs.String())
	}
}

// zpress taps the newest button in a Zalo user's chat whose callback data
// starts with prefix.
func (h *harness) zpress(user, prefix string) {
	h.t.Helper()
	msgs := h.zsrv.Messages(user)
	for i := len(msgs) - 1; i >= 0; i-- {
		for _, b := range msgs[i].Buttons {
			if strings.HasPrefix(b.Payload, zalo.CallbackPrefix+prefix) {
				if code, err := h.zsrv.Press(user, b.Payload); err != nil || code != http.StatusOK {
					h.t.Fatalf("zalo press: %d %v", code, err)
				}
				h.zidle()
				return
			}
		}
	}
	h.t.Fatalf("no button %q in the Zalo chat:\n%s", prefix, h.zsrv.Transcript(user))
}

// zexpect fails unless the newest Zalo messages to user contain all parts.
func (h *harness) zexpect(user string, parts ...string) {
	h.t.Helper()
	msgs := h.zsrv.Messages(user)
	var sb strings.Builder
	for _, m := range msgs[max(0, len(msgs)-4):] {
		sb.WriteString(m.Text + "\n")
		for _, b := range m.Buttons {
			sb.WriteString("[" + b.Title + "]")
		}
		sb.WriteString("\n")
	}
	for _, p := range parts {
		if !strings.Contains(sb.String(), p) {
			h.t.Fatalf("latest Zalo messages lack %q:\n%s", p, sb.String())
		}
	}
}

// zwaitText waits until a message to a Zalo user contains text (background
// sends arrive after the update is handled).
func (h *harness) zwaitText(user, text string) {
	h.t.Helper()
	ok := h.zsrv.WaitFor(10*time.Second, func(s *zalotest.Server) bool {
		for _, m := range s.Messages(user) {
			if strings.Contains(m.Text, text) {
				return true
			}
		}
		return false
	})
	if !ok {
		h.t.Fatalf("no Zalo message with %q:\n%s", text, h.zsrv.Transcript(user))
	}
}
