package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// The inbox is where every channel hands its input. A channel commits what
// it received (AddInbox), and only then tells the platform it has it (the
// next getUpdates offset for Telegram, the 200 for a Zalo webhook). The
// engine removes an item (DoneInbox) in the transaction that commits the
// item's effects and replies, so an item is either waiting here or done,
// never both and never neither.

// KeepInboxKeys is how long the deduplication key of an accepted item is
// kept: a platform redelivering within it is recognised (Zalo retries for
// hours; Telegram redelivers only what was not confirmed).
const KeepInboxKeys = 8 * 24 * time.Hour

// ErrDuplicate is returned when an update was already handled.
var ErrDuplicate = errors.New("update already handled")

// InboxItem is an update waiting to be handled.
type InboxItem struct {
	Seq     uint64
	ChatID  int64
	Payload []byte
}

// SeenInbox reports whether an item with this deduplication key was
// accepted within KeepInboxKeys.
func (t *Tx) SeenInbox(key string) bool {
	return key != "" && t.tx.Bucket(bucketInboxKeys).Get([]byte(key)) != nil
}

// AddInbox commits an item for the engine; key ("" for none) is recorded
// for deduplication. It returns the item's sequence number: the order in
// which items of one chat are handled.
func (t *Tx) AddInbox(key string, chatID int64, payload []byte, now time.Time) (uint64, error) {
	b := t.tx.Bucket(bucketInbox)
	seq, err := b.NextSequence()
	if err != nil {
		return 0, fmt.Errorf("inbox sequence: %w", err)
	}
	v := make([]byte, 8+len(payload))
	binary.BigEndian.PutUint64(v, uint64(chatID))
	copy(v[8:], payload)
	if err := b.Put(u64(seq), v); err != nil {
		return 0, fmt.Errorf("add to inbox: %w", err)
	}
	if key != "" {
		if err := t.tx.Bucket(bucketInboxKeys).Put([]byte(key), i64(now.Unix())); err != nil {
			return 0, fmt.Errorf("record inbox key: %w", err)
		}
	}
	return seq, nil
}

// TakeInboxKey records the deduplication key of an item handled without
// waiting in the inbox: its effects commit in this transaction with the
// key, so the item is received and handled in one commit. ErrDuplicate:
// the key was taken before (the item is, or was, in the inbox).
func (t *Tx) TakeInboxKey(key string, now time.Time) error {
	if t.SeenInbox(key) {
		return ErrDuplicate
	}
	if key == "" {
		return nil
	}
	if err := t.tx.Bucket(bucketInboxKeys).Put([]byte(key), i64(now.Unix())); err != nil {
		return fmt.Errorf("record inbox key: %w", err)
	}
	return nil
}

// InInbox reports whether an item is still waiting.
func (t *Tx) InInbox(seq uint64) bool {
	return t.tx.Bucket(bucketInbox).Get(u64(seq)) != nil
}

// DoneInbox removes handled items.
func (t *Tx) DoneInbox(seqs ...uint64) error {
	b := t.tx.Bucket(bucketInbox)
	for _, s := range seqs {
		if err := b.Delete(u64(s)); err != nil {
			return fmt.Errorf("remove from inbox: %w", err)
		}
	}
	return nil
}

// Inbox returns up to max waiting items with a sequence number above
// after, in order.
func (s *Store) Inbox(after uint64, max int) ([]InboxItem, error) {
	var out []InboxItem
	err := s.View(func(t *Tx) error {
		c := t.tx.Bucket(bucketInbox).Cursor()
		for k, v := c.Seek(u64(after + 1)); k != nil && len(out) < max; k, v = c.Next() {
			if len(v) < 8 {
				return fmt.Errorf("short inbox item %x", k)
			}
			out = append(out, InboxItem{
				Seq: binary.BigEndian.Uint64(k), ChatID: int64(binary.BigEndian.Uint64(v)),
				Payload: append([]byte(nil), v[8:]...),
			})
		}
		return nil
	})
	return out, err
}

// InboxLast is the highest sequence number of a waiting item (0: none).
func (s *Store) InboxLast() uint64 {
	var last uint64
	s.View(func(t *Tx) error {
		if k, _ := t.tx.Bucket(bucketInbox).Cursor().Last(); len(k) == 8 {
			last = binary.BigEndian.Uint64(k)
		}
		return nil
	})
	return last
}

// InboxLen is the number of waiting items.
func (s *Store) InboxLen() int {
	n := 0
	s.View(func(t *Tx) error { n = t.tx.Bucket(bucketInbox).Stats().KeyN; return nil })
	return n
}

// PruneInboxKeys forgets deduplication keys older than KeepInboxKeys, at
// most limit of them per call (it returns how many).
func (s *Store) PruneInboxKeys(now time.Time, limit int) (int, error) {
	cut := now.Add(-KeepInboxKeys).Unix()
	n := 0
	err := s.Update(func(t *Tx) error {
		var err error
		n, err = deleteWhere(t.tx.Bucket(bucketInboxKeys), limit, func(_, v []byte) bool {
			return len(v) == 8 && int64(binary.BigEndian.Uint64(v)) < cut
		})
		return err
	})
	return n, err
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

// SetOutbox rewrites a queued reply's payload (how far its delivery got,
// say), keeping its place and chat. A reply no longer queued is left
// alone.
func (t *Tx) SetOutbox(seq uint64, payload []byte) error {
	b := t.tx.Bucket(bucketOutbox)
	old := b.Get(u64(seq))
	if len(old) < 8 {
		return nil
	}
	v := make([]byte, 8+len(payload))
	copy(v, old[:8])
	copy(v[8:], payload)
	return b.Put(u64(seq), v)
}

// outboxItem decodes an outbox record (chat ID, then payload), copied out
// of the transaction; false if there is none.
func outboxItem(k, v []byte) (OutboxItem, bool) {
	if len(v) < 8 {
		return OutboxItem{}, false
	}
	return OutboxItem{Seq: binary.BigEndian.Uint64(k), ChatID: int64(binary.BigEndian.Uint64(v)), Payload: bytes.Clone(v[8:])}, true
}

// InOutbox reports whether a reply is still queued.
func (s *Store) InOutbox(seq uint64) bool {
	_, in := s.OutboxEntry(seq)
	return in
}

// OutboxEntry reads a queued reply as it is now (its progress may have
// changed since a list was read), or reports that it is gone.
func (s *Store) OutboxEntry(seq uint64) (OutboxItem, bool) {
	var it OutboxItem
	in := false
	s.View(func(t *Tx) error {
		it, in = outboxItem(u64(seq), t.tx.Bucket(bucketOutbox).Get(u64(seq)))
		return nil
	})
	return it, in
}

// Outbox lists queued replies in commit order.
func (s *Store) Outbox() ([]OutboxItem, error) {
	var out []OutboxItem
	err := s.View(func(t *Tx) error {
		return t.tx.Bucket(bucketOutbox).ForEach(func(k, v []byte) error {
			it, ok := outboxItem(k, v)
			if !ok {
				return errors.New("short outbox record")
			}
			out = append(out, it)
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
