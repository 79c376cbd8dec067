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

// A backup or export that cannot be written leaves what was there: the
// database itself is never a target, and a bad format or argument does
// not empty the file named.
func TestPrivateFilesRefused(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "bot.db")
	t.Setenv("DB_PATH", db)
	ctx := context.Background()
	var out bytes.Buffer
	if err := run(ctx, []string{"export", "-format", "json"}, nil, &out, &out); err != nil { // creates the database
		t.Fatal(err)
	}
	before, err := os.ReadFile(db)
	if err != nil || len(before) == 0 {
		t.Fatalf("database: %d bytes, %v", len(before), err)
	}
	for _, target := range []string{db, filepath.Join(dir, ".", "bot.db")} {
		if err := run(ctx, []string{"backup", target}, nil, &out, &out); err == nil {
			t.Errorf("backup over the database %s was not refused", target)
		}
		if err := run(ctx, []string{"export", "-o", target}, nil, &out, &out); err == nil {
			t.Errorf("export over the database %s was not refused", target)
		}
	}
	if fi, err := os.Stat(db); err != nil || fi.Size() < int64(len(before)) {
		t.Fatalf("the database shrank: %d bytes before (%v)", len(before), err)
	}
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatalf("the database no longer opens: %v", err)
	}
	if err := st.Check(); err != nil {
		t.Fatalf("the database is damaged: %v", err)
	}
	st.Close()
	exp := filepath.Join(dir, "ideas.csv")
	if err := os.WriteFile(exp, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"export", "-format", "xlsx", "-o", exp}, {"export", "-o", exp, "stray"}} {
		if err := run(ctx, args, nil, &out, &out); err == nil {
			t.Errorf("%q was not refused", args)
		}
		if got, _ := os.ReadFile(exp); string(got) != "old" {
			t.Errorf("%q left %q in the file, want it untouched", args, got)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
