package bot

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"

	"github.com/qnstartup/trolykhoinghiep/store"
)

// The backup module: an admin gets a compacted copy of the database — the
// live records only, none of the deleted ones lingering in free pages —
// encrypted to the age recipient of BACKUP_AGE_RECIPIENT, made while the
// bot keeps running. Without a recipient /backup refuses: the file holds
// every phone number and would otherwise sit in clear in a cloud chat.
// Each backup is written to the audit log.

// maxBackup is the largest copy sent through Telegram (bots may upload up
// to 50 MB).
const maxBackup = 45 << 20

// AuditBackup is the audit action of a backup sent with /backup.
const AuditBackup = "backup"

// ParseRecipients reads age recipients ("age1…"), separated by commas or
// spaces. An empty string gives none.
func ParseRecipients(s string) ([]age.Recipient, error) {
	var out []age.Recipient
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' }) {
		r, err := age.ParseX25519Recipient(f)
		if err != nil {
			return nil, fmt.Errorf("age recipient %q: %w", f, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// WriteBackup writes a compacted copy of the database to w, encrypted to
// recipients when there are any, and returns the bytes written.
func WriteBackup(st *store.Store, w io.Writer, recipients []age.Recipient) (int64, error) {
	cw := &countWriter{w: w}
	if len(recipients) == 0 {
		_, err := st.WriteCompact(cw)
		return cw.n, err
	}
	enc, err := age.Encrypt(cw, recipients...)
	if err != nil {
		return 0, fmt.Errorf("backup: encrypt: %w", err)
	}
	if _, err := st.WriteCompact(enc); err != nil {
		return 0, err
	}
	if err := enc.Close(); err != nil {
		return 0, fmt.Errorf("backup: encrypt: %w", err)
	}
	return cw.n, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

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
	recipients, err := ParseRecipients(b.opt.Features.BackupRecipient)
	if err != nil {
		return err
	}
	if len(recipients) == 0 {
		return Refuse("backup.no_recipient")
	}
	var buf bytes.Buffer
	n, err := WriteBackup(b.st, &buf, recipients)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if n > maxBackup {
		return Refuse("backup.too_big", "MB", n>>20)
	}
	doc := Reply{
		ChatID:   c.U.ChatID,
		Text:     c.T("backup.caption", "KB", (n+1023)>>10, "Time", c.Now().In(Vietnam).Format("15:04 02/01/2006")),
		Document: &Document{Name: "trolykhoinghiep-" + c.Now().In(Vietnam).Format("20060102-1504") + ".db.age", Data: buf.Bytes()},
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
	c.Do(func(tx *store.Tx) error {
		return tx.AddAudit(store.AuditEntry{At: c.Now(), Actor: c.User.ID, Action: AuditBackup, Note: fmt.Sprintf("%d bytes", n)})
	})
	return nil
}
