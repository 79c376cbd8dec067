package store

import (
	"encoding/binary"
	"fmt"
	"time"
)

// Broadcast job statuses. Scheduled, running and paused jobs are active;
// cancelled and done are final.
const (
	JobScheduled = "scheduled"
	JobRunning   = "running"
	JobPaused    = "paused"
	JobCancelled = "cancelled"
	JobDone      = "done"
	// JobHeld waits for an admin's confirmation (a large audience); it is
	// not active until then.
	JobHeld = "held"
)

// Broadcast job kinds: an announcement written by staff, or a notice the
// bot sends to an event's RSVPs.
const (
	JobAnnounce       = "announce"
	JobReminder       = "reminder"
	JobEventChanged   = "event_changed"
	JobEventCancelled = "event_cancelled"
)

// Outcome is what happened to one recipient of a broadcast.
type Outcome byte

// Recipient outcomes.
const (
	OutPending Outcome = iota
	OutSent
	OutFailed
	OutBlocked // the user blocked the bot (now marked inactive)
	OutSkipped // unsubscribed or inactive by the time of sending
	// OutWindow: the channel lets the bot write only to users who wrote
	// recently (Zalo: 7 days); reached again once they write. Neither a
	// failure nor blocked.
	OutWindow
)

var outcomeNames = [...]string{"pending", "sent", "failed", "blocked", "skipped", "outside_window"}

func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return fmt.Sprintf("outcome(%d)", o)
}

var (
	bucketBroadcasts = []byte("broadcasts")
	bucketActiveJobs = []byte("broadcasts_active")
	bucketRecipients = []byte("recipients")
)

// Broadcast is a delivery job: one message to a list of recipients fixed
// when it is confirmed, sent in order. Cursor is the index below which
// every recipient has an outcome. Jobs and their recipients are kept after
// they finish, as the record of who sent what to whom and when. Key: ID
// (8-byte big-endian).
type Broadcast struct {
	ID       uint64   `json:"id"`
	Kind     string   `json:"kind"`
	Author   int64    `json:"author,omitempty"` // staff member; 0 for the bot's own notices
	Text     string   `json:"text,omitempty"`   // HTML, as the author wrote it
	Photo    string   `json:"photo,omitempty"`
	Audience Audience `json:"audience"`
	Event    uint64   `json:"event,omitempty"`  // for event notices
	Detail   string   `json:"detail,omitempty"` // reminder kind, or what changed
	Status   string   `json:"status"`

	Created     time.Time `json:"created"`
	ScheduledAt time.Time `json:"scheduled_at,omitzero"`
	Started     time.Time `json:"started,omitzero"`
	Finished    time.Time `json:"finished,omitzero"`

	Total   int `json:"total"`
	Cursor  int `json:"cursor"`
	Sent    int `json:"sent"`
	Failed  int `json:"failed"`
	Blocked int `json:"blocked"`
	Skipped int `json:"skipped"`
	// OutsideWindow counts recipients outside their channel's window.
	OutsideWindow int `json:"outside_window,omitempty"`

	// Repeated counts sends that may have gone out twice: a recipient
	// being sent to when the process died is sent to again on resuming.
	Repeated int `json:"repeated,omitempty"`
	// Sending holds, per worker slot, 1 + the index of the recipient being
	// sent to (0: none). It is committed before each send and cleared with
	// the outcome, so after a crash it names the sends that were in flight.
	Sending []int `json:"sending,omitempty"`

	// ProgressChat and ProgressMsg locate the author's progress message.
	// ProgressMsg is ProgressPending while the first notice is being sent:
	// after a crash then, it is not sent again.
	ProgressChat int64 `json:"progress_chat,omitempty"`
	ProgressMsg  int   `json:"progress_msg,omitempty"`
}

// ProgressPending marks a progress notice being sent (see ProgressMsg).
const ProgressPending = -1

// Delivered is how many messages went out: sends with the outcome sent,
// and those that may have gone twice after a crash.
func (j *Broadcast) Delivered() int { return j.Sent + j.Repeated }

// Active reports whether the job may still send.
func (j *Broadcast) Active() bool {
	return j.Status == JobScheduled || j.Status == JobRunning || j.Status == JobPaused
}

// Count adds one recipient's outcome to the job's counts.
func (j *Broadcast) Count(o Outcome) {
	switch o {
	case OutSent:
		j.Sent++
	case OutFailed:
		j.Failed++
	case OutBlocked:
		j.Blocked++
	case OutSkipped:
		j.Skipped++
	case OutWindow:
		j.OutsideWindow++
	}
}

// Done is how many recipients have an outcome.
func (j *Broadcast) Done() int { return j.Sent + j.Failed + j.Blocked + j.Skipped + j.OutsideWindow }

// Recipient is one entry of a job's recipient list. Key in "recipients":
// job ID (8 bytes) + index (4 bytes, big-endian); value: user ID (8 bytes)
// + outcome (1 byte) + time of the outcome (unix seconds, 8 bytes).
type Recipient struct {
	Index   int
	User    int64
	Outcome Outcome
	At      time.Time
}

func recipientKey(job uint64, i int) []byte {
	k := make([]byte, 12)
	binary.BigEndian.PutUint64(k, job)
	binary.BigEndian.PutUint32(k[8:], uint32(i))
	return k
}

func recipientValue(r Recipient) []byte {
	v := make([]byte, 17)
	binary.BigEndian.PutUint64(v, uint64(r.User))
	v[8] = byte(r.Outcome)
	if !r.At.IsZero() {
		binary.BigEndian.PutUint64(v[9:], uint64(r.At.Unix()))
	}
	return v
}

func decodeRecipient(k, v []byte) Recipient {
	r := Recipient{Index: int(binary.BigEndian.Uint32(k[8:])), User: int64(binary.BigEndian.Uint64(v))}
	if len(v) >= 9 {
		r.Outcome = Outcome(v[8])
	}
	if len(v) >= 17 {
		if s := int64(binary.BigEndian.Uint64(v[9:])); s != 0 {
			r.At = time.Unix(s, 0).UTC()
		}
	}
	return r
}

// EachInAudience calls fn for every user in the audience for whom keep
// returns true (nil keep: all), in user ID order.
func (t *Tx) EachInAudience(a Audience, keep func(*User) bool, fn func(*User) error) error {
	visit := func(u *User) error {
		if !a.Matches(u) || (keep != nil && !keep(u)) {
			return nil
		}
		return fn(u)
	}
	if a.Event != 0 {
		return t.EachRSVP(a.Event, func(id int64) error {
			u, err := t.User(id)
			if err != nil {
				return nil // an RSVP of a user record that is gone
			}
			return visit(u)
		})
	}
	return t.EachUser(visit)
}

// CountAudience counts the users EachInAudience would visit.
func (t *Tx) CountAudience(a Audience, keep func(*User) bool) (int, error) {
	n := 0
	err := t.EachInAudience(a, keep, func(*User) error { n++; return nil })
	return n, err
}

// CreateBroadcast stores a new job with its recipients: every user of the
// job's audience for whom keep returns true, fixed now.
func (t *Tx) CreateBroadcast(j *Broadcast, keep func(*User) bool) error {
	b := t.tx.Bucket(bucketBroadcasts)
	id, err := b.NextSequence()
	if err != nil {
		return fmt.Errorf("create broadcast: %w", err)
	}
	j.ID = id
	rb := t.tx.Bucket(bucketRecipients)
	n := 0
	err = t.EachInAudience(j.Audience, keep, func(u *User) error {
		err := rb.Put(recipientKey(id, n), recipientValue(Recipient{User: u.ID}))
		n++
		return err
	})
	if err != nil {
		return fmt.Errorf("create broadcast recipients: %w", err)
	}
	j.Total, j.Cursor = n, 0
	return t.PutBroadcast(j)
}

// Broadcast returns a job by ID.
func (t *Tx) Broadcast(id uint64) (*Broadcast, error) {
	var j Broadcast
	if err := getJSON(t.tx.Bucket(bucketBroadcasts), u64(id), &j); err != nil {
		return nil, fmt.Errorf("broadcast %d: %w", id, err)
	}
	return &j, nil
}

// PutBroadcast saves a job, keeping the index of active jobs in step.
func (t *Tx) PutBroadcast(j *Broadcast) error {
	if err := putJSON(t.tx.Bucket(bucketBroadcasts), u64(j.ID), j); err != nil {
		return fmt.Errorf("put broadcast %d: %w", j.ID, err)
	}
	act := t.tx.Bucket(bucketActiveJobs)
	if j.Active() {
		return act.Put(u64(j.ID), nil)
	}
	return act.Delete(u64(j.ID))
}

// ActiveBroadcasts lists scheduled, running and paused jobs in ID order.
func (t *Tx) ActiveBroadcasts() ([]*Broadcast, error) {
	var out []*Broadcast
	err := t.tx.Bucket(bucketActiveJobs).ForEach(func(k, _ []byte) error {
		j, err := t.Broadcast(binary.BigEndian.Uint64(k))
		if err != nil {
			return err
		}
		out = append(out, j)
		return nil
	})
	return out, err
}

// RecentBroadcasts lists the latest jobs of a kind ("" any), newest first.
func (t *Tx) RecentBroadcasts(kind string, limit int) ([]*Broadcast, error) {
	var out []*Broadcast
	c := t.tx.Bucket(bucketBroadcasts).Cursor()
	for k, v := c.Last(); k != nil && len(out) < limit; k, v = c.Prev() {
		var j Broadcast
		if err := jsonUnmarshal(v, &j); err != nil {
			return nil, fmt.Errorf("decode broadcast %x: %w", k, err)
		}
		if kind == "" || j.Kind == kind {
			out = append(out, &j)
		}
	}
	return out, nil
}

// Recipients returns up to n entries of a job's list from index from on.
func (t *Tx) Recipients(job uint64, from, n int) []Recipient {
	out := make([]Recipient, 0, n)
	c := t.tx.Bucket(bucketRecipients).Cursor()
	prefix := u64(job)
	for k, v := c.Seek(recipientKey(job, from)); k != nil && len(out) < n; k, v = c.Next() {
		if len(k) != 12 || string(k[:8]) != string(prefix) {
			break
		}
		out = append(out, decodeRecipient(k, v))
	}
	return out
}

// Recipient returns one entry of a job's list.
func (t *Tx) Recipient(job uint64, i int) (Recipient, bool) {
	k := recipientKey(job, i)
	v := t.tx.Bucket(bucketRecipients).Get(k)
	if v == nil {
		return Recipient{}, false
	}
	return decodeRecipient(k, v), true
}

// SetOutcomes records what happened to recipients of a job.
func (t *Tx) SetOutcomes(job uint64, rs []Recipient) error {
	b := t.tx.Bucket(bucketRecipients)
	for _, r := range rs {
		if v := b.Get(recipientKey(job, r.Index)); v != nil && decodeRecipient(recipientKey(job, r.Index), v).User == 0 {
			r.User = 0 // the user left (ForgetUser) while the message was on its way
		}
		if err := b.Put(recipientKey(job, r.Index), recipientValue(r)); err != nil {
			return fmt.Errorf("record outcome: %w", err)
		}
	}
	return nil
}

// EachRecipient calls fn for every recipient of a job, in order.
func (t *Tx) EachRecipient(job uint64, fn func(Recipient) error) error {
	return eachPrefix(t.tx.Bucket(bucketRecipients), u64(job), func(k, v []byte) error {
		if len(k) != 12 {
			return nil
		}
		return fn(decodeRecipient(k, v))
	})
}

// Broadcast returns a job by ID in its own transaction.
func (s *Store) Broadcast(id uint64) (*Broadcast, error) {
	var j *Broadcast
	err := s.View(func(t *Tx) error {
		var err error
		j, err = t.Broadcast(id)
		return err
	})
	return j, err
}
