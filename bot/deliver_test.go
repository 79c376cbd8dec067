package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/qnstartup/trolykhoinghiep/locales"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// gatedMessenger counts sends per text; a send whose text contains hold
// waits until the gate opens.
type gatedMessenger struct {
	memMessenger
	hold    string
	gate    chan struct{}
	entered chan struct{}
	mu      sync.Mutex
	count   map[string]int
}

func (g *gatedMessenger) Send(chatID int64, r Reply) (int, error) {
	if g.hold != "" && strings.Contains(r.Text, g.hold) {
		g.entered <- struct{}{}
		<-g.gate
	}
	g.mu.Lock()
	g.count[r.Text]++
	g.mu.Unlock()
	return g.memMessenger.Send(chatID, r)
}

func newGatedBot(t *testing.T, g *gatedMessenger) *Bot {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "bot.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	b, err := New(Options{Store: st, Messenger: g, Locales: locales.MustLoad(), extraModules: []Module{{
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

func cmd(id int64, args string) *Update {
	return &Update{ID: id, ChatID: 7, From: Sender{ID: 7, FirstName: "A"}, Kind: KindMessage, Command: "two", Args: args, Text: "/two " + args}
}

// A reply being sent by its update is not sent again by a concurrent
// Redeliver, and Redeliver's other sends are not repeated by the update.
func TestRedeliverDoesNotDuplicate(t *testing.T) {
	g := &gatedMessenger{hold: "first a", gate: make(chan struct{}), entered: make(chan struct{}), count: map[string]int{}}
	b := newGatedBot(t, g)
	done := make(chan error)
	go func() { done <- b.Handle(context.Background(), cmd(1, "a")) }()
	<-g.entered // "first a" is being sent
	b.Redeliver(context.Background())
	close(g.gate)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// Sent, but still in the outbox until the next commit: not resent.
	b.Redeliver(context.Background())
	if err := b.Handle(context.Background(), cmd(2, "b")); err != nil {
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

// An update whose entities reach past its text is skipped; the bot goes on.
func TestMalformedEntitySkipped(t *testing.T) {
	h := newHarness(t)
	raw := fmt.Sprintf(`{"update_id":0,"message":{"message_id":5,"date":1,"from":{"id":%d,"is_bot":false,"first_name":"Lan"},"chat":{"id":%d,"type":"private"},"text":"/x","entities":[{"type":"bot_command","offset":0,"length":40}]}}`, lan.ID, lan.ID)
	h.srv.SendRaw(json.RawMessage(raw))
	h.send(lan, "/help")
	h.expect(lan, "Hướng dẫn")
	if !strings.Contains(h.logs.String(), "malformed update") {
		t.Fatalf("not logged:\n%s", h.logs.String())
	}
}
