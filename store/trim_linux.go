package store

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"syscall"
)

// Trim takes the database file's pages out of the process's resident
// memory: they stay in the kernel's page cache and are mapped again when
// read. A scan otherwise leaves what it read resident for good.
func (s *Store) Trim() error { return s.View(func(t *Tx) error { return t.Trim() }) }

// Trim is Store.Trim inside a transaction (which keeps the file's mapping
// from moving meanwhile): long scans call it as they go.
func (t *Tx) Trim() error {
	fi, err := os.Stat(t.tx.DB().Path())
	if err != nil {
		return fmt.Errorf("trim: %w", err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	inode := strconv.FormatUint(st.Ino, 10)
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return fmt.Errorf("trim: %w", err)
	}
	for line := range bytes.SplitSeq(maps, []byte("\n")) {
		// start-end perms offset dev inode path
		f := bytes.Fields(line)
		if len(f) < 6 || string(f[4]) != inode {
			continue
		}
		lo, hi, ok := bytes.Cut(f[0], []byte("-"))
		if !ok {
			continue
		}
		start, err1 := strconv.ParseUint(string(lo), 16, 64)
		end, err2 := strconv.ParseUint(string(hi), 16, 64)
		if err1 != nil || err2 != nil || end <= start {
			continue
		}
		if _, _, e := syscall.Syscall(syscall.SYS_MADVISE, uintptr(start), uintptr(end-start), syscall.MADV_DONTNEED); e != 0 {
			return fmt.Errorf("trim: madvise: %w", e)
		}
	}
	return nil
}
