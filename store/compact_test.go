package store

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fillAndDelete writes n users named with marker, then deletes them,
// leaving their bytes in free pages.
func fillAndDelete(t *testing.T, s *Store, n int, marker string) {
	t.Helper()
	if err := s.Update(func(tx *Tx) error {
		for i := range n {
			if err := tx.PutUser(&User{ID: int64(1000 + i), FirstName: marker, LastName: strings.Repeat("x", 200)}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(func(tx *Tx) error {
		for i := range n {
			if err := tx.tx.Bucket(bucketUsers).Delete(i64(int64(1000 + i))); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func TestCompactInPlace(t *testing.T) {
	const marker = "Qwertzuiop"
	path := filepath.Join(t.TempDir(), "bot.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(func(tx *Tx) error { return tx.PutUser(&User{ID: 7, FirstName: "Lan"}) }); err != nil {
		t.Fatal(err)
	}
	fillAndDelete(t, s, 3000, marker)
	if f := s.FreeShare(); f <= CompactFree {
		t.Fatalf("test setup: only %.2f free", f)
	}
	s.Close()
	before := fileSize(t, path)
	if raw, _ := os.ReadFile(path); !bytes.Contains(raw, []byte(marker)) {
		t.Fatal("test setup: the deleted records are not in the file")
	}

	// Without the option nothing changes.
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if fileSize(t, path) != before {
		t.Fatal("Open without Compact changed the file")
	}

	s, err = Open(path, Options{Compact: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	after := fileSize(t, path)
	if after*2 > before {
		t.Errorf("file %d → %d bytes: not compacted", before, after)
	}
	if raw, _ := os.ReadFile(path); bytes.Contains(raw, []byte(marker)) {
		t.Error("deleted records survive compaction")
	}
	if u, err := s.User(7); err != nil || u.FirstName != "Lan" {
		t.Fatalf("live record lost: %+v %v", u, err)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	// The store keeps working on the new file.
	if err := s.Update(func(tx *Tx) error { return tx.PutUser(&User{ID: 8, FirstName: "Tom"}) }); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".compact"); !os.IsNotExist(err) {
		t.Errorf("temporary file left behind: %v", err)
	}
}

func TestWriteCompact(t *testing.T) {
	const marker = "Asdfghjklo"
	s, err := Open(filepath.Join(t.TempDir(), "bot.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fillAndDelete(t, s, 500, marker)
	var buf bytes.Buffer
	n, err := s.WriteCompact(&buf)
	if err != nil || n != int64(buf.Len()) {
		t.Fatalf("WriteCompact = %d, %v (wrote %d)", n, err, buf.Len())
	}
	if bytes.Contains(buf.Bytes(), []byte(marker)) {
		t.Error("a compacted copy holds deleted records")
	}
	entries, _ := os.ReadDir(filepath.Dir(s.Path()))
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// A data directory the process may not write is reported with who the
// process runs as (a volume mounted for root, say); a new one is private.
func TestOpenDirectoryPermissions(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(filepath.Join(dir, "data", "bot.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if fi, err := os.Stat(filepath.Join(dir, "data")); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("data directory mode %v, want 0700 (%v)", fi.Mode().Perm(), err)
	}
	if os.Getuid() == 0 {
		t.Skip("root may write anywhere")
	}
	locked := filepath.Join(dir, "locked")
	if err := os.Mkdir(locked, 0o500); err != nil {
		t.Fatal(err)
	}
	_, err = Open(filepath.Join(locked, "bot.db"), Options{})
	if err == nil || !strings.Contains(err.Error(), "runs as uid") {
		t.Fatalf("Open in a read-only directory: %v", err)
	}
}
