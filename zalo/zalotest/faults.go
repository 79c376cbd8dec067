package zalotest

import "time"

// Zalo error codes the server answers.
const (
	ErrRateLimit     = -32
	ErrBadParameter  = -201
	ErrNotFollower   = -213
	ErrInvalidToken  = -216
	ErrExpiredToken  = -220
	ErrInactiveUser  = -227
	ErrOutsideWindow = -230
	ErrWindowPaid    = -232
	// ErrBadRefresh is the OAuth error for an unknown, used or revoked
	// refresh token (or authorization code).
	ErrBadRefresh = -14014
	// ErrBadSecret is the OAuth error for a wrong secret_key header.
	ErrBadSecret = -14002
	// ErrBadVerifier is the OAuth error for a code_verifier that does not
	// match the code_challenge.
	ErrBadVerifier = -14019
)

// Fault describes how the server misbehaves for the calls an Inject
// matches.
type Fault struct {
	// Error is the Zalo error code answered with HTTP 200 (-32, -216,
	// -220, -230, -213…).
	Error int
	// Status is an HTTP status to answer instead (500, 502, 503…), with a
	// short non-JSON body.
	Status int
	// Delay holds the call this long before answering (or failing). A
	// Delay alone lets the call succeed after it.
	Delay time.Duration
	// Times is how many calls the fault applies to; 0 means every call
	// until ClearFaults.
	Times int
	// User limits the fault to messages to this user; "" matches every
	// call.
	User string
}

type fault struct {
	Fault
	endpoint string // "*" matches every endpoint
	left     int
}

// Inject makes the next calls to endpoint ("message", "upload/file",
// "upload/image", "oauth", or "*" for all) that match f fail or wait as f
// describes. Faults are matched in the order injected; the first applies.
func (s *Server) Inject(endpoint string, f Fault) {
	if f.Error == 0 && f.Status == 0 && f.Delay == 0 {
		return
	}
	s.mu.Lock()
	s.faults = append(s.faults, &fault{Fault: f, endpoint: endpoint, left: f.Times})
	s.mu.Unlock()
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	s.faults = nil
	s.mu.Unlock()
}

func (s *Server) takeFaultLocked(endpoint, user string) *Fault {
	for i, f := range s.faults {
		if f.endpoint != "*" && f.endpoint != endpoint {
			continue
		}
		if f.User != "" && f.User != user {
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

var errorMessages = map[int]string{
	ErrRateLimit:     "Exceed rate limit",
	ErrBadParameter:  "Parameter is invalid",
	ErrNotFollower:   "User has not followed OA",
	ErrInvalidToken:  "Access token is invalid",
	ErrExpiredToken:  "Access token has expired",
	ErrInactiveUser:  "User has been banned or inactive for more than 45 days",
	ErrOutsideWindow: "User has not interacted with the OA in the last 7 days",
	ErrWindowPaid:    "User has not interacted with the OA recently",
	ErrBadRefresh:    "Invalid refresh token",
	ErrBadSecret:     "Invalid secret key",
	ErrBadVerifier:   "Invalid code verifier",
}

func errorMessage(code int) string {
	if m, ok := errorMessages[code]; ok {
		return m
	}
	return "Error"
}
