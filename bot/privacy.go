package bot

import (
	"github.com/qnstartup/trolykhoinghiep/store"
)

// The privacy module: "delete my data" (/deletemydata, and a button on the
// settings screen). It removes the user's profile, phone numbers and
// contact details, supports, follows and collaboration requests. Public
// published ideas stay in the bank, anonymised, unless the user chooses
// to withdraw them too; their other ideas are withdrawn and erased.

func (b *Bot) privacyModule() Module {
	return Module{
		Name: "privacy",
		Commands: []Command{
			{Name: "deletemydata", Handler: b.privacyAsk},
		},
		Actions: map[string]Handler{
			"ask": b.privacyAsk,
			"del": b.privacyDelete,
			"no": func(c *Ctx) error {
				c.Reply(Reply{Text: c.T("privacy.kept"), Edit: c.U.MsgID})
				return nil
			},
		},
	}
}

func (b *Bot) privacyAsk(c *Ctx) error {
	c.Reply(Reply{Text: c.T("privacy.confirm"), Buttons: [][]Button{
		{{Text: c.T("privacy.btn_keep_public"), Data: CB("privacy", "del", "keep")}},
		{{Text: c.T("privacy.btn_withdraw_all"), Data: CB("privacy", "del", "all")}},
		{{Text: c.T("privacy.btn_no"), Data: CB("privacy", "no")}},
	}})
	return nil
}

func (b *Bot) privacyDelete(c *Ctx) error {
	_, args := cbArgs(c)
	if len(args) != 1 || (args[0] != "keep" && args[0] != "all") {
		return b.r.stale(c)
	}
	withdrawAll := args[0] == "all"
	user, now := c.User.ID, c.Now()
	// The engine saves c.User with the commit: keep only what the bot
	// needs to keep talking to this chat (its address, language and role).
	old := c.User
	c.User = &store.User{ID: old.ID, Channel: old.Channel, Ref: old.Ref, Lang: old.Lang, LangChosen: old.LangChosen, Role: old.Role, Created: now, LastSeen: now}
	c.End()
	c.Reply(Reply{Text: c.T("privacy.done"), Keyboard: b.MainMenu(c)})
	c.Do(func(tx *store.Tx) error {
		_, err := tx.ForgetUser(user, withdrawAll, now)
		return err
	})
	return nil
}
