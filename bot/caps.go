package bot

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/qnstartup/trolykhoinghiep/store"
)

// Daily caps, each refused with a message saying what the cap is:
// collaboration requests per user, questions passed to staff per user,
// and announcements per staff member (an admin may allow more for the
// day with /bccap; admins themselves are not capped). An announcement to
// more than Features.BroadcastConfirmOver recipients needs an admin: an
// admin confirms their own with a second press, a staff member's waits
// ("held") until an admin approves it. Counts live in the store's quota
// bucket and are written in the transaction that does what they count.

// Default caps.
const (
	defaultCollabPerDay        = 5
	defaultForwardsPerDay      = 5
	defaultAnnouncementsPerDay = 3
	defaultConfirmOver         = 1000
)

func orDefault(n, def int) int {
	if n > 0 {
		return n
	}
	return def
}

func (b *Bot) confirmOver() int {
	return orDefault(b.opt.Features.BroadcastConfirmOver, defaultConfirmOver)
}

// takeCap counts one use of kind for user today inside tx, or refuses
// with key when limit is reached.
func takeCap(tx *store.Tx, kind byte, user int64, now time.Time, limit int, key string) error {
	day := capDay(now)
	if tx.Quota(kind, user, day) >= limit {
		return Refuse(key, "N", limit, "ID", user)
	}
	return tx.AddQuota(kind, user, day, 1)
}

// checkCap refuses with key when limit is reached, without counting (for
// a clear answer before a flow asks for input).
func checkCap(st *store.Store, kind byte, user int64, now time.Time, limit int, key string) error {
	var err error
	st.View(func(tx *store.Tx) error {
		if tx.Quota(kind, user, capDay(now)) >= limit {
			err = Refuse(key, "N", limit, "ID", user)
		}
		return nil
	})
	return err
}

func (b *Bot) collabCap() int { return orDefault(b.opt.Features.CollabPerDay, defaultCollabPerDay) }

func (b *Bot) forwardCap() int {
	return orDefault(b.opt.Features.ForwardsPerDay, defaultForwardsPerDay)
}

// announceCap is a staff member's announcements allowed today.
func (b *Bot) announceCap(tx *store.Tx, user int64, now time.Time) int {
	return orDefault(b.opt.Features.AnnouncementsPerDay, defaultAnnouncementsPerDay) + tx.Quota(store.QuotaAnnounceMore, user, capDay(now))
}

// takeAnnounce counts an announcement confirmed by c's user.
func (b *Bot) takeAnnounce(tx *store.Tx, c *Ctx) error {
	if c.IsAdmin() {
		return nil
	}
	return takeCap(tx, store.QuotaAnnounce, c.User.ID, c.Now(), b.announceCap(tx, c.User.ID, c.Now()), "trust.announce_cap")
}

// checkAnnounce refuses early, when /broadcast starts, if the cap is
// reached.
func (b *Bot) checkAnnounce(c *Ctx) error {
	if c.IsAdmin() {
		return nil
	}
	var err error
	b.st.View(func(tx *store.Tx) error {
		if n := b.announceCap(tx, c.User.ID, c.Now()); tx.Quota(store.QuotaAnnounce, c.User.ID, capDay(c.Now())) >= n {
			err = Refuse("trust.announce_cap", "N", n, "ID", c.User.ID)
		}
		return nil
	})
	return err
}

func (b *Bot) trustModule() Module {
	return Module{
		Name:     "trust",
		Commands: []Command{{Name: "bccap", Role: store.RoleAdmin, Handler: b.bcCap}},
		Actions: map[string]Handler{
			"approve": b.bcDecide(true),
			"reject":  b.bcDecide(false),
		},
	}
}

// bcCap: /bccap USER_ID [N] lets a staff member send N more
// announcements today.
func (b *Bot) bcCap(c *Ctx) error {
	if !c.IsAdmin() {
		return Refuse("common.not_allowed")
	}
	f := strings.Fields(c.U.Args)
	if len(f) < 1 || len(f) > 2 {
		return Refuse("trust.bccap_usage")
	}
	id, err := strconv.ParseInt(f[0], 10, 64)
	n := 1
	if err == nil && len(f) == 2 {
		n, err = strconv.Atoi(f[1])
	}
	if err != nil || id <= 0 || n < 1 || n > 100 {
		return Refuse("trust.bccap_usage")
	}
	c.Do(func(tx *store.Tx) error {
		u, err := tx.User(id)
		if errors.Is(err, store.ErrNotFound) || (err == nil && !u.IsStaff()) {
			return Refuse("trust.bccap_not_staff")
		}
		if err != nil {
			return err
		}
		if err := tx.AddQuota(store.QuotaAnnounceMore, id, capDay(c.Now()), n); err != nil {
			return err
		}
		c.Reply(Reply{Text: c.T("trust.bccap_done", "Name", Esc(nameOr(u)), "N", n)})
		return tx.AddAudit(store.AuditEntry{At: c.Now(), Actor: c.User.ID, Subject: id, Action: "announce_cap", Note: fmt.Sprintf("+%d", n)})
	})
	return nil
}

// holdForAdmin keeps a staff member's large announcement until an admin
// approves it, asking every admin (inside the commit).
func (b *Bot) holdForAdmin(tx *store.Tx, c *Ctx, j *store.Broadcast) error {
	j.Status = store.JobHeld
	if err := tx.PutBroadcast(j); err != nil {
		return err
	}
	staff, err := tx.StaffUsers()
	if err != nil {
		return err
	}
	id := strconv.FormatUint(j.ID, 10)
	for _, a := range staff {
		if a.Role != store.RoleAdmin || a.Inactive {
			continue
		}
		c.SendTo(a.ID, Reply{
			Text: c.TFor(a, "trust.bc_approve_request", "ID", j.ID, "Name", Esc(nameOr(c.User)), "N", j.Total, "Text", j.Text),
			Buttons: [][]Button{{
				{Text: c.TFor(a, "trust.btn_approve"), Data: CB("trust", "approve", id)},
				{Text: c.TFor(a, "trust.btn_reject"), Data: CB("trust", "reject", id)},
			}},
		})
	}
	c.Reply(Reply{Text: c.T("trust.bc_needs_admin", "N", j.Total, "Max", b.confirmOver(), "ID", j.ID), Keyboard: b.MainMenu(c)})
	return nil
}

// bcDecide approves or rejects a held announcement.
func (b *Bot) bcDecide(approve bool) Handler {
	return func(c *Ctx) error {
		if !c.IsAdmin() {
			return Refuse("common.not_allowed")
		}
		_, args := cbArgs(c)
		if len(args) != 1 {
			return b.r.stale(c)
		}
		id, err := strconv.ParseUint(args[0], 10, 64)
		if err != nil {
			return b.r.stale(c)
		}
		c.Do(func(tx *store.Tx) error {
			j, err := tx.Broadcast(id)
			if errors.Is(err, store.ErrNotFound) {
				return b.r.stale(c)
			}
			if err != nil {
				return err
			}
			if j.Status != store.JobHeld {
				return Refuse("trust.bc_already", "ID", j.ID)
			}
			action, key := "announce_approve", "trust.bc_approved"
			switch {
			case !approve:
				j.Status, j.Finished = store.JobCancelled, c.Now()
				action, key = "announce_reject", "trust.bc_rejected"
			case !j.ScheduledAt.IsZero() && j.ScheduledAt.After(c.Now()):
				j.Status = store.JobScheduled
			default:
				j.Status = store.JobRunning
			}
			if err := tx.PutBroadcast(j); err != nil {
				return err
			}
			if author, err := tx.User(j.Author); err == nil && j.Author != c.User.ID {
				c.SendTo(author.ID, Reply{Text: c.TFor(author, key, "ID", j.ID, "N", j.Total)})
			}
			c.Reply(Reply{Text: c.T(key, "ID", j.ID, "N", j.Total), Edit: c.U.MsgID})
			return tx.AddAudit(store.AuditEntry{At: c.Now(), Actor: c.User.ID, Subject: j.Author, Action: action, Note: fmt.Sprintf("#%d, %d recipients", j.ID, j.Total)})
		})
		if approve {
			c.AfterCommit(b.jobs.Wake)
		}
		return nil
	}
}
