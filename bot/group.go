package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/qnstartup/trolykhoinghiep/locales"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// The bot talks only in private chats: what a user sees (their ideas,
// their phone number, an admin's export) must never be posted to a group.
// In any other chat it answers once a day with one polite line and a
// button to open a private chat, and does nothing else. Being added to or
// removed from a group is recorded (for the log), never treated as a user.

// groupNoticeEvery is how often a group hears the polite line at most.
const groupNoticeEvery = 24 * time.Hour

func (b *Bot) handleGroup(ctx context.Context, u *Update) error {
	b.answerCallback(u, "")
	now := b.now()
	speak := u.Kind == KindMessage || u.Kind == KindCallback
	var out []queued
	err := b.st.Batch(func(tx *store.Tx) error {
		out = out[:0]
		if u.ID != 0 && !tx.InInbox(uint64(u.ID)) {
			return store.ErrDuplicate
		}
		if u.ID != 0 {
			if err := tx.DoneInbox(uint64(u.ID)); err != nil {
				return err
			}
		}
		last, err := tx.GroupSeen(u.ChatID, now)
		if err != nil {
			return err
		}
		if !speak || now.Sub(last) < groupNoticeEvery {
			return nil
		}
		if err := tx.GroupNoticed(u.ChatID, now); err != nil {
			return err
		}
		lang := locales.Normalize(u.From.Lang)
		loc := b.i18n.For(lang)
		r := Reply{ChatID: u.ChatID, Text: loc.T("channel.group_private", nil), Lang: lang}
		if link := b.opt.ChatLinks[u.Channel]; link != "" {
			r.Buttons = [][]Button{{{Text: loc.T("channel.group_open", nil), URL: link}}}
		}
		out, err = queueReplies(tx, []Reply{r}, &envelope{Channel: u.Channel, To: u.ChatRef, Reply: &Reply{ChatID: u.ChatID, Lang: lang}})
		return err
	})
	if err == store.ErrDuplicate {
		return nil
	}
	if err != nil {
		return fmt.Errorf("group %d: %w", u.ChatID, err)
	}
	if u.Kind == KindBlocked || u.Kind == KindUnblocked {
		b.log.Info("group membership changed", "channel", u.Channel, "chat_id", u.ChatID, "member", u.Kind == KindUnblocked)
	}
	b.deliver(out)
	return nil
}

// resolveAdmins gives admins named by channel and platform ID (ADMIN_IDS'
// "zalo:<id>") their user IDs, creating the reference for one who never
// wrote, so staff notices reach them as soon as they can be delivered.
func (b *Bot) resolveAdmins(refs []UserRef) error {
	if len(refs) == 0 {
		return nil
	}
	return b.st.Update(func(tx *store.Tx) error {
		for _, r := range refs {
			id, err := tx.ResolveUser(r.Channel, r.ID)
			if err != nil {
				return fmt.Errorf("ADMIN_IDS %s: %w", r, err)
			}
			b.admins[id] = true
			b.adminRefs[id] = r
		}
		return nil
	})
}
