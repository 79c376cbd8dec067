package zalo

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/zalo/zalotest"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Fatalf("%s differs (run with -update to accept):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func row(bs ...bot.Button) []bot.Button { return bs }

// TestSendRender renders replies as the fake Zalo shows them.
func TestSendRender(t *testing.T) {
	e := newEnv(t, func(o *Options, _ *env) { o.InfoImageURL = "https://example.org/logo.png" })
	seven := [][]bot.Button{}
	for i := 1; i <= 7; i++ {
		seven = append(seven, row(bot.Button{Text: fmt.Sprintf("Mục %d", i), Data: fmt.Sprintf("list:page:%d", i)}))
	}
	cases := []struct {
		name string
		r    bot.Reply
	}{
		{"Text", bot.Reply{Text: "Xin chào Lan!\nBạn cần gì?"}},
		{"DataButtons", bot.Reply{Text: "Chọn:", Buttons: [][]bot.Button{
			row(bot.Button{Text: "Gửi ý tưởng", Data: "idea:new"}, bot.Button{Text: "Hỏi chính sách", Data: "ask:open"}),
			row(bot.Button{Text: "Trang web", URL: "https://example.org/ideas"}),
		}}},
		{"SevenButtonsCut", bot.Reply{Text: "Danh sách", Buttons: seven}},
		{"TypedMenu", bot.Reply{Text: "Menu", Buttons: [][]bot.Button{row(bot.Button{Text: "Ý tưởng", Typed: true}), row(bot.Button{Text: "Sự kiện", Typed: true})}}},
		{"RequestContact", bot.Reply{Text: "Để cán bộ liên hệ, bạn chia sẻ số điện thoại nhé.", Buttons: [][]bot.Button{
			row(bot.Button{Text: "Chia sẻ số điện thoại", RequestContact: true}), row(bot.Button{Text: "Bỏ qua", Typed: true}),
		}}},
		{"RequestContactOnly", bot.Reply{Text: "Để cán bộ liên hệ, bạn chia sẻ số điện thoại nhé.", Buttons: [][]bot.Button{row(bot.Button{Text: "Chia sẻ số điện thoại", RequestContact: true})}}},
		{"RequestContactSameText", bot.Reply{Text: "Chia sẻ số điện thoại", Buttons: [][]bot.Button{row(bot.Button{Text: "Chia sẻ số điện thoại", RequestContact: true})}}},
		{"PhotoURL", bot.Reply{Text: "Ảnh ý tưởng YT-000001", Photo: "https://example.org/p/1.jpg"}},
		{"PhotoURLButtons", bot.Reply{Text: "Ý tưởng YT-000001", Photo: "https://example.org/p/1.jpg", Buttons: [][]bot.Button{row(bot.Button{Text: "Ủng hộ", Data: "bank:up:1"})}}},
		{"PhotoFileID", bot.Reply{Text: "Ảnh từ Telegram", Photo: "AgACAgIAAxkBAAIB"}},
		{"VoiceFileID", bot.Reply{Text: "Ghi âm", Voice: "AwACAgIAAxkBAAIC"}},
		{"Document", bot.Reply{Text: "Bản tóm tắt", Document: &bot.Document{Name: "tom-tat.txt", Data: []byte("Ý tưởng: nuôi cá lồng")}}},
		{"EmptyTextButtons", bot.Reply{Buttons: [][]bot.Button{row(bot.Button{Text: "OK", Data: "x:ok"})}}},
		{"BadButtonsDropped", bot.Reply{Text: "Nút", Buttons: [][]bot.Button{row(bot.Button{Text: " ", Data: "x:a"}, bot.Button{Text: "Dài", Data: strings.Repeat("d", maxPayload)}, bot.Button{Text: "Được", Data: "x:b"})}}},
		{"LongTitle", bot.Reply{Text: "Tiêu đề", Buttons: [][]bot.Button{row(bot.Button{Text: strings.Repeat("ơ", 150), Data: "x:t"})}}},
		{"HTMLStaysAsGiven", bot.Reply{Text: "a < b & c"}},
	}
	var all strings.Builder
	for _, c := range cases {
		u := e.user()
		if err := e.send(u, c.r); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		fmt.Fprintf(&all, "## %s\n%s\n", c.name, e.fake.Transcript(u))
	}
	golden(t, "render.golden", all.String())
}

func TestSendLimits(t *testing.T) {
	e := newEnv(t, nil)
	u := e.user()
	long := strings.Repeat("ư", 2500)
	many := make([][]bot.Button, 9)
	for i := range many {
		many[i] = row(bot.Button{Text: fmt.Sprint(i), Data: fmt.Sprintf("p:%d", i)})
	}
	if err := e.send(u, bot.Reply{Text: long, Buttons: many}); err != nil {
		t.Fatal(err)
	}
	m, ok := e.fake.LastMessage(u)
	if !ok {
		t.Fatal("nothing sent")
	}
	if n := utf8.RuneCountInString(m.Text); n != 2000 {
		t.Fatalf("text is %d code points, want 2000", n)
	}
	if len(m.Buttons) != 5 {
		t.Fatalf("%d buttons, want 5", len(m.Buttons))
	}
	if m.Buttons[0].Payload != CallbackPrefix+"p:0" || m.Buttons[0].Type != "oa.query.hide" {
		t.Fatalf("button %+v", m.Buttons[0])
	}
	calls := e.fake.CallsTo("message")
	if got := calls[len(calls)-1].Token; got != e.ch.keeper.tokens().Access {
		t.Fatal("access_token header is not the current token")
	}
}

// TestSendResumesAfterPartFailure: a reply of two messages whose second
// fails says so (SendError.Parts), and sent again from there the first is
// not sent twice.
func TestSendResumesAfterPartFailure(t *testing.T) {
	e := newEnv(t, nil)
	u := e.user()
	r := bot.Reply{Text: "Sản phẩm mới", Photo: "https://example.org/a.jpg", Buttons: [][]bot.Button{row(bot.Button{Text: "Xem", Data: "bank:o:1"})}}
	e.fake.Inject("message", zalotest.Fault{Delay: time.Millisecond, Times: 1}) // the first goes through
	e.fake.Inject("message", zalotest.Fault{Status: 502, Times: 1})
	err := e.send(u, r)
	se, ok := bot.AsSendError(err)
	if !ok || !se.Temporary() || se.Parts != 1 {
		t.Fatalf("second message failed with 502: err %v, want a temporary error with Parts 1", err)
	}
	again := r
	again.SkipParts = se.Parts
	if err := e.send(u, again); err != nil {
		t.Fatal(err)
	}
	msgs := e.fake.Messages(u)
	if len(msgs) != 2 || msgs[0].Image == "" || msgs[1].Text != "Sản phẩm mới" {
		t.Fatalf("messages %+v, want the photo once, then the text", msgs)
	}
	// A new reply, even the same one, is sent whole.
	if err := e.send(u, r); err != nil || len(e.fake.Messages(u)) != 4 {
		t.Fatalf("the same reply again: err %v, %d messages, want 4", err, len(e.fake.Messages(u)))
	}
}

// TestSendUploadTemporaryFailure: an upload that fails for now fails the
// send before any message goes (the bot sends the reply again later); one
// that fails for good sends the rest.
func TestSendUploadTemporaryFailure(t *testing.T) {
	e := newEnv(t, nil)
	u := e.user()
	r := bot.Reply{Text: "Bản sao lưu", Document: &bot.Document{Name: "backup.age", Data: []byte("dữ liệu")}}
	e.fake.Inject("upload/file", zalotest.Fault{Status: 502, Times: 1})
	if err := e.send(u, r); err == nil {
		t.Fatal("a failed upload was reported sent")
	}
	if n := len(e.fake.Messages(u)); n != 0 {
		t.Fatalf("%d messages sent before the file", n)
	}
	if err := e.send(u, r); err != nil {
		t.Fatal(err)
	}
	msgs := e.fake.Messages(u)
	if len(msgs) != 2 || msgs[0].File == nil || msgs[1].Text != "Bản sao lưu" {
		t.Fatalf("messages %+v, want the file, then the text", msgs)
	}
}

func TestSendUploadFailureSendsText(t *testing.T) {
	e := newEnv(t, nil)
	u := e.user()
	e.fake.Inject("upload/file", zalotest.Fault{Error: zalotest.ErrBadParameter})
	if err := e.send(u, bot.Reply{Text: "Bản xuất", Document: &bot.Document{Name: "a.csv", Data: []byte("x")}}); err != nil {
		t.Fatal(err)
	}
	msgs := e.fake.Messages(u)
	if len(msgs) != 1 || msgs[0].Text != "Bản xuất" || msgs[0].File != nil {
		t.Fatalf("messages %+v", msgs)
	}
	big := &bot.Document{Name: "big.bin", Data: make([]byte, 6<<20)}
	if err := e.send(u, bot.Reply{Text: "Quá lớn", Document: big}); err != nil {
		t.Fatal(err)
	}
	if n := len(e.fake.CallsTo("upload/file")); n != 1 {
		t.Fatalf("%d uploads, want 1 (the large file is not tried)", n)
	}
}

func TestSendErrors(t *testing.T) {
	tests := []struct {
		name   string
		fault  zalotest.Fault
		setup  func(e *env, u string)
		code   int
		window bool
		block  bool
		temp   bool
		ok     bool
		sleeps []time.Duration
		calls  int // message calls
	}{
		{name: "OutsideWindow", fault: zalotest.Fault{Error: -230}, code: -230, window: true, calls: 1},
		{name: "OutsideWindowPaid", fault: zalotest.Fault{Error: -232}, code: -232, window: true, calls: 1},
		{name: "NeverInteracted", setup: func(e *env, u string) { e.fake.SetLastInteraction(u, time.Time{}) }, code: -230, window: true, calls: 1},
		{name: "WindowPassed", setup: func(e *env, u string) { e.fake.SetLastInteraction(u, e.clock.Now().Add(-zalotest.Window-time.Minute)) }, code: -230, window: true, calls: 1},
		{name: "NotFollower", fault: zalotest.Fault{Error: -213}, code: -213, block: true, calls: 1},
		{name: "Banned", setup: func(e *env, u string) { e.fake.Ban(u) }, code: -227, block: true, calls: 1},
		{name: "BadParameter", fault: zalotest.Fault{Error: -201}, code: -201, calls: 1},
		{name: "Quota", fault: zalotest.Fault{Error: -211}, code: -211, calls: 1},
		{name: "HTTP502", fault: zalotest.Fault{Status: 502}, code: 502, temp: true, calls: 1},
		{name: "HTTP500", fault: zalotest.Fault{Status: 500}, code: 500, temp: true, calls: 1},
		{name: "RateLimitRecovers", fault: zalotest.Fault{Error: -32, Times: 2}, ok: true,
			sleeps: []time.Duration{time.Second, 2 * time.Second}, calls: 3},
		{name: "RateLimitGivesUp", fault: zalotest.Fault{Error: -32}, code: 429, temp: true,
			sleeps: []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}, calls: 5},
		{name: "InvalidTokenOnce", fault: zalotest.Fault{Error: -216, Times: 1}, ok: true, calls: 2},
		{name: "ExpiredTokenOnce", fault: zalotest.Fault{Error: -220, Times: 1}, ok: true, calls: 2},
		{name: "TokenAlwaysRejected", fault: zalotest.Fault{Error: -216}, code: 0, temp: true, calls: 2},
		{name: "ThisUserOnly", setup: func(e *env, u string) { e.fake.Inject("message", zalotest.Fault{Error: -230, User: "1"}) }, ok: true, calls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			u := e.user()
			e.fake.Inject("message", tt.fault)
			if tt.setup != nil {
				tt.setup(e, u)
			}
			err := e.send(u, bot.Reply{Text: "Thông báo"})
			if n := len(e.fake.CallsTo("message")); n != tt.calls {
				t.Errorf("%d message calls, want %d", n, tt.calls)
			}
			if fmt.Sprint(e.slept()) != fmt.Sprint(tt.sleeps) {
				t.Errorf("backoff %v, want %v", e.slept(), tt.sleeps)
			}
			if tt.ok {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			se, ok := bot.AsSendError(err)
			if !ok {
				t.Fatalf("err = %v, want *SendError", err)
			}
			if se.Code != tt.code || se.OutsideWindow != tt.window || se.Blocked != tt.block || se.Temporary() != tt.temp {
				t.Fatalf("got %+v (temporary %v)", se, se.Temporary())
			}
			if tt.code == 429 && se.RetryAfter <= 0 {
				t.Fatal("429 without RetryAfter")
			}
		})
	}
}

func TestSendTransportError(t *testing.T) {
	e := newEnv(t, nil)
	u := e.user()
	e.fake.Close()
	err := e.send(u, bot.Reply{Text: "x"})
	se, ok := bot.AsSendError(err)
	if !ok || se.Code != 0 || !se.Temporary() {
		t.Fatalf("err = %v", err)
	}
}

// Secrets never appear in errors or logs, whatever fails.
func TestSendNoSecrets(t *testing.T) {
	e := newEnv(t, nil)
	u := e.user()
	var errs []string
	for _, f := range []zalotest.Fault{{Error: -216}, {Error: -201}, {Status: 503}, {Error: -32}} {
		e.fake.ClearFaults()
		e.fake.Inject("message", f)
		e.fake.Inject("oauth", zalotest.Fault{Error: zalotest.ErrBadRefresh, Times: 1})
		if err := e.send(u, bot.Reply{Text: "x"}); err != nil {
			errs = append(errs, err.Error())
		}
	}
	e.fake.ClearFaults()
	tok, _ := e.tokens.current()
	secrets := []string{e.fake.AppSecret(), e.fake.OAKey(), tok.Access, tok.Refresh}
	text := strings.Join(errs, "\n") + e.logs.String() + fmt.Sprint(e.ch.Healthy())
	for _, f := range e.authFailures() {
		text += f.Error()
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Fatalf("secret %q leaked:\n%s", s[:4], text)
		}
	}
	if len(errs) == 0 {
		t.Fatal("no errors to check")
	}
}

// BenchmarkLimiterPacing sends through the real limiter at 3,000 a minute
// and reports the rate achieved as a share of the configured one.
func BenchmarkLimiterPacing(b *testing.B) {
	fake := zalotest.NewServer()
	defer fake.Close()
	fake.SetRecord(false)
	access, refresh := fake.IssueTokens()
	now := time.Now()
	tokens := &memTokens{tok: Tokens{Access: access, Refresh: refresh, Obtained: now, Expires: now.Add(time.Hour)}, has: true}
	const perMinute = 3000
	ch, err := New(Options{AppID: fake.AppID(), AppSecret: fake.AppSecret(), OASecretKey: fake.OAKey(),
		APIURL: fake.URL(), OAuthURL: fake.URL(), Tokens: tokens, RatePerMinute: perMinute})
	if err != nil {
		b.Fatal(err)
	}
	u := fake.NewUser()
	fake.Touch(u)
	ctx := context.Background()
	ch.limiter.Wait(ctx) // spend the initial burst
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if _, err := ch.Send(ctx, u, bot.Reply{Text: "tin"}); err != nil {
			b.Fatal(err)
		}
	}
	el := time.Since(start)
	got := float64(b.N) / el.Minutes()
	b.ReportMetric(got, "sends/min")
	b.ReportMetric(100*got/perMinute, "%_of_rate")
	if fake.SentTo(u) != b.N {
		b.Fatalf("sent %d of %d", fake.SentTo(u), b.N)
	}
}

var _ = http.StatusOK
