package zalo

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/zalo/zalotest"
)

func TestRefreshTime(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		tok  Tokens
		want time.Time
	}{
		{"25h", Tokens{Obtained: t0, Expires: t0.Add(25 * time.Hour)}, t0.Add(20 * time.Hour)},
		{"10h", Tokens{Obtained: t0, Expires: t0.Add(10 * time.Hour)}, t0.Add(8 * time.Hour)},
		{"NoObtained", Tokens{Expires: t0.Add(25 * time.Hour)}, t0.Add(20 * time.Hour)},
		{"ObtainedAfterExpiry", Tokens{Obtained: t0.Add(time.Hour), Expires: t0}, t0.Add(-5 * time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := refreshTime(tt.tok); !got.Equal(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// runKeeper runs the keeper until the test ends.
func runKeeper(t *testing.T, e *env) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.ch.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

func TestRunRefreshesAt80Percent(t *testing.T) {
	e := newEnv(t, nil)
	old, _ := e.tokens.current()
	// 79 % of the lifetime: not yet.
	e.clock.Add(time.Duration(0.79 * float64(zalotest.AccessTTL)))
	e.ch.keeper.mu.Lock()
	due := e.ch.keeper.dueLocked()
	e.ch.keeper.mu.Unlock()
	if want := old.Obtained.Add(20 * time.Hour); !due.Equal(want) {
		t.Fatalf("due %v, want %v", due, want)
	}
	// Past 80 %: Run refreshes at once.
	e.clock.Add(time.Duration(0.02 * float64(zalotest.AccessTTL)))
	runKeeper(t, e)
	if !e.fake.WaitCalls("oauth", 1, 5*time.Second) {
		t.Fatal("no refresh")
	}
	// A send waits for the refresh under way, then uses the new token.
	if err := e.send(e.user(), bot.Reply{Text: "tin"}); err != nil {
		t.Fatal(err)
	}
	if c := e.fake.CallsTo("message"); len(c) != 1 || c[0].Token == old.Access {
		t.Fatalf("message calls %+v", c)
	}
	saved, n := e.tokens.current()
	if n != 1 || saved.Access == old.Access || saved.Refresh == old.Refresh || saved != e.ch.keeper.tokens() {
		t.Fatalf("saved %d pairs, current %+v", n, saved)
	}
	if !saved.Obtained.Equal(e.clock.Now()) || !saved.Expires.Equal(e.clock.Now().Add(zalotest.AccessTTL)) {
		t.Fatalf("obtained %v expires %v", saved.Obtained, saved.Expires)
	}
	if e.fake.ValidRefresh(old.Refresh) {
		t.Fatal("old refresh token still valid")
	}
	if err := e.ch.Healthy(); err != nil {
		t.Fatal(err)
	}
	// The next refresh is due at 80 % of the new pair's life.
	e.ch.keeper.mu.Lock()
	due = e.ch.keeper.dueLocked()
	e.ch.keeper.mu.Unlock()
	if want := saved.Obtained.Add(20 * time.Hour); !due.Equal(want) {
		t.Fatalf("next due %v, want %v", due, want)
	}
}

// TestPassingRefreshFailureIsQuiet: a 503 at the scheduled refresh, hours
// before the token ends, is retried without a notice to the admins; one
// still failing within the last hour of the token is told, once.
func TestPassingRefreshFailureIsQuiet(t *testing.T) {
	e := newEnv(t, nil)
	refresh := func() error {
		e.ch.keeper.mu.Lock()
		f, err := e.ch.keeper.beginLocked()
		e.ch.keeper.mu.Unlock()
		if err != nil {
			return err
		}
		return f.wait(context.Background())
	}
	e.fake.Inject("oauth", zalotest.Fault{Status: 503})
	e.clock.Add(time.Duration(0.81 * float64(zalotest.AccessTTL))) // about 4.75 h left
	if err := refresh(); err == nil {
		t.Fatal("refresh succeeded against a 503")
	}
	if n := len(e.authFailures()); n != 0 {
		t.Fatalf("%d notices for one 503 with hours of token left", n)
	}
	// A passing failure nobody was told about recovers quietly too.
	e.fake.ClearFaults()
	e.clock.Add(10 * time.Second)
	if err := refresh(); err != nil {
		t.Fatal(err)
	}
	if n := e.recoveries(); n != 0 {
		t.Fatalf("%d recovery notices after a quiet failure", n)
	}
	e.fake.Inject("oauth", zalotest.Fault{Status: 503})
	e.clock.Add(time.Duration(0.81 * float64(zalotest.AccessTTL)))
	if err := refresh(); err == nil {
		t.Fatal("refresh succeeded against a 503")
	}
	e.clock.Add(4*time.Hour + 20*time.Minute) // 25 min left
	if err := refresh(); err == nil {
		t.Fatal("refresh succeeded against a 503")
	}
	e.clock.Add(10 * time.Minute)
	refresh()
	if n := len(e.authFailures()); n != 1 {
		t.Fatalf("%d notices with the token about to end, want 1", n)
	}
	e.fake.ClearFaults()
	e.clock.Add(10 * time.Minute)
	if err := refresh(); err != nil {
		t.Fatal(err)
	}
	if err := e.ch.Healthy(); err != nil {
		t.Fatal(err)
	}
	if n := e.recoveries(); n != 1 {
		t.Fatalf("%d recovery notices after the admins were told, want 1", n)
	}
}

// TestStopDuringRefreshSavesPair: a stop while Zalo is answering a
// refresh waits for the answer and saves the rotated pair before Run
// returns (after it the store closes, and the old refresh token is spent).
func TestStopDuringRefreshSavesPair(t *testing.T) {
	e := newEnv(t, nil)
	old, _ := e.tokens.current()
	e.fake.Inject("oauth", zalotest.Fault{Delay: 300 * time.Millisecond, Times: 1})
	e.clock.Add(time.Duration(0.81 * float64(zalotest.AccessTTL)))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.ch.Run(ctx); close(done) }()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		e.ch.keeper.mu.Lock()
		inFlight := e.ch.keeper.flight != nil
		e.ch.keeper.mu.Unlock()
		if inFlight {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no refresh started")
		}
	}
	cancel()
	<-done
	saved, n := e.tokens.current()
	if n != 1 || saved.Refresh == old.Refresh || !e.fake.ValidRefresh(saved.Refresh) {
		t.Fatalf("after the stop: %d pairs saved, refresh token valid %v", n, e.fake.ValidRefresh(saved.Refresh))
	}
}

// Concurrent senders whose token expired share one refresh, and every send
// after it carries the new token.
func TestConcurrentRefreshIsOne(t *testing.T) {
	e := newEnv(t, nil)
	old, _ := e.tokens.current()
	e.fake.ExpireAccess("")
	users := make([]string, 20)
	for i := range users {
		users[i] = e.user()
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(users))
	for _, u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- e.send(u, bot.Reply{Text: "tin"})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := len(e.fake.CallsTo("oauth")); n != 1 {
		t.Fatalf("%d refreshes, want 1", n)
	}
	cur := e.ch.keeper.tokens()
	for _, c := range e.fake.CallsTo("message") {
		switch c.Token {
		case cur.Access:
		case old.Access:
			if c.Error != zalotest.ErrExpiredToken && c.Error != zalotest.ErrInvalidToken {
				t.Fatalf("old token accepted: %+v", c)
			}
		default:
			t.Fatalf("unknown token used")
		}
	}
	if e.fake.SentCount() != len(users) {
		t.Fatalf("sent %d, want %d", e.fake.SentCount(), len(users))
	}
	// After the refresh, the old token is never used again.
	e.fake.ClearCalls()
	if err := e.send(users[0], bot.Reply{Text: "nữa"}); err != nil {
		t.Fatal(err)
	}
	if c := e.fake.CallsTo("message"); len(c) != 1 || c[0].Token != cur.Access {
		t.Fatalf("calls %+v", c)
	}
}

// A pair Zalo issued is used only after its commit: a failing store keeps
// the new access token unused until the commit succeeds.
func TestRotationCommittedBeforeUse(t *testing.T) {
	e := newEnv(t, nil)
	u := e.user()
	old, _ := e.tokens.current()
	e.tokens.setFail(true)
	e.fake.ExpireAccess("")
	err := e.send(u, bot.Reply{Text: "tin"})
	if se, ok := bot.AsSendError(err); !ok || !se.Temporary() {
		t.Fatalf("err = %v, want a temporary SendError", err)
	}
	oauth := e.fake.CallsTo("oauth")
	if len(oauth) != 1 || oauth[0].Error != 0 {
		t.Fatalf("oauth calls %+v", oauth)
	}
	for _, c := range e.fake.CallsTo("message") {
		if c.Token != old.Access {
			t.Fatal("a message went out with the uncommitted access token")
		}
	}
	if e.ch.Healthy() == nil {
		t.Fatal("healthy while the pair is not committed")
	}
	if len(e.authFailures()) != 1 {
		t.Fatalf("%d auth failure notices, want 1", len(e.authFailures()))
	}
	// Still failing, backoff passed: the same pending pair is committed,
	// Zalo is not asked again.
	e.clock.Add(2 * time.Second)
	if err := e.send(u, bot.Reply{Text: "tin"}); err == nil {
		t.Fatal("sent while the store fails")
	}
	e.tokens.setFail(false)
	e.clock.Add(5 * time.Second)
	if err := e.send(u, bot.Reply{Text: "tin"}); err != nil {
		t.Fatal(err)
	}
	if n := len(e.fake.CallsTo("oauth")); n != 1 {
		t.Fatalf("%d oauth calls, want 1 (the rotated pair is kept until committed)", n)
	}
	saved, _ := e.tokens.current()
	calls := e.fake.CallsTo("message")
	if last := calls[len(calls)-1]; last.Token != saved.Access || last.Error != 0 {
		t.Fatalf("last call %+v", last)
	}
	if len(e.authFailures()) != 1 {
		t.Fatalf("%d auth failure notices, want 1 per failing spell", len(e.authFailures()))
	}
	if n := e.recoveries(); n != 1 {
		t.Fatalf("%d recovery notices, want 1", n)
	}
	if err := e.ch.Healthy(); err != nil {
		t.Fatal(err)
	}
}

func TestRefreshFailureBacksOff(t *testing.T) {
	e := newEnv(t, nil)
	u := e.user()
	old, _ := e.tokens.current()
	e.fake.RevokeRefresh(old.Refresh) // lost by a crash before a commit
	e.fake.ExpireAccess("")
	send := func() error { return e.send(u, bot.Reply{Text: "tin"}) }
	if err := send(); err == nil {
		t.Fatal("sent without a token")
	}
	if n := len(e.authFailures()); n != 1 {
		t.Fatalf("%d notices, want 1", n)
	}
	if !strings.Contains(e.authFailures()[0].Error(), "-14014") {
		t.Fatalf("notice %v", e.authFailures()[0])
	}
	herr := e.ch.Healthy()
	if herr == nil || !strings.Contains(herr.Error(), "refresh failing") {
		t.Fatalf("Healthy() = %v", herr)
	}
	// Within the backoff: no new attempt.
	send()
	if n := len(e.fake.CallsTo("oauth")); n != 1 {
		t.Fatalf("%d oauth calls within the backoff, want 1", n)
	}
	// The backoff doubles: 1 s, 2 s, 4 s… up to 5 min.
	var waits []time.Duration
	for range 12 {
		e.ch.keeper.mu.Lock()
		w := e.ch.keeper.wait
		e.ch.keeper.mu.Unlock()
		waits = append(waits, w)
		e.clock.Add(w)
		send()
	}
	want := []time.Duration{1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300}
	for i := range want {
		if waits[i] != want[i]*time.Second {
			t.Fatalf("backoff %v, want %v s", waits, want)
		}
	}
	if n := len(e.fake.CallsTo("oauth")); n != 13 {
		t.Fatalf("%d oauth calls, want 13", n)
	}
	if n := len(e.authFailures()); n != 1 {
		t.Fatalf("%d notices, want 1 for the spell", n)
	}
}

func TestEnvSeedWins(t *testing.T) {
	t.Run("Differs", func(t *testing.T) {
		var seed string
		e := newEnv(t, func(o *Options, e *env) {
			_, seed = e.fake.IssueTokens()
			e.tokens.tok.Seed = "an older seed"
			o.SeedRefreshToken = seed
		})
		stored, _ := e.tokens.current()
		u := e.user()
		if err := e.send(u, bot.Reply{Text: "tin"}); err != nil {
			t.Fatal(err)
		}
		oauth := e.fake.CallsTo("oauth")
		if len(oauth) != 1 || !strings.Contains(string(oauth[0].Body), "refresh_token="+seed) {
			t.Fatalf("oauth calls %+v", oauth)
		}
		saved, n := e.tokens.current()
		if n != 1 || saved.Seed != seed || saved.Access == stored.Access {
			t.Fatalf("saved %+v", saved)
		}
		if c := e.fake.CallsTo("message"); len(c) != 1 || c[0].Token != saved.Access {
			t.Fatal("the stored access token was used after the env seed was taken")
		}
	})
	t.Run("Same", func(t *testing.T) {
		e := newEnv(t, func(o *Options, e *env) {
			e.tokens.tok.Seed = "rt-seed"
			o.SeedRefreshToken = "rt-seed"
		})
		if err := e.send(e.user(), bot.Reply{Text: "tin"}); err != nil {
			t.Fatal(err)
		}
		if n := len(e.fake.CallsTo("oauth")); n != 0 {
			t.Fatalf("%d refreshes, want 0", n)
		}
	})
	t.Run("NothingStored", func(t *testing.T) {
		e := newEnv(t, func(o *Options, e *env) { e.tokens.has = false; e.tokens.tok = Tokens{} })
		if err := e.ch.Healthy(); err == nil || !strings.Contains(err.Error(), "zalo-auth") {
			t.Fatalf("Healthy() = %v", err)
		}
		if err := e.send(e.user(), bot.Reply{Text: "tin"}); err == nil {
			t.Fatal("sent without tokens")
		}
		if n := len(e.fake.CallsTo("oauth")); n != 0 {
			t.Fatalf("%d oauth calls without a refresh token", n)
		}
	})
}

func TestOAuthAnswers(t *testing.T) {
	tests := []struct {
		name  string
		fault zalotest.Fault
		ok    bool
	}{
		{"Error200", zalotest.Fault{Error: zalotest.ErrBadRefresh}, false},
		{"HTTP502", zalotest.Fault{Status: 502}, false},
		{"Slow", zalotest.Fault{Delay: 10 * time.Millisecond}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			old, _ := e.tokens.current()
			e.fake.Inject("oauth", tt.fault)
			err := e.ch.keeper.refresh(context.Background(), old.Access)
			_, n := e.tokens.current()
			if tt.ok != (err == nil) || tt.ok != (n == 1) {
				t.Fatalf("err %v, %d saves", err, n)
			}
			if !tt.ok && e.ch.keeper.tokens().Access != old.Access {
				t.Fatal("a failed refresh replaced the pair")
			}
		})
	}
}

func TestNewOptions(t *testing.T) {
	base := Options{AppID: "1", AppSecret: "s", OASecretKey: "k", Tokens: &memTokens{}}
	tests := []struct {
		name string
		edit func(*Options)
		ok   bool
	}{
		{"OK", func(*Options) {}, true},
		{"NoAppID", func(o *Options) { o.AppID = "" }, false},
		{"NoSecret", func(o *Options) { o.AppSecret = "" }, false},
		{"NoOAKey", func(o *Options) { o.OASecretKey = "" }, false},
		{"NoStore", func(o *Options) { o.Tokens = nil }, false},
		{"RateAtLimit", func(o *Options) { o.RatePerMinute = MaxRate }, false},
		{"RateNegative", func(o *Options) { o.RatePerMinute = -1 }, false},
		{"RateJustUnder", func(o *Options) { o.RatePerMinute = MaxRate - 1 }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := base
			tt.edit(&o)
			_, err := New(o)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

func TestMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	e := newEnv(t, func(o *Options, _ *env) { o.Registerer = reg })
	u := e.user()
	e.fake.Inject("message", zalotest.Fault{Error: -230, Times: 1})
	e.send(u, bot.Reply{Text: "a"})
	e.send(u, bot.Reply{Text: "b"})
	e.fake.SetSigning(zalotest.SignForged)
	e.fake.SendText(u, "x")
	var b strings.Builder
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			b.WriteString(mf.GetName())
			for _, l := range m.GetLabel() {
				b.WriteString(" " + l.GetName() + "=" + l.GetValue())
			}
			fmt.Fprintf(&b, " %g\n", m.GetCounter().GetValue()+m.GetGauge().GetValue())
		}
	}
	got := b.String()
	for _, want := range []string{
		"zalo_api_calls_total endpoint=message result=ok 1\n",
		"zalo_api_calls_total endpoint=message result=outside_window 1\n",
		"zalo_webhook_events_total result=bad_signature 1\n",
		"zalo_token_ok 1\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("metrics lack %q:\n%s", want, got)
		}
	}
	tok, _ := e.tokens.current()
	if strings.Contains(got, tok.Access) || strings.Contains(got, u) {
		t.Fatal("a token or user ID in metrics")
	}
}
