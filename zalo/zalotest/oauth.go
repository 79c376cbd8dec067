package zalotest

import (
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// CodeTTL is how long an authorization code stays valid.
const CodeTTL = 10 * time.Minute

type grant struct {
	challenge string
	expires   time.Time
	used      bool
}

// oauthAnswer is the OAuth endpoint's JSON. expires_in is a string, as
// Zalo sends it.
type oauthAnswer struct {
	AccessToken  string `json:"access_token,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
	ExpiresIn    string `json:"expires_in,omitempty"`
	Error        int    `json:"error,omitempty"`
	ErrorName    string `json:"error_name,omitempty"`
	ErrorDesc    string `json:"error_description,omitempty"`
}

// IssueTokens creates a valid token pair, as a consent would: for seeding
// a bot under test.
func (s *Server) IssueTokens() (access, refresh string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issueLocked()
}

func (s *Server) issueLocked() (access, refresh string) {
	access, refresh = "at-"+randomHex(12), "rt-"+randomHex(12)
	s.access[access] = s.now().Add(s.accessTTL)
	s.refresh[refresh] = access
	return access, refresh
}

// SetAccessTTL sets the lifetime of access tokens issued from now on
// (default AccessTTL).
func (s *Server) SetAccessTTL(d time.Duration) {
	s.mu.Lock()
	s.accessTTL = d
	s.mu.Unlock()
}

// ExpireAccess makes an access token expired (-220); "" expires every
// access token issued so far.
func (s *Server) ExpireAccess(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if tok != "" {
		s.expireLocked(tok)
		return
	}
	for t := range s.access {
		s.expireLocked(t)
	}
}

// RevokeAccess makes an access token unknown (-216).
func (s *Server) RevokeAccess(tok string) {
	s.mu.Lock()
	delete(s.access, tok)
	s.mu.Unlock()
}

// RevokeRefresh makes a refresh token unusable, as a lost rotation does.
func (s *Server) RevokeRefresh(tok string) {
	s.mu.Lock()
	delete(s.refresh, tok)
	s.mu.Unlock()
}

// ValidRefresh reports whether a refresh token can still be used.
func (s *Server) ValidRefresh(tok string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.refresh[tok]
	return ok
}

// ValidAccess reports whether an access token is known and not expired.
func (s *Server) ValidAccess(tok string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokenErrorLocked(tok) == 0
}

// GrantCode issues an authorization code bound to a PKCE S256 challenge,
// as the consent page does after an OA admin agrees.
func (s *Server) GrantCode(challenge string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	code := "code-" + randomHex(12)
	s.codes[code] = &grant{challenge: challenge, expires: s.now().Add(CodeTTL)}
	return code
}

// servePermission is the consent page: a GET with app_id, redirect_uri,
// code_challenge and state redirects (302) to redirect_uri with code,
// state and oa_id, as if the OA admin agreed.
func (s *Server) servePermission(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	call := Call{Endpoint: "permission", Body: []byte(r.URL.RawQuery)}
	status := http.StatusFound
	redirect, err := url.Parse(q.Get("redirect_uri"))
	switch {
	case q.Get("app_id") != s.appID, err != nil, redirect == nil || redirect.Scheme == "", q.Get("code_challenge") == "":
		status = http.StatusBadRequest
	}
	call.Status = status
	s.mu.Lock()
	s.recordLocked(call)
	s.mu.Unlock()
	if status != http.StatusFound {
		http.Error(w, "invalid request", status)
		return
	}
	code := s.GrantCode(q.Get("code_challenge"))
	v := redirect.Query()
	v.Set("code", code)
	v.Set("state", q.Get("state"))
	v.Set("oa_id", s.oaID)
	redirect.RawQuery = v.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	secret := r.Header.Get("secret_key")
	call := Call{Endpoint: "oauth", Token: secret, Body: body}
	s.mu.Lock()
	f := s.takeFaultLocked("oauth", "")
	s.mu.Unlock()
	if done, status, code := s.applyFault(w, r, f); done {
		call.Status, call.Error = status, code
		s.mu.Lock()
		s.recordLocked(call)
		s.mu.Unlock()
		return
	}
	form, err := url.ParseQuery(string(body))
	s.mu.Lock()
	defer s.mu.Unlock()
	var ans oauthAnswer
	fail := func(code int, name string) {
		ans = oauthAnswer{Error: code, ErrorName: name, ErrorDesc: errorMessage(code)}
	}
	switch {
	case r.Method != http.MethodPost || err != nil:
		fail(ErrBadParameter, "invalid_request")
	case secret != s.appSecret:
		fail(ErrBadSecret, "invalid_client")
	case form.Get("app_id") != s.appID:
		fail(ErrBadParameter, "invalid_client")
	case form.Get("grant_type") == "refresh_token":
		rt := form.Get("refresh_token")
		old, ok := s.refresh[rt]
		if rt == "" || !ok {
			fail(ErrBadRefresh, "invalid_grant")
			break
		}
		// Single use: the refresh token and the access token issued with
		// it stop working.
		delete(s.refresh, rt)
		delete(s.access, old)
		ans.AccessToken, ans.RefreshToken = s.issueLocked()
	case form.Get("grant_type") == "authorization_code":
		g := s.codes[form.Get("code")]
		if g == nil || g.used || !s.now().Before(g.expires) {
			fail(ErrBadRefresh, "invalid_grant")
			break
		}
		g.used = true
		sum := sha256.Sum256([]byte(form.Get("code_verifier")))
		if base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
			fail(ErrBadVerifier, "invalid_grant")
			break
		}
		ans.AccessToken, ans.RefreshToken = s.issueLocked()
	default:
		fail(ErrBadParameter, "unsupported_grant_type")
	}
	if ans.Error == 0 {
		ans.ExpiresIn = strconv.Itoa(int(s.accessTTL / time.Second))
	}
	call.Status, call.Error = http.StatusOK, ans.Error
	s.recordLocked(call)
	writeJSON(w, http.StatusOK, ans)
}
