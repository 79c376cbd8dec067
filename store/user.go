package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Roles a user can have.
const (
	RoleUser  = ""
	RoleStaff = "staff"
	RoleAdmin = "admin"
)

// User is a person who has talked to the bot. Key: the bot's user ID
// (8-byte big-endian): a Telegram user's Telegram ID, or an ID assigned by
// ResolveUser for other channels.
type User struct {
	ID         int64     `json:"id"`
	Channel    string    `json:"channel,omitempty"` // "" or "telegram", "zalo"
	Ref        string    `json:"ref,omitempty"`     // the platform's user ID, as written
	FirstName  string    `json:"first_name,omitempty"`
	LastName   string    `json:"last_name,omitempty"`
	Username   string    `json:"username,omitempty"`
	Lang       string    `json:"lang"`
	LangChosen bool      `json:"lang_chosen,omitempty"`
	Role       string    `json:"role,omitempty"`
	Kind       string    `json:"kind,omitempty"` // farmer, woman, youth, student, coop, misc
	Locality   string    `json:"locality,omitempty"`
	Interests  []string  `json:"interests,omitempty"` // sector codes
	Subscribed bool      `json:"subscribed"`
	ShowName   bool      `json:"show_name,omitempty"`   // named (first name) on the public web site
	Inactive   bool      `json:"inactive,omitempty"`    // blocked the bot or unreachable
	Source     string    `json:"source,omitempty"`      // /start deep-link payload
	BankSearch string    `json:"bank_search,omitempty"` // the last idea-bank search, combined with its filters
	Created    time.Time `json:"created"`
	LastSeen   time.Time `json:"last_seen"`
	// LastInbound is the user's last message or button press: Zalo lets
	// the bot write only within 7 days of it.
	LastInbound time.Time `json:"last_inbound,omitzero"`
	// The support guide's answers (bot/hotro.go): who for the guide
	// (Kind's codes and "business"), the project's stage, sector and area
	// (quang_nam, da_nang, other). GuideSeen fingerprints the guide last
	// shown or offered: a knowledge-base change that alters it is offered.
	Who       string `json:"who,omitempty"`
	Stage     string `json:"stage,omitempty"`
	Sector    string `json:"sector,omitempty"`
	Area      string `json:"area,omitempty"`
	GuideSeen string `json:"guide_seen,omitempty"`
	// Follows are the policy documents (numbers) the user follows: staff
	// updating one, or adding its successor, sends a notice.
	Follows []string `json:"follows,omitempty"`
}

// Name is the user's display name.
func (u *User) Name() string {
	n := u.FirstName
	if u.LastName != "" {
		n += " " + u.LastName
	}
	if n == "" && u.Username != "" {
		n = "@" + u.Username
	}
	return n
}

// IsStaff reports whether the user has the staff or admin role.
func (u *User) IsStaff() bool { return u.Role == RoleStaff || u.Role == RoleAdmin }

// User returns a user by ID.
func (t *Tx) User(id int64) (*User, error) {
	var u User
	if err := getJSON(t.tx.Bucket(bucketUsers), i64(id), &u); err != nil {
		return nil, fmt.Errorf("user %d: %w", id, err)
	}
	return &u, nil
}

// UserRecord returns a user with a copy of its stored record, so that the
// caller can tell later whether it changed (User.Encodes).
func (t *Tx) UserRecord(id int64) (*User, []byte, error) {
	data := t.tx.Bucket(bucketUsers).Get(i64(id))
	if data == nil {
		return nil, nil, fmt.Errorf("user %d: %w", id, ErrNotFound)
	}
	var u User
	if err := json.Unmarshal(data, &u); err != nil {
		return nil, nil, fmt.Errorf("user %d: decode: %w", id, err)
	}
	return &u, bytes.Clone(data), nil
}

// Encodes reports whether u would be stored exactly as rec, a record
// returned by UserRecord: writing it again would change nothing.
func (u *User) Encodes(rec []byte) bool {
	data, err := json.Marshal(u)
	return err == nil && bytes.Equal(data, rec)
}

// PutUser creates or replaces a user (and keeps the staff index).
func (t *Tx) PutUser(u *User) error {
	if err := putJSON(t.tx.Bucket(bucketUsers), i64(u.ID), u); err != nil {
		return fmt.Errorf("put user %d: %w", u.ID, err)
	}
	idx := t.tx.Bucket(bucketStaff)
	if u.IsStaff() {
		if idx.Get(i64(u.ID)) == nil {
			return idx.Put(i64(u.ID), nil)
		}
		return nil
	}
	if idx.Get(i64(u.ID)) != nil {
		return idx.Delete(i64(u.ID))
	}
	return nil
}

// EachUser calls fn for every user in ID order until fn returns an error.
func (t *Tx) EachUser(fn func(*User) error) error { return eachRecord(t, bucketUsers, "user", fn) }

// User returns a user by ID in its own transaction.
func (s *Store) User(id int64) (*User, error) {
	var u *User
	err := s.View(func(t *Tx) error {
		var err error
		u, err = t.User(id)
		return err
	})
	return u, err
}

// SetInactive marks a user as unreachable (blocked the bot) or reachable.
func (s *Store) SetInactive(id int64, inactive bool) error {
	return s.Update(func(t *Tx) error {
		u, err := t.User(id)
		if err != nil {
			return err
		}
		if u.Inactive == inactive {
			return nil
		}
		u.Inactive = inactive
		return t.PutUser(u)
	})
}

// CountUsers returns the number of users.
func (s *Store) CountUsers() int {
	n := 0
	s.View(func(t *Tx) error {
		n = t.tx.Bucket(bucketUsers).Stats().KeyN
		return nil
	})
	return n
}

// Staff lists users with the staff or admin role.
func (s *Store) Staff() ([]*User, error) {
	var out []*User
	err := s.View(func(t *Tx) error {
		var err error
		out, err = t.StaffUsers()
		return err
	})
	return out, err
}

// Telegram is the channel whose user IDs are the bot's own user IDs: a
// Telegram user's key is their Telegram ID (below 2^53), as in every
// record written before other channels existed.
const Telegram = "telegram"

// Zalo is the Zalo Official Account channel's name in user references.
const Zalo = "zalo"

// otherChannelBase is where user IDs of other channels start, far above
// any Telegram ID.
const otherChannelBase = int64(1) << 60

// ResolveUser returns the bot's user ID for a channel's user, assigning one
// (recorded in user_refs) the first time a user of a channel other than
// Telegram is seen. ref is the platform's ID exactly as written.
func (t *Tx) ResolveUser(channel, ref string) (int64, error) {
	if channel == "" || ref == "" || len(ref) > 128 {
		return 0, fmt.Errorf("resolve user %q:%q: invalid reference", channel, ref)
	}
	if channel == Telegram {
		id, err := strconv.ParseInt(ref, 10, 64)
		if err != nil || id <= 0 || id >= otherChannelBase {
			return 0, fmt.Errorf("resolve Telegram user %q: not a user ID", ref)
		}
		return id, nil
	}
	b := t.tx.Bucket(bucketUserRefs)
	key := []byte(channel + ":" + ref)
	if v := b.Get(key); len(v) == 8 {
		return int64(binary.BigEndian.Uint64(v)), nil
	}
	seq, err := b.NextSequence()
	if err != nil {
		return 0, fmt.Errorf("resolve user: %w", err)
	}
	id := otherChannelBase + int64(seq)
	if err := b.Put(key, i64(id)); err != nil {
		return 0, fmt.Errorf("resolve user: %w", err)
	}
	return id, nil
}

// LookupUser is ResolveUser without assigning: ErrNotFound for a user of
// another channel never seen.
func (t *Tx) LookupUser(channel, ref string) (int64, error) {
	if channel == Telegram {
		return t.ResolveUser(channel, ref)
	}
	v := t.tx.Bucket(bucketUserRefs).Get([]byte(channel + ":" + ref))
	if len(v) != 8 {
		return 0, fmt.Errorf("user %s:%s: %w", channel, ref, ErrNotFound)
	}
	return int64(binary.BigEndian.Uint64(v)), nil
}

// Address is where a user is reached: the channel and the platform's ID.
// A user record without them is a Telegram user of schema 1.
func (u *User) Address() (channel, ref string) {
	if u.Channel == "" {
		return Telegram, strconv.FormatInt(u.ID, 10)
	}
	return u.Channel, u.Ref
}

// AddressOf is where the user with this ID is reached. A Telegram ID
// without a record is still a Telegram chat.
func (t *Tx) AddressOf(id int64) (channel, ref string, err error) {
	u, err := t.User(id)
	if err == nil {
		ch, r := u.Address()
		return ch, r, nil
	}
	if errors.Is(err, ErrNotFound) && id < otherChannelBase {
		return Telegram, strconv.FormatInt(id, 10), nil
	}
	return "", "", err
}

// StaffUsers lists users with the staff or admin role inside a transaction.
func (t *Tx) StaffUsers() ([]*User, error) {
	var out []*User
	c := t.tx.Bucket(bucketStaff).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		var u User
		if err := getJSON(t.tx.Bucket(bucketUsers), k, &u); err != nil {
			return nil, err
		}
		if u.IsStaff() {
			out = append(out, &u)
		}
	}
	return out, nil
}
