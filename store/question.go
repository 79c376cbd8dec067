package store

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"time"
)

// Question statuses.
const (
	QuestionPending       = "pending"        // a model-written answer is being prepared
	QuestionAnswered      = "answered"       // the bot answered (or refused)
	QuestionForwarded     = "forwarded"      // the asker sent it to staff
	QuestionStaffAnswered = "staff_answered" // staff answered it
	QuestionClosed        = "closed"         // staff closed it without an answer (see Question.Closed)
)

// Reasons staff close a forwarded question without answering it.
const (
	CloseAnswered = "answered"  // the bot's answer already covers it
	CloseOffTopic = "off_topic" // outside startup support
)

// Question is a policy question asked in the chat and what the bot did with
// it. Key: ID from NextSequence.
type Question struct {
	ID          uint64    `json:"id"`
	UserID      int64     `json:"user_id"`
	Text        string    `json:"text"`
	Asked       string    `json:"asked,omitempty"` // the user's own words when Text is a suggested follow-up they picked
	Lang        string    `json:"lang"`
	Answer      string    `json:"answer,omitempty"` // as sent (plain text)
	Refused     bool      `json:"refused,omitempty"`
	Reason      string    `json:"reason,omitempty"`
	Mode        string    `json:"mode,omitempty"`
	Docs        []string  `json:"docs,omitempty"`
	Followups   []string  `json:"followups,omitempty"`
	Vote        int       `json:"vote,omitempty"` // +1 helpful, -1 not helpful
	Status      string    `json:"status"`
	StaffAnswer string    `json:"staff_answer,omitempty"`
	StaffID     int64     `json:"staff_id,omitempty"`
	Closed      string    `json:"closed,omitempty"` // CloseAnswered or CloseOffTopic when Status is QuestionClosed
	Created     time.Time `json:"created"`
	Answered    time.Time `json:"answered,omitempty"`
}

// Curated is an answer saved by staff, given first to later questions that
// match its question. Key: ID from NextSequence.
type Curated struct {
	ID       uint64    `json:"id"`
	Question string    `json:"question"`
	Answer   string    `json:"answer"`
	StaffID  int64     `json:"staff_id"`
	Created  time.Time `json:"created"`
	// QuestionID and Asker name the question the answer was saved from
	// (deleted with the asker's data).
	QuestionID uint64 `json:"question_id,omitempty"`
	Asker      int64  `json:"asker,omitempty"`
}

var (
	bucketQuestions = []byte("questions")
	bucketOpenQs    = []byte("questions_open")
	bucketPendingQs = []byte("questions_pending")
	bucketCurated   = []byte("curated")
	bucketKBDocs    = []byte("kb_docs")
	bucketVectors   = []byte("vectors")
	bucketLLMUsage  = []byte("llm_usage")
)

func questionBuckets() [][]byte {
	return [][]byte{bucketQuestions, bucketOpenQs, bucketPendingQs, bucketCurated, bucketKBDocs, bucketVectors, bucketLLMUsage}
}

// AddQuestion stores a new question and sets its ID.
func (t *Tx) AddQuestion(q *Question) error {
	b := t.tx.Bucket(bucketQuestions)
	id, err := b.NextSequence()
	if err != nil {
		return err
	}
	q.ID = id
	return t.PutQuestion(q)
}

// Question returns a question by ID.
func (t *Tx) Question(id uint64) (*Question, error) {
	var q Question
	if err := getJSON(t.tx.Bucket(bucketQuestions), u64(id), &q); err != nil {
		return nil, fmt.Errorf("question %d: %w", id, err)
	}
	return &q, nil
}

// PutQuestion saves a question and keeps the index of questions waiting
// for staff.
func (t *Tx) PutQuestion(q *Question) error {
	if err := putJSON(t.tx.Bucket(bucketQuestions), u64(q.ID), q); err != nil {
		return fmt.Errorf("put question %d: %w", q.ID, err)
	}
	for _, idx := range []struct {
		bucket []byte
		status string
	}{{bucketOpenQs, QuestionForwarded}, {bucketPendingQs, QuestionPending}} {
		b := t.tx.Bucket(idx.bucket)
		var err error
		if q.Status == idx.status {
			err = b.Put(u64(q.ID), nil)
		} else {
			err = b.Delete(u64(q.ID))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// PendingQuestions lists questions waiting for a model-written answer,
// oldest first.
func (s *Store) PendingQuestions(limit int) ([]*Question, error) {
	var out []*Question
	err := s.View(func(t *Tx) error {
		c := t.tx.Bucket(bucketPendingQs).Cursor()
		for k, _ := c.First(); k != nil && len(out) < limit; k, _ = c.Next() {
			q, err := t.Question(binary.BigEndian.Uint64(k))
			if err != nil {
				return err
			}
			out = append(out, q)
		}
		return nil
	})
	return out, err
}

// OpenQuestions lists questions waiting for staff, oldest first.
func (s *Store) OpenQuestions(limit int) ([]*Question, int, error) {
	var out []*Question
	total := 0
	err := s.View(func(t *Tx) error {
		total = t.tx.Bucket(bucketOpenQs).Stats().KeyN
		c := t.tx.Bucket(bucketOpenQs).Cursor()
		for k, _ := c.First(); k != nil && len(out) < limit; k, _ = c.Next() {
			q, err := t.Question(binary.BigEndian.Uint64(k))
			if err != nil {
				return err
			}
			out = append(out, q)
		}
		return nil
	})
	return out, total, err
}

// QuestionStats counts questions: all, refused, helpful and unhelpful votes.
func (s *Store) QuestionStats() (total, refused, up, down int, err error) {
	err = s.View(func(t *Tx) error {
		return t.tx.Bucket(bucketQuestions).ForEach(func(k, v []byte) error {
			var q Question
			if err := jsonUnmarshal(v, &q); err != nil {
				return err
			}
			total++
			if q.Refused {
				refused++
			}
			switch {
			case q.Vote > 0:
				up++
			case q.Vote < 0:
				down++
			}
			return nil
		})
	})
	return
}

// AddCurated saves a staff answer for reuse. One saved from a question
// already saved replaces it (a second press of "save" adds nothing).
func (t *Tx) AddCurated(c *Curated) error {
	b := t.tx.Bucket(bucketCurated)
	if c.QuestionID != 0 {
		cur := b.Cursor()
		for k, v := cur.First(); k != nil; k, v = cur.Next() {
			var old Curated
			if err := jsonUnmarshal(v, &old); err == nil && old.QuestionID == c.QuestionID {
				c.ID = old.ID
				return putJSON(b, slices.Clone(k), c)
			}
		}
	}
	id, err := b.NextSequence()
	if err != nil {
		return err
	}
	c.ID = id
	return putJSON(b, u64(id), c)
}

// CuratedAnswers lists every saved staff answer.
func (s *Store) CuratedAnswers() ([]*Curated, error) {
	var out []*Curated
	err := s.View(func(t *Tx) error {
		return t.tx.Bucket(bucketCurated).ForEach(func(k, v []byte) error {
			var c Curated
			if err := jsonUnmarshal(v, &c); err != nil {
				return err
			}
			out = append(out, &c)
			return nil
		})
	})
	return out, err
}

// PutKBDoc keeps a knowledge-base document uploaded by staff (by file name).
func (t *Tx) PutKBDoc(name string, markdown []byte) error {
	return t.tx.Bucket(bucketKBDocs).Put([]byte(name), markdown)
}

// KBDocs returns the uploaded knowledge-base documents, by file name.
func (s *Store) KBDocs() (map[string][]byte, error) {
	out := map[string][]byte{}
	err := s.View(func(t *Tx) error {
		return t.tx.Bucket(bucketKBDocs).ForEach(func(k, v []byte) error {
			out[string(k)] = append([]byte(nil), v...)
			return nil
		})
	})
	return out, err
}

// GetVector returns a cached embedding.
func (s *Store) GetVector(key string) ([]float32, bool) {
	var v []float32
	s.View(func(t *Tx) error {
		raw := t.tx.Bucket(bucketVectors).Get([]byte(key))
		if raw == nil || len(raw)%4 != 0 {
			return nil
		}
		v = make([]float32, len(raw)/4)
		for i := range v {
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[i*4:]))
		}
		return nil
	})
	return v, v != nil
}

// PutVector caches an embedding.
func (s *Store) PutVector(key string, v []float32) error {
	raw := make([]byte, 4*len(v))
	for i, f := range v {
		binary.LittleEndian.PutUint32(raw[i*4:], math.Float32bits(f))
	}
	return s.Batch(func(t *Tx) error { return t.tx.Bucket(bucketVectors).Put([]byte(key), raw) })
}

func usageKey(userID int64, day time.Time) []byte {
	k := make([]byte, 16)
	binary.BigEndian.PutUint64(k, uint64(userID))
	binary.BigEndian.PutUint64(k[8:], uint64(day.Unix()/86400))
	return k
}

// LLMUsed is how many model-written answers a user has reserved (queued
// or received) on a day.
func (t *Tx) LLMUsed(userID int64, day time.Time) int {
	v := t.tx.Bucket(bucketLLMUsage).Get(usageKey(userID, day))
	if v == nil {
		return 0
	}
	return int(binary.BigEndian.Uint64(v))
}

// CountLLM adds n (negative to give a reservation back) to the
// model-written answers of a user's day, never below zero.
func (t *Tx) CountLLM(userID int64, day time.Time, n int) error {
	return t.tx.Bucket(bucketLLMUsage).Put(usageKey(userID, day), u64(uint64(max(t.LLMUsed(userID, day)+n, 0))))
}
