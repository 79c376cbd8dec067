package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	. "github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/store"
	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
)

// newJob creates an announcement job as the eAdmin would by confirming.
func (e *jobEnv) newJob(text string, a store.Audience) *store.Broadcast {
	e.t.Helper()
	j := &store.Broadcast{Kind: store.JobAnnounce, Author: eAdmin.ID, Text: text, Audience: a, Status: store.JobRunning, Created: testStart}
	if err := e.st.Update(func(tx *store.Tx) error { return tx.CreateBroadcast(j, KeepSubscribed) }); err != nil {
		e.t.Fatal(err)
	}
	return j
}

func (e *jobEnv) job(id uint64) *store.Broadcast {
	e.t.Helper()
	j, err := e.st.Broadcast(id)
	if err != nil {
		e.t.Fatal(err)
	}
	return j
}

// outcomes counts a job's recipients by outcome.
func (e *jobEnv) outcomes(id uint64) map[store.Outcome]int {
	m := map[store.Outcome]int{}
	e.st.View(func(tx *store.Tx) error {
		return tx.EachRecipient(id, func(r store.Recipient) error { m[r.Outcome]++; return nil })
	})
	return m
}

// progress is the current text of a job's progress message.
func (e *jobEnv) progress(id uint64) string {
	e.t.Helper()
	j := e.job(id)
	for _, m := range e.srv.Messages(j.ProgressChat) {
		if m.ID == j.ProgressMsg {
			return m.Text
		}
	}
	e.t.Fatalf("job %d has no progress message", id)
	return ""
}

func TestBroadcastFlow(t *testing.T) {
	e := newJobEnv(t, Features{BroadcastRate: 1000}, eAdmin.ID)
	e.say(eAdmin, "/start")
	e.say(eLan, "/start")
	e.say(eMinh, "/start")
	e.say(eMinh, "/stop") // never gets an announcement
	minhSeen := e.srv.SentTo(eMinh.ID)
	// 30 more users: 10 youth, of whom 2 blocked the bot earlier and 2
	// turned announcements off; 20 farmers.
	e.addUsers(100, 30, func(u *store.User) {
		u.Kind = "farmer"
		if u.ID < 110 {
			u.Kind = "youth"
			u.Inactive = u.ID < 102
			u.Subscribed = u.ID < 102 || u.ID >= 104
		}
	})
	e.st.Update(func(tx *store.Tx) error {
		u, _ := tx.User(eLan.ID)
		u.Kind = "youth"
		return tx.PutUser(u)
	})

	t.Run("not for users", func(t *testing.T) {
		e.say(eLan, "/broadcast")
		e.expect(eLan, e.T("common.not_allowed"))
		e.forge(eLan, "bc:now")
		if e.outcomes(1)[store.OutPending] != 0 {
			t.Fatal("a user created a job")
		}
	})

	text := "Thông báo: TechFest Quảng Nam 2026 mở đăng ký <b>gian hàng</b> & hội thảo!"
	e.say(eAdmin, "/broadcast")
	e.expect(eAdmin, e.T("broadcast.ask_text")[:20])
	e.say(eAdmin, text)
	// Everyone subscribed and reachable: eAdmin, eLan, 6 youth, 20 farmers.
	e.expect(eAdmin, "<b>28</b>")
	e.press(eAdmin, "bc:a:kind")
	e.press(eAdmin, "bc:k:youth")
	e.press(eAdmin, "bc:menu")
	e.expect(eAdmin, "<b>7</b>") // eLan and 6 youth
	e.press(eAdmin, "bc:a:lang")
	e.press(eAdmin, "bc:g:en")
	e.press(eAdmin, "bc:menu")
	e.expect(eAdmin, "<b>0</b>")
	e.press(eAdmin, "bc:next")
	e.expect(eAdmin, e.T("broadcast.no_recipients"))
	e.press(eAdmin, "bc:a:lang")
	e.press(eAdmin, "bc:g:en")
	e.press(eAdmin, "bc:menu")
	e.press(eAdmin, "bc:next")

	// Preview: the message exactly as recipients get it, then the count.
	msgs := e.srv.Messages(eAdmin.ID)
	preview := msgs[len(msgs)-2]
	if preview.Text != Esc(text) || len(preview.Buttons) != 1 || preview.Buttons[0][0].Data != "bc:unsub" {
		t.Fatalf("preview = %+v", preview)
	}
	e.expect(eAdmin, "<b>7</b>")
	before := e.srv.SentTo(eAdmin.ID)
	e.press(eAdmin, "bc:test")
	if got, _ := e.srv.LastMessage(eAdmin.ID); got.Text != preview.Text || e.srv.SentTo(eAdmin.ID) != before+1 {
		t.Fatalf("test send = %+v", got)
	}
	e.press(eAdmin, "bc:now")
	e.expect(eAdmin, e.T("broadcast.queued", "ID", 1, "N", 7))

	// A user cannot steer someone else's job.
	e.forge(eLan, "bc:cancel:1")
	e.expect(eLan, e.T("common.not_allowed"))

	e.b.RunJobs(context.Background())
	j := e.job(1)
	if j.Status != store.JobDone || j.Sent != 7 || j.Total != 7 || j.Cursor != 7 {
		t.Fatalf("job = %+v", j)
	}
	for id := int64(100); id < 130; id++ {
		want := 0
		if id >= 104 && id < 110 {
			want = 1
		}
		if got := e.srv.SentTo(id); got != want {
			t.Errorf("user %d got %d messages, want %d", id, got, want)
		}
	}
	if e.srv.SentTo(eMinh.ID) != minhSeen {
		t.Errorf("unsubscribed user got an announcement")
	}
	e.expect(eLan, Esc(text))
	if m := e.progress(1); !strings.Contains(m, e.T("broadcast.report_done", "ID", 1, "Total", 7)) {
		t.Fatalf("report = %q", m)
	}

	// The one-tap "stop these announcements".
	e.press(eLan, "bc:unsub")
	if e.user(eLan.ID).Subscribed {
		t.Fatal("still subscribed")
	}
	// The audit record: who sent what to whom and when.
	e.st.View(func(tx *store.Tx) error {
		return tx.EachRecipient(1, func(r store.Recipient) error {
			if r.Outcome != store.OutSent || r.At.IsZero() {
				t.Errorf("recipient %+v", r)
			}
			return nil
		})
	})
	e.say(eAdmin, "/broadcast history")
	e.expect(eAdmin, "TechFest Quảng Nam 2026")
}

func TestBroadcastSchedule(t *testing.T) {
	e := newJobEnv(t, Features{BroadcastRate: 1000}, eAdmin.ID)
	e.say(eAdmin, "/start")
	e.addUsers(100, 5, nil)
	e.say(eAdmin, "/broadcast")
	e.say(eAdmin, "Lớp tập huấn OCOP sáng thứ 7")
	e.press(eAdmin, "bc:next")
	e.press(eAdmin, "bc:sched")
	e.say(eAdmin, "hôm qua 8h")
	e.expect(eAdmin, e.T("events.when_no_date")[:10])
	e.say(eAdmin, "11/3 8h")
	e.press(eAdmin, "bc:confirm")
	j := e.job(1)
	if j.Status != store.JobScheduled || j.Total != 6 {
		t.Fatalf("job = %+v", j)
	}
	e.b.RunJobs(context.Background())
	if e.srv.SentTo(100) != 0 {
		t.Fatal("sent before its time")
	}
	e.clock.Set(time.Date(2026, 3, 11, 8, 0, 1, 0, Vietnam))
	e.b.RunJobs(context.Background())
	if j := e.job(1); j.Status != store.JobDone || j.Sent != 6 {
		t.Fatalf("job = %+v", j)
	}
}

func TestBroadcastFaults(t *testing.T) {
	e := newJobEnv(t, Features{BroadcastRate: 1000}, eAdmin.ID)
	e.b.SetJobBackoff(func(int) time.Duration { return time.Millisecond })
	e.say(eAdmin, "/start")
	e.addUsers(100, 40, nil)
	e.srv.BlockChat(105)
	e.srv.BlockChat(120)
	e.srv.Inject("sendMessage", telegramtest.Fault{Code: 502, Times: 2, ChatID: 110})  // retried, then sent
	e.srv.Inject("sendMessage", telegramtest.Fault{Code: 500, Times: 10, ChatID: 111}) // gives up: failed
	quan := tuser(300, "Quân")
	e.say(quan, "/start")
	j := e.newJob("Hội chợ OCOP 2026", store.Audience{})
	// Quân blocks the bot after the list is fixed: my_chat_member "kicked"
	// marks him inactive and the job skips him.
	e.srv.Block(quan)
	e.idle()
	quanSeen := e.srv.SentTo(quan.ID)
	e.srv.Inject("sendMessage", telegramtest.Fault{Code: 429, RetryAfter: 1, Times: 1})

	e.b.RunJobs(context.Background())
	j = e.job(j.ID)
	if j.Status != store.JobDone || j.Total != 42 || j.Sent != 38 || j.Blocked != 2 || j.Failed != 1 || j.Skipped != 1 {
		t.Fatalf("job = %+v", j)
	}
	if e.srv.SentTo(quan.ID) != quanSeen {
		t.Fatal("a user who blocked the bot was sent to")
	}
	if !e.user(105).Inactive || !e.user(120).Inactive || e.user(111).Inactive {
		t.Fatal("blocked users not marked inactive (or a failed one was)")
	}
	if e.srv.SentTo(110) != 1 || e.srv.SentTo(111) != 0 {
		t.Fatalf("retries: user 110 got %d, user 111 got %d", e.srv.SentTo(110), e.srv.SentTo(111))
	}
	// The 429 paused all sending for retry_after.
	var at429 time.Time
	for _, c := range e.srv.CallsTo("sendMessage") {
		if c.Status == 429 {
			at429 = c.At
			continue
		}
		if !at429.IsZero() && c.At.Sub(at429) < 950*time.Millisecond {
			t.Fatalf("sent %v after a 429 with retry_after 1s", c.At.Sub(at429))
		}
	}
	if at429.IsZero() {
		t.Fatal("no 429 seen")
	}
	// The report.
	if m := e.progress(j.ID); !strings.Contains(m, e.T("broadcast.counts", "Sent", 38, "Failed", 1, "Blocked", 2, "Skipped", 1)) {
		t.Fatalf("report = %q", m)
	}

	// A later job skips the users now known to have blocked the bot.
	e.srv.ClearFaults()
	j2 := e.newJob("Nhắc lại: Hội chợ OCOP 2026", store.Audience{})
	e.b.RunJobs(context.Background())
	if j2 = e.job(j2.ID); j2.Total != 39 || j2.Sent != 39 {
		t.Fatalf("second job = %+v", j2)
	}
}

// TestBroadcastCrashResume stops a job without committing, as a crash
// would, restarts the bot and checks that everyone got the message, counting
// who got it twice.
func TestBroadcastCrashResume(t *testing.T) {
	const users = 500
	e := newJobEnv(t, Features{BroadcastRate: 1000}, eAdmin.ID)
	e.addUsers(100, users, nil)
	// The author (recorded at start from ADMIN_IDS) gets the progress
	// notices only, not the announcement.
	e.st.Update(func(tx *store.Tx) error {
		u, err := tx.User(eAdmin.ID)
		if err != nil {
			return err
		}
		u.Subscribed = false
		return tx.PutUser(u)
	})
	j := e.newJob("Cuộc thi Ý tưởng khởi nghiệp 2026", store.Audience{})
	e.b.SetJobCrash(func(sent int) bool { return sent >= 200 })
	e.b.RunJobs(context.Background())
	mid := e.job(j.ID)
	if mid.Status != store.JobRunning || mid.Cursor >= users || mid.Done() == 0 {
		t.Fatalf("after the crash: %+v", mid)
	}
	sentBefore := e.srv.SentCount() - e.srv.SentTo(eAdmin.ID)

	e.restart()
	e.b.RunJobs(context.Background())
	j = e.job(j.ID)
	if j.Status != store.JobDone || j.Sent != users || j.Cursor != users {
		t.Fatalf("after resuming: %+v", j)
	}
	missed, dups := 0, 0
	for id := int64(100); id < 100+users; id++ {
		switch n := e.srv.SentTo(id); {
		case n == 0:
			missed++
		case n == 2:
			dups++
		case n > 2:
			t.Errorf("user %d got %d copies", id, n)
		}
	}
	if missed > 0 {
		t.Fatalf("%d users missed the announcement", missed)
	}
	// Only messages sent since the last commit can go twice: at most one
	// batch plus what the workers had in hand.
	limit := JobCommitEvery + 2*e.b.JobWorkers()
	t.Logf("crash after %d sends (%d committed): %d recipients got the message twice (limit %d)", sentBefore, mid.Done(), dups, limit)
	if dups != sentBefore-mid.Done() || dups > limit {
		t.Fatalf("%d duplicates; sent %d, committed %d, limit %d", dups, sentBefore, mid.Done(), limit)
	}
}

func TestBroadcastPauseResumeCancel(t *testing.T) {
	e := newJobEnv(t, Features{BroadcastRate: 40}, eAdmin.ID)
	e.say(eAdmin, "/start")
	e.say(eLan, "/start")
	e.say(eMinh, "/start")
	e.addUsers(100, 150, nil)
	j := e.newJob("Khóa đào tạo khởi nghiệp tháng 4", store.Audience{})

	ctx := context.Background()
	done := make(chan struct{})
	go func() { e.b.RunJobs(ctx); close(done) }()
	if !e.srv.WaitFor(10*time.Second, func(s *telegramtest.Server) bool { return s.SentCount() >= 20 }) {
		t.Fatal("job did not start")
	}
	// Other users are served while the job runs.
	e.say(eMinh, "/events")
	e.expect(eMinh, e.T("events.none"))
	if e.job(j.ID).Status != store.JobRunning {
		t.Fatal("job ended before the user was answered")
	}
	// A user cannot pause it; the author can, from the progress message.
	e.forge(eMinh, "bc:pause:1")
	e.expect(eMinh, e.T("common.not_allowed"))
	e.press(eAdmin, "bc:pause:1")
	<-done
	p := e.job(j.ID)
	if p.Status != store.JobPaused || p.Done() == 0 || p.Done() >= p.Total {
		t.Fatalf("paused job = %+v", p)
	}
	sent := e.srv.SentCount()
	e.b.RunJobs(ctx) // a paused job does not run
	if e.srv.SentCount() != sent {
		t.Fatal("a paused job sent")
	}
	if m := e.progress(j.ID); !strings.Contains(m, "⏸") {
		t.Fatalf("progress after pause = %q", m)
	}

	e.press(eAdmin, "bc:resume:1")
	done = make(chan struct{})
	go func() { e.b.RunJobs(ctx); close(done) }()
	target := sent + 20
	if !e.srv.WaitFor(10*time.Second, func(s *telegramtest.Server) bool { return s.SentCount() >= target }) {
		t.Fatal("job did not resume")
	}
	e.press(eAdmin, "bc:cancel:1")
	<-done
	c := e.job(j.ID)
	if c.Status != store.JobCancelled || c.Done() >= c.Total {
		t.Fatalf("cancelled job = %+v", c)
	}
	if m := e.progress(j.ID); !strings.Contains(m, e.T("broadcast.report_cancelled", "ID", 1, "Done", c.Done(), "Total", c.Total)) {
		t.Fatalf("progress after cancel = %q", m)
	}
	for id := int64(100); id < 250; id++ {
		if n := e.srv.SentTo(id); n > 1 {
			t.Fatalf("user %d got %d copies", id, n)
		}
	}
	e.forge(eAdmin, "bc:resume:1")
	e.expect(eAdmin, e.T("broadcast.bad_state"))
	if got := e.outcomes(j.ID)[store.OutPending]; got != c.Total-c.Done() {
		t.Fatalf("%d pending recipients, want %d", got, c.Total-c.Done())
	}
	if !strings.Contains(e.last(eLan), "Khóa đào tạo") && e.srv.SentTo(eLan.ID) > 1 {
		t.Fatal("unexpected message to eLan")
	}
}

// TestBroadcastHonoursLateOptOut: recipients are read ahead in chunks;
// one who unsubscribes, or deletes their data, after their chunk was
// read and before their turn gets nothing, and a deleted one's ID is not
// written back into the job.
func TestBroadcastHonoursLateOptOut(t *testing.T) {
	e := newJobEnv(t, Features{BroadcastRate: 40}, eAdmin.ID)
	e.say(eAdmin, "/start")
	e.addUsers(100, 80, nil)
	j := e.newJob("Hội chợ OCOP cuối tuần", store.Audience{})
	ctx := context.Background()
	done := make(chan struct{})
	go func() { e.b.RunJobs(ctx); close(done) }()
	if !e.srv.WaitFor(10*time.Second, func(s *telegramtest.Server) bool { return s.SentCount() >= 10 }) {
		t.Fatal("job did not start")
	}
	err := e.st.Update(func(tx *store.Tx) error {
		for id := int64(150); id < 180; id++ {
			u, err := tx.User(id)
			if err != nil {
				return err
			}
			u.Subscribed = false
			if err := tx.PutUser(u); err != nil {
				return err
			}
		}
		// As "delete my data" does: a bare record stays, to keep talking.
		if err := tx.PutUser(&store.User{ID: 149, Lang: "vi", Created: testStart}); err != nil {
			return err
		}
		_, err := tx.ForgetUser(149, false, testStart)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	<-done
	for id := int64(149); id < 180; id++ {
		if n := e.srv.SentTo(id); n != 0 {
			t.Errorf("user %d got the announcement after opting out", id)
		}
	}
	if got := e.outcomes(j.ID)[store.OutSkipped]; got != 31 {
		t.Errorf("%d skipped, want 31: %v", got, e.outcomes(j.ID))
		e.st.View(func(tx *store.Tx) error {
			return tx.EachRecipient(j.ID, func(r store.Recipient) error {
				if r.User == 0 || r.User >= 145 && r.User < 152 {
					t.Logf("%+v", r)
				}
				return nil
			})
		})
	}
	e.st.View(func(tx *store.Tx) error {
		return tx.EachRecipient(j.ID, func(r store.Recipient) error {
			if r.User == 149 {
				t.Errorf("the deleted user's ID is back in the job: %+v", r)
			}
			return nil
		})
	})
}

// TestBroadcastLongRetryGoesOn: an announcement too long for one message
// whose second message fails and is retried does not send the first again.
func TestBroadcastLongRetryGoesOn(t *testing.T) {
	e := newJobEnv(t, Features{BroadcastRate: 1000}, eAdmin.ID)
	e.b.SetJobBackoff(func(int) time.Duration { return time.Millisecond })
	e.say(eAdmin, "/start")
	e.addUsers(100, 3, nil)
	e.srv.Inject("sendMessage", telegramtest.Fault{Delay: time.Millisecond, Times: 1, ChatID: 101})
	e.srv.Inject("sendMessage", telegramtest.Fault{Code: 502, Times: 2, ChatID: 101})
	text := "ALPHA " + strings.Repeat("Ngày hội khởi nghiệp sáng tạo Quảng Nam. ", 90) + "\n\nOMEGA " + strings.Repeat("Đăng ký trước ngày 15. ", 60)
	j := e.newJob(text, store.Audience{})
	e.b.RunJobs(context.Background())
	if j = e.job(j.ID); j.Status != store.JobDone || j.Sent != j.Total || j.Failed != 0 {
		t.Fatalf("job: status %s, %d of %d sent, %d failed", j.Status, j.Sent, j.Total, j.Failed)
	}
	for _, id := range []int64{100, 101, 102} {
		var alpha, omega int
		for _, m := range e.srv.Messages(id) {
			alpha += strings.Count(m.Text, "ALPHA")
			omega += strings.Count(m.Text, "OMEGA")
		}
		if alpha != 1 || omega != 1 {
			t.Errorf("user %d: ALPHA %d times, OMEGA %d, want once each", id, alpha, omega)
		}
	}
}
