package bot_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	. "github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/store"
	"github.com/qnstartup/trolykhoinghiep/zalo/zalotest"
)

// Zalo and Telegram are two channels of one bot: a farmer on Zalo sends an
// idea, a staff member on Telegram is told and publishes it, and the farmer
// hears back on Zalo — every message within Zalo's limits.
func TestZaloIdeaReviewedOnTelegram(t *testing.T) {
	h := startHarness(t, harnessConfig{withZalo: true})
	h.send(admin, "/start")
	farmer := h.zsrv.NewUser()
	if code, err := h.zsrv.Follow(farmer); err != nil || code != http.StatusOK {
		t.Fatalf("follow: %d %v", code, err)
	}
	h.zidle()
	h.zexpect(farmer, "Xin chào bạn")
	h.zsend(farmer, "/idea")
	h.zsend(farmer, "Máy sấy chuối bằng năng lượng mặt trời")
	h.zsend(farmer, samDesc)
	h.zpress(farmer, "idea:media:done")
	h.zpress(farmer, "idea:sector:agri")
	h.zsend(farmer, "tam ky")
	h.zpress(farmer, "idea:loc:p-tamky")
	h.zpress(farmer, "idea:kind:farmer")
	if code, err := h.zsrv.SubmitInfo(farmer, "0905123456"); err != nil || code != http.StatusOK {
		t.Fatalf("share phone: %d %v", code, err)
	}
	h.zidle()
	h.zpress(farmer, "idea:vis:pub")
	h.zpress(farmer, "idea:consent:yes")
	h.zexpect(farmer, "Máy sấy chuối", "0905123456")
	h.zpress(farmer, "idea:ok:")
	h.zexpect(farmer, "Đã nhận ý tưởng của bạn")

	var id uint64
	var author int64
	h.st.View(func(tx *store.Tx) error {
		uid, err := tx.LookupUser("zalo", farmer)
		if err != nil {
			return err
		}
		author = uid
		ideas, err := tx.IdeasByAuthor(uid)
		if len(ideas) == 1 {
			id = ideas[0].ID
		}
		return err
	})
	if id == 0 {
		t.Fatal("the Zalo farmer's idea was not stored")
	}
	if u := h.user(author); u.Channel != "zalo" || u.Ref != farmer {
		t.Fatalf("the farmer's record lost the platform ID: %+v", u)
	}
	// Staff on Telegram hear of it and publish it.
	h.waitText(admin, "Máy sấy chuối")
	publishIdea(h, id)
	h.zwaitText(farmer, "đã được công bố")
	for _, m := range h.zsrv.Messages(farmer) {
		if len([]rune(m.Text)) > 2000 || len(m.Buttons) > 5 || strings.Contains(m.Text, "<b>") || (m.Text == "" && m.Info == nil) {
			t.Fatalf("a message outside Zalo's limits: %+v", m)
		}
	}
	// The Zalo farmer's phone number is never shown to another citizen.
	h.send(lan, "/ideas")
	h.send(lan, store.IdeaCode(id))
	if strings.Contains(h.srv.Transcript(lan.ID), "905123456") {
		t.Fatal("a citizen saw the farmer's phone number")
	}
}

// An announcement goes to subscribers on both channels; a Zalo user who
// has not written for more than 7 days is counted as outside Zalo's
// window, neither failed nor blocked, and reached again once they write.
func TestAnnouncementOnBothChannels(t *testing.T) {
	h := startHarness(t, harnessConfig{withZalo: true})
	h.send(admin, "/start")
	h.send(lan, "/start")
	recent, quiet := h.zsrv.NewUser(), h.zsrv.NewUser()
	h.zsend(recent, "/start")
	h.zsend(quiet, "/start")
	// quiet last wrote 8 days ago.
	h.st.Update(func(tx *store.Tx) error {
		id, err := tx.LookupUser("zalo", quiet)
		if err != nil {
			return err
		}
		u, err := tx.User(id)
		if err != nil {
			return err
		}
		u.LastInbound = u.LastInbound.AddDate(0, 0, -8)
		return tx.PutUser(u)
	})
	h.zsrv.SetLastInteraction(quiet, h.zsrv.Now().AddDate(0, 0, -8))

	h.send(admin, "/broadcast")
	h.send(admin, "Ngày hội khởi nghiệp Tam Kỳ mở đăng ký gian hàng")
	h.expect(admin, "Telegram 2", "Zalo 1", "Ngoài khung 7 ngày của Zalo: 1")
	h.press(admin, "bc:next")
	h.press(admin, "bc:now")
	h.waitText(admin, "Đã gửi xong thông báo #1")
	h.waitText(lan, "Ngày hội khởi nghiệp Tam Kỳ")
	h.zwaitText(recent, "Ngày hội khởi nghiệp Tam Kỳ")
	for _, m := range h.zsrv.Messages(quiet) {
		if strings.Contains(m.Text, "Tam Kỳ mở đăng ký") {
			t.Fatal("a user outside the window was sent the announcement")
		}
	}
	var j *store.Broadcast
	h.st.View(func(tx *store.Tx) error {
		var err error
		j, err = tx.Broadcast(1)
		return err
	})
	if j == nil || j.OutsideWindow != 1 || j.Failed != 0 || j.Blocked != 0 || j.Sent != 3 {
		t.Fatalf("job counts: %+v", j)
	}
}

// ADMIN_IDS takes zalo:<id>: that person is an admin on Zalo from their
// first message, and staff commands work typed without "/".
func TestZaloAdmin(t *testing.T) {
	const boss = "8817264536271812345"
	h := startHarness(t, harnessConfig{withZalo: true}, func(o *Options) {
		o.Admins = []UserRef{{Channel: "zalo", ID: boss}}
	})
	h.zsend(boss, "review")
	h.zexpect(boss, "Không còn ý tưởng nào chờ duyệt")
	// The same word from anyone else is refused.
	other := h.zsrv.NewUser()
	h.zsend(other, "review")
	h.zexpect(other, "không có quyền")
}

// BenchmarkBroadcast20kBothChannels delivers one announcement to 20,000
// users, half on Telegram and half on Zalo (all within Zalo's window),
// through both fake platforms with a durable store, at 50 messages/s (a
// rate Zalo's 4,000 requests a minute allows), and reports the achieved
// rate against the configured one.
func BenchmarkBroadcast20kBothChannels(b *testing.B) {
	const rate = 50.0
	users := 20000
	if testing.Short() {
		users = 500
	}
	h := startHarness(b, harnessConfig{withZalo: true, noBackground: true}, func(o *Options) { o.Features.BroadcastRate = rate })
	h.srv.SetRecord(false)
	h.zsrv.SetRecord(false)
	now := time.Now()
	err := h.st.Update(func(tx *store.Tx) error {
		for i := range users {
			u := &store.User{ID: int64(100 + i), Lang: "vi", Subscribed: true, Created: now, LastInbound: now}
			if i%2 == 1 {
				ref := strconv.Itoa(880000000000000000 + i)
				id, err := tx.ResolveUser("zalo", ref)
				if err != nil {
					return err
				}
				u.ID, u.Channel, u.Ref = id, "zalo", ref
				h.zsrv.Touch(ref)
			}
			if err := tx.PutUser(u); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		j := &store.Broadcast{Kind: store.JobAnnounce, Author: admin.ID, Text: "Ngày hội Khởi nghiệp Tam Kỳ", Status: store.JobRunning, Created: now}
		if err := h.st.Update(func(tx *store.Tx) error { return tx.CreateBroadcast(j, KeepSubscribed) }); err != nil {
			b.Fatal(err)
		}
		tg0, z0 := h.srv.SentCount(), h.zsrv.SentCount()
		start := time.Now()
		h.b.RunJobs(context.Background())
		el := time.Since(start)
		got, _ := h.st.Broadcast(j.ID)
		if got.Sent != got.Total || got.Total < users { // the users, and the admin recorded at start
			b.Fatalf("job = %+v", got)
		}
		tg, z := h.srv.SentCount()-tg0, h.zsrv.SentCount()-z0
		b.ReportMetric(float64(tg+z)/el.Seconds(), "msgs/s")
		b.ReportMetric(100*float64(tg+z)/el.Seconds()/rate, "%rate")
		b.ReportMetric(float64(tg), "telegram")
		b.ReportMetric(float64(z), "zalo")
	}
}

// The Zalo access token expires in the middle of an announcement: the
// channel refreshes it once and the job goes on; every recipient gets the
// message exactly once.
// zaloJob adds n Zalo users (IDs from first, all within the window) and
// a running announcement to everyone; it returns their refs and the job.
func zaloJob(h *harness, n, first int, text string) ([]string, *store.Broadcast) {
	h.t.Helper()
	now := time.Now()
	var refs []string
	err := h.st.Update(func(tx *store.Tx) error {
		for i := range n {
			ref := strconv.Itoa(first + i)
			id, err := tx.ResolveUser("zalo", ref)
			if err != nil {
				return err
			}
			h.zsrv.Touch(ref)
			refs = append(refs, ref)
			if err := tx.PutUser(&store.User{ID: id, Channel: "zalo", Ref: ref, Lang: "vi", Subscribed: true, Created: now, LastInbound: now}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		h.t.Fatal(err)
	}
	j := &store.Broadcast{Kind: store.JobAnnounce, Author: admin.ID, Text: text, Status: store.JobRunning, Created: now}
	if err := h.st.Update(func(tx *store.Tx) error { return tx.CreateBroadcast(j, KeepSubscribed) }); err != nil {
		h.t.Fatal(err)
	}
	return refs, j
}

func TestZaloTokenExpiresMidBroadcast(t *testing.T) {
	h := startHarness(t, harnessConfig{withZalo: true, noBackground: true}, func(o *Options) { o.Features.BroadcastRate = 500 })
	refs, j := zaloJob(h, 120, 880000000000001000, "Lớp tập huấn OCOP")
	refreshes := len(h.zsrv.CallsTo("oauth"))
	go func() {
		if h.zsrv.WaitFor(10*time.Second, func(s *zalotest.Server) bool { return s.SentCount() >= 40 }) {
			tok, err := h.st.LoadZaloTokens()
			if err == nil {
				h.zsrv.ExpireAccess(tok.Access)
			}
		}
	}()
	h.b.RunJobs(context.Background())
	got, _ := h.st.Broadcast(j.ID)
	if got.Sent != len(refs)+1 || got.Failed != 0 { // and the Telegram admin
		t.Fatalf("job after the token expired: %+v", got)
	}
	for _, ref := range refs {
		if n := h.zsrv.SentTo(ref); n != 1 {
			t.Fatalf("Zalo user %s got %d copies", ref, n)
		}
	}
	if len(h.zsrv.CallsTo("oauth")) <= refreshes {
		t.Fatal("the expired token was not refreshed")
	}
}

// TestZaloQuotaPausesBroadcast: when the OA refuses every message (-211,
// out of quota) the announcement pauses instead of marking everyone
// failed, the author is told why, and resuming sends to those left.
func TestZaloQuotaPausesBroadcast(t *testing.T) {
	h := startHarness(t, harnessConfig{withZalo: true, noBackground: true}, func(o *Options) { o.Features.BroadcastRate = 500 })
	h.send(admin, "/start")
	refs, j := zaloJob(h, 30, 880000000000002000, "Hội chợ OCOP cuối tuần")
	h.zsrv.Inject("message", zalotest.Fault{Error: -211})
	h.b.RunJobs(context.Background())
	got, _ := h.st.Broadcast(j.ID)
	if got.Status != store.JobPaused || got.Failed != 0 {
		t.Fatalf("job while the OA is out of quota: %+v", got)
	}
	h.waitText(admin, "hết hạn mức")
	h.zsrv.ClearFaults()
	h.press(admin, "bc:resume:")
	h.b.RunJobs(context.Background())
	got, _ = h.st.Broadcast(j.ID)
	if got.Status != store.JobDone || got.Failed != 0 {
		t.Fatalf("job after resuming: %+v", got)
	}
	for _, ref := range refs {
		if n := h.zsrv.SentTo(ref); n != 1 {
			t.Fatalf("Zalo user %s got %d copies", ref, n)
		}
	}
}

// TestZaloQuotaAfterPhoto: the OA runs out of quota after an
// announcement's photo went out; once resumed, that recipient gets the
// text, not the photo again.
func TestZaloQuotaAfterPhoto(t *testing.T) {
	h := startHarness(t, harnessConfig{withZalo: true, noBackground: true}, func(o *Options) { o.Features.BroadcastRate = 500 })
	h.send(admin, "/start")
	refs, j := zaloJob(h, 1, 880000000000003000, "Hội chợ OCOP cuối tuần")
	if err := h.st.Update(func(tx *store.Tx) error {
		got, err := tx.Broadcast(j.ID)
		if err != nil {
			return err
		}
		got.Photo = "https://example.org/hoi-cho.jpg"
		return tx.PutBroadcast(got)
	}); err != nil {
		t.Fatal(err)
	}
	h.zsrv.Inject("message", zalotest.Fault{Delay: time.Millisecond, Times: 1})
	h.zsrv.Inject("message", zalotest.Fault{Error: -211, Times: 1})
	h.b.RunJobs(context.Background())
	if got, _ := h.st.Broadcast(j.ID); got.Status != store.JobPaused {
		t.Fatalf("job while the OA is out of quota: %s", got.Status)
	}
	h.press(admin, "bc:resume:")
	h.b.RunJobs(context.Background())
	if got, _ := h.st.Broadcast(j.ID); got.Status != store.JobDone || got.Sent != got.Total {
		t.Fatalf("job after resuming: %s, %d sent", got.Status, got.Sent)
	}
	photos, texts := 0, 0
	for _, m := range h.zsrv.Messages(refs[0]) {
		if m.Image != "" {
			photos++
		}
		if strings.Contains(m.Text, "Hội chợ OCOP") {
			texts++
		}
	}
	if photos != 1 || texts != 1 {
		t.Fatalf("the photo went %d times, the text %d, want once each", photos, texts)
	}
}
