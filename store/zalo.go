package store

import (
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

var bucketZalo = []byte("zalo")

var keyZaloTokens = []byte("tokens")

// ZaloTokens is the Zalo OA token pair. The refresh token is single use:
// the pair is always written whole, in one transaction.
type ZaloTokens struct {
	Access   string    `json:"access"`
	Refresh  string    `json:"refresh"`
	Expires  time.Time `json:"expires"`  // when Access stops working
	Obtained time.Time `json:"obtained"` // when Zalo issued the pair
	// Seed is the ZALO_REFRESH_TOKEN value last taken from the
	// environment: a different value there replaces the stored pair.
	Seed string `json:"seed,omitempty"`
}

// LoadZaloTokens returns the stored pair, or ErrNotFound when there is none.
func (s *Store) LoadZaloTokens() (ZaloTokens, error) {
	var t ZaloTokens
	err := s.db.View(func(tx *bolt.Tx) error { return getJSON(tx.Bucket(bucketZalo), keyZaloTokens, &t) })
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return ZaloTokens{}, ErrNotFound
		}
		return ZaloTokens{}, fmt.Errorf("load zalo tokens: %w", err)
	}
	return t, nil
}

// SaveZaloTokens replaces the stored pair in one fsynced commit. A pair
// without an access or a refresh token is refused: it would lose the only
// way back in.
func (s *Store) SaveZaloTokens(t ZaloTokens) error {
	if t.Access == "" || t.Refresh == "" {
		return errors.New("save zalo tokens: empty token")
	}
	err := s.db.Update(func(tx *bolt.Tx) error { return putJSON(tx.Bucket(bucketZalo), keyZaloTokens, t) })
	if err != nil {
		return fmt.Errorf("save zalo tokens: %w", err)
	}
	return nil
}
