package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/config"
	"github.com/qnstartup/trolykhoinghiep/demo"
	"github.com/qnstartup/trolykhoinghiep/store"
	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
	"github.com/qnstartup/trolykhoinghiep/zalo/zalotest"
)

// runDemo runs the same bot against an in-process fake platform and lets
// the person at the terminal chat with it. It answers on every run, with
// or without a database left by an earlier one.
func runDemo(ctx context.Context, cfg *config.Config, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stdout)
	channel := fs.String("channel", "telegram", "telegram or zalo: which client the demo plays")
	seed := fs.Bool("seed", false, "add a few published ideas, an event and a question waiting for staff")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if os.Getenv("DB_PATH") == "" {
		cfg.DBPath = filepath.Join(demoDir(), "demo.db")
	}
	if os.Getenv("HTTP_ADDR") == "" {
		cfg.HTTPAddr = "127.0.0.1:0"
	}
	if os.Getenv("WEB_ADDR") == "" {
		cfg.WebAddr = "127.0.0.1:8081"
	}
	cfg.PollTimeout = 5 * time.Second
	if err := os.MkdirAll(filepath.Dir(cfg.DBPath), 0o755); err != nil {
		return err
	}
	logf, err := os.OpenFile(filepath.Join(filepath.Dir(cfg.DBPath), "demo.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer logf.Close()
	log := newLogger(cfg, logf)

	var be demo.Backend
	r := &demoRunner{cfg: cfg, log: log, seed: *seed}
	switch *channel {
	case "telegram":
		srv := telegramtest.NewServer()
		defer srv.Close()
		// Each run's fake starts its update IDs somewhere new, as Telegram
		// does after a quiet week: an update of this run is never taken for
		// a redelivery of the same update of the last run.
		srv.RandomUpdateIDs()
		cfg.Token, cfg.Endpoint = srv.Token(), srv.URL()
		cfg.AdminIDs = append(cfg.AdminIDs, demo.Staff.TelegramID)
		be = &demo.Telegram{Srv: srv, Idle: r.idle}
	case "zalo":
		srv := zalotest.NewServer()
		defer srv.Close()
		_, refresh := srv.IssueTokens()
		cfg.ZaloAppID, cfg.ZaloAppSecret, cfg.ZaloOASecret = srv.AppID(), srv.AppSecret(), srv.OAKey()
		cfg.ZaloAPIURL, cfg.ZaloOAuthURL, cfg.ZaloRefreshToken, cfg.ZaloOAID = srv.URL(), srv.URL(), refresh, srv.OAID()
		cfg.ZaloAdmins = append(cfg.ZaloAdmins, demo.Staff.ZaloID)
		r.onStart = func(web string) { srv.SetWebhook("http://" + web + "/zalo/webhook") }
		be = &demo.Zalo{Srv: srv, Idle: r.idle}
	default:
		return fmt.Errorf("demo: unknown channel %q (telegram or zalo)", *channel)
	}
	if err := r.start(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Trang web Ngân hàng ý tưởng mở: http://%s\n", r.webAddr())
	err = demo.New(be, stdout, demo.Hooks{Reset: func() error { return r.reset(ctx) }}).Run(ctx, stdin)
	if berr := r.stop(); berr != nil && err == nil {
		err = berr
	}
	return err
}

// demoRunner runs the bot of the demo and starts it over on !reset.
type demoRunner struct {
	cfg  *config.Config
	log  *slog.Logger
	seed bool

	// onStart is told the public listener's address at every start (the
	// fake Zalo posts its webhooks there).
	onStart func(webAddr string)

	mu     sync.Mutex
	b      *bot.Bot
	web    string
	cancel context.CancelFunc
	done   chan error
}

func (r *demoRunner) start(ctx context.Context) error {
	if r.seed {
		st, err := store.Open(r.cfg.DBPath, store.Options{})
		if err != nil {
			return err
		}
		err = demo.Seed(st, time.Now())
		st.Close()
		if err != nil {
			return fmt.Errorf("seed the demo: %w", err)
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	ready := make(chan *bot.Bot, 1)
	done := make(chan error, 1)
	addr := make(chan string, 1)
	go func() {
		done <- runBot(ctx, r.cfg, r.log, func(b *bot.Bot, web string) { addr <- web; ready <- b })
	}()
	select {
	case b := <-ready:
		r.mu.Lock()
		r.b, r.cancel, r.done, r.web = b, cancel, done, <-addr
		r.mu.Unlock()
		if r.onStart != nil {
			r.onStart(r.web)
		}
		return nil
	case err := <-done:
		cancel()
		return err
	}
}

func (r *demoRunner) stop() error {
	r.mu.Lock()
	cancel, done := r.cancel, r.done
	r.b, r.cancel, r.done = nil, nil, nil
	r.mu.Unlock()
	if cancel == nil {
		return nil
	}
	cancel()
	return <-done
}

// reset stops the bot, removes the demo database and starts again.
func (r *demoRunner) reset(ctx context.Context) error {
	if err := r.stop(); err != nil {
		return err
	}
	if err := os.Remove(r.cfg.DBPath); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return r.start(ctx)
}

func (r *demoRunner) webAddr() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.web
}

// idle waits until the bot has handled everything it accepted.
func (r *demoRunner) idle(d time.Duration) bool {
	r.mu.Lock()
	b := r.b
	r.mu.Unlock()
	return b != nil && b.WaitIdle(d)
}

// demoDir is where the demo keeps its database and log: ./data, or, when
// this folder cannot be written, the user's cache folder, then the
// system's temporary folder.
func demoDir() string {
	dirs := []string{"data"}
	if c, err := os.UserCacheDir(); err == nil {
		dirs = append(dirs, filepath.Join(c, "trolykhoinghiep", "demo"))
	}
	dirs = append(dirs, filepath.Join(os.TempDir(), "trolykhoinghiep-demo"))
	for _, d := range dirs {
		if os.MkdirAll(d, 0o755) != nil {
			continue
		}
		f, err := os.CreateTemp(d, ".write-test-*")
		if err != nil {
			continue
		}
		f.Close()
		os.Remove(f.Name())
		return d
	}
	return "data" // fails below with the reason
}
