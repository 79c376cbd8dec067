package zalo

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/locales"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// TestBotOverZalo runs the real bot on this channel: webhook in, engine,
// rendering within Caps, Send out, all over HTTP against the fake.
func TestBotOverZalo(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "bot.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var b *bot.Bot
	e := newEnv(t, func(o *Options, _ *env) {
		o.Inbox = InboxFunc(func(ctx context.Context, ups []*bot.Update) error { return b.Accept(ctx, ups) })
	})
	if b, err = bot.New(bot.Options{Store: st, Channels: []bot.Channel{e.ch}, Locales: locales.MustLoad()}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	b.Serve(ctx)
	t.Cleanup(func() { cancel(); b.Wait() })

	u := e.fake.NewUser()
	step := func(send func() (int, error)) {
		t.Helper()
		mustStatus(t, http.StatusOK)(send())
		if !b.WaitIdle(10 * time.Second) {
			t.Fatal("bot not idle")
		}
	}
	step(func() (int, error) { return e.fake.Follow(u) })
	welcome, ok := e.fake.LastMessage(u)
	if !ok {
		t.Fatalf("no welcome:\n%s", e.fake.Transcript(u))
	}
	for _, m := range e.fake.Messages(u) {
		if len(m.Buttons) > maxButtons || len([]rune(m.Text)) > maxText || strings.Contains(m.Text, "<b>") {
			t.Fatalf("message outside Zalo's limits: %+v", m)
		}
	}
	var press string
	for _, btn := range welcome.Buttons {
		if btn.Type == "oa.query.hide" {
			press = btn.Payload
			break
		}
	}
	if press != "" {
		step(func() (int, error) { return e.fake.Press(u, press) })
	}
	step(func() (int, error) { return e.fake.SendText(u, "help") })
	step(func() (int, error) { return e.fake.SendSticker(u) })
	// A redelivered event has no second effect.
	n := e.fake.SentTo(u)
	step(func() (int, error) { return e.fake.Replay(len(e.fake.Deliveries()) - 1) })
	if e.fake.SentTo(u) != n {
		t.Fatal("a replayed event was answered again")
	}
	step(func() (int, error) { return e.fake.Unfollow(u) })
	golden(t, "e2e.golden", e.fake.Transcript(u))
}
