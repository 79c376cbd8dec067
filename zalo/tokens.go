package zalo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Token refresh timing.
const (
	refreshAt       = 0.8 // of the access token's lifetime
	refreshWaitMin  = time.Second
	refreshWaitMax  = 5 * time.Minute
	refreshTimeout  = 30 * time.Second
	defaultLifetime = 25 * time.Hour
	// A refresh failing for a passing reason alerts the admins only when
	// the access token has less than alertBefore left, or after alertAfter
	// of failures.
	alertBefore = time.Hour
	alertAfter  = 30 * time.Minute
)

var errNoRefresh = errors.New("no refresh token: run zalo-auth")

// keeper owns the token pair: one refresh at a time, the new pair
// committed before its access token is used.
type keeper struct {
	c *Channel

	mu        sync.Mutex
	tok       Tokens
	pending   *Tokens // issued by Zalo but not yet committed
	flight    *flight // the refresh under way
	failing   error   // why the last refresh failed; nil after a success
	failSince time.Time
	wait      time.Duration // current backoff
	nextTry   time.Time
	notified  bool          // OnAuthFailure called for this failing spell
	wake      chan struct{} // nudges run after a refresh
}

type flight struct {
	done chan struct{}
	err  error
}

func (f *flight) wait(ctx context.Context) error {
	select {
	case <-f.done:
		return f.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func newKeeper(c *Channel) (*keeper, error) {
	k := &keeper{c: c, wake: make(chan struct{}, 1)}
	tok, err := c.opt.Tokens.LoadZaloTokens()
	if err != nil && !errors.Is(err, ErrNoTokens) {
		return nil, fmt.Errorf("zalo: load tokens: %w", err)
	}
	if seed := c.opt.SeedRefreshToken; seed != "" && seed != tok.Seed {
		// An operator replacing a dead token: the environment wins.
		c.log.Info("taking the refresh token from ZALO_REFRESH_TOKEN: it differs from the one last taken")
		tok = Tokens{Refresh: seed, Seed: seed}
	}
	k.tok = tok
	k.gauge()
	return k, nil
}

// usableLocked reports whether the access token can be used now.
func (k *keeper) usableLocked() bool {
	return k.tok.Access != "" && k.c.now().Before(k.tok.Expires)
}

func (k *keeper) gauge() {
	ok := 0.0
	if k.failing == nil && k.usableLocked() {
		ok = 1
	}
	k.c.metrics.token.Set(ok)
	if !k.tok.Expires.IsZero() {
		k.c.metrics.exp.Set(float64(k.tok.Expires.Unix()))
	}
}

// access returns the access token to use now, waiting for a refresh under
// way (the old token is never used once a refresh has begun) and starting
// one when there is no usable token.
func (k *keeper) access(ctx context.Context) (string, error) {
	for {
		k.mu.Lock()
		if f := k.flight; f != nil {
			k.mu.Unlock()
			if err := f.wait(ctx); err != nil {
				return "", err
			}
			continue
		}
		if k.usableLocked() {
			tok := k.tok.Access
			k.mu.Unlock()
			return tok, nil
		}
		f, err := k.beginLocked()
		k.mu.Unlock()
		if err != nil {
			return "", err
		}
		if err := f.wait(ctx); err != nil {
			return "", err
		}
	}
}

// refresh replaces stale, an access token Zalo rejected, unless that
// already happened; concurrent callers share one refresh.
func (k *keeper) refresh(ctx context.Context, stale string) error {
	k.mu.Lock()
	f := k.flight
	if f == nil {
		if k.tok.Access != stale && k.usableLocked() {
			k.mu.Unlock()
			return nil
		}
		var err error
		if f, err = k.beginLocked(); err != nil {
			k.mu.Unlock()
			return err
		}
	}
	k.mu.Unlock()
	return f.wait(ctx)
}

// beginLocked starts a refresh in its own goroutine (a caller going away
// must not lose the answer: the refresh token is single use), unless the
// last one failed and its backoff has not passed.
func (k *keeper) beginLocked() (*flight, error) {
	if k.flight != nil {
		return k.flight, nil
	}
	if k.failing != nil && k.c.now().Before(k.nextTry) {
		return nil, fmt.Errorf("token refresh failing (next try in %s): %w", k.nextTry.Sub(k.c.now()).Round(time.Second), k.failing)
	}
	f := &flight{done: make(chan struct{})}
	k.flight = f
	cur, pending := k.tok, k.pending
	go k.rotate(f, cur, pending)
	return f, nil
}

// rotate gets a new pair (or takes the one whose commit failed), commits
// it, and only then makes it current.
func (k *keeper) rotate(f *flight, cur Tokens, pending *Tokens) {
	ctx, cancel := context.WithTimeout(context.Background(), refreshTimeout)
	defer cancel()
	var next Tokens
	var err error
	if pending != nil {
		next = *pending
	} else if cur.Refresh == "" {
		err = errNoRefresh
	} else {
		next, err = k.c.oauth(ctx, url.Values{
			"refresh_token": {cur.Refresh},
			"app_id":        {k.c.opt.AppID},
			"grant_type":    {"refresh_token"},
		})
		next.Seed = cur.Seed
	}
	saved := false
	if err == nil {
		if serr := k.c.opt.Tokens.SaveZaloTokens(next); serr != nil {
			err = fmt.Errorf("commit the new token pair: %w", serr)
		} else {
			saved = true
		}
	}

	k.mu.Lock()
	notify, recovered := false, false
	switch {
	case saved:
		recovered = k.notified
		k.tok, k.pending, k.failing, k.wait, k.notified = next, nil, nil, 0, false
	default:
		if next.Access != "" && !saved {
			// Zalo rotated the pair but it is not committed: the old pair
			// is dead and the new one must not be used before its commit.
			k.pending = &next
			k.tok.Access = ""
		}
		if k.failing == nil {
			k.failSince = k.c.now()
		}
		k.failing = err
		k.wait = min(max(2*k.wait, refreshWaitMin), refreshWaitMax)
		k.nextTry = k.c.now().Add(k.wait)
		if !k.notified && k.alarmingLocked(err) {
			notify, k.notified = true, true
		}
	}
	k.flight = nil
	f.err = err
	retry := k.wait
	k.gauge()
	k.mu.Unlock()
	if err != nil {
		k.c.log.Error("zalo token refresh failed", "err", err, "retry_in", retry)
		if notify && k.c.opt.OnAuthFailure != nil {
			// Before waiters resume, so the admins' notice is queued first.
			k.c.opt.OnAuthFailure(err)
		}
	}
	close(f.done)
	select {
	case k.wake <- struct{}{}:
	default:
	}
	if err != nil {
		return
	}
	k.c.log.Info("zalo token refreshed", "expires", next.Expires)
	if recovered && k.c.opt.OnAuthRecovered != nil {
		k.c.opt.OnAuthRecovered()
	}
}

// alarmingLocked reports whether a failed refresh needs the admins: Zalo
// refused it (the refresh token is spent or revoked, the app secret is
// wrong), no access token is usable, the current one expires within
// alertBefore, or refreshes have failed for alertAfter. A passing network
// fault or 5xx hours before the token's end is only logged and retried.
func (k *keeper) alarmingLocked(err error) bool {
	var rej *oauthRejected
	now := k.c.now()
	return errors.As(err, &rej) || errors.Is(err, errNoRefresh) || k.tok.Access == "" ||
		!now.Add(alertBefore).Before(k.tok.Expires) || now.Sub(k.failSince) >= alertAfter
}

// oauthRejected is an OAuth call Zalo answered with an error.
type oauthRejected struct {
	code       int
	name, desc string
}

func (e *oauthRejected) Error() string {
	return fmt.Sprintf("oauth %d %s: %s", e.code, clip(e.name, 50), clip(e.desc, 200))
}

// due is when the pair should next be refreshed.
func (k *keeper) dueLocked() time.Time {
	switch {
	case k.flight != nil:
		return k.c.now().Add(time.Hour) // woken when it ends
	case k.failing != nil:
		return k.nextTry
	case k.tok.Access == "":
		return k.c.now()
	}
	return refreshTime(k.tok)
}

// refreshTime is when 80 % of the access token's lifetime has passed.
func refreshTime(t Tokens) time.Time {
	life := t.Expires.Sub(t.Obtained)
	if t.Obtained.IsZero() || life <= 0 {
		life = defaultLifetime
		return t.Expires.Add(-time.Duration(float64(life) * (1 - refreshAt)))
	}
	return t.Obtained.Add(time.Duration(float64(life) * refreshAt))
}

// run refreshes the pair when due until ctx ends; then it waits for a
// refresh under way (bounded by its own timeout): Zalo may just have
// rotated the pair, and the new one must be saved before the store
// closes, or the old refresh token is spent and an admin must consent
// again.
func (k *keeper) run(ctx context.Context) error {
	defer k.settle()
	for {
		k.mu.Lock()
		d := k.dueLocked().Sub(k.c.now())
		k.mu.Unlock()
		if d <= 0 {
			k.mu.Lock()
			f, err := k.beginLocked()
			k.mu.Unlock()
			if err == nil {
				f.wait(ctx)
			}
			if ctx.Err() != nil {
				return nil
			}
			continue
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		case <-k.wake:
			t.Stop()
		}
	}
}

// settle waits for the refresh under way, if any.
func (k *keeper) settle() {
	k.mu.Lock()
	f := k.flight
	k.mu.Unlock()
	if f == nil {
		return
	}
	t := time.NewTimer(refreshTimeout + time.Second)
	defer t.Stop()
	select {
	case <-f.done:
	case <-t.C:
	}
}

func (k *keeper) healthy() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	switch {
	case k.failing != nil:
		return fmt.Errorf("zalo: token refresh failing since %s: %v", k.failSince.UTC().Format(time.RFC3339), k.failing)
	case !k.usableLocked() && k.flight == nil:
		if k.tok.Refresh == "" && k.pending == nil {
			return errors.New("zalo: no token: run zalo-auth")
		}
		return errors.New("zalo: no usable access token yet")
	}
	return nil
}

// tokens returns the current pair (tests).
func (k *keeper) tokens() Tokens {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.tok
}

type oauthAnswer struct {
	AccessToken  string  `json:"access_token"`
	RefreshToken string  `json:"refresh_token"`
	ExpiresIn    flexInt `json:"expires_in"`
	Error        flexInt `json:"error"`
	ErrorName    string  `json:"error_name"`
	ErrorDesc    string  `json:"error_description"`
}

// oauth posts form to the OAuth token endpoint and returns the new pair.
// Errors arrive with HTTP 200; an answer without both tokens is an error.
func (c *Channel) oauth(ctx context.Context, form url.Values) (Tokens, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.opt.OAuthURL+"/v4/oa/access_token", strings.NewReader(form.Encode()))
	if err != nil {
		return Tokens{}, fmt.Errorf("oauth: build request: %v", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("secret_key", c.opt.AppSecret)
	resp, err := c.http.Do(req)
	if err != nil {
		c.metrics.calls.WithLabelValues("oauth", "transport").Inc()
		return Tokens{}, fmt.Errorf("oauth: %s", transportError(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		c.metrics.calls.WithLabelValues("oauth", "transport").Inc()
		return Tokens{}, fmt.Errorf("oauth: read answer: %s", transportError(err))
	}
	var a oauthAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		c.metrics.calls.WithLabelValues("oauth", "error").Inc()
		return Tokens{}, fmt.Errorf("oauth: unreadable answer, HTTP %d", resp.StatusCode)
	}
	if a.Error != 0 {
		c.metrics.calls.WithLabelValues("oauth", "error").Inc()
		return Tokens{}, &oauthRejected{int(a.Error), a.ErrorName, a.ErrorDesc}
	}
	if a.AccessToken == "" || a.RefreshToken == "" {
		c.metrics.calls.WithLabelValues("oauth", "error").Inc()
		return Tokens{}, fmt.Errorf("oauth: answer without a token, HTTP %d", resp.StatusCode)
	}
	c.metrics.calls.WithLabelValues("oauth", "ok").Inc()
	now := c.now()
	life := time.Duration(a.ExpiresIn) * time.Second
	if life <= 0 {
		c.log.Warn("zalo oauth answer without expires_in; assuming 25 h")
		life = defaultLifetime
	}
	return Tokens{Access: a.AccessToken, Refresh: a.RefreshToken, Obtained: now, Expires: now.Add(life)}, nil
}
