package zalotest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"
)

// Defaults of a new server. The IDs exceed 2^53, as Zalo's do.
const (
	DefaultAppID     = "2796420312589304125"
	DefaultOAID      = "4318720096142563871"
	DefaultAppSecret = "test-app-secret"
	DefaultOAKey     = "test-oa-secret-key"
	// FirstUser is the ID NewUser hands out first; later users count up.
	FirstUser = "8817264536271819283"

	// AccessTTL is the default lifetime of an access token (25 h).
	AccessTTL = 25 * time.Hour
	// Window is Zalo's interaction window for customer-service messages.
	Window = 7 * 24 * time.Hour

	maxBody = 16 << 20
)

// TB is the part of testing.TB that Start uses.
type TB interface {
	Helper()
	Cleanup(func())
}

// Server is a fake Zalo OA Open API and OAuth server on 127.0.0.1, able to
// send signed webhook events to the bot. All its methods are safe for
// concurrent use.
type Server struct {
	ts     *httptest.Server
	client *http.Client
	done   chan struct{}

	mu      sync.Mutex
	closed  bool
	record  bool
	changed chan struct{} // closed on every call and delivery; nil while nobody waits
	now     func() time.Time

	appID, oaID, appSecret, oaKey string

	accessTTL time.Duration
	access    map[string]time.Time // access token → expiry; absent: invalid
	refresh   map[string]string    // unused refresh token → the access token issued with it
	codes     map[string]*grant    // authorization code → grant

	calls   []Call
	sent    int
	users   map[string]*user
	nextID  uint64 // next NewUser
	lastTS  int64  // last webhook timestamp (ms)
	lastMsg int

	faults  []*fault
	uploads map[string]*File // upload token or attachment_id → file

	webhook    string
	signing    Signing
	deliveries []Delivery
}

// Call is one request the bot made.
type Call struct {
	// Endpoint is "message", "upload/file", "upload/image", "oauth" or
	// "permission"; the path for anything else.
	Endpoint string
	// Token is the access_token header (OA API) or the secret_key header
	// (OAuth) as sent.
	Token string
	// Body is the raw request body (JSON or form; multipart bodies are
	// not kept: see Files).
	Body []byte
	// User is the recipient of a message.
	User string
	// Error is the Zalo error code answered (0: success).
	Error int
	// Status is the HTTP status answered, 0 when the client went away.
	Status int
	At     time.Time
}

// NewServer starts a server on 127.0.0.1 with an ephemeral port, the
// default IDs and keys, and recording on.
func NewServer() *Server {
	s := &Server{
		client:    &http.Client{Timeout: 30 * time.Second},
		done:      make(chan struct{}),
		record:    true,
		now:       time.Now,
		appID:     DefaultAppID,
		oaID:      DefaultOAID,
		appSecret: DefaultAppSecret,
		oaKey:     DefaultOAKey,
		accessTTL: AccessTTL,
		access:    make(map[string]time.Time),
		refresh:   make(map[string]string),
		codes:     make(map[string]*grant),
		users:     make(map[string]*user),
		uploads:   make(map[string]*File),
	}
	s.nextID, _ = strconv.ParseUint(FirstUser, 10, 64)
	// Zalo's message IDs are unique for good; a fake started again (the
	// demo's next run) must not reuse the last one's.
	s.lastMsg = int(time.Now().UnixNano() & (1<<62 - 1))
	s.ts = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	return s
}

// Start is NewServer with Close registered as a cleanup of tb.
func Start(tb TB) *Server {
	tb.Helper()
	s := NewServer()
	tb.Cleanup(s.Close)
	return s
}

// URL is the base URL of both APIs, http://127.0.0.1:PORT: use it as the
// OA API URL and as the OAuth URL.
func (s *Server) URL() string { return s.ts.URL }

// AppID, OAID, AppSecret and OAKey are the app's ID, the OA's ID, the app
// secret (OAuth's secret_key header) and the OA secret key that signs
// webhooks.
func (s *Server) AppID() string     { return s.appID }
func (s *Server) OAID() string      { return s.oaID }
func (s *Server) AppSecret() string { return s.appSecret }
func (s *Server) OAKey() string     { return s.oaKey }

// Close wakes every WaitFor, shuts the server down and waits for running
// requests. It may be called more than once.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	close(s.done)
	s.notifyLocked()
	s.mu.Unlock()
	s.ts.Close()
}

// SetClock replaces the clock used for token expiry, the interaction
// window and webhook timestamps (default time.Now).
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	s.now = now
	s.mu.Unlock()
}

// SetRecord turns retention of calls, messages and transcripts on or off
// (on by default); SentCount and SentTo count either way.
func (s *Server) SetRecord(on bool) {
	s.mu.Lock()
	s.record = on
	s.mu.Unlock()
}

// Calls returns every recorded call in order.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// CallsTo returns the recorded calls to one endpoint ("message", "oauth"…).
func (s *Server) CallsTo(endpoint string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if c.Endpoint == endpoint {
			out = append(out, c)
		}
	}
	return out
}

// ClearCalls forgets the recorded calls; messages and transcripts stay.
func (s *Server) ClearCalls() {
	s.mu.Lock()
	s.calls = nil
	s.mu.Unlock()
}

// SentCount is how many messages the server accepted, in all chats.
func (s *Server) SentCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sent
}

// SentTo is how many messages the server accepted for user.
func (s *Server) SentTo(user string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.users[user]; u != nil {
		return u.sent
	}
	return 0
}

// WaitFor blocks until cond returns true or timeout passes, and reports
// whether cond became true. cond is evaluated at once and again after every
// call the server handles and every webhook delivery; it runs without the
// server's lock and may call any method of s.
func (s *Server) WaitFor(timeout time.Duration, cond func(s *Server) bool) bool {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		if s.changed == nil {
			s.changed = make(chan struct{})
		}
		ch, closed := s.changed, s.closed
		s.mu.Unlock()
		if cond(s) {
			return true
		}
		if closed {
			return false
		}
		select {
		case <-ch:
		case <-timer.C:
			return cond(s)
		}
	}
}

// WaitMessages waits until the server has accepted at least n messages for
// user.
func (s *Server) WaitMessages(user string, n int, timeout time.Duration) bool {
	return s.WaitFor(timeout, func(s *Server) bool { return s.SentTo(user) >= n })
}

// WaitCalls waits until at least n calls to endpoint were recorded.
func (s *Server) WaitCalls(endpoint string, n int, timeout time.Duration) bool {
	return s.WaitFor(timeout, func(s *Server) bool { return len(s.CallsTo(endpoint)) >= n })
}

func (s *Server) notifyLocked() {
	if s.changed != nil {
		close(s.changed)
		s.changed = nil
	}
}

// pause waits d, and reports false if the request or the server ended first.
func (s *Server) pause(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.done:
		return false
	}
}

func (s *Server) recordLocked(c Call) {
	if s.record {
		c.At = s.now()
		s.calls = append(s.calls, c)
	}
	s.notifyLocked()
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	switch r.URL.Path {
	case "/v3.0/oa/message/cs":
		s.serveMessage(w, r)
	case "/v2.0/oa/upload/file":
		s.serveUpload(w, r, "upload/file")
	case "/v2.0/oa/upload/image":
		s.serveUpload(w, r, "upload/image")
	case "/v4/oa/access_token":
		s.serveToken(w, r)
	case "/v4/oa/permission":
		s.servePermission(w, r)
	default:
		s.mu.Lock()
		s.recordLocked(Call{Endpoint: r.URL.Path, Status: http.StatusNotFound})
		s.mu.Unlock()
		http.NotFound(w, r)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
