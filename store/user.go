package store

import (
	"fmt"
	"time"
)

// Roles a user can have.
const (
	RoleUser  = ""
	RoleStaff = "staff"
	RoleAdmin = "admin"
)

// User is a person who has talked to the bot. Key: Telegram user ID
// (8-byte big-endian).
type User struct {
	ID         int64     `json:"id"`
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
	Inactive   bool      `json:"inactive,omitempty"` // blocked the bot or unreachable
	Source     string    `json:"source,omitempty"`   // /start deep-link payload
	Created    time.Time `json:"created"`
	LastSeen   time.Time `json:"last_seen"`
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
func (t *Tx) EachUser(fn func(*User) error) error {
	c := t.tx.Bucket(bucketUsers).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var u User
		if err := jsonUnmarshal(v, &u); err != nil {
			return fmt.Errorf("decode user %x: %w", k, err)
		}
		if err := fn(&u); err != nil {
			return err
		}
	}
	return nil
}

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
		c := t.tx.Bucket(bucketStaff).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			var u User
			if err := getJSON(t.tx.Bucket(bucketUsers), k, &u); err != nil {
				return err
			}
			if u.IsStaff() {
				out = append(out, &u)
			}
		}
		return nil
	})
	return out, err
}
