package store

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// residentKB is how much of the file at path is resident in this process.
func residentKB(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	kb, in := 0, false
	for line := range strings.SplitSeq(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) >= 5 && strings.Contains(f[0], "-") {
			in = len(f) >= 6 && f[5] == path
			continue
		}
		if in && len(f) >= 2 && f[0] == "Rss:" {
			n, _ := strconv.Atoi(f[1])
			kb += n
		}
	}
	return kb
}

// Trim takes the pages a scan read out of the process's resident memory,
// and the data stays readable.
func TestTrim(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bot.db")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	big := bytes.Repeat([]byte("x"), 4000)
	err = s.Update(func(tx *Tx) error {
		for i := range 4000 {
			if err := tx.tx.Bucket(bucketMeta).Put([]byte("k"+strconv.Itoa(i)), big); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	scan := func() int {
		n := 0
		s.View(func(tx *Tx) error {
			return tx.tx.Bucket(bucketMeta).ForEach(func(k, v []byte) error { n += len(v); return nil })
		})
		return n
	}
	want := scan()
	before := residentKB(t, path)
	if before < 10000 {
		t.Fatalf("the scan left only %d kB resident: nothing to test", before)
	}
	if err := s.Trim(); err != nil {
		t.Fatal(err)
	}
	after := residentKB(t, path)
	if after > before/10 {
		t.Errorf("resident after Trim: %d kB of %d", after, before)
	}
	if got := scan(); got != want {
		t.Errorf("read %d bytes after Trim, want %d", got, want)
	}
}
