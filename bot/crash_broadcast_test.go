package bot_test

import (
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	. "github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/store"
	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
)

const (
	bcFirst = 10_000
	bcUsers = 600
)

// announce creates 600 subscribers and a running announcement by admin.
func (r *crashRig) announce() uint64 {
	r.t.Helper()
	j := &store.Broadcast{Kind: store.JobAnnounce, Author: admin.ID, Text: "Cuộc thi Ý tưởng khởi nghiệp 2026", Status: store.JobRunning, Created: testStart}
	err := r.h.st.Update(func(tx *store.Tx) error {
		for i := range int64(bcUsers) {
			if err := tx.PutUser(&store.User{ID: bcFirst + i, FirstName: "U", Lang: "vi", Subscribed: true, Created: testStart}); err != nil {
				return err
			}
		}
		if err := tx.PutUser(&store.User{ID: admin.ID, FirstName: "Hà", Lang: "vi", Role: store.RoleAdmin, Created: testStart}); err != nil {
			return err
		}
		return tx.CreateBroadcast(j, func(u *store.User) bool { return u.ID >= bcFirst })
	})
	if err != nil {
		r.t.Fatal(err)
	}
	return j.ID
}

// waitJob waits until the job is done, reviving the bot after each kill.
func (r *crashRig) waitJob(id uint64) *store.Broadcast {
	r.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		l := r.cur
		if l.dead.Load() {
			r.revive()
			continue
		}
		if j, err := r.h.st.Broadcast(id); err == nil && j.Status == store.JobDone {
			return j
		}
		r.h.srv.WaitFor(100*time.Millisecond, func(*telegramtest.Server) bool { return l.dead.Load() })
	}
	r.t.Fatal("announcement not done in 60s")
	return nil
}

// TestKillDuringAnnouncement: 600 recipients at 200 messages a second,
// with kills at random store commits and Bot API calls: every recipient
// gets the announcement, at most 2 duplicates per kill, the author gets
// the "started" notice once and one final report, and the report counts
// every copy that went out. CRASH_BROADCAST_KILLS sets the kills (3).
func TestKillDuringAnnouncement(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 600 messages several times")
	}
	kills := 3
	if s := os.Getenv("CRASH_BROADCAST_KILLS"); s != "" {
		kills, _ = strconv.Atoi(s)
	}
	rate := func(o *Options) { o.Features.BroadcastRate = 200 }
	ref := newCrashRig(t, nil, rate)
	ref.waitJob(ref.announce())
	total := ref.ops.Load()
	seed := uint64(time.Now().UnixNano())
	points := make([]int64, kills)
	for i := range points {
		points[i] = 1 + int64((seed>>uint(i*8))%uint64(total))
	}
	slices.Sort(points)

	r := newCrashRig(t, points, rate)
	id := r.announce()
	j := r.waitJob(id)
	r.mu.Lock()
	r.killAt = nil
	r.mu.Unlock()
	r.h.restart()
	r.settle()

	missed, dups, out := 0, 0, 0
	for u := int64(bcFirst); u < bcFirst+bcUsers; u++ {
		n := r.h.srv.SentTo(u)
		out += n
		switch {
		case n == 0:
			missed++
		case n > 1:
			dups += n - 1
		}
	}
	notices := r.h.srv.SentTo(admin.ID)
	t.Logf("%d ops in the reference run; kills at %v (%d died): %d duplicates, %d sent, report says %d (sent %d + repeated %d); %d messages to the author",
		total, points, r.kills, dups, out, j.Delivered(), j.Sent, j.Repeated, notices)
	if missed > 0 {
		t.Errorf("%d recipients missed the announcement", missed)
	}
	// Every duplicate was a send in flight at a kill, counted as repeated.
	if dups > j.Repeated {
		t.Errorf("%d duplicates, more than the %d sends in flight at the kills", dups, j.Repeated)
	}
	// At 200/s a send and its commit take a few milliseconds, so few are
	// in flight at once (the race detector slows commits, and more are).
	if dups > 2*r.kills && !raceEnabled {
		t.Errorf("%d duplicates after %d kills, want ≤ 2 per kill", dups, r.kills)
	}
	if j.Sent != bcUsers {
		t.Errorf("outcomes: %d sent, want %d", j.Sent, bcUsers)
	}
	// The report counts every copy; a send counted as repeated may have
	// died before it left (at most one per worker per kill).
	if d := j.Delivered(); d < out || d > out+r.kills*r.h.b.JobWorkers() {
		t.Errorf("report counts %d deliveries, %d went out", d, out)
	}
	// The started notice once, edited into the report; after a kill
	// between the notice and its record, one report message of its own.
	if notices < 1 || notices > 2 {
		t.Errorf("%d messages to the author, want the notice and at most one report", notices)
	}
}
