package store

import (
	"strconv"

	bolt "go.etcd.io/bbolt"
)

// migrateV2 moves a schema-1 database (Telegram only, offset and handled
// marks) to schema 2: every user record names its channel and platform ID;
// the Telegram offset and the handled marks are dropped, as the inbox and
// its deduplication keys replace them. Every user, idea, event, job and
// queued reply is kept as it is: Telegram users keep their IDs.
func migrateV2(tx *bolt.Tx) error {
	users := tx.Bucket(bucketUsers)
	type fix struct {
		k []byte
		u User
	}
	var fixes []fix
	if err := users.ForEach(func(k, v []byte) error {
		var u User
		if err := jsonUnmarshal(v, &u); err != nil {
			return nil // left as it is; reading it reports the error
		}
		if u.Channel == "" {
			u.Channel, u.Ref = Telegram, strconv.FormatInt(u.ID, 10)
			fixes = append(fixes, fix{append([]byte(nil), k...), u})
		}
		return nil
	}); err != nil {
		return err
	}
	for _, f := range fixes {
		if err := putJSON(users, f.k, &f.u); err != nil {
			return err
		}
	}
	if tx.Bucket(bucketHandledV1) != nil {
		if err := tx.DeleteBucket(bucketHandledV1); err != nil {
			return err
		}
	}
	return tx.Bucket(bucketMeta).Delete([]byte("offset"))
}
