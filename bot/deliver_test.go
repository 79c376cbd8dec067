package bot

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qnstartup/trolykhoinghiep/locales"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// gatedChannel counts sends per text; a send whose text contains hold
// waits until the gate opens.
type gatedChannel struct {
	memChannel
	hold    string
	gate    chan struct{}
	entered chan struct{}
	mu      sync.Mutex
	count   map[string]int
}

func (g *gatedChannel) Send(ctx context.Context, to string, r Reply) (int, error) {
	if g.hold != "" && strings.Contains(r.Text, g.hold) {
		g.entered <- struct{}{}
		<-g.gate
	}
	g.mu.Lock()
	g.count[r.Text]++
	g.mu.Unlock()
	return g.memChannel.Send(ctx, to, r)
}

func newGatedBot(t *testing.T, g *gatedChannel) *Bot {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "bot.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	b, err := New(Options{Store: st, Channels: []Channel{g}, Locales: locales.MustLoad(), extraModules: []Module{{
		Name: "two", Commands: []Command{{Name: "two", Hidden: true, Handler: func(c *Ctx) error {
			c.Reply(Reply{Text: "first " + c.U.Args})
			c.Reply(Reply{Text: "second " + c.U.Args})
			return nil
		}}},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func cmd(args string) *Update {
	return &Update{ChatID: 7, Channel: "mem", ChatRef: "7", From: Sender{ID: 7, Ref: "7", FirstName: "A"}, Kind: KindMessage, Command: "two", Args: args, Text: "/two " + args}
}

// A reply being sent by its update is not sent again by a concurrent
// Redeliver, and Redeliver's other sends are not repeated by the update.
func TestRedeliverDoesNotDuplicate(t *testing.T) {
	g := &gatedChannel{hold: "first a", gate: make(chan struct{}), entered: make(chan struct{}), count: map[string]int{}}
	b := newGatedBot(t, g)
	done := make(chan error)
	go func() { done <- b.Handle(context.Background(), cmd("a")) }()
	<-g.entered // "first a" is being sent
	b.Redeliver(context.Background())
	close(g.gate)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// Sent, but still in the outbox until the next commit: not resent.
	b.Redeliver(context.Background())
	if err := b.Handle(context.Background(), cmd("b")); err != nil {
		t.Fatal(err)
	}
	b.Redeliver(context.Background())
	for _, text := range []string{"first a", "second a", "first b", "second b"} {
		if n := g.count[text]; n != 1 {
			t.Errorf("%q sent %d times", text, n)
		}
	}
	if items, _ := b.Store().Outbox(); len(items) > 2 {
		t.Errorf("outbox keeps %d delivered replies", len(items))
	}
}

// TestBackoff: 500 ms doubling up to 30 s, and never less after many
// failures (a shift past 63 bits would be 0).
func TestBackoff(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want time.Duration
	}{{-1, 500 * time.Millisecond}, {0, 500 * time.Millisecond}, {1, time.Second}, {5, 16 * time.Second}, {6, 30 * time.Second}, {35, 30 * time.Second}, {64, 30 * time.Second}, {1 << 20, 30 * time.Second}} {
		if got := Backoff(tc.n); got != tc.want {
			t.Errorf("Backoff(%d) = %v, want %v", tc.n, got, tc.want)
		}
	}
}
