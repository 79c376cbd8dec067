package bot

import (
	"fmt"

	"github.com/qnstartup/trolykhoinghiep/locales"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// AlertAdmins tells every admin, each on their own channel and in their
// language, about a fault they must act on (a channel's token that can no
// longer be refreshed, say). key is a message key; kv its template pairs.
// Replies go through the outbox, so a channel that is down does not stop
// the others.
func (b *Bot) AlertAdmins(key string, kv ...any) error {
	err := b.Commit(func(tx *store.Tx) ([]Reply, error) {
		var out []Reply
		for id := range b.admins {
			u, err := tx.User(id)
			if err != nil {
				u = &store.User{ID: id, Lang: locales.Default}
			}
			out = append(out, Reply{ChatID: id, Text: b.i18n.For(u.Lang).T(key, pairs(kv)), Lang: u.Lang})
		}
		return out, nil
	})
	if err != nil {
		return fmt.Errorf("alert admins: %w", err)
	}
	return nil
}
