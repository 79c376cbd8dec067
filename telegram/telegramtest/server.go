package telegramtest

import (
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	botID       = 123456
	botUsername = "trolykhoinghiep_test_bot"
	botName     = "Trợ lý Khởi nghiệp (test)"
	token       = "123456:TEST"

	firstUpdateID = 1_000_001
	maxBody       = 64 << 20
)

// TB is the part of testing.TB that Start uses.
type TB interface {
	Helper()
	Cleanup(func())
}

// Server is a fake Telegram Bot API server listening on 127.0.0.1. All its
// methods are safe for concurrent use.
type Server struct {
	ts   *httptest.Server
	done chan struct{} // closed by Close

	mu      sync.Mutex
	closed  bool
	record  bool
	changed chan struct{} // closed on every call and update; nil while nobody waits
	polled  chan struct{} // closed when the update queue changes; nil while nobody polls

	calls  []Call
	sent   int
	onSent func(chatID int64)
	chats  map[int64]*chat
	users  map[int64]User

	updates    []pending
	nextUpdate int
	pollGen    int
	polling    int // long polls waiting
	conflict   bool
	instant    bool            // getUpdates answers at once, ignoring timeout
	rawResult  json.RawMessage // non-nil: getUpdates answers this result
	polls      int             // getUpdates calls answered
	fetched    int             // update objects returned by getUpdates

	lastMessage  int
	lastCallback int64
	callbacks    map[string]int64 // unanswered callback query ID → chat ID

	faults   []*fault
	files    map[string]*storedFile // by file_id
	paths    map[string]string      // file_path → file_id
	lastFile int
	commands map[string][]Command
}

// Call is one request the bot made.
type Call struct {
	Method string
	// Params holds the request's parameters as strings (reply_markup and
	// other objects are JSON). For a multipart upload it also holds
	// "file:<field>" set to the uploaded file's name.
	Params map[string]string
	// Files holds the bytes of uploaded files by form field.
	Files map[string][]byte
	// Status is the HTTP status (equal to the Bot API error_code) returned,
	// or 0 when the client went away before a response.
	Status int
	At     time.Time
}

// Command is one entry of a setMyCommands list.
type Command struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// NewServer starts a server on 127.0.0.1 with an ephemeral port. Recording of
// calls, messages and transcripts is on.
func NewServer() *Server {
	s := &Server{
		done:       make(chan struct{}),
		record:     true,
		chats:      make(map[int64]*chat),
		users:      make(map[int64]User),
		nextUpdate: firstUpdateID,
		callbacks:  make(map[string]int64),
		files:      make(map[string]*storedFile),
		paths:      make(map[string]string),
		commands:   make(map[string][]Command),
	}
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

// URL returns the server's base URL, http://127.0.0.1:PORT.
func (s *Server) URL() string { return s.ts.URL }

// Endpoint returns the API endpoint format tgbotapi expects: URL()+"/bot%s/%s".
func (s *Server) Endpoint() string { return s.ts.URL + "/bot%s/%s" }

// Token returns a token the server accepts. Any non-empty token is accepted.
func (s *Server) Token() string { return token }

// Close wakes every waiting long poll and WaitFor, then shuts the server down
// and waits for running requests to finish. Close may be called more than once.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	close(s.done)
	s.notifyLocked()
	s.notifyPollersLocked()
	s.mu.Unlock()
	s.ts.Close()
}

// SetRecord turns retention of calls, messages, transcripts and uploaded file
// contents on or off (it is on by default). Counters (SentCount, SentTo) and
// the update queue work either way. While recording is off, edits and
// deletions of messages the server does not retain are accepted unchecked.
func (s *Server) SetRecord(on bool) {
	s.mu.Lock()
	s.record = on
	s.mu.Unlock()
}

// SetOnSent makes the server call f for every message the bot sends (a
// new message, not an edit), with the chat's ID. f runs with the server's
// lock held: it must be quick and must not call the server. Benchmarks
// use it to time replies; nil removes it.
func (s *Server) SetOnSent(f func(chatID int64)) {
	s.mu.Lock()
	s.onSent = f
	s.mu.Unlock()
}

// Calls returns every recorded call in the order the server received them.
// The returned Params and Files maps are shared and must not be modified.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// CallsTo returns the recorded calls to method (case-insensitive).
func (s *Server) CallsTo(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if strings.EqualFold(c.Method, method) {
			out = append(out, c)
		}
	}
	return out
}

// ClearCalls forgets the recorded calls; messages and transcripts are kept.
func (s *Server) ClearCalls() {
	s.mu.Lock()
	s.calls = nil
	s.mu.Unlock()
}

// SentCount returns how many messages the bot has sent successfully, in all
// chats, whether or not recording is on.
func (s *Server) SentCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sent
}

// SentTo returns how many messages the bot has sent successfully to chatID,
// whether or not recording is on.
func (s *Server) SentTo(chatID int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.chats[chatID]; c != nil {
		return c.sent
	}
	return 0
}

// Commands returns the list last set with setMyCommands for a scope and
// language code. scope is the scope's type ("" or "default",
// "all_private_chats", …), or "chat:<chat_id>" for a chat scope.
func (s *Server) Commands(scope, languageCode string) []Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	if scope == "" {
		scope = "default"
	}
	return append([]Command(nil), s.commands[scope+"|"+languageCode]...)
}

// WaitFor blocks until cond returns true or timeout passes, and reports
// whether cond became true. cond is evaluated at once and again after every
// call the server handles and every queued update; it runs without the
// server's lock held and may call any method of s. WaitFor returns at once
// with cond's result when the server is closed.
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

// WaitMessages waits until the bot has sent at least n messages to chatID.
func (s *Server) WaitMessages(chatID int64, n int, timeout time.Duration) bool {
	return s.WaitFor(timeout, func(s *Server) bool { return s.SentTo(chatID) >= n })
}

// WaitUpdatesConsumed waits until every queued update has been confirmed by a
// getUpdates call with a higher offset.
func (s *Server) WaitUpdatesConsumed(timeout time.Duration) bool {
	return s.WaitFor(timeout, func(s *Server) bool { return s.PendingUpdates() == 0 })
}

// notifyLocked wakes WaitFor callers.
func (s *Server) notifyLocked() {
	if s.changed != nil {
		close(s.changed)
		s.changed = nil
	}
}

// notifyPollersLocked wakes long polls.
func (s *Server) notifyPollersLocked() {
	if s.polled != nil {
		close(s.polled)
		s.polled = nil
	}
}

// request is a parsed Bot API call.
type request struct {
	method string // canonical method name when known
	params map[string]string
	files  map[string]upload
	ctx    context.Context
}

type upload struct {
	name string
	data []byte
}

// reply is a handler's answer: a result, a Bot API error or a raw body.
type reply struct {
	status      int // 0: the client went away, write nothing
	result      any
	desc        string
	retryAfter  int
	raw         []byte
	contentType string
}

func okReply(result any) reply { return reply{status: http.StatusOK, result: result} }

func errReply(code int, desc string) reply { return reply{status: code, desc: desc} }

func badRequest(desc string) reply { return reply{status: http.StatusBadRequest, desc: desc} }

type handler func(s *Server, r *request) reply

type methodEntry struct {
	name string
	h    handler // called with s.mu held
}

// methods maps lower-cased method names (the Bot API ignores case) to
// handlers. It is never modified after initialisation.
var methods = func() map[string]methodEntry {
	m := make(map[string]methodEntry)
	for name, h := range map[string]handler{
		"getMe":                  (*Server).getMe,
		"deleteWebhook":          (*Server).deleteWebhook,
		"getWebhookInfo":         (*Server).getWebhookInfo,
		"getUpdates":             nil, // long polls; handled without the lock
		"sendMessage":            (*Server).sendMessage,
		"editMessageText":        (*Server).editMessageText,
		"editMessageReplyMarkup": (*Server).editMessageReplyMarkup,
		"editMessageCaption":     (*Server).editMessageCaption,
		"deleteMessage":          (*Server).deleteMessage,
		"answerCallbackQuery":    (*Server).answerCallbackQuery,
		"sendChatAction":         (*Server).sendChatAction,
		"setMyCommands":          (*Server).setMyCommands,
		"getMyCommands":          (*Server).getMyCommands,
		"deleteMyCommands":       (*Server).deleteMyCommands,
		"sendDocument":           (*Server).sendDocument,
		"sendPhoto":              (*Server).sendPhoto,
		"sendVoice":              (*Server).sendVoice,
		"copyMessage":            (*Server).copyMessage,
		"forwardMessage":         (*Server).forwardMessage,
		"getChat":                (*Server).getChat,
		"getFile":                (*Server).getFile,
	} {
		m[strings.ToLower(name)] = methodEntry{name: name, h: h}
	}
	return m
}()

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/file/bot") {
		s.serveFile(w, r)
		return
	}
	tok, method, ok := splitAPIPath(r.URL.Path)
	if !ok {
		writeReply(w, errReply(http.StatusNotFound, "Not Found"))
		return
	}
	if tok == "" {
		writeReply(w, errReply(http.StatusUnauthorized, "Unauthorized"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	req, parseErr := parseRequest(r)
	entry, known := methods[strings.ToLower(method)]
	req.method = method
	if known {
		req.method = entry.name
	}
	chatID, _ := strconv.ParseInt(req.params["chat_id"], 10, 64)

	s.mu.Lock()
	f := s.takeFaultLocked(req.method, chatID)
	s.mu.Unlock()

	var rep reply
	switch {
	case f != nil && f.Delay > 0 && !s.pause(req.ctx, f.Delay):
		// The client went away or the server is closing.
	case f != nil && (f.Code != 0 || f.RawBody != ""):
		rep = f.reply()
	case parseErr != "":
		rep = badRequest(parseErr)
	case !known:
		rep = errReply(http.StatusNotFound, "Not Found")
	case entry.h == nil:
		rep = s.getUpdates(req)
	default:
		s.mu.Lock()
		rep = entry.h(s, req)
		s.mu.Unlock()
	}

	s.mu.Lock()
	s.recordLocked(req, rep, chatID)
	s.mu.Unlock()
	if rep.status != 0 {
		writeReply(w, rep)
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

// recordLocked keeps the call and wakes WaitFor callers.
func (s *Server) recordLocked(req *request, rep reply, chatID int64) {
	if s.record {
		c := Call{Method: req.method, Params: req.params, Status: rep.status, At: time.Now()}
		if len(req.files) > 0 {
			c.Files = make(map[string][]byte, len(req.files))
			for field, u := range req.files {
				c.Files[field] = u.data
			}
		}
		s.calls = append(s.calls, c)
		if rep.status >= 400 && chatID != 0 && visibleMethods[req.method] {
			s.lineLocked(chatID, "< (error "+req.method+" "+strconv.Itoa(rep.status)+": "+rep.description()+")")
		}
	}
	s.notifyLocked()
}

// visibleMethods are the methods whose failures appear in transcripts.
var visibleMethods = map[string]bool{
	"sendMessage": true, "sendPhoto": true, "sendDocument": true, "sendVoice": true,
	"copyMessage": true, "forwardMessage": true, "deleteMessage": true,
	"editMessageText": true, "editMessageReplyMarkup": true, "editMessageCaption": true,
}

// splitAPIPath splits "/bot<token>/<method>".
func splitAPIPath(p string) (tok, method string, ok bool) {
	rest, found := strings.CutPrefix(p, "/bot")
	if !found {
		return "", "", false
	}
	i := strings.LastIndexByte(rest, '/')
	if i < 0 || i == len(rest)-1 {
		return "", "", false
	}
	return rest[:i], rest[i+1:], true
}

// parseRequest reads the parameters from the query string and a form,
// multipart or JSON body. On a malformed body it returns a Bot API error
// description along with whatever parameters it could read.
func parseRequest(r *http.Request) (*request, string) {
	req := &request{ctx: r.Context(), params: make(map[string]string)}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "multipart/form-data":
		if err := r.ParseMultipartForm(maxBody); err != nil {
			return req, "Bad Request: can't parse multipart/form-data request body"
		}
		defer r.MultipartForm.RemoveAll()
		for k, v := range r.Form {
			req.params[k] = v[0]
		}
		for field, fhs := range r.MultipartForm.File {
			fh := fhs[0]
			f, err := fh.Open()
			if err != nil {
				return req, "Bad Request: can't read uploaded file"
			}
			data, err := io.ReadAll(f)
			f.Close()
			if err != nil {
				return req, "Bad Request: can't read uploaded file"
			}
			if req.files == nil {
				req.files = make(map[string]upload)
			}
			req.files[field] = upload{name: fh.Filename, data: data}
			req.params["file:"+field] = fh.Filename
		}
	case "application/json":
		for k, v := range r.URL.Query() {
			req.params[k] = v[0]
		}
		var body map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			return req, "Bad Request: can't parse JSON request body"
		}
		for k, v := range body {
			var str string
			if json.Unmarshal(v, &str) == nil {
				req.params[k] = str
			} else {
				req.params[k] = string(v)
			}
		}
	default:
		if err := r.ParseForm(); err != nil {
			return req, "Bad Request: can't parse request body"
		}
		for k, v := range r.Form {
			req.params[k] = v[0]
		}
	}
	return req, ""
}

func (rep reply) description() string {
	if rep.raw != nil {
		return http.StatusText(rep.status)
	}
	return rep.desc
}

func writeReply(w http.ResponseWriter, rep reply) {
	h := w.Header()
	if rep.raw != nil {
		ct := rep.contentType
		if ct == "" {
			ct = "application/json"
		}
		h.Set("Content-Type", ct)
		h.Set("Content-Length", strconv.Itoa(len(rep.raw)))
		w.WriteHeader(rep.status)
		w.Write(rep.raw)
		return
	}
	resp := apiResponse{OK: rep.status == http.StatusOK}
	if resp.OK {
		resp.Result = rep.result
	} else {
		resp.ErrorCode = rep.status
		resp.Description = rep.desc
		if rep.retryAfter > 0 {
			resp.Parameters = &apiResponseParameters{RetryAfter: rep.retryAfter}
		}
	}
	body, err := json.Marshal(resp)
	if err != nil {
		body = []byte(`{"ok":false,"error_code":500,"description":"Internal Server Error"}`)
		rep.status = http.StatusInternalServerError
	}
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(rep.status)
	w.Write(body)
}
