package bot_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	. "github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/store"
)

func (e *jobEnv) makeStaff(id int64) {
	e.t.Helper()
	if err := e.st.Update(func(tx *store.Tx) error {
		u, err := tx.User(id)
		if err != nil {
			return err
		}
		u.Role = store.RoleStaff
		return tx.PutUser(u)
	}); err != nil {
		e.t.Fatal(err)
	}
}

// A staff member's announcement to more than BROADCAST_CONFIRM_OVER
// people waits for an admin; an admin's own needs a second press.
func TestBroadcastConfirmOver(t *testing.T) {
	e := newJobEnv(t, Features{BroadcastRate: 1000, BroadcastConfirmOver: 5}, eAdmin.ID)
	e.say(eAdmin, "/start")
	e.say(eLan, "/start")
	e.makeStaff(eLan.ID)
	e.addUsers(100, 10, nil)

	e.say(eLan, "/broadcast")
	e.say(eLan, "Thông báo lớn")
	e.press(eLan, "bc:next")
	e.press(eLan, "bc:now")
	e.expect(eLan, e.T("trust.bc_needs_admin", "N", 12, "Max", 5, "ID", 1))
	if j := e.job(1); j.Status != store.JobHeld {
		t.Fatalf("job = %+v, want held", j)
	}
	e.b.RunJobs(context.Background())
	if n := e.srv.SentTo(100); n != 0 {
		t.Fatalf("a held announcement was sent (%d)", n)
	}
	// A staff member cannot approve, even with forged data.
	e.forge(eLan, "trust:approve:1")
	e.expect(eLan, e.T("common.not_allowed"))
	e.expect(eAdmin, "Thông báo lớn")
	e.press(eAdmin, "trust:approve:1")
	e.expect(eLan, e.T("trust.bc_approved", "ID", 1, "N", 12))
	e.b.RunJobs(context.Background())
	if j := e.job(1); j.Status != store.JobDone || j.Sent != 12 {
		t.Fatalf("after approval: %+v", j)
	}
	e.forge(eAdmin, "trust:approve:1") // pressed again, from a stale copy
	e.expect(eAdmin, e.T("trust.bc_already", "ID", 1))
	if !hasAudit(e.audit(), "announce_approve", eLan.ID) {
		t.Error("approval not audited")
	}

	// A rejected one is never sent.
	e.say(eLan, "/broadcast")
	e.say(eLan, "Thông báo thứ hai")
	e.press(eLan, "bc:next")
	e.press(eLan, "bc:now")
	e.press(eAdmin, "trust:reject:2")
	e.expect(eLan, e.T("trust.bc_rejected", "ID", 2))
	e.b.RunJobs(context.Background())
	if j := e.job(2); j.Status != store.JobCancelled || j.Sent != 0 {
		t.Fatalf("rejected job: %+v", j)
	}

	// The admin's own: a second press.
	e.say(eAdmin, "/broadcast")
	e.say(eAdmin, "Thông báo của quản trị")
	e.press(eAdmin, "bc:next")
	e.press(eAdmin, "bc:now")
	e.expect(eAdmin, e.T("trust.bc_confirm_big", "N", 12, "Max", 5))
	e.press(eAdmin, "bc:bigok")
	e.expect(eAdmin, e.T("broadcast.queued", "ID", 3, "N", 12))
}

// Announcements per staff member per day, raised by an admin.
func TestAnnouncementCap(t *testing.T) {
	e := newJobEnv(t, Features{BroadcastRate: 1000, AnnouncementsPerDay: 1}, eAdmin.ID)
	e.say(eAdmin, "/start")
	e.say(eLan, "/start")
	e.makeStaff(eLan.ID)
	send := func(text string) {
		e.say(eLan, "/broadcast")
		e.say(eLan, text)
		e.press(eLan, "bc:next")
		e.press(eLan, "bc:now")
	}
	send("Một")
	e.expect(eLan, e.T("broadcast.queued", "ID", 1, "N", 2))
	e.say(eLan, "/broadcast")
	e.expect(eLan, e.T("trust.announce_cap", "N", 1, "ID", eLan.ID))
	e.say(eAdmin, "/bccap "+strconv.FormatInt(eLan.ID, 10))
	e.expect(eAdmin, e.T("trust.bccap_done", "Name", "Lan", "N", 1))
	send("Hai")
	e.expect(eLan, e.T("broadcast.queued", "ID", 2, "N", 2))
	e.say(eLan, "/broadcast")
	e.expect(eLan, e.T("trust.announce_cap", "N", 2, "ID", eLan.ID))
	// Staff cannot raise their own cap; a user is not staff.
	e.say(eLan, "/bccap "+strconv.FormatInt(eLan.ID, 10))
	e.expect(eLan, e.T("common.not_allowed"))
	e.say(eMinh, "/start")
	e.say(eAdmin, "/bccap "+strconv.FormatInt(eMinh.ID, 10))
	e.expect(eAdmin, e.T("trust.bccap_not_staff"))
	e.say(eAdmin, "/bccap abc")
	e.expect(eAdmin, "/bccap")
	// The next day the cap starts again.
	e.clock.Set(testStart.AddDate(0, 0, 1))
	send("Ba")
	e.expect(eLan, e.T("broadcast.queued", "ID", 3, "N", 3))
}

// Collaboration requests and questions passed to staff per user per day.
func TestCollabAndForwardCaps(t *testing.T) {
	h, _ := newIdeaHarness(t, func(o *Options) {
		o.Features.CollabPerDay, o.Features.ForwardsPerDay = 1, 1
	})
	a := submitIdea(h, lan, samTitle, samDesc, true)
	publishIdea(h, a.ID)
	b := submitIdea(h, mai, "Tour làng gốm Thanh Hà", "Du lịch cộng đồng ở làng gốm, khách tự tay làm gốm cùng nghệ nhân.", true)
	publishIdea(h, b.ID)
	h.send(tom, "/ideas")
	h.press(tom, "bank:o:"+itoa(a.ID))
	h.press(tom, "bank:col:"+itoa(a.ID))
	h.send(tom, "I would like to help with drying equipment.")
	h.expect(tom, "sent")
	h.send(tom, "/ideas")
	h.press(tom, "bank:o:"+itoa(b.ID))
	h.press(tom, "bank:col:"+itoa(b.ID))
	h.expect(tom, "1 collaboration requests today")
	for _, m := range h.srv.Messages(mai.ID) {
		if strings.Contains(m.Text, "drying") || strings.Contains(m.Text, "Tom") {
			t.Fatalf("mai got a request over the cap: %q", m.Text)
		}
	}
}

func TestForwardCap(t *testing.T) {
	h := newPolicyHarness(t, func(o *Options) { o.Features.ForwardsPerDay = 1 })
	h.send(admin, "/start")
	h.send(lan, policyQuestion(1))
	h.press(lan, "ask:fwd:1")
	h.expect(lan, "chuyển câu hỏi")
	h.send(lan, policyQuestion(2))
	h.press(lan, "ask:fwd:2")
	h.expect(lan, "đã chuyển 1 câu hỏi cho cán bộ")
	notices := 0
	for _, m := range h.srv.Messages(admin.ID) {
		if strings.Contains(m.Text, "lan 2") {
			t.Errorf("staff got a question over the cap: %q", m.Text)
		}
		if strings.Contains(m.Text, "lan 1") {
			notices++
		}
	}
	if notices != 1 {
		t.Errorf("staff got %d notices of the first question", notices)
	}
	if q := h.question(2); q.Status != store.QuestionAnswered {
		t.Errorf("question over the cap has status %q", q.Status)
	}
}
