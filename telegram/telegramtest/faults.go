package telegramtest

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Fault describes how the server misbehaves for the calls an Inject matches.
type Fault struct {
	// Code is the HTTP status and Bot API error_code to return. 0 with a
	// Delay means the call succeeds after the delay.
	Code int
	// Description is the error description; empty picks Telegram's usual one
	// for Code ("Too Many Requests: retry after N" for 429, …).
	Description string
	// RetryAfter fills parameters.retry_after (for 429).
	RetryAfter int
	// Delay holds the call this long before answering (or failing).
	Delay time.Duration
	// Times is how many calls the fault applies to; 0 means every call.
	Times int
	// ChatID limits the fault to calls whose chat_id is ChatID; 0 matches
	// every call.
	ChatID int64
	// RawBody, when set, is returned verbatim instead of a Bot API JSON
	// error, with Code (default 502) as the HTTP status: for example the
	// HTML page of a failing proxy.
	RawBody string
}

type fault struct {
	Fault
	method string // "*" matches every method
	left   int
}

// Inject makes the next calls to method (case-insensitive; "*" for any
// method) that match f fail as f describes, or be delayed by f.Delay. Faults
// are matched in the order they were injected; the first match applies.
func (s *Server) Inject(method string, f Fault) {
	if f.Code == 0 && f.Delay == 0 && f.RawBody == "" {
		return
	}
	s.mu.Lock()
	s.faults = append(s.faults, &fault{Fault: f, method: method, left: f.Times})
	s.mu.Unlock()
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	s.faults = nil
	s.mu.Unlock()
}

// BlockChat makes every later send, copy, forward and edit to chatID fail with
// 403 "Forbidden: bot was blocked by the user", as after the user blocked the
// bot. Block does the same and also queues the my_chat_member update.
func (s *Server) BlockChat(chatID int64) {
	s.mu.Lock()
	s.chatLocked(chatID).blocked = true
	s.mu.Unlock()
}

// SetConflict makes getUpdates fail with 409 Conflict while on, as when
// another instance of the bot polls with the same token. Turning it on also
// ends running long polls with 409.
func (s *Server) SetConflict(on bool) {
	s.mu.Lock()
	s.conflict = on
	s.notifyPollersLocked()
	s.mu.Unlock()
}

const conflictDesc = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"

func (s *Server) takeFaultLocked(method string, chatID int64) *Fault {
	for i, f := range s.faults {
		if f.method != "*" && !strings.EqualFold(f.method, method) {
			continue
		}
		if f.ChatID != 0 && f.ChatID != chatID {
			continue
		}
		if f.Times > 0 {
			f.left--
			if f.left <= 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		out := f.Fault
		return &out
	}
	return nil
}

func (f *Fault) reply() reply {
	if f.RawBody != "" {
		code := f.Code
		if code == 0 {
			code = http.StatusBadGateway
		}
		ct := "text/plain; charset=utf-8"
		if strings.HasPrefix(strings.TrimSpace(f.RawBody), "<") {
			ct = "text/html; charset=utf-8"
		}
		return reply{status: code, raw: []byte(f.RawBody), contentType: ct}
	}
	desc := f.Description
	if desc == "" {
		desc = defaultDescription(f.Code, f.RetryAfter)
	}
	return reply{status: f.Code, desc: desc, retryAfter: f.RetryAfter}
}

func defaultDescription(code, retryAfter int) string {
	switch code {
	case http.StatusTooManyRequests:
		if retryAfter > 0 {
			return "Too Many Requests: retry after " + strconv.Itoa(retryAfter)
		}
		return "Too Many Requests"
	case http.StatusForbidden:
		return "Forbidden: bot was blocked by the user"
	case http.StatusConflict:
		return conflictDesc
	case http.StatusBadRequest:
		return "Bad Request"
	case http.StatusUnauthorized:
		return "Unauthorized"
	case http.StatusNotFound:
		return "Not Found"
	}
	if t := http.StatusText(code); t != "" {
		return t
	}
	return "Error " + strconv.Itoa(code)
}
