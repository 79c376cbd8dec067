package bot

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/qnstartup/trolykhoinghiep/store"
)

// The staff module: admins (from ADMIN_IDS) list staff, add someone by
// forwarding one of their messages or typing their user ID, and remove
// anyone's role that ADMIN_IDS does not give (see roles.go). A role change
// is audited and reinstalls that person's command menu.

func (b *Bot) staffModule() Module {
	return Module{
		Name: "staff",
		Commands: []Command{
			{Name: "staff", Role: store.RoleAdmin, Handler: b.staffList},
		},
		Actions: map[string]Handler{
			"add": func(c *Ctx) error {
				if !c.IsAdmin() {
					return Refuse("common.not_allowed")
				}
				return c.Start("staff")
			},
			"rm":   b.staffRemoveAsk,
			"rmok": b.staffRemove,
			"list": b.staffList,
		},
		Flows: []*Flow{{
			Name: "staff",
			Steps: []Step{{
				Name: "who",
				Prompt: func(c *Ctx) error {
					c.Reply(Reply{Text: c.T("staff.ask_who"), Keyboard: c.NavKeyboard()})
					return nil
				},
				Input: b.staffAdd,
			}},
		}},
	}
}

func (b *Bot) staffList(c *Ctx) error {
	if !c.IsAdmin() {
		return Refuse("common.not_allowed")
	}
	staff, err := b.st.Staff()
	if err != nil {
		return err
	}
	var sb strings.Builder
	sb.WriteString(c.T("staff.list_title", "N", len(staff)))
	var rows [][]Button
	for _, u := range staff {
		name := Esc(u.Name())
		if name == "" {
			name = fmt.Sprint(u.ID)
		}
		sb.WriteString(fmt.Sprintf("\n• %s (<code>%d</code>) – %s", name, u.ID, c.T("staff.role_"+u.Role)))
		if b.removable(u) {
			rows = append(rows, []Button{{Text: c.T("staff.btn_remove", "Name", truncate(u.Name()+" "+fmt.Sprint(u.ID), 40)), Data: CB("staff", "rm", fmt.Sprint(u.ID))}})
		}
	}
	rows = append(rows, []Button{{Text: c.T("staff.btn_add"), Data: CB("staff", "add")}})
	c.Reply(Reply{Text: sb.String(), Buttons: rows})
	return nil
}

// staffAdd takes a forwarded message or a typed user ID.
func (b *Bot) staffAdd(c *Ctx) error {
	if !c.IsAdmin() {
		c.End()
		return Refuse("common.not_allowed")
	}
	var id int64
	var who Sender
	typed := strings.TrimSpace(c.U.Text)
	switch {
	case c.U.Forward != nil:
		who = *c.U.Forward
		id = who.ID
	case strings.HasPrefix(typed, "@"):
		u, err := b.userByUsername(typed[1:])
		if err != nil {
			return err
		}
		id = u.ID
	default:
		n, err := strconv.ParseInt(typed, 10, 64)
		if err != nil || n <= 0 {
			return Refuse("staff.bad_who")
		}
		id = n
	}
	if id == 0 {
		return Refuse("staff.hidden_forward")
	}
	if b.admins[id] {
		return Refuse("staff.already_admin")
	}
	u, err := b.st.User(id)
	if errors.Is(err, store.ErrNotFound) {
		u = &store.User{ID: id, FirstName: who.FirstName, LastName: who.LastName, Username: who.Username, Lang: "vi", Subscribed: true, Created: c.Now()}
	} else if err != nil {
		return err
	}
	if u.Role == store.RoleStaff {
		return Refuse("staff.already_staff", "Name", Esc(nameOr(u)))
	}
	u.Role = store.RoleStaff
	// Replies go before c.Do: those queued after it are dropped at commit.
	c.Reply(Reply{Text: c.T("staff.added", "Name", Esc(nameOr(u)), "ID", u.ID), Keyboard: b.MainMenu(c)})
	c.SendTo(u.ID, Reply{Text: c.TFor(u, "staff.welcome")})
	c.Do(func(tx *store.Tx) error {
		cur, err := tx.User(id)
		if errors.Is(err, store.ErrNotFound) {
			cur = u
		} else if err != nil {
			return err
		}
		if cur.Role == store.RoleStaff {
			return nil
		}
		return setRole(tx, c, cur, store.RoleStaff)
	})
	c.End()
	b.SetupStaffCommands(u)
	return nil
}

// userByUsername finds someone who has used the bot by their @username
// (letters in any case).
func (b *Bot) userByUsername(name string) (*store.User, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 64 {
		return nil, Refuse("staff.bad_who")
	}
	var found *store.User
	err := b.st.View(func(tx *store.Tx) error {
		return tx.EachUser(func(u *store.User) error {
			if found == nil && u.Username != "" && strings.EqualFold(u.Username, name) {
				found = u
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	if found == nil {
		return nil, Refuse("staff.unknown_username", "Name", Esc(name))
	}
	return found, nil
}

func nameOr(u *store.User) string {
	if n := u.Name(); n != "" {
		return n
	}
	return fmt.Sprint(u.ID)
}

// removalTarget is the person a removal button names, once the presser
// is an admin and the person may be removed. Button data is untrusted.
func (b *Bot) removalTarget(c *Ctx) (*store.User, error) {
	if !c.IsAdmin() {
		return nil, Refuse("common.not_allowed")
	}
	_, _, args, _ := ParseCB(c.U.Data)
	if len(args) != 1 {
		return nil, b.r.stale(c)
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil {
		return nil, b.r.stale(c)
	}
	if b.admins[id] {
		return nil, Refuse("staff.cannot_remove_admin")
	}
	u, err := b.st.User(id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, b.r.stale(c)
	} else if err != nil {
		return nil, err
	}
	if !b.removable(u) {
		return nil, Refuse("staff.not_staff")
	}
	return u, nil
}

// staffRemoveAsk asks before taking away someone's staff role.
func (b *Bot) staffRemoveAsk(c *Ctx) error {
	u, err := b.removalTarget(c)
	if u == nil {
		return err
	}
	args := []string{strconv.FormatInt(u.ID, 10)}
	c.Reply(Reply{Text: c.T("staff.remove_confirm", "Name", Esc(nameOr(u))), Buttons: [][]Button{
		{{Text: c.T("staff.btn_remove_yes"), Data: CB("staff", "rmok", args[0])}},
		{{Text: c.T("staff.btn_remove_no"), Data: CB("staff", "list")}},
	}})
	return nil
}

// staffRemove takes the staff role away and tells the person.
func (b *Bot) staffRemove(c *Ctx) error {
	u, err := b.removalTarget(c)
	if u == nil {
		return err
	}
	id := u.ID
	u.Role = store.RoleUser
	c.Reply(Reply{Text: c.T("staff.removed", "Name", Esc(nameOr(u)), "ID", u.ID)})
	if !u.Inactive {
		c.SendTo(u.ID, Reply{Text: c.TFor(u, "staff.removed_you")})
	}
	c.Do(func(tx *store.Tx) error {
		cur, err := tx.User(id)
		if err != nil {
			return err
		}
		if !b.removable(cur) {
			return Refuse("staff.not_staff")
		}
		return setRole(tx, c, cur, store.RoleUser)
	})
	b.SetupStaffCommands(u)
	return nil
}
