package zalo

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/zalo/zalotest"
)

func TestWebhookSignature(t *testing.T) {
	tests := []struct {
		name     string
		signing  zalotest.Signing
		variants bool
		want     int
	}{
		{"Valid", zalotest.SignOAKey, false, http.StatusOK},
		{"Forged", zalotest.SignForged, false, http.StatusUnauthorized},
		{"Missing", zalotest.SignNone, false, http.StatusUnauthorized},
		{"WrongKey", zalotest.SignWrongKey, false, http.StatusUnauthorized},
		{"AppSecretRefused", zalotest.SignAppSecret, false, http.StatusUnauthorized},
		{"OAIDRefused", zalotest.SignOAID, false, http.StatusUnauthorized},
		{"AppSecretVariant", zalotest.SignAppSecret, true, http.StatusOK},
		{"OAIDVariant", zalotest.SignOAID, true, http.StatusOK},
		{"WrongKeyWithVariants", zalotest.SignWrongKey, true, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(o *Options, e *env) {
				o.SignatureVariants, o.OAID = tt.variants, e.fake.OAID()
			})
			e.fake.SetSigning(tt.signing)
			u := e.fake.NewUser()
			mustStatus(t, tt.want)(e.fake.SendText(u, "xin chào"))
			got := len(e.inbox.updates())
			if want := map[bool]int{true: 1, false: 0}[tt.want == http.StatusOK]; got != want {
				t.Fatalf("%d updates accepted, want %d", got, want)
			}
		})
	}
}

func TestWebhookSignatureTampered(t *testing.T) {
	e := newEnv(t, nil)
	u := e.fake.NewUser()
	mustStatus(t, http.StatusOK)(e.fake.SendText(u, "một"))
	d := e.fake.Deliveries()[0]
	cases := map[string]struct {
		body []byte
		sig  string
	}{
		"BodyChanged":    {bytes.Replace(d.Body, []byte("một"), []byte("hai"), 1), d.Signature},
		"UpperCaseMac":   {d.Body, "mac=" + strings.ToUpper(strings.TrimPrefix(d.Signature, "mac="))},
		"NoPrefix":       {d.Body, strings.TrimPrefix(d.Signature, "mac=")},
		"ShortMac":       {d.Body, d.Signature[:20]},
		"NotHex":         {d.Body, "mac=" + strings.Repeat("zz", 32)},
		"SpaceAppended":  {append(append([]byte(nil), d.Body...), ' '), d.Signature},
		"OtherEventsSig": {d.Body, zalotest.Mac(e.fake.AppID(), []byte("{}"), "1", e.fake.OAKey())},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			status, err := e.fake.PostRaw(c.body, c.sig)
			if err != nil {
				t.Fatal(err)
			}
			want := http.StatusUnauthorized
			if name == "UpperCaseMac" {
				want = http.StatusOK // hex is case-insensitive; same event, deduplicated
			}
			if status != want {
				t.Fatalf("status %d, want %d", status, want)
			}
			if n := len(e.inbox.updates()); n != 1 {
				t.Fatalf("%d updates, want 1", n)
			}
		})
	}
}

func TestWebhookReplayAndOrder(t *testing.T) {
	e := newEnv(t, nil)
	u := e.fake.NewUser()
	mustStatus(t, http.StatusOK)(e.fake.SendText(u, "một"))
	mustStatus(t, http.StatusOK)(e.fake.Follow(u))
	mustStatus(t, http.StatusOK)(e.fake.SendText(u, "hai"))
	first := e.inbox.updates()
	if len(first) != 3 {
		t.Fatalf("%d updates, want 3", len(first))
	}
	// Zalo's retries: the same bytes, in another order, some twice.
	for _, i := range []int{2, 0, 1, 2, 0} {
		mustStatus(t, http.StatusOK)(e.fake.Replay(i))
	}
	if got := e.inbox.updates(); len(got) != 3 {
		t.Fatalf("%d distinct updates after replays, want 3", len(got))
	}
	for _, up := range first {
		if n := e.inbox.deliveries(up.Key); n != 3 && n != 2 {
			t.Errorf("key %s delivered %d times", up.Key, n)
		}
	}
	if first[0].Key == first[2].Key {
		t.Fatal("two messages share a key")
	}
	if !strings.HasPrefix(first[1].Key, "zalo:follow:"+u+":") {
		t.Fatalf("follow key %q", first[1].Key)
	}
}

func TestWebhookStatuses(t *testing.T) {
	e := newEnv(t, nil)
	sign := func(body string) string { return e.fake.Sign([]byte(body), e.fake.AppID(), "1700000000000") }
	valid := func(event, extra string) string {
		return fmt.Sprintf(`{"app_id":%q,"event_name":%q,"timestamp":"1700000000000","sender":{"id":"8817264536271819299"},"recipient":{"id":"1"}%s}`, e.fake.AppID(), event, extra)
	}
	big := valid("user_send_text", `,"message":{"msg_id":"m1","text":"`+strings.Repeat("a", MaxBody)+`"}`)
	tests := []struct {
		name string
		body string
		sig  string
		want int
	}{
		{"TooLarge", big, sign(big), http.StatusRequestEntityTooLarge},
		{"NotJSON", "hello", "mac=00", http.StatusBadRequest},
		{"Empty", "", "", http.StatusBadRequest},
		{"Truncated", `{"app_id":"1","timestamp":"2"`, "", http.StatusBadRequest},
		{"NoAppID", `{"timestamp":"1700000000000"}`, sign(`{"timestamp":"1700000000000"}`), http.StatusBadRequest},
		{"NoTimestamp", `{"app_id":"1"}`, "", http.StatusBadRequest},
		{"UnsignedValid", valid("user_send_text", `,"message":{"msg_id":"m2","text":"x"}`), "", http.StatusUnauthorized},
		{"UnknownEvent", valid("user_did_something", ""), sign(valid("user_did_something", "")), http.StatusOK},
		{"Seen", valid("user_seen_message", `,"message":{"msg_id":"m3"}`), sign(valid("user_seen_message", `,"message":{"msg_id":"m3"}`)), http.StatusOK},
		{"Received", valid("user_received_message", ""), sign(valid("user_received_message", "")), http.StatusOK},
		{"NoSender", `{"app_id":"` + e.fake.AppID() + `","event_name":"user_send_text","timestamp":"1700000000000"}`,
			sign(`{"app_id":"` + e.fake.AppID() + `","event_name":"user_send_text","timestamp":"1700000000000"}`), http.StatusOK},
		{"SignedOddShape", valid("user_send_text", `,"message":{"msg_id":"m4","text":7}`), sign(valid("user_send_text", `,"message":{"msg_id":"m4","text":7}`)), http.StatusOK},
	}
	trailing := valid("user_send_text", `,"message":{"msg_id":"m5","text":"x"}`) + ` {"more":1}`
	tests = append(tests, struct {
		name string
		body string
		sig  string
		want int
	}{"TrailingGarbage", trailing, sign(trailing), http.StatusBadRequest})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, err := e.fake.PostRaw([]byte(tt.body), tt.sig)
			if err != nil {
				t.Fatal(err)
			}
			if status != tt.want {
				t.Fatalf("status %d, want %d", status, tt.want)
			}
			if n := len(e.inbox.updates()); n != 0 {
				t.Fatalf("%d updates accepted, want none", n)
			}
		})
	}
	t.Run("GET", func(t *testing.T) {
		resp, err := http.Get(e.hook.URL + "/zalo/webhook")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})
}

func TestWebhookInboxFailure(t *testing.T) {
	e := newEnv(t, nil)
	u := e.fake.NewUser()
	e.inbox.fail = true
	mustStatus(t, http.StatusServiceUnavailable)(e.fake.SendText(u, "một"))
	e.inbox.mu.Lock()
	e.inbox.fail = false
	e.inbox.mu.Unlock()
	mustStatus(t, http.StatusOK)(e.fake.Replay(0))
	if n := len(e.inbox.updates()); n != 1 {
		t.Fatalf("%d updates, want 1", n)
	}
}

func TestWebhookEvents(t *testing.T) {
	e := newEnv(t, nil)
	u := e.fake.NewUser()
	tests := []struct {
		name string
		send func() (int, error)
		want bot.Update
	}{
		{"Text", func() (int, error) { return e.fake.SendText(u, "Xin chào") }, bot.Update{Kind: bot.KindMessage, Text: "Xin chào"}},
		{"Command", func() (int, error) { return e.fake.SendText(u, "/Start ref_42") },
			bot.Update{Kind: bot.KindMessage, Text: "/Start ref_42", Command: "start", Args: "ref_42"}},
		{"CommandBotSuffix", func() (int, error) { return e.fake.SendText(u, "/help@oa") },
			bot.Update{Kind: bot.KindMessage, Text: "/help@oa", Command: "help"}},
		{"NotCommand", func() (int, error) { return e.fake.SendText(u, "/ hello") }, bot.Update{Kind: bot.KindMessage, Text: "/ hello"}},
		{"Press", func() (int, error) { return e.fake.Press(u, CallbackPrefix+"idea:new") }, bot.Update{Kind: bot.KindCallback, Data: "idea:new"}},
		{"PressForged", func() (int, error) { return e.fake.Press(u, CallbackPrefix+"staff:ok:1\x00") }, bot.Update{Kind: bot.KindCallback, Data: "staff:ok:1\x00"}},
		{"PrefixInside", func() (int, error) { return e.fake.SendText(u, "a "+CallbackPrefix+"x") }, bot.Update{Kind: bot.KindMessage, Text: "a " + CallbackPrefix + "x"}},
		{"Image", func() (int, error) { return e.fake.SendImage(u, "https://zalo.example/p.jpg", "Ảnh sản phẩm") },
			bot.Update{Kind: bot.KindMessage, Photo: "https://zalo.example/p.jpg", Text: "Ảnh sản phẩm"}},
		{"Audio", func() (int, error) { return e.fake.SendAudio(u, "https://zalo.example/v.m4a") },
			bot.Update{Kind: bot.KindMessage, Voice: "https://zalo.example/v.m4a"}},
		{"File", func() (int, error) { return e.fake.SendFile(u, "https://zalo.example/f.pdf", "ke-hoach.pdf", 12345) },
			bot.Update{Kind: bot.KindMessage, Document: &bot.FileRef{ID: "https://zalo.example/f.pdf", Name: "ke-hoach.pdf", Size: 12345}}},
		{"Location", func() (int, error) { return e.fake.SendLocation(u, 15.8801, 108.338) },
			bot.Update{Kind: bot.KindMessage, Location: &bot.Location{Lat: 15.8801, Lon: 108.338}}},
		{"Sticker", func() (int, error) { return e.fake.SendSticker(u) }, bot.Update{Kind: bot.KindUnsupported}},
		{"GIF", func() (int, error) { return e.fake.SendGIF(u) }, bot.Update{Kind: bot.KindUnsupported}},
		{"Follow", func() (int, error) { return e.fake.Follow(u) }, bot.Update{Kind: bot.KindMessage, Text: "/start", Command: "start"}},
		{"Unfollow", func() (int, error) { return e.fake.Unfollow(u) }, bot.Update{Kind: bot.KindBlocked}},
		{"SubmitInfo", func() (int, error) { return e.fake.SubmitInfo(u, "0905123456") },
			bot.Update{Kind: bot.KindMessage, Contact: &bot.Contact{Phone: "0905123456"}}},
		{"InvalidUTF8", func() (int, error) { return e.fake.SendText(u, "a\xffb") }, bot.Update{Kind: bot.KindMessage, Text: "a\uFFFDb"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(e.inbox.updates())
			mustStatus(t, http.StatusOK)(tt.send())
			ups := e.inbox.updates()
			if len(ups) != before+1 {
				t.Fatalf("%d new updates, want 1", len(ups)-before)
			}
			got := ups[len(ups)-1]
			if got.Channel != "zalo" || got.ChatRef != u || got.From.Ref != u || !strings.HasPrefix(got.Key, "zalo:") {
				t.Fatalf("channel %q chat %q from %q key %q", got.Channel, got.ChatRef, got.From.Ref, got.Key)
			}
			w := tt.want
			if got.Kind != w.Kind || got.Text != w.Text || got.Command != w.Command || got.Args != w.Args || got.Data != w.Data ||
				got.Photo != w.Photo || got.Voice != w.Voice {
				t.Fatalf("got %+v\nwant %+v", got, w)
			}
			if (got.Document == nil) != (w.Document == nil) || w.Document != nil && *got.Document != *w.Document {
				t.Fatalf("document %+v, want %+v", got.Document, w.Document)
			}
			if (got.Location == nil) != (w.Location == nil) || w.Location != nil && *got.Location != *w.Location {
				t.Fatalf("location %+v, want %+v", got.Location, w.Location)
			}
			if (got.Contact == nil) != (w.Contact == nil) || w.Contact != nil && got.Contact.Phone != w.Contact.Phone {
				t.Fatalf("contact %+v, want %+v", got.Contact, w.Contact)
			}
		})
	}
}

// TestWebhookStaleEvent: a correctly signed event older than the
// deduplication window (a replay) or dated a day ahead is answered 200
// and not taken.
func TestWebhookStaleEvent(t *testing.T) {
	e := newEnv(t, nil)
	for _, at := range []time.Time{e.clock.Now().Add(-8 * 24 * time.Hour), e.clock.Now().Add(25 * time.Hour)} {
		ts := strconv.FormatInt(at.UnixMilli(), 10)
		body := `{"app_id":"` + e.fake.AppID() + `","event_name":"user_send_text","timestamp":"` + ts + `",` +
			`"sender":{"id":"123"},"recipient":{"id":"1"},"message":{"msg_id":"m-` + ts + `","text":"hi"}}`
		mustStatus(t, http.StatusOK)(e.fake.PostRaw([]byte(body), e.fake.Sign([]byte(body), e.fake.AppID(), ts)))
	}
	if ups := e.inbox.updates(); len(ups) != 0 {
		t.Fatalf("stale events taken: %+v", ups)
	}
	// Within the window: taken.
	ts := strconv.FormatInt(e.clock.Now().Add(-6*24*time.Hour).UnixMilli(), 10)
	body := `{"app_id":"` + e.fake.AppID() + `","event_name":"user_send_text","timestamp":"` + ts + `",` +
		`"sender":{"id":"123"},"recipient":{"id":"1"},"message":{"msg_id":"m-ok","text":"hi"}}`
	mustStatus(t, http.StatusOK)(e.fake.PostRaw([]byte(body), e.fake.Sign([]byte(body), e.fake.AppID(), ts)))
	if ups := e.inbox.updates(); len(ups) != 1 {
		t.Fatalf("%d updates from an event six days old, want 1", len(ups))
	}
}

// Zalo IDs exceed 2^53: a number literal must be kept digit for digit.
func TestWebhookBigNumericIDs(t *testing.T) {
	e := newEnv(t, nil)
	ts := strconv.FormatInt(e.clock.Now().UnixMilli(), 10)
	body := `{"app_id":` + e.fake.AppID() + `,"event_name":"user_send_text","timestamp":` + ts + `,` +
		`"sender":{"id":8817264536271819283},"recipient":{"id":1},"message":{"msg_id":"m1","text":"hi"}}`
	sig := e.fake.Sign([]byte(body), e.fake.AppID(), ts)
	mustStatus(t, http.StatusOK)(e.fake.PostRaw([]byte(body), sig))
	ups := e.inbox.updates()
	if len(ups) != 1 || ups[0].ChatRef != "8817264536271819283" || ups[0].From.Ref != "8817264536271819283" {
		t.Fatalf("updates %+v", ups)
	}
}

func FuzzWebhook(f *testing.F) {
	f.Add([]byte(`{"app_id":"1","event_name":"user_send_text","timestamp":"2","sender":{"id":"3"},"message":{"msg_id":"4","text":"/x y"}}`))
	f.Add([]byte(`{"app_id":"1","event_name":"user_send_location","timestamp":"2","sender":{"id":"3"},"message":{"attachments":[{"type":"location","payload":"x"}]}}`))
	f.Add([]byte(`{"app_id":"1","event_name":"user_send_file","timestamp":"2","sender":{"id":"3"},"message":{"attachments":[{"type":"file","payload":{"size":1e999}}]}}`))
	ch, err := New(Options{AppID: "1", AppSecret: "s", OASecretKey: "k", Tokens: &memTokens{}, Inbox: &memInbox{}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var head struct {
			AppID     id `json:"app_id"`
			Timestamp id `json:"timestamp"`
		}
		sig := ""
		if decodeOne(body, &head) == nil {
			sig = zalotest.Mac(string(head.AppID), body, string(head.Timestamp), "k")
		}
		req, _ := http.NewRequest(http.MethodPost, "/zalo/webhook", bytes.NewReader(body))
		req.Header.Set("X-ZEvent-Signature", sig)
		w := &discardWriter{h: http.Header{}}
		ch.Webhook().ServeHTTP(w, req)
	})
}

type discardWriter struct {
	h      http.Header
	status int
}

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d *discardWriter) WriteHeader(s int)           { d.status = s }
