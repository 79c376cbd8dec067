package bot

import (
	"bytes"
	"context"
	"fmt"

	"github.com/qnstartup/trolykhoinghiep/store"
)

// The backup module: an admin gets a consistent copy of the database as a
// document, made while the bot keeps running (the command line's backup
// needs the bot stopped: the file is locked while it runs).

// maxBackup is the largest copy sent through Telegram (bots may upload up
// to 50 MB).
const maxBackup = 45 << 20

func (b *Bot) backupModule() Module {
	return Module{
		Name:     "backup",
		Commands: []Command{{Name: "backup", Role: store.RoleAdmin, Handler: b.backup}},
	}
}

func (b *Bot) backup(c *Ctx) error {
	if !c.IsAdmin() {
		return Refuse("common.not_allowed")
	}
	var buf bytes.Buffer
	n, err := b.st.WriteTo(&buf)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if n > maxBackup {
		return Refuse("backup.too_big", "MB", n>>20)
	}
	doc := Reply{
		ChatID:   c.U.ChatID,
		Text:     c.T("backup.caption", "KB", (n+1023)>>10, "Time", c.Now().In(Vietnam).Format("15:04 02/01/2006")),
		Document: &Document{Name: "trolykhoinghiep-" + c.Now().In(Vietnam).Format("20060102-1504") + ".db", Data: buf.Bytes()},
	}
	// Sent straight after the commit, not through the outbox: a copy of
	// the database does not belong inside it, and a lost copy is simply
	// asked for again.
	c.AfterCommit(func() {
		if err := b.SendNow(context.Background(), doc); err != nil {
			b.log.Error("send backup", "err", err)
		}
	})
	c.Say("backup.preparing")
	return nil
}
