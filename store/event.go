package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Event statuses.
const (
	EventDraft     = "draft"
	EventPublished = "published"
	EventCancelled = "cancelled"
)

// Reminder kinds: how long before an event's start its RSVPs are reminded.
const (
	RemindDay  = "1d"
	RemindHour = "1h"
)

// ReminderOffsets maps each reminder kind to how long before the start it
// is due.
var ReminderOffsets = map[string]time.Duration{RemindDay: 24 * time.Hour, RemindHour: time.Hour}

var (
	bucketEvents      = []byte("events")
	bucketEventsStart = []byte("events_by_start")
	bucketRSVPs       = []byte("rsvps")
	bucketReminders   = []byte("reminders")
)

// Audience selects users: within one list any value matches, across lists
// all must match; an empty list matches everyone.
type Audience struct {
	Kinds      []string `json:"kinds,omitempty"`
	Localities []string `json:"localities,omitempty"`
	Sectors    []string `json:"sectors,omitempty"` // matches any of the user's interests
	Langs      []string `json:"langs,omitempty"`
	// Event, if set, keeps only users who RSVPed to that event.
	Event uint64 `json:"event,omitempty"`
	// Within, if set, reports whether a user's locality lies in one the
	// audience names (a ward of a former district); nil: the same code only.
	Within func(userLocality, locality string) bool `json:"-"`
}

// Empty reports whether the audience is everyone.
func (a Audience) Empty() bool {
	return len(a.Kinds) == 0 && len(a.Localities) == 0 && len(a.Sectors) == 0 && len(a.Langs) == 0 && a.Event == 0
}

// Matches reports whether u is in the audience, leaving aside the Event
// filter (which needs the store: see Tx.Audience).
func (a Audience) Matches(u *User) bool {
	if len(a.Kinds) > 0 && !slices.Contains(a.Kinds, u.Kind) {
		return false
	}
	if len(a.Localities) > 0 && !slices.ContainsFunc(a.Localities, func(l string) bool {
		return l == u.Locality || (a.Within != nil && u.Locality != "" && a.Within(u.Locality, l))
	}) {
		return false
	}
	if len(a.Langs) > 0 && !slices.Contains(a.Langs, u.Lang) {
		return false
	}
	if len(a.Sectors) > 0 && !slices.ContainsFunc(u.Interests, func(s string) bool { return slices.Contains(a.Sectors, s) }) {
		return false
	}
	return true
}

// Event is something staff announce: a festival, a fair, a course, a call
// for applications. Key: ID (8-byte big-endian, from NextSequence).
type Event struct {
	ID          uint64    `json:"id"`
	Title       string    `json:"title"`
	Start       time.Time `json:"start"`        // UTC
	End         time.Time `json:"end,omitzero"` // UTC; zero when only a start was given
	Place       string    `json:"place,omitempty"`
	Description string    `json:"description,omitempty"`
	Link        string    `json:"link,omitempty"`
	Audience    Audience  `json:"audience"`
	Photo       string    `json:"photo,omitempty"` // platform file ID
	Status      string    `json:"status"`
	CreatedBy   int64     `json:"created_by"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
	RSVPs       int       `json:"rsvps"` // number of users who will attend
}

// Reminder is a reminder due to an event's RSVPs. Key in "reminders": due
// time (unix seconds, 8-byte big-endian) + event ID (8 bytes) + kind, so a
// scan from the start finds the due ones first.
type Reminder struct {
	Due   time.Time
	Event uint64
	Kind  string
}

func reminderKey(due time.Time, event uint64, kind string) []byte {
	k := make([]byte, 16, 16+len(kind))
	binary.BigEndian.PutUint64(k, uint64(due.Unix()))
	binary.BigEndian.PutUint64(k[8:], event)
	return append(k, kind...)
}

func startKey(start time.Time, id uint64) []byte {
	k := make([]byte, 16)
	binary.BigEndian.PutUint64(k, uint64(start.Unix()))
	binary.BigEndian.PutUint64(k[8:], id)
	return k
}

func pairKey(a uint64, b int64) []byte {
	k := make([]byte, 16)
	binary.BigEndian.PutUint64(k, a)
	binary.BigEndian.PutUint64(k[8:], uint64(b))
	return k
}

// Event returns an event by ID.
func (t *Tx) Event(id uint64) (*Event, error) {
	var e Event
	if err := getJSON(t.tx.Bucket(bucketEvents), u64(id), &e); err != nil {
		return nil, fmt.Errorf("event %d: %w", id, err)
	}
	return &e, nil
}

// CreateEvent stores a new event, giving it an ID. A published event is
// listed and its reminders are scheduled (those still in the future at now).
func (t *Tx) CreateEvent(e *Event, now time.Time) error {
	b := t.tx.Bucket(bucketEvents)
	id, err := b.NextSequence()
	if err != nil {
		return fmt.Errorf("create event: %w", err)
	}
	e.ID, e.Created, e.Updated = id, now, now
	return t.putEvent(nil, e, now)
}

// PutEvent replaces an event, keeping its listing and reminders in step
// with its start time and status.
func (t *Tx) PutEvent(e *Event, now time.Time) error {
	old, err := t.Event(e.ID)
	if err != nil {
		return err
	}
	e.Updated = now
	return t.putEvent(old, e, now)
}

func (t *Tx) putEvent(old, e *Event, now time.Time) error {
	e.Start = e.Start.UTC()
	if !e.End.IsZero() {
		e.End = e.End.UTC()
	}
	idx, rem := t.tx.Bucket(bucketEventsStart), t.tx.Bucket(bucketReminders)
	if old != nil && old.Status == EventPublished {
		if err := idx.Delete(startKey(old.Start, old.ID)); err != nil {
			return err
		}
		for kind, off := range ReminderOffsets {
			if err := rem.Delete(reminderKey(old.Start.Add(-off), old.ID, kind)); err != nil {
				return err
			}
		}
	}
	if e.Status == EventPublished {
		if err := idx.Put(startKey(e.Start, e.ID), nil); err != nil {
			return err
		}
		for kind, off := range ReminderOffsets {
			if due := e.Start.Add(-off); due.After(now) {
				if err := rem.Put(reminderKey(due, e.ID, kind), nil); err != nil {
					return err
				}
			}
		}
	}
	if err := putJSON(t.tx.Bucket(bucketEvents), u64(e.ID), e); err != nil {
		return fmt.Errorf("put event %d: %w", e.ID, err)
	}
	return nil
}

// UpcomingEvents returns published events not over by from — starting
// at or after it, or begun and still running (a fair of several days is
// listed until its end; an event without an end until the end of its
// start day in Vietnam) — in start order, skipping the first skip; it
// also returns how many there are.
func (t *Tx) UpcomingEvents(from time.Time, skip, limit int) ([]*Event, int, error) {
	c := t.tx.Bucket(bucketEventsStart).Cursor()
	var out []*Event
	n := 0
	seek := from.Add(-maxEventSpan)
	if seek.Unix() < 0 {
		seek = time.Unix(0, 0)
	}
	for k, _ := c.Seek(startKey(seek, 0)); k != nil; k, _ = c.Next() {
		begun := time.Unix(int64(binary.BigEndian.Uint64(k[:8])), 0).Before(from)
		want := n >= skip && len(out) < limit
		if !begun && !want {
			n++ // counted without being read
			continue
		}
		e, err := t.Event(binary.BigEndian.Uint64(k[8:]))
		if err != nil {
			return nil, 0, err
		}
		if begun && !from.Before(e.Ends()) {
			continue // begun and over
		}
		if want {
			out = append(out, e)
		}
		n++
	}
	return out, n, nil
}

// maxEventSpan is the longest an event is taken to run: one begun longer
// ago is not looked at.
const maxEventSpan = 31 * 24 * time.Hour

// Ends is when the event is over: its end, or without one the end of its
// start day in Vietnam.
func (e *Event) Ends() time.Time {
	if !e.End.IsZero() {
		return e.End
	}
	s := e.Start.In(vietnam)
	return time.Date(s.Year(), s.Month(), s.Day()+1, 0, 0, 0, 0, vietnam)
}

// HasRSVP reports whether a user will attend an event.
func (t *Tx) HasRSVP(event uint64, user int64) bool {
	return t.tx.Bucket(bucketRSVPs).Get(pairKey(event, user)) != nil
}

// ToggleRSVP adds or removes a user's RSVP and returns whether they now
// attend. The event's count is kept in step.
func (t *Tx) ToggleRSVP(event uint64, user int64, now time.Time) (bool, error) {
	e, err := t.Event(event)
	if err != nil {
		return false, err
	}
	b := t.tx.Bucket(bucketRSVPs)
	k := pairKey(event, user)
	going := b.Get(k) == nil
	if going {
		err = b.Put(k, i64(now.Unix()))
		e.RSVPs++
	} else {
		err = b.Delete(k)
		e.RSVPs--
	}
	if err != nil {
		return false, fmt.Errorf("rsvp: %w", err)
	}
	if err := putJSON(t.tx.Bucket(bucketEvents), u64(e.ID), e); err != nil {
		return false, err
	}
	return going, nil
}

// EachRSVP calls fn with the ID of every user who will attend an event.
func (t *Tx) EachRSVP(event uint64, fn func(user int64) error) error {
	c := t.tx.Bucket(bucketRSVPs).Cursor()
	prefix := u64(event)
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if err := fn(int64(binary.BigEndian.Uint64(k[8:]))); err != nil {
			return err
		}
	}
	return nil
}

// DueReminders lists reminders due at or before now, oldest first, at most
// limit of them.
func (t *Tx) DueReminders(now time.Time, limit int) []Reminder {
	var out []Reminder
	c := t.tx.Bucket(bucketReminders).Cursor()
	for k, _ := c.First(); k != nil && len(out) < limit; k, _ = c.Next() {
		if len(k) < 16 {
			continue
		}
		due := time.Unix(int64(binary.BigEndian.Uint64(k)), 0).UTC()
		if due.After(now) {
			break
		}
		out = append(out, Reminder{Due: due, Event: binary.BigEndian.Uint64(k[8:]), Kind: string(k[16:])})
	}
	return out
}

// TakeReminder deletes a reminder and reports whether it was still there:
// whoever takes it (in the transaction that records its sending) is the
// only one to send it.
func (t *Tx) TakeReminder(r Reminder) (bool, error) {
	b := t.tx.Bucket(bucketReminders)
	k := reminderKey(r.Due, r.Event, r.Kind)
	if b.Get(k) == nil {
		return false, nil
	}
	return true, b.Delete(k)
}

// Reminders lists every scheduled reminder (for inspection and tests).
func (s *Store) Reminders() []Reminder {
	var out []Reminder
	s.View(func(t *Tx) error {
		out = t.DueReminders(time.Unix(1<<62, 0), 1<<30)
		return nil
	})
	return out
}

// eachPrefix walks the keys of b starting with prefix.
func eachPrefix(b *bolt.Bucket, prefix []byte, fn func(k, v []byte) error) error {
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}
