package bot_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"filippo.io/age"

	. "github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/store"
	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
)

// waitDocument waits for a document in u's chat and returns it.
func (h *harness) waitDocument(u telegramtest.User) *telegramtest.File {
	h.t.Helper()
	if !h.srv.WaitFor(5*time.Second, func(s *telegramtest.Server) bool {
		m, ok := s.LastMessage(u.ID)
		return ok && m.Document != nil
	}) {
		h.t.Fatalf("no document:\n%s", h.srv.Transcript(u.ID))
	}
	return h.last(u).Document
}

func TestBackupNeedsRecipient(t *testing.T) {
	h := newHarness(t)
	h.send(lan, "/backup")
	h.expect(lan, "không có quyền")
	h.send(admin, "/backup")
	h.expect(admin, "BACKUP_AGE_RECIPIENT", "age-keygen")
	for _, m := range h.srv.Messages(admin.ID) {
		if m.Document != nil {
			t.Fatalf("a backup was sent without encryption: %s", m.Document.Name)
		}
	}
}

// /backup sends a compacted copy encrypted to the configured recipient:
// it opens with the secret key, holds the live records, and nothing of a
// user who deleted their data lingers in it; the backup is audited.
func TestBackupEncryptedCompacted(t *testing.T) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, func(o *Options) { o.Features.BackupRecipient = id.Recipient().String() })
	const marker = "Zyxwvutsrq"
	ghost := telegramtest.User{ID: 4242, FirstName: marker, LastName: "Ghostly", Username: "ghost_" + marker, LanguageCode: "vi"}
	h.send(lan, "/start")
	h.send(ghost, "/start")
	h.send(ghost, "/deletemydata")
	h.press(ghost, "privacy:del:all")
	if u := h.user(ghost.ID); u.FirstName != "" {
		t.Fatalf("ghost not forgotten: %+v", u)
	}

	h.send(admin, "/backup")
	doc := h.waitDocument(admin)
	if filepath.Ext(doc.Name) != ".age" {
		t.Errorf("backup file %q is not named as age-encrypted", doc.Name)
	}
	if bytes.Contains(doc.Data, []byte("Lan")) || bytes.Contains(doc.Data, []byte("bbolt")) {
		t.Fatal("backup is readable without the key")
	}
	r, err := age.Decrypt(bytes.NewReader(doc.Data), id)
	if err != nil {
		t.Fatalf("decrypt: %v", err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(plain, []byte(marker)) {
		t.Error("the backup still holds a deleted user's name (free pages copied)")
	}
	path := filepath.Join(t.TempDir(), "restored.db")
	if err := os.WriteFile(path, plain, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("backup does not open: %v", err)
	}
	defer st.Close()
	if u, err := st.User(lan.ID); err != nil || u.FirstName != "Lan" {
		t.Fatalf("backup lacks Lan: %+v %v", u, err)
	}
	if !hasAudit(h.audit(), AuditBackup, 0) {
		t.Errorf("backup not audited: %+v", h.audit())
	}
}
