// Command trolykhoinghiep is "Trợ lý Khởi nghiệp", the Telegram assistant of
// the Quảng Nam – Đà Nẵng startup ecosystem. Without TELEGRAM_BOT_TOKEN it
// starts a local demo in the terminal. See README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"sync"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/config"
	"github.com/qnstartup/trolykhoinghiep/locales"
	"github.com/qnstartup/trolykhoinghiep/ops"
	"github.com/qnstartup/trolykhoinghiep/places"
	"github.com/qnstartup/trolykhoinghiep/policy"
	"github.com/qnstartup/trolykhoinghiep/store"
	"github.com/qnstartup/trolykhoinghiep/telegram"
	"github.com/qnstartup/trolykhoinghiep/web"
	"github.com/qnstartup/trolykhoinghiep/zalo"
)

const usage = `Trợ lý Khởi nghiệp – startup assistant bot

Usage:
  trolykhoinghiep                        run the bot (the local terminal demo when no channel is configured)
  trolykhoinghiep demo [-channel telegram|zalo] [-seed]
                                         the local demo: chat in the terminal as Telegram or Zalo shows it;
                                         -seed adds a few published ideas, an event and a question for staff
  trolykhoinghiep ask [-json] "câu hỏi"  answer one policy question; "ask -json -" reads one per line from stdin
  trolykhoinghiep eval [-v] FILE.tsv     evaluate policy answers (top-1/top-3 document, must-contain, refusals, per style)
  trolykhoinghiep export [-format csv|json] [-o FILE]
                                         export the idea bank (CSV is UTF-8 with BOM; phone numbers are confidential)
  trolykhoinghiep backup FILE            write a compacted copy of the database (DB_PATH) to FILE,
                                         encrypted to BACKUP_AGE_RECIPIENT when it is set
  trolykhoinghiep zalo-auth              the Zalo OA's first consent: prints the consent URL, reads the code, stores the token pair
  trolykhoinghiep help                   this text

Configuration is read from environment variables; see README.md.
`

// memoryLimit is the Go runtime's soft memory limit unless GOMEMLIMIT is
// set: the heap is collected before it grows past it, which keeps the
// process near its live data (about 15 MB with 100,000 users and 10,000
// ideas) instead of twice that. It is soft: a larger live heap (a bigger
// idea bank) still fits, at the cost of more frequent collections.
// Measured on the release binary (BENCHMARKS.md), now that scans give
// back the database pages they read: at 26 MiB the resident set is 40–41
// MB with 100,000 users, but under saturation collections cost a sixth of
// each update's CPU; at 32 MiB it is 44–46 MB (peak 50) and the bot needs
// 0.46–0.52 ms of CPU per update instead of 0.59–0.62; without a limit it
// is 53–54 MB, too near the 60 MB bar.
const memoryLimit = 32 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg, err := config.FromEnv(os.Getenv)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	log := newLogger(cfg, stderr)
	cmd := ""
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "":
		if cfg.Demo() {
			return runDemo(ctx, cfg, nil, stdin, stdout)
		}
		return runBot(ctx, cfg, log, nil)
	case "zalo-auth":
		if !cfg.Zalo() {
			return errors.New("zalo-auth: set ZALO_APP_ID, ZALO_APP_SECRET and ZALO_OA_SECRET_KEY first")
		}
		if cfg.ZaloRedirectURI == "" {
			return errors.New("zalo-auth: set ZALO_REDIRECT_URI (or PUBLIC_URL) to the callback URL registered in the Zalo app")
		}
		st, err := store.Open(cfg.DBPath, store.Options{})
		if err != nil {
			return err
		}
		defer st.Close()
		return zalo.Authorize(ctx, zaloOptions(cfg, log, st, nil, nil, nil), stdin, stdout)
	case "demo":
		return runDemo(ctx, cfg, args, stdin, stdout)
	case "ask", "eval":
		i18n, err := locales.Load(log)
		if err != nil {
			return err
		}
		ans, err := newAnswerer(cfg, log, nil, nil)
		if err != nil {
			return err
		}
		if cmd == "ask" {
			return policy.RunAsk(ctx, ans, i18n, args, stdin, stdout)
		}
		return policy.RunEval(ctx, ans, args, stdout)
	case "export":
		fs := flag.NewFlagSet("export", flag.ContinueOnError)
		format := fs.String("format", "csv", "csv or json")
		out := fs.String("o", "", "output file (default: standard output)")
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() > 0 {
			return fmt.Errorf("export: unexpected argument %q (the file is given with -o)", fs.Arg(0))
		}
		if err := bot.CheckExportFormat(*format); err != nil {
			return err
		}
		st, err := store.Open(cfg.DBPath, store.Options{})
		if err != nil {
			return err
		}
		defer st.Close()
		if *out == "" {
			return bot.ExportIdeas(st, stdout, *format)
		}
		return writePrivate(*out, cfg.DBPath, func(w io.Writer) error { return bot.ExportIdeas(st, w, *format) })
	case "backup":
		if len(args) != 1 {
			return errors.New("usage: backup FILE")
		}
		recipients, err := bot.ParseRecipients(cfg.BackupRecipient)
		if err != nil {
			return err
		}
		st, err := store.Open(cfg.DBPath, store.Options{})
		if err != nil {
			return err
		}
		defer st.Close()
		return writePrivate(args[0], cfg.DBPath, func(w io.Writer) error {
			_, err := bot.WriteBackup(st, w, recipients)
			return err
		})
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n\n%s", cmd, usage)
}

// writePrivate writes a file only its owner may read (exports and
// backups hold phone numbers): into a temporary file beside it, synced,
// then renamed over it, so a failure leaves an existing file as it was.
// It refuses to write over the database.
func writePrivate(path, dbPath string, fn func(io.Writer) error) error {
	if same(path, dbPath) {
		return fmt.Errorf("%s is the database (DB_PATH): write the file elsewhere", path)
	}
	dir, name := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+name+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // after the rename: nothing
	if err := fn(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// same reports whether two paths name one file (or would).
func same(a, b string) bool {
	if fa, err := os.Stat(a); err == nil {
		if fb, err := os.Stat(b); err == nil {
			return os.SameFile(fa, fb)
		}
	}
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == bb
}

func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// runBot wires config → store → bot → channels and the public site, and
// runs until ctx ends. ready, if set, is called once every channel listens.
func runBot(ctx context.Context, cfg *config.Config, log *slog.Logger, ready func(b *bot.Bot, webAddr string)) error {
	started := time.Now()
	st, err := store.Open(cfg.DBPath, store.Options{Compact: true})
	if err != nil {
		return err
	}
	defer st.Close()
	i18n, err := locales.Load(log)
	if err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	met := bot.NewMetrics(reg)
	pl := places.Default()
	if cfg.PlacesFile != "" {
		if pl, err = places.Load(cfg.PlacesFile); err != nil {
			return fmt.Errorf("PLACES_FILE: %w", err)
		}
	}
	curated := bot.NewCuratedAnswers(st)
	ans, err := newAnswerer(cfg, log, st, curated)
	if err != nil {
		return err
	}

	var (
		channels    []bot.Channel
		checks      []ops.Check
		links       = map[string]string{}
		inbox       lateInbox // the channels hand input to the bot, built after them
		run         []func(context.Context) error
		telegramBot string
	)
	public := http.NewServeMux()
	if cfg.Telegram() {
		tg, err := telegram.New(ctx, telegram.Options{
			Token: cfg.Token, Endpoint: cfg.APIEndpoint(), Log: log, Calls: met.APICalls, PollTimeout: cfg.PollTimeout,
		})
		if err != nil {
			return err
		}
		channels = append(channels, tg)
		telegramBot = tg.Username()
		links[telegram.Name] = "https://t.me/" + telegramBot
		stall := 2*cfg.PollTimeout + time.Minute
		checks = append(checks, ops.Check{Name: telegram.Name, Healthy: func() error {
			if !tg.Healthy(stall) {
				return errors.New("polling stalled")
			}
			return nil
		}})
		run = append(run, func(ctx context.Context) error { return tg.Poll(ctx, &inbox) })
		log.Info("telegram channel", "bot", tg.Username())
	}
	var zc *zalo.Channel
	admin := &lateAdmins{log: log}
	if cfg.Zalo() {
		opt := zaloOptions(cfg, log, st, reg, &inbox, func(e error) { admin.tell("channel.zalo_auth_failed", "Err", e.Error()) })
		opt.OnAuthRecovered = func() { admin.tell("channel.zalo_auth_recovered") }
		zc, err = zalo.New(opt)
		if err != nil {
			return fmt.Errorf("zalo: %w", err)
		}
		channels = append(channels, zc)
		if cfg.ZaloOAID != "" {
			links[zalo.Name] = "https://zalo.me/" + cfg.ZaloOAID
		}
		checks = append(checks, ops.Check{Name: zalo.Name, Healthy: zc.Healthy})
		public.Handle("POST /zalo/webhook", zc.Webhook())
		run = append(run, func(ctx context.Context) error {
			if err := zc.Run(ctx); err != nil && ctx.Err() == nil {
				log.Error("zalo token keeper stopped", "err", err)
			}
			return nil // Telegram keeps working
		})
		log.Info("zalo channel", "webhook", cfg.PublicURL+"/zalo/webhook")
	}
	admins := make([]bot.UserRef, 0, len(cfg.ZaloAdmins))
	for _, id := range cfg.ZaloAdmins {
		admins = append(admins, bot.UserRef{Channel: zalo.Name, ID: id})
	}
	b, err := bot.New(bot.Options{
		Store: st, Channels: channels, Locales: i18n, Log: log, Metrics: met, AdminIDs: cfg.AdminIDs, Admins: admins,
		ChatLinks: links,
		Features: bot.Features{
			Places: pl, IdeasPerDay: cfg.IdeasPerDay, BroadcastRate: cfg.BroadcastRate,
			Policy: ans, Curated: curated, LLM: cfg.LLM(),
			BackupRecipient: cfg.BackupRecipient, LLMPerDayTotal: cfg.LLMPerDayTotal,
			BroadcastConfirmOver: cfg.BroadcastConfirmOver,
		},
	})
	if err != nil {
		return err
	}
	inbox.set(b)
	admin.set(b)
	go func() {
		if err := ops.Serve(ctx, cfg.HTTPAddr, ops.Handler(reg, checks...), log); err != nil {
			log.Error("ops endpoints", "err", err)
		}
	}()
	site, err := web.New(web.Options{
		Store: st, Ideas: b, Locales: i18n, Places: pl, PublicURL: cfg.PublicURL,
		TelegramBot: telegramBot, ZaloOA: cfg.ZaloOAID, Log: log,
		ClientIPHeader: cfg.ClientIPHeader,
	})
	if err != nil {
		return err
	}
	web.Mount(public, site)
	ln, err := net.Listen("tcp", cfg.WebAddr)
	if err != nil {
		return fmt.Errorf("WEB_ADDR: %w", err)
	}
	go func() {
		if err := ops.ServeListener(ctx, ln, public, log); err != nil {
			log.Error("public site", "err", err)
		}
	}()
	b.SetupCommands()
	b.Redeliver(ctx)
	log.Info("running", "channels", len(channels), "db", cfg.DBPath, "startup", time.Since(started).Round(time.Millisecond))
	if ready != nil {
		ready(b, ln.Addr().String())
	}
	// A channel that gives up (Telegram polling stalled for too long) ends
	// the process, so the supervisor restarts it.
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	b.Run(runCtx)
	errs := make(chan error, len(run))
	for _, f := range run {
		go func() {
			e := f(runCtx)
			if e != nil {
				stop()
			}
			errs <- e
		}()
	}
	<-runCtx.Done()
	for range run {
		if e := <-errs; e != nil && err == nil {
			err = e
		}
	}
	b.Wait()
	log.Info("stopped")
	return err
}

// zaloOptions is the Zalo channel's configuration.
func zaloOptions(cfg *config.Config, log *slog.Logger, st *store.Store, reg prometheus.Registerer, inbox zalo.Inbox, onAuth func(error)) zalo.Options {
	return zalo.Options{
		AppID: cfg.ZaloAppID, AppSecret: cfg.ZaloAppSecret, OASecretKey: cfg.ZaloOASecret,
		SeedRefreshToken: cfg.ZaloRefreshToken, APIURL: cfg.ZaloAPIURL, OAuthURL: cfg.ZaloOAuthURL,
		Log: log, Registerer: reg, Tokens: st, Inbox: inbox, OnAuthFailure: onAuth,
		OAID: cfg.ZaloOAID, RedirectURI: cfg.ZaloRedirectURI, SignatureVariants: cfg.ZaloSignatureVariants,
	}
}

// lateInbox hands channels' input to the bot, which is built after them.
type lateInbox struct {
	mu sync.Mutex
	b  *bot.Bot
}

func (l *lateInbox) set(b *bot.Bot) {
	l.mu.Lock()
	l.b = b
	l.mu.Unlock()
}

func (l *lateInbox) Accept(ctx context.Context, ups []*bot.Update) error {
	l.mu.Lock()
	b := l.b
	l.mu.Unlock()
	if b == nil {
		return errors.New("the bot is starting")
	}
	return b.Accept(ctx, ups)
}

// lateAdmins tells the admins through the bot, which is built after the
// channels: what a channel raises before that is kept until then.
type lateAdmins struct {
	mu      sync.Mutex
	b       *bot.Bot
	log     *slog.Logger
	pending []func(*bot.Bot)
}

func (l *lateAdmins) set(b *bot.Bot) {
	l.mu.Lock()
	l.b = b
	pending := l.pending
	l.pending = nil
	l.mu.Unlock()
	for _, f := range pending {
		go f(b)
	}
}

// tell queues a message (key, template pairs) to every admin; it does not
// wait for the commit.
func (l *lateAdmins) tell(key string, kv ...any) {
	f := func(b *bot.Bot) {
		if err := b.AlertAdmins(key, kv...); err != nil {
			l.log.Error("tell admins", "err", err)
		}
	}
	l.mu.Lock()
	b := l.b
	if b == nil {
		l.pending = append(l.pending, f)
	}
	l.mu.Unlock()
	if b != nil {
		go f(b)
	}
}

// newAnswerer builds the policy knowledge base (embedded documents, then
// KB_DIR, then documents staff uploaded) and its answerer. st and curated
// may be nil (command-line use).
func newAnswerer(cfg *config.Config, log *slog.Logger, st *store.Store, curated *bot.CuratedAnswers) (*policy.Answerer, error) {
	kb, err := policy.LoadEmbedded()
	if err != nil {
		return nil, err
	}
	if cfg.KBDir != "" {
		if err := kb.Overlay(cfg.KBDir); err != nil {
			return nil, fmt.Errorf("KB_DIR: %w", err)
		}
	}
	opts := policy.Options{Logger: log}
	if st != nil {
		if err := bot.ApplyUploads(st, kb, log); err != nil {
			return nil, err
		}
		opts.Vectors = st
	}
	if curated != nil {
		opts.Curated = curated.Lookup
	}
	if cfg.LLM() {
		opts.LLM = &policy.LLMConfig{APIKey: cfg.OpenAIKey, BaseURL: cfg.OpenAIBaseURL, Model: cfg.OpenAIModel, EmbeddingModel: cfg.EmbedModel}
	}
	return policy.New(kb, opts), nil
}
