package zalo

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/qnstartup/trolykhoinghiep/zalo/zalotest"
)

// consent plays the OA admin: it reads the consent URL Authorize prints,
// opens it on the fake (which redirects with a code), and returns what
// answer(location) says to type.
func consent(t *testing.T, fake *zalotest.Server, answer func(location string) string) (*memTokens, string, error) {
	t.Helper()
	tokens := &memTokens{}
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	opt := Options{AppID: fake.AppID(), AppSecret: fake.AppSecret(), OAuthURL: fake.URL(),
		RedirectURI: "https://bot.example.org/zalo/callback", Tokens: tokens, SeedRefreshToken: "rt-env"}
	done := make(chan error, 1)
	go func() {
		err := Authorize(context.Background(), opt, inR, outW)
		outW.Close()
		done <- err
	}()
	var printed strings.Builder
	sc := bufio.NewScanner(outR)
	sent := false
	for sc.Scan() {
		line := sc.Text()
		printed.WriteString(line + "\n")
		if sent || !strings.Contains(line, "/v4/oa/permission?") {
			continue
		}
		consentURL := strings.TrimSpace(line)
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := client.Get(consentURL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusFound {
			t.Fatalf("consent status %d", resp.StatusCode)
		}
		go func() { io.WriteString(inW, answer(resp.Header.Get("Location"))+"\n") }()
		sent = true
	}
	inW.Close()
	return tokens, printed.String(), <-done
}

func TestAuthorize(t *testing.T) {
	fake := zalotest.Start(t)
	tests := []struct {
		name   string
		answer func(loc string) string
		ok     bool
	}{
		{"WholeURL", func(loc string) string { return loc }, true},
		{"CodeOnly", func(loc string) string { u, _ := url.Parse(loc); return u.Query().Get("code") }, true},
		{"WrongState", func(loc string) string { return strings.Replace(loc, "state=", "state=x", 1) }, false},
		{"OtherChallenge", func(string) string { return fake.GrantCode("another-challenge") }, false},
		{"UnknownCode", func(string) string { return "code-nope" }, false},
		{"Empty", func(string) string { return "" }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tokens, printed, err := consent(t, fake, tt.answer)
			tok, n := tokens.current()
			if !tt.ok {
				if err == nil || n != 0 {
					t.Fatalf("err %v, %d saves", err, n)
				}
				return
			}
			if err != nil {
				t.Fatalf("%v\n%s", err, printed)
			}
			if n != 1 || !fake.ValidAccess(tok.Access) || !fake.ValidRefresh(tok.Refresh) || tok.Seed != "rt-env" {
				t.Fatalf("saved %d, %+v", n, tok)
			}
			if strings.Contains(printed, tok.Access) || strings.Contains(printed, tok.Refresh) {
				t.Fatal("a token was printed")
			}
		})
	}
	t.Run("ConsentURL", func(t *testing.T) {
		var out strings.Builder
		err := Authorize(context.Background(), Options{AppID: "123", AppSecret: "s", RedirectURI: "https://x.example/cb", Tokens: &memTokens{}},
			strings.NewReader(""), &out)
		if err == nil {
			t.Fatal("no error without a code")
		}
		i := strings.Index(out.String(), "https://oauth.zaloapp.com/v4/oa/permission?")
		if i < 0 {
			t.Fatalf("printed %q", out.String())
		}
		u, _ := url.Parse(strings.Fields(out.String()[i:])[0])
		q := u.Query()
		if q.Get("app_id") != "123" || q.Get("redirect_uri") != "https://x.example/cb" || len(q.Get("code_challenge")) != 43 || len(q.Get("state")) != 32 {
			t.Fatalf("query %v", q)
		}
	})
	t.Run("NoRedirectURI", func(t *testing.T) {
		if err := Authorize(context.Background(), Options{AppID: "1", AppSecret: "s", Tokens: &memTokens{}}, strings.NewReader("x\n"), io.Discard); err == nil {
			t.Fatal("no error")
		}
	})
}
