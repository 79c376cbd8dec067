package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the layout of the buckets this code reads and writes.
// 2: users of several channels (user_refs), the inbox replaces the
// Telegram offset and the handled marks.
const SchemaVersion = 2

// ErrNotFound is returned when a record does not exist.
var ErrNotFound = errors.New("not found")

// ErrLocked is returned by Open when another process holds the database.
var ErrLocked = errors.New("database is in use by another process")

var (
	bucketMeta   = []byte("meta")
	bucketUsers  = []byte("users")
	bucketStates = []byte("states")
	bucketOutbox = []byte("outbox")
	bucketStaff  = []byte("staff")

	bucketInbox     = []byte("inbox")
	bucketInboxKeys = []byte("inbox_keys")
	bucketUserRefs  = []byte("user_refs")
	bucketGroups    = []byte("groups")

	bucketHandledV1 = []byte("handled") // schema 1: dropped by the migration
)

// allBuckets lists every bucket, created at open. A new record type adds
// its buckets here (and to doc.go).
func allBuckets() [][]byte {
	b := [][]byte{
		bucketMeta, bucketUsers, bucketStates, bucketOutbox, bucketStaff,
		bucketInbox, bucketInboxKeys, bucketUserRefs, bucketGroups,
		bucketEvents, bucketEventsStart, bucketRSVPs, bucketReminders,
		bucketBroadcasts, bucketActiveJobs, bucketRecipients, bucketQuota,
	}
	b = append(b, ideaBuckets()...)
	b = append(b, questionBuckets()...)
	b = append(b, bucketZalo)
	b = append(b, publicBuckets()...)
	return b
}

// Options tune Open.
type Options struct {
	// Timeout bounds the wait for the file lock (default 2s).
	Timeout time.Duration
	// NoSync skips fsync: only for benchmarks of code above the store.
	NoSync bool
	// Compact compacts the file in place at open when more than
	// CompactFree of it is free space (deleted data among it).
	Compact bool
}

// Store is the bot's database: one bbolt file.
type Store struct {
	db *bolt.DB
	cm *committer
}

// Open opens (creating if needed) the database at path.
func Open(path string, opt Options) (*Store, error) {
	if opt.Timeout == 0 {
		opt.Timeout = 2 * time.Second
	}
	if dir := filepath.Dir(path); dir != "" {
		// The directory holds personal data: only the bot's user may enter.
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create data directory: %w%s", err, ownerHint(err))
		}
	}
	db, err := openBolt(path, opt)
	if err != nil {
		return nil, err
	}
	s := &Store{db: db}
	if err := s.init(); err != nil {
		db.Close()
		return nil, err
	}
	if opt.Compact && s.FreeShare() > CompactFree {
		if err := s.compactInPlace(opt); err != nil {
			s.db.Close()
			return nil, err
		}
	}
	s.cm = newCommitter(s.db)
	return s, nil
}

func openBolt(path string, opt Options) (*bolt.DB, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opt.Timeout, NoSync: opt.NoSync, FreelistType: bolt.FreelistMapType})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("open %s: %w", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w%s", path, err, ownerHint(err))
	}
	return db, nil
}

// ownerHint explains a permission error: the process's user must own the
// data directory (a container volume first mounted for root, say).
func ownerHint(err error) string {
	if !errors.Is(err, os.ErrPermission) {
		return ""
	}
	return fmt.Sprintf(" (this process runs as uid %d, gid %d: the data directory must be writable by them)", os.Getuid(), os.Getgid())
}

func (s *Store) init() error {
	return s.db.Update(func(tx *bolt.Tx) error {
		for _, b := range allBuckets() {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return fmt.Errorf("create bucket %s: %w", b, err)
			}
		}
		meta := tx.Bucket(bucketMeta)
		v := meta.Get([]byte("schema"))
		if v == nil {
			if err := initPublic(tx); err != nil {
				return err
			}
			return meta.Put([]byte("schema"), u64(SchemaVersion))
		}
		got := binary.BigEndian.Uint64(v)
		if got > SchemaVersion {
			return fmt.Errorf("database schema %d is newer than this program (%d)", got, SchemaVersion)
		}
		if got < 2 {
			if err := migrateV2(tx); err != nil {
				return fmt.Errorf("migrate to schema 2: %w", err)
			}
		}
		if err := initPublic(tx); err != nil {
			return err
		}
		return meta.Put([]byte("schema"), u64(SchemaVersion))
	})
}

// Close closes the database.
func (s *Store) Close() error {
	s.cm.close()
	return s.db.Close()
}

// Path is the database file.
func (s *Store) Path() string { return s.db.Path() }

// Tx is a transaction. Methods on Tx never outlive the function given to
// View, Update or Batch.
type Tx struct {
	tx *bolt.Tx
}

// View runs fn in a read-only transaction.
func (s *Store) View(fn func(*Tx) error) error {
	return s.db.View(func(tx *bolt.Tx) error { return fn(&Tx{tx: tx}) })
}

// Update runs fn in a read-write transaction, committed when fn returns nil.
func (s *Store) Update(fn func(*Tx) error) error {
	return s.db.Update(func(tx *bolt.Tx) error { return fn(&Tx{tx: tx}) })
}

// Batch is Update coalesced with concurrent callers into one commit: at
// once when no other commit is running, else together with everyone who
// arrived during it. fn may run more than once, so it must not have
// effects outside the transaction.
func (s *Store) Batch(fn func(*Tx) error) error {
	return s.cm.do(func(tx *bolt.Tx) error { return fn(&Tx{tx: tx}) }, false)
}

// Expect announces n Batch calls about to come (the handlers of a batch
// of updates, started together): a commit waits up to ExpectWait for them,
// so they share it rather than follow one another. Each announced caller
// makes its call with BatchExpected, or withdraws with Unexpect.
func (s *Store) Expect(n int) { s.cm.expectCalls(n) }

// Unexpect withdraws one call announced by Expect that will not come.
func (s *Store) Unexpect() { s.cm.expectCalls(-1) }

// BatchExpected is Batch for a call announced by Expect.
func (s *Store) BatchExpected(fn func(*Tx) error) error {
	return s.cm.do(func(tx *bolt.Tx) error { return fn(&Tx{tx: tx}) }, true)
}

// Soon runs fn in the next commit, whoever's: it joins the next Batch, or
// is committed on its own once SoonDelay has passed without one (and at
// Close). It returns at once; then is called with the commit's result, on
// the committer's goroutine (it must not wait for a commit), or at once
// with ErrClosed once the store is closing. For work
// that need not be durable at once but should not cost a commit of its
// own: removing sent replies from the outbox, say.
func (s *Store) Soon(fn func(*Tx) error, then func(error)) {
	s.cm.soonDo(func(tx *bolt.Tx) error { return fn(&Tx{tx: tx}) }, then)
}

// Flush commits Soon's waiting work now.
func (s *Store) Flush() error { return s.Batch(func(*Tx) error { return nil }) }

// trimEvery is how many records a whole-bucket scan reads between two
// Trims, so what it read does not stay resident.
const trimEvery = 1000

// eachRecord decodes every record of a bucket in key order and calls fn
// until it returns an error. A long scan trims what it has read as it
// goes and when it ends (Tx.Trim).
func eachRecord[T any](t *Tx, bucket []byte, what string, fn func(*T) error) error {
	n := 0
	defer func() {
		if n >= trimEvery {
			t.Trim()
		}
	}()
	c := t.tx.Bucket(bucket).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if n++; n%trimEvery == 0 {
			t.Trim()
		}
		var r T
		if err := jsonUnmarshal(v, &r); err != nil {
			return fmt.Errorf("decode %s %x: %w", what, k, err)
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return nil
}

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func i64(v int64) []byte { return u64(uint64(v)) }

func getJSON(b *bolt.Bucket, key []byte, v any) error {
	data := b.Get(key)
	if data == nil {
		return ErrNotFound
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decode %x: %w", key, err)
	}
	return nil
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	return b.Put(key, data)
}

// Check verifies the database's internal consistency. It holds the
// writer's lock (and writes nothing): bbolt's check reads the free list,
// which a concurrent commit changes.
func (s *Store) Check() error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		return errRollback
	})
	if errors.Is(err, errRollback) {
		return nil
	}
	return err
}

var errRollback = errors.New("rolled back")
