package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"filippo.io/age"

	"github.com/qnstartup/trolykhoinghiep/store"
)

// Exports and backups hold phone numbers: the files they write are for
// their owner only, even when a readable file was there before, and a
// backup is encrypted when BACKUP_AGE_RECIPIENT is set.
func TestPrivateFiles(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DB_PATH", filepath.Join(dir, "bot.db"))
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("BACKUP_AGE_RECIPIENT", id.Recipient().String())
	ctx := context.Background()
	var out bytes.Buffer
	exp, bak := filepath.Join(dir, "ideas.csv"), filepath.Join(dir, "copy.db.age")
	for _, p := range []string{exp, bak} {
		if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := run(ctx, []string{"export", "-o", exp}, nil, &out, &out); err != nil {
		t.Fatalf("export: %v", err)
	}
	if err := run(ctx, []string{"backup", bak}, nil, &out, &out); err != nil {
		t.Fatalf("backup: %v", err)
	}
	for _, p := range []string{exp, bak} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", filepath.Base(p), fi.Mode().Perm())
		}
	}
	f, err := os.Open(bak)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := age.Decrypt(f, id)
	if err != nil {
		t.Fatalf("backup is not encrypted to the recipient: %v", err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	restored := filepath.Join(dir, "restored.db")
	if err := os.WriteFile(restored, plain, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(restored, store.Options{})
	if err != nil {
		t.Fatalf("decrypted backup does not open: %v", err)
	}
	st.Close()
}
