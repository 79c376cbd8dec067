package store

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// keepHandled is how many update IDs below the acknowledged offset are kept
// to recognise redelivered updates.
const keepHandled = 10000

// Handled reports whether an update was already handled.
func (t *Tx) Handled(updateID int64) bool {
	if updateID < t.ackedOffset()-keepHandled {
		return true
	}
	return t.tx.Bucket(bucketHandled).Get(i64(updateID)) != nil
}

// MarkHandled records an update as handled, in the transaction that commits
// its effects.
func (t *Tx) MarkHandled(updateID int64) error {
	if err := t.tx.Bucket(bucketHandled).Put(i64(updateID), nil); err != nil {
		return fmt.Errorf("mark update %d: %w", updateID, err)
	}
	return nil
}

func (t *Tx) ackedOffset() int64 {
	v := t.tx.Bucket(bucketMeta).Get([]byte("offset"))
	if v == nil {
		return 0
	}
	return int64(binary.BigEndian.Uint64(v))
}

// Offset is the next update ID to ask Telegram for: every update below it
// has been handled and committed.
func (s *Store) Offset() int64 {
	var off int64
	s.View(func(t *Tx) error { off = t.ackedOffset(); return nil })
	return off
}

// Handled reports whether an update was already handled.
func (s *Store) Handled(updateID int64) bool {
	h := false
	s.View(func(t *Tx) error { h = t.Handled(updateID); return nil })
	return h
}

// Acknowledge records that every update below offset is handled, and forgets
// handled marks far below it.
func (s *Store) Acknowledge(offset int64) error {
	return s.Update(func(t *Tx) error {
		if offset <= t.ackedOffset() {
			return nil
		}
		if err := t.tx.Bucket(bucketMeta).Put([]byte("offset"), i64(offset)); err != nil {
			return err
		}
		b := t.tx.Bucket(bucketHandled)
		c := b.Cursor()
		for k, _ := c.First(); k != nil && int64(binary.BigEndian.Uint64(k)) < offset-keepHandled; k, _ = c.First() {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}

// OutboxItem is a reply committed but not yet delivered. Key: sequence
// number (8-byte big-endian), so delivery order is commit order.
type OutboxItem struct {
	Seq     uint64
	ChatID  int64
	Payload []byte
}

// AddOutbox queues a reply for delivery after commit.
func (t *Tx) AddOutbox(chatID int64, payload []byte) (uint64, error) {
	b := t.tx.Bucket(bucketOutbox)
	seq, err := b.NextSequence()
	if err != nil {
		return 0, err
	}
	v := make([]byte, 8+len(payload))
	binary.BigEndian.PutUint64(v, uint64(chatID))
	copy(v[8:], payload)
	return seq, b.Put(u64(seq), v)
}

// DeleteOutbox removes delivered replies inside a transaction.
func (t *Tx) DeleteOutbox(seqs []uint64) error {
	b := t.tx.Bucket(bucketOutbox)
	for _, q := range seqs {
		if err := b.Delete(u64(q)); err != nil {
			return err
		}
	}
	return nil
}

// InOutbox reports whether a reply is still queued.
func (s *Store) InOutbox(seq uint64) bool {
	in := false
	s.View(func(t *Tx) error { in = t.tx.Bucket(bucketOutbox).Get(u64(seq)) != nil; return nil })
	return in
}

// Outbox lists queued replies in commit order.
func (s *Store) Outbox() ([]OutboxItem, error) {
	var out []OutboxItem
	err := s.View(func(t *Tx) error {
		return t.tx.Bucket(bucketOutbox).ForEach(func(k, v []byte) error {
			if len(v) < 8 {
				return errors.New("short outbox record")
			}
			out = append(out, OutboxItem{Seq: binary.BigEndian.Uint64(k), ChatID: int64(binary.BigEndian.Uint64(v)), Payload: append([]byte(nil), v[8:]...)})
			return nil
		})
	})
	return out, err
}

// DeleteOutbox removes delivered replies. It is coalesced with concurrent
// commits.
func (s *Store) DeleteOutbox(seqs ...uint64) error {
	if len(seqs) == 0 {
		return nil
	}
	return s.Batch(func(t *Tx) error { return t.DeleteOutbox(seqs) })
}
