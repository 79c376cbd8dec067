package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// Compaction. bbolt reuses deleted space but never returns it, so a
// deleted record's bytes stay in free pages — and in every copy of the
// file — until they happen to be overwritten. A compacted copy holds the
// live records only: backups are compacted copies, and Open compacts the
// file in place (Options.Compact) when more than CompactFree of it is free.

// CompactFree is the share of free space above which Open compacts.
const CompactFree = 0.25

// CompactTo writes a compacted copy of the database (one consistent
// snapshot, no free pages) to a new file at path with mode 0600. The file
// is synced before CompactTo returns; an existing file is replaced.
func (s *Store) CompactTo(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("compact: %w", err)
	}
	dst, err := bolt.Open(path, 0o600, &bolt.Options{FreelistType: bolt.FreelistMapType})
	if err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	// One destination transaction: several would free pages of their own.
	if err := bolt.Compact(dst, s.db, 0); err != nil {
		dst.Close()
		os.Remove(path)
		return fmt.Errorf("compact: %w", err)
	}
	if err := dst.Close(); err != nil {
		os.Remove(path)
		return fmt.Errorf("compact: %w", err)
	}
	return syncFile(path)
}

// WriteCompact writes a compacted copy of the database to w, by way of a
// temporary file next to the database, and returns its size.
func (s *Store) WriteCompact(w io.Writer) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(s.Path()), ".backup-*.db")
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	name := tmp.Name()
	tmp.Close()
	defer os.Remove(name)
	if err := s.CompactTo(name); err != nil {
		return 0, err
	}
	f, err := os.Open(name)
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	return io.Copy(w, f)
}

// FreeShare is the share of the file held by free pages.
func (s *Store) FreeShare() float64 {
	st := s.db.Stats()
	fi, err := os.Stat(s.Path())
	if err != nil || fi.Size() == 0 {
		return 0
	}
	return float64(st.FreeAlloc) / float64(fi.Size())
}

// compactInPlace replaces the database file by a compacted copy: the copy
// is written and synced beside it, the open database is closed, the copy
// renamed over it and the directory synced, then the file is reopened. A
// crash at any point leaves either the old file or the new one.
func (s *Store) compactInPlace(opt Options) error {
	path := s.Path()
	tmp := path + ".compact"
	if err := s.CompactTo(tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := s.db.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("compact: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("compact: %w", err)
	}
	if err := syncFile(filepath.Dir(path)); err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	db, err := openBolt(path, opt)
	if err != nil {
		return err
	}
	s.db = db
	return nil
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
