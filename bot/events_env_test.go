package bot

import (
	"context"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qnstartup/trolykhoinghiep/bot/telegramtest"
	"github.com/qnstartup/trolykhoinghiep/locales"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// jobEnv runs the bot against the fake Bot API with a real store file and
// a controlled clock, for the staff, events, reminders and broadcast tests.
type jobEnv struct {
	t      testing.TB
	srv    *telegramtest.Server
	path   string
	st     *store.Store
	b      *Bot
	clock  *testClock
	admins []int64
	feat   Features
	// durable makes the store sync every commit (tests skip it for speed).
	durable bool
	cancel  context.CancelFunc
	done    chan struct{}
	vi      *locales.Localizer
}

// testClock is a settable clock that moves on a little at every reading, so
// per-user flood limits see time pass.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(200 * time.Millisecond)
	return c.now
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// testStart is "now" in these tests: Tuesday 10 March 2026, 09:00 in Vietnam.
var testStart = time.Date(2026, 3, 10, 9, 0, 0, 0, Vietnam)

func newJobEnv(t testing.TB, feat Features, admins ...int64) *jobEnv {
	t.Helper()
	e := &jobEnv{
		t: t, srv: telegramtest.Start(t), path: filepath.Join(t.TempDir(), "bot.db"),
		clock: &testClock{now: testStart}, admins: admins, feat: feat,
		vi: locales.MustLoad().For("vi"),
	}
	e.open()
	t.Cleanup(e.stop)
	return e
}

// open opens the store, builds the bot and starts polling.
func (e *jobEnv) open() {
	e.t.Helper()
	st, err := store.Open(e.path, store.Options{NoSync: !e.durable})
	if err != nil {
		e.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	tg, err := NewTelegram(ctx, TelegramOptions{Token: e.srv.Token(), Endpoint: e.srv.Endpoint(), PollTimeout: time.Second})
	if err != nil {
		cancel()
		e.t.Fatal(err)
	}
	b, err := New(Options{Store: st, Messenger: tg, Locales: locales.MustLoad(), AdminIDs: e.admins, Now: e.clock.Now, Features: e.feat, Log: testLog(e.t)})
	if err != nil {
		cancel()
		e.t.Fatal(err)
	}
	e.st, e.b, e.cancel, e.done = st, b, cancel, make(chan struct{})
	go func() {
		defer close(e.done)
		tg.Poll(ctx, b)
	}()
}

// stop ends polling and closes the store.
func (e *jobEnv) stop() {
	if e.cancel == nil {
		return
	}
	e.cancel()
	<-e.done
	e.st.Close()
	e.cancel = nil
}

// restart is a process restart: a new bot on the same database file.
func (e *jobEnv) restart() {
	e.stop()
	e.open()
}

// settle waits until every queued update has been handled.
func (e *jobEnv) settle() {
	e.t.Helper()
	if !e.srv.WaitUpdatesConsumed(10 * time.Second) {
		e.t.Fatal("updates not consumed")
	}
}

func (e *jobEnv) say(u telegramtest.User, text string) {
	e.t.Helper()
	e.srv.SendText(u, text)
	e.settle()
}

// press presses a button on the last message in u's chat that has one
// with this data prefix (or exactly this data).
func (e *jobEnv) press(u telegramtest.User, data string) {
	e.t.Helper()
	msgs := e.srv.Messages(u.ID)
	for i := len(msgs) - 1; i >= 0; i-- {
		for _, row := range msgs[i].Buttons {
			for _, b := range row {
				if b.Data == data || (b.Data != "" && strings.HasPrefix(b.Data, data)) {
					e.srv.Press(u, msgs[i].ID, b.Data)
					e.settle()
					return
				}
			}
		}
	}
	e.t.Fatalf("no button %q in chat %d:\n%s", data, u.ID, e.srv.Transcript(u.ID))
}

// forge presses a button that was never shown (callback data is never
// trusted).
func (e *jobEnv) forge(u telegramtest.User, data string) {
	e.t.Helper()
	last, _ := e.srv.LastMessage(u.ID)
	e.srv.Press(u, last.ID, data)
	e.settle()
}

// last is the text of the last message the bot sent to u.
func (e *jobEnv) last(u telegramtest.User) string {
	e.t.Helper()
	m, ok := e.srv.LastMessage(u.ID)
	if !ok {
		e.t.Fatalf("no message to %d", u.ID)
	}
	return m.Text
}

// expect fails unless the last message to u contains want.
func (e *jobEnv) expect(u telegramtest.User, want string) {
	e.t.Helper()
	if got := e.last(u); !strings.Contains(got, want) {
		e.t.Fatalf("last message to %d = %q, want it to contain %q\n%s", u.ID, got, want, e.srv.Transcript(u.ID))
	}
}

// T is a Vietnamese message, for comparing with what users see.
func (e *jobEnv) T(key string, kv ...any) string { return e.vi.T(key, pairs(kv)) }

// user reads a user record.
func (e *jobEnv) user(id int64) *store.User {
	e.t.Helper()
	u, err := e.st.User(id)
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

// forward queues a message from u forwarded from who.
func (e *jobEnv) forward(u, who telegramtest.User, text string) {
	e.t.Helper()
	raw, _ := json.Marshal(map[string]any{"message": map[string]any{
		"message_id": 900000 + e.srv.SentTo(u.ID), "date": time.Now().Unix(), "text": text,
		"from":         map[string]any{"id": u.ID, "is_bot": false, "first_name": u.FirstName},
		"chat":         map[string]any{"id": u.ID, "type": "private", "first_name": u.FirstName},
		"forward_from": map[string]any{"id": who.ID, "is_bot": false, "first_name": who.FirstName},
		"forward_date": time.Now().Unix(),
	}})
	e.srv.SendRaw(raw)
	e.settle()
}

// addUsers creates n subscribed users with IDs from first on, directly in
// the store, setting each with fn.
func (e *jobEnv) addUsers(first int64, n int, fn func(u *store.User)) {
	e.t.Helper()
	err := e.st.Update(func(tx *store.Tx) error {
		for i := range int64(n) {
			u := &store.User{ID: first + i, FirstName: "U", Lang: "vi", Subscribed: true, Created: testStart}
			if fn != nil {
				fn(u)
			}
			if err := tx.PutUser(u); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

func tuser(id int64, name string) telegramtest.User {
	return telegramtest.User{ID: id, FirstName: name, LanguageCode: "vi"}
}

// testLog logs warnings and errors to the test's output.
func testLog(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
