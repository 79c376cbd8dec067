//go:build !linux

package store

// Trim does nothing here: only Linux has the means to take the database
// file's pages out of the process's resident memory.
func (s *Store) Trim() error { return nil }

// Trim does nothing here (see Store.Trim).
func (t *Tx) Trim() error { return nil }
