package bot

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/qnstartup/trolykhoinghiep/locales"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// fastRig is a bot on a real store with the memory channel, its scheduler
// running, and a hidden /slow command that waits for its gate.
type fastRig struct {
	t       *testing.T
	b       *Bot
	st      *store.Store
	ch      *memChannel
	commits atomic.Int64
	fail    atomic.Int64 // commits still to fail
	entered chan struct{}
	gate    chan struct{}
	runs    atomic.Int64 // /slow handler runs
}

func newFastRig(t *testing.T, shards int) *fastRig {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "bot.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	r := &fastRig{t: t, st: st, ch: &memChannel{}, entered: make(chan struct{}, 8), gate: make(chan struct{})}
	st.SetCommitHook(func() error {
		r.commits.Add(1)
		if r.fail.Load() > 0 && r.fail.Add(-1) >= 0 {
			return errors.New("disk full")
		}
		return nil
	})
	r.b, err = New(Options{Store: st, Channels: []Channel{r.ch}, Locales: locales.MustLoad(), Shards: shards, extraModules: []Module{{
		Name: "slow", Commands: []Command{{Name: "slow", Hidden: true, Handler: func(c *Ctx) error {
			r.runs.Add(1)
			r.entered <- struct{}{}
			<-r.gate
			c.Reply(Reply{Text: "slow done " + c.U.Args})
			return nil
		}}, {Name: "echo", Hidden: true, Handler: func(c *Ctx) error {
			r.runs.Add(1)
			c.Reply(Reply{Text: "echo " + c.U.Args})
			return nil
		}}},
		Actions: map[string]Handler{"echo": func(c *Ctx) error {
			r.runs.Add(1)
			c.Toast("ok")
			c.Reply(Reply{Text: "pressed"})
			return nil
		}},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.b.Serve(ctx)
	t.Cleanup(func() {
		cancel()
		r.b.Wait()
		st.Close()
	})
	return r
}

var fastKeys atomic.Int64

// update is a private message from user ref in the memory channel.
func (r *fastRig) update(ref, text string) *Update {
	u := &Update{Channel: "mem", ChatRef: ref, From: Sender{Ref: ref, FirstName: "A"}, Kind: KindMessage, Text: text,
		Key: "mem:" + strconv.FormatInt(fastKeys.Add(1), 10)}
	if rest, ok := strings.CutPrefix(text, "/"); ok {
		u.Command, u.Args, _ = strings.Cut(rest, " ")
	}
	return u
}

// known makes ref a known user: their first update, from a new user,
// goes through the inbox, which assigns their ID.
func (r *fastRig) known(ref string) {
	r.t.Helper()
	r.accept(r.update(ref, "/start"))
	r.idle()
}

func (r *fastRig) accept(ups ...*Update) {
	r.t.Helper()
	if err := r.b.Accept(context.Background(), ups); err != nil {
		r.t.Fatal(err)
	}
}

func (r *fastRig) idle() {
	r.t.Helper()
	if !r.b.WaitIdle(10 * time.Second) {
		r.t.Fatal("not idle")
	}
}

func (r *fastRig) sent(text string) int {
	r.ch.mu.Lock()
	defer r.ch.mu.Unlock()
	n := 0
	for _, m := range r.ch.sent {
		if strings.Contains(m.Text, text) {
			n++
		}
	}
	return n
}

// A known user's message is received and handled in one commit: the
// reply follows it, the inbox is never written, and the same update
// delivered again is recognised.
func TestFastPathOneCommit(t *testing.T) {
	r := newFastRig(t, 4)
	r.known("7")
	before, sends := r.commits.Load(), len(r.ch.sent)
	u := r.update("7", "/help")
	dup := *u
	r.accept(u)
	if got := r.commits.Load() - before; got != 1 {
		t.Errorf("Accept of a known user's message took %d commits, want 1 (effects and receipt together)", got)
	}
	if !u.fast() {
		t.Error("the update did not take the fast path")
	}
	r.idle()
	if len(r.ch.sent) == sends {
		t.Fatal("no reply")
	}
	if n := r.st.InboxLen(); n != 0 {
		t.Errorf("inbox holds %d items", n)
	}
	if n := testutil.ToFloat64(r.b.met.fast.WithLabelValues("handled")); n != 1 {
		t.Errorf("bot_inbox_fast_total{result=handled} = %v, want 1", n)
	}
	sends = len(r.ch.sent)
	dup.rc = nil
	r.accept(&dup)
	r.idle()
	if len(r.ch.sent) != sends {
		t.Errorf("a redelivered update was answered again")
	}
}

// A fast update whose handler cannot commit is committed to the inbox by
// Accept and handled from there: answered once, nothing lost.
func TestFastPathFailedCommitGoesToInbox(t *testing.T) {
	r := newFastRig(t, 4)
	r.known("7")
	r.fail.Store(2) // the effects, then the explanation
	u := r.update("7", "/echo x")
	r.accept(u)
	r.idle()
	if !u.fast() {
		t.Error("the update did not take the fast path")
	}
	if n := r.sent("echo x"); n != 1 {
		t.Errorf("reply sent %d times, want 1", n)
	}
	if n := r.runs.Load(); n != 2 {
		t.Errorf("handler ran %d times, want 2 (failed, then from the inbox)", n)
	}
	if n := testutil.ToFloat64(r.b.met.fast.WithLabelValues("moved")); n != 1 {
		t.Errorf("bot_inbox_fast_total{result=moved} = %v, want 1", n)
	}
	if n := r.st.InboxLen(); n != 0 {
		t.Errorf("inbox holds %d items", n)
	}
}

// With every worker busy, Accept does not wait for a free one: the batch
// goes to the inbox. A fast update whose handler runs past fastWait is
// raced by the inbox for its Key, and handled once either way.
func TestFastPathBusyPool(t *testing.T) {
	r := newFastRig(t, 1)
	r.accept(r.update("7", "/start"), r.update("8", "/start"))
	r.idle()

	accepted := make(chan struct{})
	go func() {
		r.accept(r.update("7", "/slow a")) // fast: the only worker takes it and blocks
		close(accepted)
	}()
	<-r.entered
	select {
	case <-accepted: // after fastWait, moved to the inbox
	case <-time.After(10 * time.Second):
		t.Fatal("Accept waited for a blocked handler")
	}
	u := r.update("8", "/help")
	r.accept(u) // the pool is busy: to the inbox
	if u.fast() {
		t.Error("an update took the fast path with no free worker")
	}
	if n := r.st.InboxLen(); n != 2 {
		t.Errorf("inbox holds %d items, want 2 (the slow update's copy and /help)", n)
	}
	close(r.gate)
	r.idle()
	if n := r.sent("slow done a"); n != 1 {
		t.Errorf("slow reply sent %d times, want 1", n)
	}
	// Twice when the worker had started it before fastWait (its run lost
	// the race to the inbox copy), once when it had not (it was taken
	// from the worker).
	if n := r.runs.Load(); n != 1 && n != 2 {
		t.Errorf("slow handler ran %d times, want 1 or 2", n)
	}
	if n := r.st.InboxLen(); n != 0 {
		t.Errorf("inbox holds %d items", n)
	}
}

// Two updates of one chat in a batch keep their order (neither skips the
// inbox ahead of the other).
func TestFastPathKeepsChatOrder(t *testing.T) {
	r := newFastRig(t, 8)
	r.known("7")
	close(r.gate)
	var wg sync.WaitGroup
	a, b := r.update("7", "/slow 1"), r.update("7", "/slow 2")
	wg.Add(1)
	go func() { defer wg.Done(); r.accept(a, b) }()
	<-r.entered
	<-r.entered
	wg.Wait()
	r.idle()
	if a.fast() || b.fast() {
		t.Error("an update of a chat with two in the batch took the fast path")
	}
	r.ch.mu.Lock()
	defer r.ch.mu.Unlock()
	var order []string
	for _, m := range r.ch.sent {
		if strings.HasPrefix(m.Text, "slow done") {
			order = append(order, m.Text)
		}
	}
	if strings.Join(order, ",") != "slow done 1,slow done 2" {
		t.Errorf("replies in order %q", order)
	}
}

// A button press whose fast run cannot commit is answered once, by its
// run from the inbox: never by the failed run as well.
func TestFastPathFailedCallbackAnsweredOnce(t *testing.T) {
	r := newFastRig(t, 4)
	r.known("7")
	r.fail.Store(2)
	u := r.update("7", "")
	u.Kind, u.Text, u.Data, u.Callback = KindCallback, "", "slow:echo:x", "cb1"
	r.accept(u)
	r.idle()
	if !u.fast() {
		t.Error("the press did not take the fast path")
	}
	if n := r.sent("pressed"); n != 1 {
		t.Errorf("reply sent %d times, want 1", n)
	}
	r.ch.mu.Lock()
	defer r.ch.mu.Unlock()
	if n := r.ch.answers["cb1"]; n != 1 {
		t.Errorf("callback query answered %d times, want 1", n)
	}
}
