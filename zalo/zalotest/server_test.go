package zalotest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func post(t *testing.T, s *Server, path, tok, body string) answer {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.URL()+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if tok != "" {
		req.Header.Set("access_token", tok)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a answer
	if resp.StatusCode != http.StatusOK {
		a.Error = resp.StatusCode
		return a
	}
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		t.Fatal(err)
	}
	return a
}

func msg(user, message string) string {
	return `{"recipient":{"user_id":"` + user + `"},"message":` + message + `}`
}

func TestMessageValidation(t *testing.T) {
	s := Start(t)
	access, _ := s.IssueTokens()
	u := s.NewUser()
	s.Touch(u)
	btn := func(n int) string {
		var b []string
		for range n {
			b = append(b, `{"title":"A","type":"oa.query.hide","payload":"#cb!x"}`)
		}
		return `{"text":"t","attachment":{"type":"template","payload":{"buttons":[` + strings.Join(b, ",") + `]}}}`
	}
	tests := []struct {
		name, tok, body string
		want            int
	}{
		{"OK", access, msg(u, `{"text":"xin chào"}`), 0},
		{"NoToken", "", msg(u, `{"text":"x"}`), ErrInvalidToken},
		{"UnknownToken", "at-nope", msg(u, `{"text":"x"}`), ErrInvalidToken},
		{"NotJSON", access, "nope", ErrBadParameter},
		{"NoRecipient", access, `{"message":{"text":"x"}}`, ErrBadParameter},
		{"NoMessage", access, `{"recipient":{"user_id":"` + u + `"}}`, ErrBadParameter},
		{"Empty", access, msg(u, `{}`), ErrBadParameter},
		{"Text2000", access, msg(u, `{"text":"`+strings.Repeat("ư", 2000)+`"}`), 0},
		{"Text2001", access, msg(u, `{"text":"`+strings.Repeat("ư", 2001)+`"}`), ErrBadParameter},
		{"FiveButtons", access, msg(u, btn(5)), 0},
		{"SixButtons", access, msg(u, btn(6)), ErrBadParameter},
		{"ButtonsNoText", access, msg(u, `{"attachment":{"type":"template","payload":{"buttons":[{"title":"A","type":"oa.query.show","payload":"A"}]}}}`), ErrBadParameter},
		{"LongTitle", access, msg(u, `{"text":"t","attachment":{"type":"template","payload":{"buttons":[{"title":"`+strings.Repeat("a", 101)+`","type":"oa.query.show","payload":"A"}]}}}`), ErrBadParameter},
		{"BadType", access, msg(u, `{"text":"t","attachment":{"type":"template","payload":{"buttons":[{"title":"A","type":"oa.click","payload":"A"}]}}}`), ErrBadParameter},
		{"URLNoURL", access, msg(u, `{"text":"t","attachment":{"type":"template","payload":{"buttons":[{"title":"A","type":"oa.open.url","payload":{}}]}}}`), ErrBadParameter},
		{"Image", access, msg(u, `{"attachment":{"type":"template","payload":{"template_type":"media","elements":[{"media_type":"image","url":"https://x/a.jpg"}]}}}`), 0},
		{"FileUnknownToken", access, msg(u, `{"attachment":{"type":"file","payload":{"token":"zz"}}}`), ErrBadParameter},
		{"Info", access, msg(u, `{"attachment":{"type":"template","payload":{"template_type":"request_user_info","elements":[{"title":"Chia sẻ"}]}}}`), 0},
		{"InfoNoTitle", access, msg(u, `{"attachment":{"type":"template","payload":{"template_type":"request_user_info","elements":[{}]}}}`), ErrBadParameter},
		{"NeverInteracted", access, msg("8817264536271819999", `{"text":"x"}`), ErrOutsideWindow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := post(t, s, "/v3.0/oa/message/cs", tt.tok, tt.body).Error; got != tt.want {
				t.Fatalf("error %d, want %d", got, tt.want)
			}
		})
	}
}

func TestWindowAndUsers(t *testing.T) {
	s := Start(t)
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return now })
	access, _ := s.IssueTokens()
	u := s.NewUser()
	if u != FirstUser {
		t.Fatalf("first user %s", u)
	}
	s.SetLastInteraction(u, now.Add(-Window+time.Minute))
	if e := post(t, s, "/v3.0/oa/message/cs", access, msg(u, `{"text":"x"}`)).Error; e != 0 {
		t.Fatalf("inside the window: %d", e)
	}
	s.SetLastInteraction(u, now.Add(-Window-time.Minute))
	if e := post(t, s, "/v3.0/oa/message/cs", access, msg(u, `{"text":"x"}`)).Error; e != ErrOutsideWindow {
		t.Fatalf("outside the window: %d", e)
	}
	s.Ban(u)
	s.Touch(u)
	if e := post(t, s, "/v3.0/oa/message/cs", access, msg(u, `{"text":"x"}`)).Error; e != ErrInactiveUser {
		t.Fatalf("banned: %d", e)
	}
	if !strings.Contains(s.Transcript(u), "< x\n< (error -230") {
		t.Fatalf("transcript:\n%s", s.Transcript(u))
	}
}

func TestWebhookClientTouchesWindow(t *testing.T) {
	s := Start(t)
	var got []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Get("X-ZEvent-Signature"))
	}))
	defer hook.Close()
	s.SetWebhook(hook.URL)
	access, _ := s.IssueTokens()
	u := s.NewUser()
	if st, err := s.SendText(u, "xin chào"); err != nil || st != 200 {
		t.Fatal(st, err)
	}
	if e := post(t, s, "/v3.0/oa/message/cs", access, msg(u, `{"text":"chào bạn"}`)).Error; e != 0 {
		t.Fatalf("after the user wrote: %d", e)
	}
	s.Unfollow(u)
	if e := post(t, s, "/v3.0/oa/message/cs", access, msg(u, `{"text":"x"}`)).Error; e != ErrNotFollower {
		t.Fatalf("after unfollow: %d", e)
	}
	d := s.Deliveries()
	var ev wireEvent
	if err := json.Unmarshal(d[0].Body, &ev); err != nil {
		t.Fatal(err)
	}
	if d[0].Signature != Mac(s.AppID(), d[0].Body, ev.Timestamp, s.OAKey()) || got[0] != d[0].Signature {
		t.Fatal("signature mismatch")
	}
	if ev.Sender.ID != u || ev.Message.MsgID == "" {
		t.Fatalf("event %+v", ev)
	}
	want := "> xin chào\n< chào bạn\n> [unfollow]\n< (error -213: User has not followed OA)\n"
	if tr := s.Transcript(u); tr != want {
		t.Fatalf("transcript:\n%s", tr)
	}
}

func oauth(t *testing.T, s *Server, secret string, form url.Values) oauthAnswer {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.URL()+"/v4/oa/access_token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("secret_key", secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a oauthAnswer
	json.NewDecoder(resp.Body).Decode(&a)
	return a
}

func TestOAuthRotation(t *testing.T) {
	s := Start(t)
	access, refresh := s.IssueTokens()
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}, "app_id": {s.AppID()}}
	if a := oauth(t, s, "wrong", form); a.Error != ErrBadSecret || a.AccessToken != "" {
		t.Fatalf("wrong secret: %+v", a)
	}
	a := oauth(t, s, s.AppSecret(), form)
	if a.Error != 0 || a.AccessToken == "" || a.RefreshToken == "" || a.ExpiresIn != "90000" {
		t.Fatalf("refresh: %+v", a)
	}
	if s.ValidAccess(access) || s.ValidRefresh(refresh) {
		t.Fatal("the old pair still works")
	}
	if a := oauth(t, s, s.AppSecret(), form); a.Error != ErrBadRefresh {
		t.Fatalf("reused refresh token: %+v", a)
	}
	s.ExpireAccess(a.AccessToken)
	if e := post(t, s, "/v3.0/oa/message/cs", a.AccessToken, msg(FirstUser, `{"text":"x"}`)).Error; e != ErrExpiredToken {
		t.Fatalf("expired: %d", e)
	}
}

func TestOAuthCodePKCE(t *testing.T) {
	s := Start(t)
	verifier := "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	sum := sha256.Sum256([]byte(verifier))
	code := s.GrantCode(base64.RawURLEncoding.EncodeToString(sum[:]))
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "app_id": {s.AppID()}, "code_verifier": {"other"}}
	if a := oauth(t, s, s.AppSecret(), form); a.Error != ErrBadVerifier {
		t.Fatalf("wrong verifier: %+v", a)
	}
	// A code is single use, even after a failed exchange.
	form.Set("code_verifier", verifier)
	if a := oauth(t, s, s.AppSecret(), form); a.Error != ErrBadRefresh {
		t.Fatalf("reused code: %+v", a)
	}
	form.Set("code", s.GrantCode(base64.RawURLEncoding.EncodeToString(sum[:])))
	if a := oauth(t, s, s.AppSecret(), form); a.Error != 0 || !s.ValidAccess(a.AccessToken) {
		t.Fatalf("exchange: %+v", a)
	}
}

func TestFaults(t *testing.T) {
	s := Start(t)
	access, _ := s.IssueTokens()
	a, b := s.NewUser(), s.NewUser()
	s.Touch(a)
	s.Touch(b)
	s.Inject("message", Fault{Error: ErrRateLimit, Times: 2, User: a})
	s.Inject("message", Fault{Status: 502, Times: 1})
	send := func(u string) int { return post(t, s, "/v3.0/oa/message/cs", access, msg(u, `{"text":"x"}`)).Error }
	got := []int{send(b), send(a), send(a), send(a), send(b)}
	// Faults match in order: b's first call skips a's -32 and takes the
	// 502; a's calls take the two -32s.
	want := []int{502, ErrRateLimit, ErrRateLimit, 0, 0}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	if s.SentTo(a) != 1 || s.SentTo(b) != 1 {
		t.Fatalf("sent %d, %d", s.SentTo(a), s.SentTo(b))
	}
}
