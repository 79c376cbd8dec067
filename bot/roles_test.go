package bot_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	. "github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// audit returns the audit log, oldest first.
func (h *harness) audit() []store.AuditEntry {
	h.t.Helper()
	var out []store.AuditEntry
	err := h.st.View(func(tx *store.Tx) error {
		var err error
		out, err = tx.Audit(0, 1000)
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	slices.Reverse(out)
	return out
}

func hasAudit(es []store.AuditEntry, action string, subject int64) bool {
	return slices.ContainsFunc(es, func(e store.AuditEntry) bool { return e.Action == action && e.Subject == subject })
}

// An admin removed from ADMIN_IDS loses every right at the next start:
// nothing of the old role survives in the store.
func TestRemovedAdminLosesRights(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.AdminIDs = []int64{admin.ID, tom.ID} })
	h.send(tom, "/staff")
	h.expect(tom, "Staff and admins")
	if got := h.user(tom.ID).Role; got != store.RoleAdmin {
		t.Fatalf("tom's stored role = %q, want admin", got)
	}

	h.opt.AdminIDs = []int64{admin.ID}
	h.restart()
	if got := h.user(tom.ID).Role; got != store.RoleUser {
		t.Fatalf("after removal from ADMIN_IDS tom's stored role = %q, want none", got)
	}
	for _, cmd := range []string{"/staff", "/broadcast", "/backup", "/export"} {
		h.send(tom, cmd)
		h.expect(tom, "not allowed")
	}
	// A handled update must not write the old role back.
	if got := h.user(tom.ID).Role; got != store.RoleUser {
		t.Fatalf("after messages tom's stored role = %q, want none", got)
	}
	if !hasAudit(h.audit(), AuditRoleAdminIDs, tom.ID) {
		t.Errorf("no audit entry for tom's removal from ADMIN_IDS: %+v", h.audit())
	}
	h.send(admin, "/staff")
	if m := h.last(admin); strings.Contains(m.Text, "Tom") {
		t.Errorf("/staff still lists tom:\n%s", m.Text)
	}
}

// /staff adds and removes staff; staff added by an admin keep their role
// across restarts and ADMIN_IDS changes; every change is audited.
func TestStaffRoleChangesAudited(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.AdminIDs = []int64{admin.ID, tom.ID} })
	h.send(lan, "/start")
	h.send(tom, "/start")
	h.send(admin, "/staff")
	h.press(admin, "staff:add")
	h.send(admin, strconv.FormatInt(lan.ID, 10))
	h.expect(admin, "Lan")
	if got := h.user(lan.ID).Role; got != store.RoleStaff {
		t.Fatalf("lan's role = %q, want staff", got)
	}
	h.opt.AdminIDs = []int64{admin.ID}
	h.restart()
	if got := h.user(lan.ID).Role; got != store.RoleStaff {
		t.Fatalf("after restart lan's role = %q, want staff", got)
	}
	// Tom was an admin by an earlier ADMIN_IDS, then added as staff by an
	// admin: he is staff, and removable.
	h.send(admin, "/staff")
	h.press(admin, "staff:add")
	h.send(admin, strconv.FormatInt(tom.ID, 10))
	if got := h.user(tom.ID).Role; got != store.RoleStaff {
		t.Fatalf("tom's role = %q, want staff", got)
	}
	h.send(admin, "/staff")
	h.press(admin, "staff:rm:"+strconv.FormatInt(lan.ID, 10))
	h.press(admin, "staff:rmok:"+strconv.FormatInt(lan.ID, 10))
	if got := h.user(lan.ID).Role; got != store.RoleUser {
		t.Fatalf("after removal lan's role = %q, want none", got)
	}
	h.send(lan, "/broadcast")
	h.expect(lan, "không có quyền")
	es := h.audit()
	for _, want := range []struct {
		action  string
		subject int64
	}{{AuditRoleAdminIDs, tom.ID}, {AuditRoleAdd, lan.ID}, {AuditRoleAdd, tom.ID}, {AuditRoleRemove, lan.ID}} {
		if !hasAudit(es, want.action, want.subject) {
			t.Errorf("no audit entry %s for %d in %+v", want.action, want.subject, es)
		}
	}
}

// A stored admin that ADMIN_IDS does not name — a database restored from
// elsewhere, or written by an older version — can be removed with /staff.
func TestStaffRemovesStoredAdmin(t *testing.T) {
	h := newHarness(t)
	h.send(tom, "/start")
	// Written behind the bot's back, as an old version would have left it.
	if err := h.st.Update(func(tx *store.Tx) error {
		u, err := tx.User(tom.ID)
		if err != nil {
			return err
		}
		u.Role = store.RoleAdmin
		return tx.PutUser(u)
	}); err != nil {
		t.Fatal(err)
	}
	h.send(admin, "/staff")
	h.press(admin, "staff:rm:"+strconv.FormatInt(tom.ID, 10))
	h.press(admin, "staff:rmok:"+strconv.FormatInt(tom.ID, 10))
	if got := h.user(tom.ID).Role; got != store.RoleUser {
		t.Fatalf("tom's role = %q, want none", got)
	}
	h.send(admin, "/staff")
	h.press(admin, "staff:rm:"+strconv.FormatInt(tom.ID, 10))
	h.expect(admin, "không phải cán bộ")
}

// An admin named in ADMIN_IDS who never wrote to the bot is known from the
// start: staff notices (a new idea) are addressed to them.
func TestAdminWhoNeverWroteGetsNotices(t *testing.T) {
	h := newHarness(t)
	if u := h.user(admin.ID); u.Role != store.RoleAdmin {
		t.Fatalf("admin not recorded at start: %+v", u)
	}
	fillIdea(h, lan, "Máy sấy chuối")
	h.press(lan, "idea:ok:")
	h.waitText(admin, "Máy sấy chuối")
}
