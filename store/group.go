package store

import (
	"encoding/binary"
	"fmt"
	"time"
)

// Group chats the bot was written in or added to. Key: the bot's chat ID
// (negative); value: first seen and last notice (unix seconds, 8 bytes
// each).

// GroupSeen records a group chat and returns when it was last told the bot
// talks only in private (zero if never).
func (t *Tx) GroupSeen(chatID int64, now time.Time) (time.Time, error) {
	b := t.tx.Bucket(bucketGroups)
	v := b.Get(i64(chatID))
	if len(v) == 16 {
		last := int64(binary.BigEndian.Uint64(v[8:]))
		if last == 0 {
			return time.Time{}, nil
		}
		return time.Unix(last, 0), nil
	}
	rec := make([]byte, 16)
	binary.BigEndian.PutUint64(rec, uint64(now.Unix()))
	if err := b.Put(i64(chatID), rec); err != nil {
		return time.Time{}, fmt.Errorf("record group %d: %w", chatID, err)
	}
	return time.Time{}, nil
}

// GroupNoticed records that a group was just told.
func (t *Tx) GroupNoticed(chatID int64, now time.Time) error {
	b := t.tx.Bucket(bucketGroups)
	rec := make([]byte, 16)
	if v := b.Get(i64(chatID)); len(v) == 16 {
		copy(rec, v[:8])
	} else {
		binary.BigEndian.PutUint64(rec, uint64(now.Unix()))
	}
	binary.BigEndian.PutUint64(rec[8:], uint64(now.Unix()))
	return b.Put(i64(chatID), rec)
}
