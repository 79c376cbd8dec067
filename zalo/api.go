package zalo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qnstartup/trolykhoinghiep/bot"
)

// Zalo error codes the channel acts on.
const (
	codeRateLimit     = -32
	codeNotFollower   = -213
	codeInvalidToken  = -216
	codeExpiredToken  = -220
	codeInactiveUser  = -227
	codeOutsideWindow = -230
	codeWindowPaid    = -232
	// The OA as a whole cannot send now: its quota is spent, or it is not
	// authorised for the message.
	codeOutOfQuota    = -211
	codeNotAuthorised = -223
)

// -32 handling: wait 1 s, doubling up to 60 s, at most sendTries tries.
const (
	sendTries  = 5
	backoffMin = time.Second
	backoffMax = time.Minute
)

// flexInt decodes a JSON number or a string holding one.
type flexInt int

func (n *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*n = 0
		return nil
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("not an integer: %.20q", s)
	}
	*n = flexInt(v)
	return nil
}

type apiAnswer struct {
	Error   flexInt         `json:"error"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// request is one OA API call, rebuilt for every try.
type request struct {
	endpoint    string // metrics label: "message", "upload/file"
	path        string
	contentType string
	body        []byte
}

// call makes an OA API call paced by the limiter, with the current access
// token: -216/-220 refresh the token once and retry once; -32 backs off and
// retries, at most sendTries tries. Failures are *bot.SendError.
func (c *Channel) call(ctx context.Context, r request) (json.RawMessage, error) {
	refreshed := false
	wait := backoffMin
	for try := 1; ; try++ {
		// The pace first, then the token: a call that waited its turn
		// through a refresh goes with the new token, not the old one.
		if err := c.limiter.Wait(ctx); err != nil {
			return nil, &bot.SendError{Desc: "zalo: " + err.Error()}
		}
		tok, err := c.keeper.access(ctx)
		if err != nil {
			return nil, &bot.SendError{Desc: "zalo: no usable access token: " + err.Error()}
		}
		code, msg, data, err := c.do(ctx, r, tok)
		if err != nil {
			return nil, err
		}
		switch code {
		case 0:
			return data, nil
		case codeInvalidToken, codeExpiredToken:
			if refreshed {
				return nil, &bot.SendError{Desc: fmt.Sprintf("zalo %d: access token rejected after a refresh", code)}
			}
			refreshed = true
			if err := c.keeper.refresh(ctx, tok); err != nil {
				return nil, &bot.SendError{Desc: fmt.Sprintf("zalo %d: access token rejected; refresh failed: %v", code, err)}
			}
		case codeRateLimit:
			if try >= sendTries {
				return nil, &bot.SendError{Code: http.StatusTooManyRequests, RetryAfter: wait, Desc: "zalo -32: rate limit"}
			}
			c.log.Warn("zalo rate limit, backing off", "endpoint", r.endpoint, "wait", wait, "try", try)
			if err := c.sleep(ctx, wait); err != nil {
				return nil, &bot.SendError{Code: http.StatusTooManyRequests, RetryAfter: wait, Desc: "zalo -32: rate limit"}
			}
			wait = min(2*wait, backoffMax)
		default:
			return nil, mapError(code, msg)
		}
	}
}

// mapError turns a Zalo error code into a SendError.
func mapError(code int, msg string) *bot.SendError {
	e := &bot.SendError{Code: code, Desc: fmt.Sprintf("zalo %d: %s", code, clip(msg, 200))}
	switch code {
	case codeOutsideWindow, codeWindowPaid:
		e.OutsideWindow = true
	case codeNotFollower, codeInactiveUser:
		e.Blocked = true
	case codeOutOfQuota, codeNotAuthorised:
		e.ChannelDown = true
	}
	return e
}

func resultLabel(code int) string {
	switch code {
	case 0:
		return "ok"
	case codeInvalidToken, codeExpiredToken:
		return "token"
	case codeRateLimit:
		return "rate_limited"
	case codeOutsideWindow, codeWindowPaid:
		return "outside_window"
	case codeNotFollower, codeInactiveUser:
		return "blocked"
	}
	return "error"
}

// do sends one request and decodes the answer. It returns Zalo's error code
// (0 for success); transport failures, 5xx and undecodable answers are
// *bot.SendError.
func (c *Channel) do(ctx context.Context, r request, tok string) (int, string, json.RawMessage, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.opt.APIURL+r.path, bytes.NewReader(r.body))
	if err != nil {
		return 0, "", nil, &bot.SendError{Desc: "zalo: build request: " + err.Error()}
	}
	req.Header.Set("Content-Type", r.contentType)
	req.Header.Set("access_token", tok)
	resp, err := c.http.Do(req)
	if err != nil {
		c.metrics.calls.WithLabelValues(r.endpoint, "transport").Inc()
		return 0, "", nil, &bot.SendError{Desc: "zalo " + r.endpoint + ": " + transportError(err)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		c.metrics.calls.WithLabelValues(r.endpoint, "transport").Inc()
		return 0, "", nil, &bot.SendError{Desc: "zalo " + r.endpoint + ": read answer: " + transportError(err)}
	}
	if resp.StatusCode >= 500 {
		c.metrics.calls.WithLabelValues(r.endpoint, "http_5xx").Inc()
		return 0, "", nil, &bot.SendError{Code: resp.StatusCode, Desc: "zalo " + r.endpoint + ": HTTP " + strconv.Itoa(resp.StatusCode)}
	}
	var a apiAnswer
	if err := json.Unmarshal(body, &a); err != nil || (resp.StatusCode != http.StatusOK && a.Error == 0) {
		c.metrics.calls.WithLabelValues(r.endpoint, "error").Inc()
		code := resp.StatusCode
		if code == http.StatusOK {
			code = 0 // an unreadable 200: the message may or may not have gone
		}
		return 0, "", nil, &bot.SendError{Code: code, Desc: "zalo " + r.endpoint + ": unreadable answer, HTTP " + strconv.Itoa(resp.StatusCode)}
	}
	c.metrics.calls.WithLabelValues(r.endpoint, resultLabel(int(a.Error))).Inc()
	return int(a.Error), a.Message, a.Data, nil
}

// transportError describes a transport failure without the URL's query or
// anything else the request carried.
func transportError(err error) string {
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) {
		if inner := ue.Unwrap(); inner != nil {
			err = inner
		}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timeout"
	}
	if errors.Is(err, context.Canceled) {
		return "canceled"
	}
	return clip(err.Error(), 200)
}

// clip makes s valid UTF-8 of at most n code points.
func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}
