package store

import (
	"bytes"

	bolt "go.etcd.io/bbolt"
)

// Deleting while walking a bucket: keys are collected during the scan and
// deleted after it, because a cursor's Delete makes Next skip the key
// that follows when the page was already changed in the same transaction
// (etcd-io/bbolt#146), as it is when Batch runs several handlers in one
// commit.

// deleteWhere deletes the keys of b that match, at most limit of them
// (0: all), and returns how many.
func deleteWhere(b *bolt.Bucket, limit int, match func(k, v []byte) bool) (int, error) {
	var keys [][]byte
	c := b.Cursor()
	for k, v := c.First(); k != nil && (limit == 0 || len(keys) < limit); k, v = c.Next() {
		if match(k, v) {
			keys = append(keys, bytes.Clone(k))
		}
	}
	n := len(keys)
	return n, deleteKeys(b, &keys)
}

// deleteKeys deletes keys from b and empties the list.
func deleteKeys(b *bolt.Bucket, keys *[][]byte) error {
	for _, k := range *keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	*keys = (*keys)[:0]
	return nil
}
