package store

import (
	"bytes"
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// forgetElsewhere is the part of ForgetUser outside the idea bank: it
// deletes or anonymises, in the caller's transaction, everything else that
// names the user — policy questions (their text may hold a phone number)
// and the staff answers saved from them, RSVPs (with the events' counts),
// their place in announcement recipient lists (the slot stays, with no
// one in it), daily counters, replies still queued to them, and their ID
// in audit entries, events and announcements they made as staff; the
// notes of audit entries about their ideas (ideas) go too. The
// user record itself is the caller's: the bot keeps a bare one (language,
// role) to keep talking to the chat.
func (t *Tx) forgetElsewhere(user int64, ideas map[uint64]bool) error {
	id := i64(user)
	// Policy questions, their indexes, and curated answers built on them.
	texts, ids := map[string]bool{}, map[uint64]bool{}
	qs := t.tx.Bucket(bucketQuestions)
	var gone [][]byte // deleted after each scan (scan.go)
	c := qs.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var q Question
		if err := jsonUnmarshal(v, &q); err != nil {
			return fmt.Errorf("decode question %x: %w", k, err)
		}
		if q.UserID == user {
			texts[q.Text], ids[q.ID] = true, true
			if err := t.tx.Bucket(bucketOpenQs).Delete(k); err != nil {
				return err
			}
			if err := t.tx.Bucket(bucketPendingQs).Delete(k); err != nil {
				return err
			}
			gone = append(gone, bytes.Clone(k))
			continue
		}
		if q.StaffID == user {
			q.StaffID = 0
			if err := putJSON(qs, k, &q); err != nil {
				return err
			}
		}
	}
	if err := deleteKeys(qs, &gone); err != nil {
		return err
	}
	cur := t.tx.Bucket(bucketCurated)
	c = cur.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var r Curated
		if err := jsonUnmarshal(v, &r); err != nil {
			return fmt.Errorf("decode curated %x: %w", k, err)
		}
		switch {
		case r.Asker == user || ids[r.QuestionID] || texts[r.Question]:
			gone = append(gone, bytes.Clone(k))
		case r.StaffID == user:
			r.StaffID = 0
			if err := putJSON(cur, k, &r); err != nil {
				return err
			}
		}
	}
	if err := deleteKeys(cur, &gone); err != nil {
		return err
	}
	// RSVPs: key event ID + user ID.
	rs := t.tx.Bucket(bucketRSVPs)
	c = rs.Cursor()
	var events []uint64
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if len(k) == 16 && bytes.Equal(k[8:], id) {
			events = append(events, binary.BigEndian.Uint64(k))
			gone = append(gone, bytes.Clone(k))
		}
	}
	if err := deleteKeys(rs, &gone); err != nil {
		return err
	}
	eb := t.tx.Bucket(bucketEvents)
	c = eb.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var e Event
		if err := jsonUnmarshal(v, &e); err != nil {
			return fmt.Errorf("decode event %x: %w", k, err)
		}
		changed := false
		for _, ev := range events {
			if ev == e.ID && e.RSVPs > 0 {
				e.RSVPs--
				changed = true
			}
		}
		if e.CreatedBy == user {
			e.CreatedBy, changed = 0, true
		}
		if changed {
			if err := putJSON(eb, k, &e); err != nil {
				return err
			}
		}
	}
	// Announcement recipients: value user ID (8) + outcome + time. The
	// slot keeps its index (job cursors count slots); a pending one is
	// skipped when reached, as the runner skips unknown users.
	rb := t.tx.Bucket(bucketRecipients)
	c = rb.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(v) >= 8 && bytes.Equal(v[:8], id) {
			nv := append([]byte(nil), v...)
			binary.BigEndian.PutUint64(nv, 0)
			if err := rb.Put(k, nv); err != nil {
				return err
			}
		}
	}
	bb := t.tx.Bucket(bucketBroadcasts)
	c = bb.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var j Broadcast
		if err := jsonUnmarshal(v, &j); err != nil {
			return fmt.Errorf("decode broadcast %x: %w", k, err)
		}
		if j.Author == user || j.ProgressChat == user {
			j.Author, j.ProgressChat, j.ProgressMsg = 0, 0, 0
			if err := putJSON(bb, k, &j); err != nil {
				return err
			}
		}
	}
	// Counters: model answers (user ID + day) and daily caps.
	lb := t.tx.Bucket(bucketLLMUsage)
	c = lb.Cursor()
	for k, _ := c.Seek(id); k != nil && bytes.HasPrefix(k, id); k, _ = c.Next() {
		gone = append(gone, bytes.Clone(k))
	}
	if err := deleteKeys(lb, &gone); err != nil {
		return err
	}
	if err := t.forgetQuota(user); err != nil {
		return err
	}
	// Replies not yet delivered to their chat.
	if _, err := deleteWhere(t.tx.Bucket(bucketOutbox), 0, func(_, v []byte) bool { return len(v) >= 8 && bytes.Equal(v[:8], id) }); err != nil {
		return err
	}
	// Audit entries keep what was done, not by or to whom, nor what was
	// said about the user's ideas.
	ab := t.tx.Bucket(bucketIdeaAudit)
	c = ab.Cursor()
	staff := false
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var e AuditEntry
		if err := jsonUnmarshal(v, &e); err != nil {
			return fmt.Errorf("decode audit %x: %w", k, err)
		}
		about := ideas[e.IdeaID] && e.Note != ""
		if e.Actor == user || e.Subject == user || about {
			if e.Actor == user {
				e.Actor, staff = 0, true
			}
			if e.Subject == user {
				e.Subject = 0
			}
			if about {
				e.Note = ""
			}
			if err := putJSON(ab, k, &e); err != nil {
				return err
			}
		}
	}
	if staff {
		// They acted as staff: their name and ID leave the notes, answers
		// and history of the ideas they handled; what they wrote stays.
		if err := t.forgetStaffMarks(user); err != nil {
			return err
		}
	}
	// The conversation state of their private chat.
	return t.tx.Bucket(bucketStates).Delete(id)
}

// forgetStaffMarks removes a staff member's ID and name from every idea's
// notes, answers and history.
func (t *Tx) forgetStaffMarks(user int64) error {
	var changed []*Idea
	err := t.EachIdea(func(i *Idea) error {
		hit := false
		for _, ns := range [][]IdeaNote{i.StaffNotes, i.Answers} {
			for n := range ns {
				if ns[n].Actor == user {
					ns[n].Actor, ns[n].Name, hit = 0, "", true
				}
			}
		}
		for n := range i.History {
			if i.History[n].Actor == user {
				i.History[n].Actor, hit = 0, true
			}
		}
		if hit {
			changed = append(changed, i)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, i := range changed {
		if err := t.PutIdea(i); err != nil {
			return err
		}
	}
	return nil
}

// Walk calls fn for every record of every bucket, nested buckets
// included (bucket is the path joined with "/"), in key order: for checks
// that must see everything the file holds, such as that deleted data is
// gone.
func (s *Store) Walk(fn func(bucket string, key, value []byte) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error { return walkBucket(string(name), b, fn) })
	})
}

func walkBucket(path string, b *bolt.Bucket, fn func(bucket string, key, value []byte) error) error {
	return b.ForEach(func(k, v []byte) error {
		if v == nil {
			if nb := b.Bucket(k); nb != nil {
				return walkBucket(path+"/"+string(k), nb, fn)
			}
		}
		return fn(path, k, v)
	})
}

// Buckets lists the top-level buckets of the file.
func (s *Store) Buckets() []string {
	var out []string
	s.db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			out = append(out, string(name))
			return nil
		})
	})
	return out
}
