package bot_test

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	. "github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/locales"
	"github.com/qnstartup/trolykhoinghiep/store"
	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
)

// jobEnv is the harness with a controlled clock and without background
// work, for the staff, events, reminders and broadcast tests: they drive
// job runs and reminder ticks themselves.
type jobEnv struct {
	*harness
	clock *testClock
	vi    *locales.Localizer
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
	clock := &testClock{now: testStart}
	h := startHarness(t, harnessConfig{noSync: true, noBackground: true}, func(o *Options) {
		o.AdminIDs, o.Now, o.Features = admins, clock.Now, feat
	})
	return &jobEnv{harness: h, clock: clock, vi: locales.MustLoad().For("vi")}
}

// say types text as u and waits for the bot.
func (e *jobEnv) say(u telegramtest.User, text string) { e.t.Helper(); e.send(u, text) }

// forge presses a button that was never shown (callback data is never
// trusted).
func (e *jobEnv) forge(u telegramtest.User, data string) {
	e.t.Helper()
	last, _ := e.srv.LastMessage(u.ID)
	e.srv.Press(u, last.ID, data)
	e.idle()
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
func (e *jobEnv) T(key string, kv ...any) string { return e.vi.T(key, Pairs(kv)) }

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
	e.idle()
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
