package bot_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	. "github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/store"
	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
)

var (
	eAdmin = tuser(1, "An")
	eLan   = tuser(2, "Lan")
	eMinh  = tuser(3, "Minh")
)

func hasCommand(cmds []telegramtest.Command, name string) bool {
	return slices.ContainsFunc(cmds, func(c telegramtest.Command) bool { return c.Command == name })
}

func TestStaffManagement(t *testing.T) {
	e := newJobEnv(t, Features{}, eAdmin.ID)
	e.say(eLan, "/start")
	e.say(eMinh, "/start")

	t.Run("non-eAdmin refused", func(t *testing.T) {
		e.say(eLan, "/staff")
		e.expect(eLan, e.T("common.not_allowed"))
		e.forge(eLan, "staff:add")
		e.expect(eLan, e.T("common.not_allowed"))
		if e.user(eLan.ID).Role != "" {
			t.Fatal("a user gained a role")
		}
	})

	t.Run("add by user ID", func(t *testing.T) {
		e.say(eAdmin, "/staff")
		e.press(eAdmin, "staff:add")
		e.say(eAdmin, "abc")
		e.expect(eAdmin, e.T("staff.bad_who"))
		e.say(eAdmin, "2")
		e.expect(eAdmin, "Lan")
		if r := e.user(eLan.ID).Role; r != store.RoleStaff {
			t.Fatalf("role = %q, want staff", r)
		}
		cmds := e.srv.Commands("chat:2", "")
		if !hasCommand(cmds, "newevent") || !hasCommand(cmds, "broadcast") || hasCommand(cmds, "staff") {
			t.Fatalf("staff menu = %v", cmds)
		}
		e.expect(eLan, e.T("staff.welcome"))
		// Staff may now create events; a user may not.
		e.say(eLan, "/newevent")
		e.expect(eLan, e.T("events.ask_title"))
		e.say(eLan, "/cancel")
		e.say(eMinh, "/newevent")
		e.expect(eMinh, e.T("common.not_allowed"))
	})

	t.Run("forged removal by non-eAdmin", func(t *testing.T) {
		e.forge(eMinh, "staff:rm:2")
		e.expect(eMinh, e.T("common.not_allowed"))
		e.forge(eMinh, "staff:rmok:2")
		e.expect(eMinh, e.T("common.not_allowed"))
		e.forge(eLan, "staff:rm:2") // staff, not eAdmin
		e.expect(eLan, e.T("common.not_allowed"))
		if e.user(eLan.ID).Role != store.RoleStaff {
			t.Fatal("staff removed by a non-eAdmin")
		}
	})

	t.Run("add by forwarded message", func(t *testing.T) {
		e.say(eAdmin, "/staff")
		e.press(eAdmin, "staff:add")
		e.forward(eAdmin, eMinh, "chào anh")
		if r := e.user(eMinh.ID).Role; r != store.RoleStaff {
			t.Fatalf("role = %q, want staff", r)
		}
	})

	t.Run("add by @username", func(t *testing.T) {
		ha := telegramtest.User{ID: 4, FirstName: "Hà", Username: "Ha_HTX", LanguageCode: "vi"}
		e.say(ha, "/start")
		e.say(eAdmin, "/staff")
		e.press(eAdmin, "staff:add")
		e.say(eAdmin, "@nobody_here")
		e.expect(eAdmin, "Chưa có ai tên @nobody_here")
		e.say(eAdmin, "@ha_htx")
		e.expect(eAdmin, "Đã thêm Hà")
		if r := e.user(ha.ID).Role; r != store.RoleStaff {
			t.Fatalf("role = %q, want staff", r)
		}
	})

	t.Run("remove", func(t *testing.T) {
		e.say(eAdmin, "/staff")
		e.press(eAdmin, "staff:rm:2")
		e.expect(eAdmin, "Bỏ quyền cán bộ của Lan?")
		if e.user(eLan.ID).Role != store.RoleStaff {
			t.Fatal("removed before the confirmation")
		}
		e.press(eAdmin, "staff:list")
		e.expect(eAdmin, "Cán bộ và quản trị viên")
		e.press(eAdmin, "staff:rm:2")
		e.press(eAdmin, "staff:rmok:2")
		e.expect(eAdmin, "Lan")
		e.expect(eLan, e.T("staff.removed_you"))
		if e.user(eLan.ID).Role != "" {
			t.Fatal("still staff")
		}
		if hasCommand(e.srv.Commands("chat:2", ""), "newevent") {
			t.Fatal("menu not reset")
		}
		e.say(eLan, "/newevent")
		e.expect(eLan, e.T("common.not_allowed"))
		// A flow started while staff stops at the next step once demoted.
		e.forge(eAdmin, "staff:rm:1")
		e.expect(eAdmin, e.T("staff.cannot_remove_admin"))
	})
}

// publishEvent runs /newevent as staff member u and returns the event.
func publishEvent(e *jobEnv, u telegramtest.User, title, when string) *store.Event {
	e.t.Helper()
	e.say(u, "/newevent")
	e.say(u, title)
	e.say(u, when)
	e.say(u, "Nhà Văn hóa tỉnh, Tam Kỳ")
	e.say(u, "Ngày hội khởi nghiệp; gian hàng, hội thảo & kết nối đầu tư")
	e.say(u, "https://techfest.example.vn/dang-ky")
	e.press(u, "ev:a:kind")
	e.press(u, "ev:k:youth")
	e.press(u, "ev:menu")
	e.press(u, "ev:next")
	e.press(u, "ev:skip")
	e.expect(u, Esc(title))
	e.press(u, "ev:publish")
	var ev *store.Event
	e.st.View(func(tx *store.Tx) error {
		evs, _, _ := tx.UpcomingEvents(time.Unix(0, 0), 0, 100)
		for _, x := range evs {
			if x.Title == title {
				ev = x
			}
		}
		return nil
	})
	if ev == nil {
		e.t.Fatalf("event %q not published:\n%s", title, e.srv.Transcript(u.ID))
	}
	return ev
}

func TestEvents(t *testing.T) {
	e := newJobEnv(t, Features{}, eAdmin.ID)
	e.say(eLan, "/start")
	e.say(eMinh, "/start")

	// Input is checked: past dates, missing times, bad links.
	e.say(eAdmin, "/newevent")
	e.say(eAdmin, "TechFest Quảng Nam 2026")
	e.say(eAdmin, "9/3 8h")
	e.expect(eAdmin, e.T("events.when_past"))
	e.say(eAdmin, "25/3")
	e.expect(eAdmin, e.T("events.when_no_time"))
	e.say(eAdmin, "/cancel")

	ev := publishEvent(e, eAdmin, "TechFest Quảng Nam 2026", "25/3 8h")
	want := time.Date(2026, 3, 25, 8, 0, 0, 0, Vietnam)
	if !ev.Start.Equal(want) || ev.Status != store.EventPublished || !slices.Equal(ev.Audience.Kinds, []string{"youth"}) {
		t.Fatalf("event = %+v", ev)
	}
	if n := len(e.st.Reminders()); n != 2 {
		t.Fatalf("%d reminders scheduled, want 2", n)
	}
	publishEvent(e, eAdmin, "Hội chợ OCOP", "thứ 7 9h")

	// /events: both listed in start order, with the RSVP count.
	e.say(eLan, "/events")
	list := e.last(eLan)
	if i, j := strings.Index(list, "OCOP"), strings.Index(list, "TechFest"); i < 0 || j < 0 || i > j {
		t.Fatalf("list = %q", list)
	}
	e.press(eLan, "ev:show:"+num(ev.ID))
	e.expect(eLan, "Nhà Văn hóa tỉnh")
	e.press(eLan, "ev:rsvp:"+num(ev.ID))
	e.expect(eLan, "1 người sẽ tham dự")
	e.say(eMinh, "/events")
	e.press(eMinh, "ev:show:"+num(ev.ID))
	e.press(eMinh, "ev:rsvp:"+num(ev.ID))
	e.expect(eMinh, "2 người sẽ tham dự")
	e.press(eMinh, "ev:rsvp:"+num(ev.ID)) // toggle off
	e.expect(eMinh, "1 người sẽ tham dự")
	e.press(eMinh, "ev:rsvp:"+num(ev.ID))
	if got := eventOf(e, ev.ID).RSVPs; got != 2 {
		t.Fatalf("RSVPs = %d, want 2", got)
	}

	// Users see no staff buttons and cannot forge them.
	for _, row := range lastButtons(e, eMinh) {
		for _, b := range row {
			if strings.HasPrefix(b.Data, "ev:edit") || strings.HasPrefix(b.Data, "ev:cancel") {
				t.Fatal("staff button shown to a user")
			}
		}
	}
	e.forge(eMinh, "ev:cancelok:"+num(ev.ID))
	e.expect(eMinh, e.T("common.not_allowed"))
	e.forge(eMinh, "ev:edit:"+num(ev.ID))
	e.expect(eMinh, e.T("common.not_allowed"))

	// Calendar: an .ics document and a Google Calendar link.
	e.press(eLan, "ev:ics:"+num(ev.ID))
	doc := lastDocument(e, eLan)
	ics := string(doc)
	for _, want := range []string{"BEGIN:VCALENDAR", "DTSTART:20260325T010000Z", "DTEND:20260325T030000Z", "SUMMARY:TechFest Quảng Nam 2026", "LOCATION:Nhà Văn hóa tỉnh\\, Tam Kỳ", "STATUS:CONFIRMED", "\r\nEND:VCALENDAR\r\n"} {
		if !strings.Contains(ics, want) {
			t.Errorf(".ics lacks %q:\n%s", want, ics)
		}
	}
	for _, l := range strings.Split(ics, "\r\n") {
		if len(l) > 75 {
			t.Errorf(".ics line longer than 75 octets: %q", l)
		}
	}
	gcal := ""
	for _, row := range cardButtons(e, eLan, ev.ID) {
		for _, b := range row {
			if strings.HasPrefix(b.URL, "https://calendar.google.com/") {
				gcal = b.URL
			}
		}
	}
	if !strings.Contains(gcal, "dates=20260325T010000Z%2F20260325T030000Z") {
		t.Errorf("Google Calendar link = %q", gcal)
	}

	// Edit: the RSVPs are told what changed.
	lanBefore, minhBefore := e.srv.SentTo(eLan.ID), e.srv.SentTo(eMinh.ID)
	e.say(eAdmin, "/events")
	e.press(eAdmin, "ev:show:"+num(ev.ID))
	e.press(eAdmin, "ev:edit:"+num(ev.ID))
	e.press(eAdmin, "eve:f:place")
	e.say(eAdmin, "Trung tâm Hội nghị tỉnh")
	e.expect(eAdmin, e.T("events.edited", "Title", "TechFest Quảng Nam 2026", "N", 2))
	e.b.RunJobs(context.Background())
	if e.srv.SentTo(eLan.ID) != lanBefore+1 || e.srv.SentTo(eMinh.ID) != minhBefore+1 {
		t.Fatalf("RSVPs not told once of the change: eLan %d→%d, eMinh %d→%d", lanBefore, e.srv.SentTo(eLan.ID), minhBefore, e.srv.SentTo(eMinh.ID))
	}
	e.expect(eLan, "Trung tâm Hội nghị tỉnh")
	e.expect(eLan, e.T("events.field_place"))

	// Changing the time moves the reminders.
	e.press(eAdmin, "ev:edit:"+num(ev.ID))
	e.press(eAdmin, "eve:f:when")
	e.say(eAdmin, "26/3 14h")
	e.b.RunJobs(context.Background())
	rs := e.st.Reminders()
	if len(rs) != 4 { // two events, two reminders each
		t.Fatalf("reminders = %v", rs)
	}
	for _, r := range rs {
		if r.Event == ev.ID && !r.Due.Equal(time.Date(2026, 3, 26, 14, 0, 0, 0, Vietnam).Add(-store.ReminderOffsets[r.Kind])) {
			t.Fatalf("reminder not moved: %+v", r)
		}
	}

	// Cancel: RSVPs are told, the event leaves the list, reminders go.
	lanBefore = e.srv.SentTo(eLan.ID)
	e.press(eAdmin, "ev:cancel:"+num(ev.ID))
	e.press(eAdmin, "ev:cancelok:"+num(ev.ID))
	e.b.RunJobs(context.Background())
	if e.srv.SentTo(eLan.ID) != lanBefore+1 {
		t.Fatal("RSVP not told of the cancellation")
	}
	e.expect(eLan, "đã bị hủy")
	e.say(eMinh, "/events")
	if strings.Contains(e.last(eMinh), "TechFest") {
		t.Fatal("cancelled event still listed")
	}
	for _, r := range e.st.Reminders() {
		if r.Event == ev.ID {
			t.Fatal("reminder of a cancelled event kept")
		}
	}
	e.forge(eLan, "ev:rsvp:"+num(ev.ID))
	e.expect(eLan, e.T("events.rsvp_closed"))
}

func TestEventsPagination(t *testing.T) {
	e := newJobEnv(t, Features{}, eAdmin.ID)
	e.st.Update(func(tx *store.Tx) error {
		for i := range 12 {
			ev := &store.Event{Title: "Lớp tập huấn " + num(uint64(i+1)), Start: testStart.Add(time.Duration(i+1) * 24 * time.Hour), Status: store.EventPublished}
			if err := tx.CreateEvent(ev, testStart); err != nil {
				return err
			}
		}
		return nil
	})
	e.say(eLan, "/events")
	e.expect(eLan, "(trang 1/3)")
	if !strings.Contains(e.last(eLan), "Lớp tập huấn 1<") || strings.Contains(e.last(eLan), "Lớp tập huấn 6<") {
		t.Fatalf("page 1 = %q", e.last(eLan))
	}
	e.press(eLan, "ev:list:1")
	e.expect(eLan, "(trang 2/3)")
	if !strings.Contains(e.last(eLan), "Lớp tập huấn 6<") {
		t.Fatalf("page 2 = %q", e.last(eLan))
	}
	e.forge(eLan, "ev:list:99")
	e.expect(eLan, "(trang 3/3)")
}

func TestReminders(t *testing.T) {
	e := newJobEnv(t, Features{}, eAdmin.ID)
	e.say(eLan, "/start")
	e.say(eMinh, "/start")
	ev := publishEvent(e, eAdmin, "Lớp khởi sự kinh doanh", "12/3 8h")
	e.say(eLan, "/events")
	e.press(eLan, "ev:show:"+num(ev.ID))
	e.press(eLan, "ev:rsvp:"+num(ev.ID))
	before := e.srv.SentTo(eLan.ID)
	minhBefore := e.srv.SentTo(eMinh.ID)

	tick := func() int {
		n, err := e.b.RemindTick()
		if err != nil {
			t.Fatal(err)
		}
		e.b.RunJobs(context.Background())
		return n
	}
	if n := tick(); n != 0 {
		t.Fatalf("%d reminders sent two days early", n)
	}
	e.clock.Set(time.Date(2026, 3, 11, 8, 0, 0, 0, Vietnam)) // a day before
	if n := tick(); n != 1 {
		t.Fatalf("day-before reminders = %d, want 1", n)
	}
	e.expect(eLan, "ngày mai")
	if got := e.srv.SentTo(eLan.ID) - before; got != 1 {
		t.Fatalf("%d reminders delivered, want 1", got)
	}
	if tick() != 0 || e.srv.SentTo(eLan.ID)-before != 1 {
		t.Fatal("reminder sent twice")
	}
	e.restart()
	if tick() != 0 || e.srv.SentTo(eLan.ID)-before != 1 {
		t.Fatal("reminder sent again after restart")
	}
	e.clock.Set(time.Date(2026, 3, 12, 7, 0, 0, 0, Vietnam)) // an hour before
	if n := tick(); n != 1 {
		t.Fatalf("hour-before reminders = %d, want 1", n)
	}
	e.expect(eLan, "1 giờ nữa")
	e.restart()
	e.clock.Set(time.Date(2026, 3, 12, 7, 30, 0, 0, Vietnam))
	if tick() != 0 || e.srv.SentTo(eLan.ID)-before != 2 {
		t.Fatalf("reminders delivered = %d, want 2", e.srv.SentTo(eLan.ID)-before)
	}
	if e.srv.SentTo(eMinh.ID) != minhBefore {
		t.Fatal("a user who will not attend got a reminder")
	}
	if len(e.st.Reminders()) != 0 {
		t.Fatalf("reminders left: %v", e.st.Reminders())
	}
}

func TestRemindersAfterStartDropped(t *testing.T) {
	e := newJobEnv(t, Features{}, eAdmin.ID)
	ev := publishEvent(e, eAdmin, "Hội thảo chuyển đổi số", "12/3 8h")
	e.st.Update(func(tx *store.Tx) error { _, err := tx.ToggleRSVP(ev.ID, eLan.ID, testStart); return err })
	e.clock.Set(time.Date(2026, 3, 12, 9, 0, 0, 0, Vietnam)) // the bot was down until after the start
	if n, err := e.b.RemindTick(); err != nil || n != 0 {
		t.Fatalf("RemindTick = %d, %v; want nothing sent after the start", n, err)
	}
	if len(e.st.Reminders()) != 0 {
		t.Fatal("stale reminders kept")
	}
}

func eventOf(e *jobEnv, id uint64) *store.Event {
	e.t.Helper()
	ev, err := EventByID(e.st, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return ev
}

func lastButtons(e *jobEnv, u telegramtest.User) [][]telegramtest.Button {
	m, _ := e.srv.LastMessage(u.ID)
	return m.Buttons
}

// cardButtons finds the buttons of the latest card of an event in u's chat.
func cardButtons(e *jobEnv, u telegramtest.User, id uint64) [][]telegramtest.Button {
	msgs := e.srv.Messages(u.ID)
	for i := len(msgs) - 1; i >= 0; i-- {
		for _, row := range msgs[i].Buttons {
			for _, b := range row {
				if b.Data == "ev:rsvp:"+num(id) {
					return msgs[i].Buttons
				}
			}
		}
	}
	return nil
}

func lastDocument(e *jobEnv, u telegramtest.User) []byte {
	e.t.Helper()
	msgs := e.srv.Messages(u.ID)
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Document != nil {
			return msgs[i].Document.Data
		}
	}
	e.t.Fatalf("no document sent to %d", u.ID)
	return nil
}

func num[T int | int64 | uint64](n T) string { return fmt.Sprint(n) }
