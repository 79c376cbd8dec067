package store

import (
	"bytes"
	"encoding/binary"
)

// Daily caps. The "quota" bucket counts, per kind, user and day, what a
// cap limits: key kind (1 byte) + user ID (8 bytes) + day number (8 bytes,
// days since 1970 in the bot's time zone, chosen by the caller) → count
// (8 bytes). User 0 holds totals over all users. A count is written in
// the transaction that does what it counts, so a cap holds under any
// concurrency.

var bucketQuota = []byte("quota")

// Quota kinds.
const (
	QuotaCollab       byte = 'c' // collaboration requests sent
	QuotaForward      byte = 'f' // questions passed to staff
	QuotaAnnounce     byte = 'a' // announcements confirmed by a staff member
	QuotaAnnounceMore byte = 'A' // extra announcements an admin allowed for the day
	QuotaLLMTotal     byte = 'L' // model-written answers reserved over all users (user 0)
	QuotaLLMPending   byte = 'p' // model-written answers a user waits for now (day 0)
)

func quotaKey(kind byte, user int64, day int64) []byte {
	k := make([]byte, 17)
	k[0] = kind
	binary.BigEndian.PutUint64(k[1:], uint64(user))
	binary.BigEndian.PutUint64(k[9:], uint64(day))
	return k
}

// Quota is the count of kind for a user on a day.
func (t *Tx) Quota(kind byte, user int64, day int64) int {
	v := t.tx.Bucket(bucketQuota).Get(quotaKey(kind, user, day))
	if len(v) != 8 {
		return 0
	}
	return int(binary.BigEndian.Uint64(v))
}

// AddQuota adds n (which may be negative) to a count, never below zero.
func (t *Tx) AddQuota(kind byte, user int64, day int64, n int) error {
	v := max(t.Quota(kind, user, day)+n, 0)
	return t.tx.Bucket(bucketQuota).Put(quotaKey(kind, user, day), u64(uint64(v)))
}

// PruneQuota deletes the counts of days before day, and the users'
// model-answer counts of those days, and returns how many it deleted.
// Counts kept under day 0 (what a user waits for now) are not daily and
// stay.
func (t *Tx) PruneQuota(day int64) (int, error) {
	n, err := t.deleteQuota(func(k []byte) bool {
		d := int64(binary.BigEndian.Uint64(k[9:]))
		return d != 0 && d < day
	})
	if err != nil {
		return n, err
	}
	m, err := deleteWhere(t.tx.Bucket(bucketLLMUsage), 0, func(k, _ []byte) bool {
		return len(k) == 16 && int64(binary.BigEndian.Uint64(k[8:])) < day
	})
	return n + m, err
}

// forgetQuota deletes a user's counts.
func (t *Tx) forgetQuota(user int64) error {
	id := i64(user)
	_, err := t.deleteQuota(func(k []byte) bool { return bytes.Equal(k[1:9], id) })
	return err
}

// deleteQuota deletes the counts whose keys match and returns how many.
func (t *Tx) deleteQuota(match func(key []byte) bool) (int, error) {
	return deleteWhere(t.tx.Bucket(bucketQuota), 0, func(k, _ []byte) bool { return len(k) == 17 && match(k) })
}
