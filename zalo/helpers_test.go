package zalo

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/zalo/zalotest"
)

// memTokens is a TokenStore in memory; Fail makes saves fail.
type memTokens struct {
	mu    sync.Mutex
	tok   Tokens
	has   bool
	saves []Tokens
	fail  bool
}

func (m *memTokens) LoadZaloTokens() (Tokens, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.has {
		return Tokens{}, ErrNoTokens
	}
	return m.tok, nil
}

func (m *memTokens) SaveZaloTokens(t Tokens) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail {
		return errors.New("disk full")
	}
	m.tok, m.has = t, true
	m.saves = append(m.saves, t)
	return nil
}

func (m *memTokens) setFail(on bool) {
	m.mu.Lock()
	m.fail = on
	m.mu.Unlock()
}

func (m *memTokens) current() (Tokens, int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.tok, len(m.saves)
}

// memInbox records accepted updates, once per Key; fail makes Accept fail.
type memInbox struct {
	mu   sync.Mutex
	ups  []*bot.Update
	keys map[string]int
	fail bool
}

func (m *memInbox) Accept(_ context.Context, ups []*bot.Update) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail {
		return errors.New("store unavailable")
	}
	if m.keys == nil {
		m.keys = make(map[string]int)
	}
	for _, u := range ups {
		m.keys[u.Key]++
		if m.keys[u.Key] == 1 {
			m.ups = append(m.ups, u)
		}
	}
	return nil
}

func (m *memInbox) updates() []*bot.Update {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]*bot.Update(nil), m.ups...)
}

func (m *memInbox) deliveries(key string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.keys[key]
}

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// syncBuffer is a log sink safe for concurrent writes.
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

// env is a channel wired to a fake Zalo over real HTTP.
type env struct {
	t      *testing.T
	fake   *zalotest.Server
	ch     *Channel
	tokens *memTokens
	inbox  *memInbox
	clock  *clock
	logs   *syncBuffer
	hook   *httptest.Server

	mu        sync.Mutex
	sleeps    []time.Duration
	failures  []error
	recovered int // OnAuthRecovered calls
}

// newEnv starts a fake server and a channel holding a valid token pair.
// edit may change the options (and the stored tokens) before New.
func newEnv(t *testing.T, edit func(*Options, *env)) *env {
	t.Helper()
	e := &env{t: t, fake: zalotest.Start(t), tokens: &memTokens{}, inbox: &memInbox{}, logs: &syncBuffer{}}
	e.clock = &clock{t: time.Now()}
	e.fake.SetClock(e.clock.Now)
	access, refresh := e.fake.IssueTokens()
	now := e.clock.Now()
	e.tokens.tok, e.tokens.has = Tokens{Access: access, Refresh: refresh, Obtained: now, Expires: now.Add(zalotest.AccessTTL)}, true
	opt := Options{
		AppID:         e.fake.AppID(),
		AppSecret:     e.fake.AppSecret(),
		OASecretKey:   e.fake.OAKey(),
		APIURL:        e.fake.URL(),
		OAuthURL:      e.fake.URL(),
		Tokens:        e.tokens,
		Inbox:         e.inbox,
		Now:           e.clock.Now,
		RatePerMinute: MaxRate - 1,
		Log:           slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		OnAuthFailure: func(err error) {
			e.mu.Lock()
			e.failures = append(e.failures, err)
			e.mu.Unlock()
		},
		OnAuthRecovered: func() {
			e.mu.Lock()
			e.recovered++
			e.mu.Unlock()
		},
	}
	if edit != nil {
		edit(&opt, e)
	}
	ch, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	ch.limiter.SetLimit(1e6) // pacing has its own benchmark
	ch.limiter.SetBurst(1000)
	ch.sleep = func(_ context.Context, d time.Duration) error {
		e.mu.Lock()
		e.sleeps = append(e.sleeps, d)
		e.mu.Unlock()
		return nil
	}
	e.ch = ch
	mux := http.NewServeMux()
	mux.Handle("POST /zalo/webhook", ch.Webhook())
	e.hook = httptest.NewServer(mux)
	t.Cleanup(e.hook.Close)
	e.fake.SetWebhook(e.hook.URL + "/zalo/webhook")
	return e
}

func (e *env) authFailures() []error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]error(nil), e.failures...)
}

func (e *env) recoveries() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.recovered
}

func (e *env) slept() []time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]time.Duration(nil), e.sleeps...)
}

// user returns a new user who interacted with the OA just now.
func (e *env) user() string {
	u := e.fake.NewUser()
	e.fake.Touch(u)
	return u
}

func (e *env) send(to string, r bot.Reply) error {
	e.t.Helper()
	_, err := e.ch.Send(context.Background(), to, r)
	return err
}

func mustStatus(t *testing.T, want int) func(int, error) {
	t.Helper()
	return func(got int, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("status %d, want %d", got, want)
		}
	}
}
