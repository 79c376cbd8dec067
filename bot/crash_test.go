package bot_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/store"
	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
)

// A crash rig runs the real bot (harness) and makes its process "die" at a
// chosen store commit or Bot API call, as kill -9 would: from that instant
// nothing it does reaches the disk or the network. The database is copied
// at that instant (a consistent view of what was committed, which is what
// survives a kill -9 with fsync), the dead instance is then stopped behind
// a network that refuses it and a store that fails every commit, and a new
// instance starts on the copy.
type crashRig struct {
	t *testing.T
	h *harness

	ops    atomic.Int64 // store commits and Bot API calls so far, all lives
	mu     sync.Mutex
	killAt []int64 // op numbers at which to die, ascending
	kills  int
	flight int // replies in flight at the kills, summed
	cur    *life
	snap   string
}

// life is one run of the process.
type life struct {
	dead  atomic.Bool
	once  sync.Once
	died  chan struct{}
	st    *store.Store
	bot   atomic.Pointer[Bot]
	proxy *httptest.Server
	api   string // the fake server's URL
}

var errDead = errors.New("process killed")

func newCrashRig(t *testing.T, killAt []int64, mods ...func(*Options)) *crashRig {
	r := &crashRig{t: t, killAt: killAt, snap: filepath.Join(t.TempDir(), "snapshot.db")}
	clock := &testClock{now: testStart}
	cfg := harnessConfig{
		onOpen:   r.born,
		endpoint: func() string { return r.cur.proxy.URL + "/bot%s/%s" },
		onBot:    func(b *Bot) { r.cur.bot.Store(b) },
	}
	mods = append([]func(*Options){func(o *Options) { o.Now = clock.Now }}, mods...)
	startHarness(t, cfg, mods...) // sets r.h
	// At the end of the test the harness shuts the last instance down
	// (cleanups run last-registered first): no kill point may fire after
	// its store is closed.
	t.Cleanup(func() {
		if r.cur != nil {
			r.cur.dead.Store(true)
		}
	})
	return r
}

// born starts a life on a freshly opened store.
func (r *crashRig) born(h *harness, st *store.Store) {
	r.h = h
	l := &life{died: make(chan struct{}), st: st, api: h.srv.URL()}
	st.SetCommitHook(func() error { return r.op(l) })
	l.proxy = httptest.NewServer(r.forward(l))
	r.cur = l
}

// op counts one operation of l and kills l at a kill point.
func (r *crashRig) op(l *life) error {
	if l.dead.Load() {
		return errDead
	}
	n := r.ops.Add(1)
	r.mu.Lock()
	hit := len(r.killAt) > 0 && n >= r.killAt[0]
	if hit {
		r.killAt = r.killAt[1:]
	}
	r.mu.Unlock()
	if hit {
		r.kill(l)
		return errDead
	}
	return nil
}

func (r *crashRig) kill(l *life) {
	l.once.Do(func() {
		l.dead.Store(true)
		flight := 0
		if b := l.bot.Load(); b != nil {
			flight = b.RepliesInFlight()
		}
		if err := l.st.CompactTo(r.snap); err != nil {
			r.t.Errorf("snapshot at the kill: %v", err)
		}
		r.mu.Lock()
		r.kills++
		r.flight += flight
		r.mu.Unlock()
		close(l.died)
	})
}

// forward passes l's Bot API calls to the fake server until l dies; a
// call in flight at the death may reach the server, but its answer never
// reaches the dead process.
func (r *crashRig) forward(l *life) http.Handler {
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if strings.HasSuffix(req.URL.Path, "/getMe") {
			if l.dead.Load() {
				panic(http.ErrAbortHandler)
			}
		} else if r.op(l) != nil {
			panic(http.ErrAbortHandler)
		}
		body, err := io.ReadAll(req.Body)
		if err != nil {
			panic(http.ErrAbortHandler)
		}
		out, err := http.NewRequestWithContext(req.Context(), req.Method, l.api+req.URL.RequestURI(), bytes.NewReader(body))
		if err != nil {
			panic(http.ErrAbortHandler)
		}
		out.Header = req.Header.Clone()
		resp, err := tr.RoundTrip(out)
		if err != nil {
			panic(http.ErrAbortHandler)
		}
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || l.dead.Load() {
			panic(http.ErrAbortHandler)
		}
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		w.Write(data)
	})
}

// revive stops the dead instance and starts a new one on the snapshot.
func (r *crashRig) revive() {
	r.t.Helper()
	h, l := r.h, r.cur
	<-l.died // the snapshot at the kill is taken
	h.cancel()
	select {
	case <-h.done:
	case <-time.After(10 * time.Second):
		r.t.Fatal("dead instance's poll loop did not stop")
	}
	h.b.Wait()
	h.cancel = nil
	h.st.Close()
	l.proxy.CloseClientConnections()
	l.proxy.Close()
	if err := os.Rename(r.snap, h.dbPath); err != nil {
		r.t.Fatal(err)
	}
	h.start()
}

// settle waits until every update sent so far has been handled by a live
// instance, reviving the bot after each kill.
func (r *crashRig) settle() {
	r.t.Helper()
	for range 100 {
		l := r.cur
		if l.dead.Load() {
			r.revive()
			continue
		}
		// In short slices: a death at a commit does not wake WaitFor.
		for i := 0; i < 100 && !l.dead.Load(); i++ {
			if r.h.srv.WaitFor(100*time.Millisecond, func(s *telegramtest.Server) bool { return l.dead.Load() || s.PendingUpdates() == 0 }) {
				break
			}
		}
		if l.dead.Load() {
			continue
		}
		if n := r.h.srv.PendingUpdates(); n != 0 {
			r.t.Fatalf("%d updates not consumed; logs:\n%s", n, r.h.logs.String())
		}
		idle := false
		for i := 0; i < 100 && !idle && !l.dead.Load(); i++ {
			idle = r.h.b.WaitIdle(100 * time.Millisecond)
		}
		if l.dead.Load() {
			continue
		}
		if !idle {
			r.t.Fatalf("updates not handled; logs:\n%s", r.h.logs.String())
		}
		return
	}
	r.t.Fatal("too many kills in one step")
}

func (r *crashRig) send(u telegramtest.User, text string) {
	r.t.Helper()
	r.h.srv.SendText(u, text)
	r.settle()
}

// press presses the newest button in u's chat whose data starts with prefix.
func (r *crashRig) press(u telegramtest.User, prefix string) {
	r.t.Helper()
	msgs := r.h.srv.Messages(u.ID)
	for i := len(msgs) - 1; i >= 0; i-- {
		for _, row := range msgs[i].Buttons {
			for _, b := range row {
				if b.Data != "" && strings.HasPrefix(b.Data, prefix) {
					r.h.srv.Press(u, msgs[i].ID, b.Data)
					r.settle()
					return
				}
			}
		}
	}
	r.t.Fatalf("no button %q in %s's chat:\n%s", prefix, u.FirstName, r.h.srv.Transcript(u.ID))
}

// script is every flow with an effect: start and language, the idea
// wizard, staff review and publication, supports from two users, an event
// published by staff and RSVPs from two users (one toggled off and on).
func (r *crashRig) script() {
	for _, u := range []telegramtest.User{lan, tom, mai} {
		r.send(u, "/start")
	}
	r.press(tom, "start:lang:en")
	r.send(lan, "/idea")
	r.send(lan, samTitle)
	r.send(lan, samDesc)
	r.press(lan, "idea:media:done")
	r.press(lan, "idea:sector:agri")
	r.send(lan, "dai loc")
	r.press(lan, "idea:loc:qn-dailoc")
	r.press(lan, "idea:kind:youth")
	r.send(lan, "Bỏ qua")
	r.press(lan, "idea:vis:pub")
	r.press(lan, "idea:consent:yes")
	r.press(lan, "idea:ok")
	r.send(admin, "/review "+store.IdeaCode(1))
	r.press(admin, "rv:pub:")
	for _, u := range []telegramtest.User{tom, mai} {
		r.send(u, "/ideas")
		r.press(u, "bank:o:")
		r.press(u, "bank:sup:")
	}
	r.send(admin, "/newevent")
	r.send(admin, "TechFest Quảng Nam 2026")
	r.send(admin, "25/3 8h")
	r.send(admin, "Nhà Văn hóa tỉnh, Tam Kỳ")
	r.send(admin, "Ngày hội khởi nghiệp; gian hàng, hội thảo & kết nối đầu tư")
	r.send(admin, "https://techfest.example.vn/dang-ky")
	r.press(admin, "ev:a:kind")
	r.press(admin, "ev:k:youth")
	r.press(admin, "ev:menu")
	r.press(admin, "ev:next")
	r.press(admin, "ev:skip")
	r.press(admin, "ev:publish")
	for _, u := range []telegramtest.User{lan, tom} {
		r.send(u, "/events")
		r.press(u, "ev:show:")
		r.press(u, "ev:rsvp:")
	}
	r.press(tom, "ev:rsvp:") // off
	r.press(tom, "ev:rsvp:") // on again
	r.send(mai, "/help")
}

// outcome is what a run left: effects in the store and what users saw.
type outcome struct {
	ideas, supporters, rsvps, users int
	sent                            map[int64]int
	answers                         map[string]int // answerCallbackQuery calls per query
}

func (r *crashRig) finish() outcome {
	r.t.Helper()
	r.settle()
	r.mu.Lock()
	r.killAt = nil
	r.mu.Unlock()
	r.h.restart() // a clean start sends whatever is still queued
	r.settle()
	if q, err := r.h.st.Outbox(); err != nil || len(q) != 0 {
		r.t.Fatalf("outbox holds %d replies after a clean restart (%v)", len(q), err)
	}
	o := outcome{sent: map[int64]int{}, answers: map[string]int{}}
	r.h.st.View(func(tx *store.Tx) error {
		ideas, _ := tx.IdeasByAuthor(lan.ID)
		o.ideas = len(ideas)
		if len(ideas) > 0 {
			o.supporters = ideas[0].Supporters
		}
		evs, _, _ := tx.UpcomingEvents(time.Unix(0, 0), 0, 100)
		for _, e := range evs {
			o.rsvps += e.RSVPs
		}
		return nil
	})
	o.users = r.h.st.CountUsers()
	for _, u := range []telegramtest.User{lan, tom, mai, admin} {
		o.sent[u.ID] = r.h.srv.SentTo(u.ID)
	}
	for _, c := range r.h.srv.CallsTo("answerCallbackQuery") {
		o.answers[c.Params["callback_query_id"]]++
	}
	return o
}

// TestKillAnywhere runs every flow with kills at random store commits and
// Bot API calls: no acknowledged input is lost, no effect happens twice,
// no callback query is answered twice, and users see no more duplicate
// replies than there were replies in flight at the kills. CRASH_KILLS sets
// the number of kills (default 15, in runs of 5).
func TestKillAnywhere(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the flows many times")
	}
	kills := 15
	if s := os.Getenv("CRASH_KILLS"); s != "" {
		kills, _ = strconv.Atoi(s)
	}
	ref := newCrashRig(t, nil)
	ref.script()
	want := ref.finish()
	total := ref.ops.Load()
	t.Logf("reference run: %d operations, %+v", total, want)
	if want.ideas != 1 || want.supporters != 2 || want.rsvps != 2 {
		t.Fatalf("reference run: %+v", want)
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("CRASH_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	rng := rand.New(rand.NewPCG(seed, 12))
	dups, flight, done := 0, 0, 0
	for run := 0; done < kills; run++ {
		n := min(5, kills-done)
		points := make([]int64, n)
		for i := range points {
			points[i] = 1 + rng.Int64N(total)
		}
		slices.Sort(points)
		t.Run(fmt.Sprint("run", run), func(t *testing.T) {
			r := newCrashRig(t, points)
			r.script()
			got := r.finish()
			if got.ideas != want.ideas || got.supporters != want.supporters || got.rsvps != want.rsvps || got.users != want.users {
				t.Errorf("seed %d kills at %v: effects %+v, want %+v", seed, points, got, want)
			}
			for id, n := range want.sent {
				if got.sent[id] < n {
					t.Errorf("seed %d kills at %v: chat %d got %d messages, want %d (a reply lost)", seed, points, id, got.sent[id], n)
				}
				dups += got.sent[id] - n
			}
			for q, n := range got.answers {
				if n > 1 {
					t.Errorf("seed %d kills at %v: callback query %s answered %d times", seed, points, q, n)
				}
			}
			t.Logf("kills at %v: %d died, %d in flight", points, r.kills, r.flight)
			flight += r.flight
			done += r.kills
			if r.kills == 0 {
				done += n // kill points past the end of this run
			}
		})
	}
	t.Logf("%d kills (seed %d): %d duplicate replies seen by users, %d replies in flight at the kills", done, seed, dups, flight)
	if dups > flight {
		t.Errorf("%d duplicate replies, more than the %d in flight at the kills", dups, flight)
	}
}
