package bot

import (
	"errors"
	"fmt"
	"slices"

	"github.com/qnstartup/trolykhoinghiep/store"
)

// Roles. ADMIN_IDS is the only source of the admin role: at start
// (reconcileRoles, called by New) every stored admin no longer listed
// becomes an ordinary user — unless an admin later adds them as staff —
// and every listed ID becomes a stored admin. The engine never changes a
// role in memory except to give a listed admin their role from their very
// first message, so what is stored is what a person may do. Each change,
// at start or through /staff, is written to the audit log in the same
// transaction.

// Audit actions for role changes.
const (
	AuditRoleAdd      = "role_add"       // an admin made someone staff
	AuditRoleRemove   = "role_remove"    // an admin removed someone's role
	AuditRoleAdminIDs = "role_admin_ids" // ADMIN_IDS changed, noticed at start
)

// reconcileRoles makes the stored roles agree with ADMIN_IDS, returning
// the users whose role changed (their command menus are reinstalled by
// SetupCommands).
func (b *Bot) reconcileRoles() ([]*store.User, error) {
	var changed []*store.User
	err := b.st.Update(func(tx *store.Tx) error {
		changed = changed[:0]
		now := b.now()
		set := func(u *store.User, role string) error {
			note := fmt.Sprintf("%s → %s", roleName(u.Role), roleName(role))
			u.Role = role
			if err := tx.PutUser(u); err != nil {
				return err
			}
			changed = append(changed, u)
			return tx.AddAudit(store.AuditEntry{At: now, Subject: u.ID, Action: AuditRoleAdminIDs, Note: note})
		}
		staff, err := tx.StaffUsers()
		if err != nil {
			return err
		}
		for _, u := range staff {
			if u.Role == store.RoleAdmin && !b.admins[u.ID] {
				if err := set(u, store.RoleUser); err != nil {
					return err
				}
			}
		}
		ids := make([]int64, 0, len(b.admins))
		for id := range b.admins {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			u, err := tx.User(id)
			if errors.Is(err, store.ErrNotFound) {
				// Not met yet: recorded now, so staff notices reach them
				// (queued until their channel lets the bot write).
				u = &store.User{ID: id, Lang: "vi", Subscribed: true, Created: now}
				if r, ok := b.adminRefs[id]; ok {
					u.Channel, u.Ref = r.Channel, r.ID
				} else if u.Channel, u.Ref, err = tx.AddressOf(id); err != nil {
					return err
				}
				if err := set(u, store.RoleAdmin); err != nil {
					return err
				}
				continue
			}
			if err != nil {
				return err
			}
			if u.Role != store.RoleAdmin {
				if err := set(u, store.RoleAdmin); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reconcile roles: %w", err)
	}
	for _, u := range changed {
		b.log.Info("role changed by ADMIN_IDS", "role", roleName(u.Role))
	}
	return changed, nil
}

// setRole changes a stored user's role inside tx and records who did it.
func setRole(tx *store.Tx, c *Ctx, u *store.User, role string) error {
	action := AuditRoleAdd
	if role == store.RoleUser {
		action = AuditRoleRemove
	}
	note := fmt.Sprintf("%s → %s", roleName(u.Role), roleName(role))
	u.Role = role
	if err := tx.PutUser(u); err != nil {
		return err
	}
	return tx.AddAudit(store.AuditEntry{At: c.Now(), Actor: c.User.ID, Subject: u.ID, Action: action, Note: note})
}

// removable reports whether an admin may remove u's role with /staff:
// any stored staff member or admin that ADMIN_IDS does not name.
func (b *Bot) removable(u *store.User) bool { return u.IsStaff() && !b.admins[u.ID] }

func roleName(r string) string {
	if r == store.RoleUser {
		return "user"
	}
	return r
}
