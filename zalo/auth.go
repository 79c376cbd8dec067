package zalo

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Authorize runs the first OAuth consent for the OA (the zalo-auth
// command): it prints the consent URL (PKCE S256, a random state) to out,
// reads the authorization code — or the whole URL the consent page
// redirected to — from in, exchanges it for a token pair and commits the
// pair to opt.Tokens. opt needs AppID, AppSecret, RedirectURI (as set in
// the Zalo app) and Tokens; OAuthURL and HTTPClient are optional.
//
// The pair is stored with Seed set to opt.SeedRefreshToken, so a
// ZALO_REFRESH_TOKEN still in the environment does not replace it at the
// next start.
func Authorize(ctx context.Context, opt Options, in io.Reader, out io.Writer) error {
	switch {
	case opt.AppID == "" || opt.AppSecret == "":
		return errors.New("zalo-auth: app ID and app secret are required")
	case opt.RedirectURI == "":
		return errors.New("zalo-auth: a redirect URI is required (the callback URL set in the Zalo app)")
	case opt.Tokens == nil:
		return errors.New("zalo-auth: a token store is required")
	}
	if opt.OAuthURL == "" {
		opt.OAuthURL = DefaultOAuthURL
	}
	if opt.HTTPClient == nil {
		opt.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	c := &Channel{opt: opt, log: opt.Log, http: opt.HTTPClient, metrics: newMetrics(nil), now: opt.Now}

	verifier, challenge := pkce()
	state := randomHex(16)
	q := url.Values{
		"app_id":         {opt.AppID},
		"redirect_uri":   {opt.RedirectURI},
		"code_challenge": {challenge},
		"state":          {state},
	}
	consent := opt.OAuthURL + "/v4/oa/permission?" + q.Encode()
	fmt.Fprintf(out, "1. Open this address as an admin of the Official Account and agree:\n\n   %s\n\n", consent)
	fmt.Fprintf(out, "2. Paste the code (or the whole address you were sent to), then Enter:\n")

	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && (err != io.EOF || strings.TrimSpace(line) == "") {
		return fmt.Errorf("zalo-auth: read the code: %w", err)
	}
	code, err := parseCode(strings.TrimSpace(line), state)
	if err != nil {
		return err
	}
	tok, err := c.oauth(ctx, url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {code},
		"app_id":        {opt.AppID},
		"code_verifier": {verifier},
	})
	if err != nil {
		return fmt.Errorf("zalo-auth: exchange the code: %w", err)
	}
	tok.Seed = opt.SeedRefreshToken
	if tok.Seed == "" {
		if old, err := opt.Tokens.LoadZaloTokens(); err == nil {
			tok.Seed = old.Seed
		}
	}
	if err := opt.Tokens.SaveZaloTokens(tok); err != nil {
		return fmt.Errorf("zalo-auth: %w", err)
	}
	fmt.Fprintf(out, "Saved. The access token is valid until %s and is refreshed automatically.\n", tok.Expires.Format(time.RFC3339))
	return nil
}

// parseCode takes a bare code or the redirected URL (whose state must
// match).
func parseCode(s, state string) (string, error) {
	if s == "" {
		return "", errors.New("zalo-auth: no code given")
	}
	if !strings.Contains(s, "code=") {
		return s, nil
	}
	raw := s
	if i := strings.IndexByte(s, '?'); i >= 0 {
		raw = s[i+1:]
	}
	q, err := url.ParseQuery(raw)
	if err != nil || q.Get("code") == "" {
		return "", errors.New("zalo-auth: no code in the address given")
	}
	if got := q.Get("state"); got != "" && got != state {
		return "", errors.New("zalo-auth: the state does not match: that address is from another consent")
	}
	return q.Get("code"), nil
}

// pkce returns a code verifier and its S256 challenge.
func pkce() (verifier, challenge string) {
	b := make([]byte, 32)
	rand.Read(b)
	verifier = base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
