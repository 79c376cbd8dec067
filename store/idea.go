package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/qnstartup/trolykhoinghiep/pii"
)

// The open idea bank.
//
// Buckets (all keys big-endian):
//
//	ideas               id(8) → Idea JSON
//	idea_by_author      authorID(8) id(8) → nil
//	idea_queue          created(8, unix ns) id(8) → nil: ideas waiting for staff, oldest first
//	idea_list           facet 0x00 order(1) sort(8) id(8) → nil: published public ideas.
//	                    facet is "" (all), "s=<sector>", "l=<locality>" or
//	                    "sl=<sector>/<locality>"; order 'n' sorts by publication
//	                    time, 't' by supporter count. The bucket's sequence is the
//	                    listing generation, bumped whenever an idea enters or
//	                    leaves the bank.
//	idea_support        id(8) userID(8) → 0x01, and idea_support_user userID(8) id(8) → 0x01
//	idea_follow         id(8) userID(8) → 0x01, and idea_follow_user userID(8) id(8) → 0x01
//	idea_changes        seq(8) → id(8): ideas whose searchable text or bank membership changed
//	idea_audit          seq(8) → AuditEntry JSON: every staff action
//	idea_collab         seq(8) → Collab JSON: "I want to collaborate" requests

var (
	bucketIdeas       = []byte("ideas")
	bucketIdeaAuthor  = []byte("idea_by_author")
	bucketIdeaQueue   = []byte("idea_queue")
	bucketIdeaList    = []byte("idea_list")
	bucketIdeaSupport = []byte("idea_support")
	bucketSupportUser = []byte("idea_support_user")
	bucketIdeaFollow  = []byte("idea_follow")
	bucketFollowUser  = []byte("idea_follow_user")
	bucketIdeaChanges = []byte("idea_changes")
	bucketIdeaAudit   = []byte("idea_audit")
	bucketIdeaCollab  = []byte("idea_collab")
)

func ideaBuckets() [][]byte {
	return [][]byte{
		bucketIdeas, bucketIdeaAuthor, bucketIdeaQueue, bucketIdeaList,
		bucketIdeaSupport, bucketSupportUser, bucketIdeaFollow, bucketFollowUser,
		bucketIdeaChanges, bucketIdeaAudit, bucketIdeaCollab,
	}
}

// Idea statuses. An idea starts submitted, is taken under review, may wait
// for more information from its author, and is then published, declined
// (always with a reason) or merged into a duplicate. A published idea may
// later be supported or connected to a programme, or not selected.
const (
	IdeaSubmitted = "submitted"
	IdeaReview    = "review"
	IdeaInfo      = "info" // staff asked the author for more information
	IdeaPublished = "published"
	IdeaSupported = "supported"
	IdeaProgramme = "programme"
	IdeaDeclined  = "declined"
	IdeaDuplicate = "duplicate"
	IdeaWithdrawn = "withdrawn"
)

// IdeaStatuses lists every status in lifecycle order.
var IdeaStatuses = []string{IdeaSubmitted, IdeaReview, IdeaInfo, IdeaPublished, IdeaSupported, IdeaProgramme, IdeaDeclined, IdeaDuplicate, IdeaWithdrawn}

// Idea limits.
const (
	MaxIdeaTitle       = 120
	MaxIdeaDescription = 3000
	MaxIdeaPhotos      = 5
)

// Idea is one submission to the idea bank. Key: ID.
type Idea struct {
	ID          uint64      `json:"id"`
	Code        string      `json:"code"`                  // "YT-000123"
	AuthorID    int64       `json:"author_id,omitempty"`   // 0 once the author deleted their data
	AuthorName  string      `json:"author_name,omitempty"` // display name at submission
	Title       string      `json:"title"`
	Description string      `json:"description"`
	Photos      []string    `json:"photos,omitempty"` // platform file IDs
	Voice       string      `json:"voice,omitempty"`
	Sector      string      `json:"sector"`
	Locality    string      `json:"locality"`
	AuthorKind  string      `json:"author_kind"`
	Phone       string      `json:"phone,omitempty"` // author and staff only
	Public      bool        `json:"public"`          // shown in the bank once published
	Consent     bool        `json:"consent"`         // the author agrees to be contacted
	Status      string      `json:"status"`
	Reason      string      `json:"reason,omitempty"` // why declined / not selected
	History     []IdeaEvent `json:"history,omitempty"`
	StaffNotes  []IdeaNote  `json:"staff_notes,omitempty"`
	Answers     []IdeaNote  `json:"answers,omitempty"` // official answers, shown to the author
	Supporters  int         `json:"supporters"`
	Followers   int         `json:"followers"`
	DuplicateOf uint64      `json:"duplicate_of,omitempty"`
	Anonymised  bool        `json:"anonymised,omitempty"`
	Created     time.Time   `json:"created"`
	Updated     time.Time   `json:"updated"`
	Published   time.Time   `json:"published,omitzero"`
}

// IdeaEvent is one line of an idea's history.
type IdeaEvent struct {
	At     time.Time `json:"at"`
	Actor  int64     `json:"actor"`
	Action string    `json:"action"` // submitted, edited, status:<status>, ask_info, info_reply, answer, duplicate, withdrawn, anonymised
	Note   string    `json:"note,omitempty"`
}

// IdeaNote is a staff note or an official answer.
type IdeaNote struct {
	At    time.Time `json:"at"`
	Actor int64     `json:"actor"`
	Name  string    `json:"name,omitempty"`
	Text  string    `json:"text"`
}

// IdeaCode formats an idea ID as its public code.
func IdeaCode(id uint64) string { return fmt.Sprintf("YT-%06d", id) }

// ParseIdeaCode reads "YT-000123", "yt123" or "123".
func ParseIdeaCode(s string) (uint64, bool) {
	b := []byte(s)
	for len(b) > 0 && (b[0] == ' ' || b[0] == '#') {
		b = b[1:]
	}
	if len(b) >= 2 && (b[0]|0x20) == 'y' && (b[1]|0x20) == 't' {
		b = b[2:]
		if len(b) > 0 && (b[0] == '-' || b[0] == ' ') {
			b = b[1:]
		}
	}
	b = bytes.TrimSpace(b)
	if len(b) == 0 || len(b) > 12 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, n > 0
}

// InBank reports whether the idea is listed in the public bank.
func (i *Idea) InBank() bool {
	if !i.Public {
		return false
	}
	switch i.Status {
	case IdeaPublished, IdeaSupported, IdeaProgramme:
		return true
	}
	return false
}

// InQueue reports whether the idea waits for staff.
func (i *Idea) InQueue() bool { return i.Status == IdeaSubmitted || i.Status == IdeaReview }

// Editable reports whether the author may still change the idea: before
// staff reviewed it, or while staff wait for more information.
func (i *Idea) Editable() bool { return i.Status == IdeaSubmitted || i.Status == IdeaInfo }

// Closed reports whether nothing more happens to the idea.
func (i *Idea) Closed() bool {
	return i.Status == IdeaWithdrawn || i.Status == IdeaDuplicate || i.Status == IdeaDeclined
}

// Log appends an event to the idea's history and sets Updated.
func (i *Idea) Log(at time.Time, actor int64, action, note string) {
	i.History = append(i.History, IdeaEvent{At: at, Actor: actor, Action: action, Note: note})
	i.Updated = at
}

// ErrIdeaLimit is returned by AddIdea when the author reached the daily limit.
var ErrIdeaLimit = errors.New("daily idea limit reached")

// AddIdea stores a new idea, assigning its ID and code.
func (t *Tx) AddIdea(i *Idea) error {
	b := t.tx.Bucket(bucketIdeas)
	id, err := b.NextSequence()
	if err != nil {
		return fmt.Errorf("add idea: %w", err)
	}
	i.ID, i.Code = id, IdeaCode(id)
	if i.Updated.IsZero() {
		i.Updated = i.Created
	}
	return t.PutIdea(i)
}

// Idea returns an idea by ID.
func (t *Tx) Idea(id uint64) (*Idea, error) {
	var i Idea
	if err := getJSON(t.tx.Bucket(bucketIdeas), u64(id), &i); err != nil {
		return nil, fmt.Errorf("idea %d: %w", id, err)
	}
	return &i, nil
}

// PutIdea saves an idea (which must have an ID) and keeps every index in
// step: author, review queue, bank listings and the search change log.
func (t *Tx) PutIdea(i *Idea) error {
	if i.ID == 0 {
		return errors.New("put idea: no ID")
	}
	b := t.tx.Bucket(bucketIdeas)
	var old *Idea
	if data := b.Get(u64(i.ID)); data != nil {
		old = new(Idea)
		if err := jsonUnmarshal(data, old); err != nil {
			return fmt.Errorf("put idea %d: decode old: %w", i.ID, err)
		}
	}
	if err := putJSON(b, u64(i.ID), i); err != nil {
		return fmt.Errorf("put idea %d: %w", i.ID, err)
	}
	return t.reindexIdea(old, i)
}

func (t *Tx) reindexIdea(old, i *Idea) error {
	// Author.
	au := t.tx.Bucket(bucketIdeaAuthor)
	if old != nil && old.AuthorID != 0 && old.AuthorID != i.AuthorID {
		if err := au.Delete(pair(uint64(old.AuthorID), old.ID)); err != nil {
			return err
		}
	}
	if i.AuthorID != 0 {
		if err := au.Put(pair(uint64(i.AuthorID), i.ID), nil); err != nil {
			return err
		}
	}
	// Review queue.
	q := t.tx.Bucket(bucketIdeaQueue)
	if old != nil && old.InQueue() {
		if err := q.Delete(pair(uint64(old.Created.UnixNano()), old.ID)); err != nil {
			return err
		}
	}
	if i.InQueue() {
		if err := q.Put(pair(uint64(i.Created.UnixNano()), i.ID), nil); err != nil {
			return err
		}
	}
	// Listings.
	l := t.tx.Bucket(bucketIdeaList)
	wasIn, isIn := old != nil && old.InBank(), i.InBank()
	if wasIn {
		for _, k := range listKeys(old) {
			if err := l.Delete(k); err != nil {
				return err
			}
		}
	}
	if isIn {
		for _, k := range listKeys(i) {
			if err := l.Put(k, nil); err != nil {
				return err
			}
		}
	}
	if wasIn != isIn {
		if _, err := l.NextSequence(); err != nil {
			return err
		}
	}
	if err := t.reindexPublic(old, i); err != nil {
		return err
	}
	// Search change log.
	if wasIn != isIn || (isIn && (old.Title != i.Title || old.Description != i.Description)) {
		ch := t.tx.Bucket(bucketIdeaChanges)
		seq, err := ch.NextSequence()
		if err != nil {
			return err
		}
		if err := ch.Put(u64(seq), u64(i.ID)); err != nil {
			return err
		}
	}
	return nil
}

// present is the value of index entries whose key says it all (bbolt
// returns nil for an empty value, indistinguishable from a missing key).
var present = []byte{1}

func pair(a, b uint64) []byte {
	k := make([]byte, 16)
	binary.BigEndian.PutUint64(k, a)
	binary.BigEndian.PutUint64(k[8:], b)
	return k
}

// Listing orders.
const (
	SortNewest    = "n"
	SortSupported = "t"
)

func facets(sector, locality string) []string {
	f := []string{""}
	if sector != "" {
		f = append(f, "s="+sector)
	}
	if locality != "" {
		f = append(f, "l="+locality)
	}
	if sector != "" && locality != "" {
		f = append(f, "sl="+sector+"/"+locality)
	}
	return f
}

func facet(sector, locality string) string {
	switch {
	case sector != "" && locality != "":
		return "sl=" + sector + "/" + locality
	case sector != "":
		return "s=" + sector
	case locality != "":
		return "l=" + locality
	}
	return ""
}

func listPrefix(facet, order string) []byte {
	p := make([]byte, 0, len(facet)+2+16)
	p = append(p, facet...)
	p = append(p, 0, order[0])
	return p
}

// listKeys are i's keys in the bank's lists by sector and locality.
func listKeys(i *Idea) [][]byte {
	return sortKeys(i, facets(i.Sector, i.Locality))
}

// ListQuery selects a page of the public bank.
type ListQuery struct {
	Sort     string // SortNewest (default) or SortSupported
	Sector   string // "" for all
	Locality string // "" for all
	Offset   int
	Limit    int
}

// IdeaPage returns one page of published public ideas, newest or most
// supported first, and whether more follow. It walks a sorted index and
// decodes only the ideas on the page.
func (t *Tx) IdeaPage(q ListQuery) ([]*Idea, bool, error) {
	if q.Sort != SortSupported {
		q.Sort = SortNewest
	}
	if q.Limit <= 0 {
		q.Limit = 10
	}
	prefix := listPrefix(facet(q.Sector, q.Locality), q.Sort)
	c := t.tx.Bucket(bucketIdeaList).Cursor()
	end := append(append([]byte{}, prefix...), bytes.Repeat([]byte{0xff}, 17)...)
	k, _ := c.Seek(end)
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	skipped := 0
	var ids []uint64
	for ; k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Prev() {
		if skipped < q.Offset {
			skipped++
			continue
		}
		if len(ids) == q.Limit {
			break
		}
		ids = append(ids, binary.BigEndian.Uint64(k[len(k)-8:]))
	}
	more := k != nil && bytes.HasPrefix(k, prefix)
	out := make([]*Idea, 0, len(ids))
	for _, id := range ids {
		i, err := t.Idea(id)
		if err != nil {
			return nil, false, err
		}
		out = append(out, i)
	}
	return out, more, nil
}

// ListGeneration changes whenever an idea enters or leaves the bank, so a
// page built earlier can be recognised as stale.
func (t *Tx) ListGeneration() uint64 { return t.tx.Bucket(bucketIdeaList).Sequence() }

// Queue returns ideas waiting for staff, oldest first.
func (t *Tx) Queue(offset, limit int) ([]*Idea, error) {
	c := t.tx.Bucket(bucketIdeaQueue).Cursor()
	var out []*Idea
	n := 0
	for k, _ := c.First(); k != nil && len(out) < limit; k, _ = c.Next() {
		if n < offset {
			n++
			continue
		}
		i, err := t.Idea(binary.BigEndian.Uint64(k[8:]))
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, nil
}

// QueueLen is how many ideas wait for staff.
func (t *Tx) QueueLen() int { return t.tx.Bucket(bucketIdeaQueue).Stats().KeyN }

// IdeasByAuthor lists an author's ideas, newest first.
func (t *Tx) IdeasByAuthor(author int64) ([]*Idea, error) {
	c := t.tx.Bucket(bucketIdeaAuthor).Cursor()
	prefix := u64(uint64(author))
	var out []*Idea
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		i, err := t.Idea(binary.BigEndian.Uint64(k[8:]))
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	slices.Reverse(out)
	return out, nil
}

// CountIdeasSince counts an author's ideas created at or after since.
func (t *Tx) CountIdeasSince(author int64, since time.Time) (int, error) {
	ideas, err := t.IdeasByAuthor(author)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, i := range ideas {
		if !i.Created.Before(since) {
			n++
		}
	}
	return n, nil
}

// EachIdea calls fn for every idea in ID order until fn returns an error.
func (t *Tx) EachIdea(fn func(*Idea) error) error { return eachRecord(t, bucketIdeas, "idea", fn) }

// CountIdeas is the number of ideas.
func (t *Tx) CountIdeas() int { return t.tx.Bucket(bucketIdeas).Stats().KeyN }

// IdeaChanges calls fn for each idea whose searchable text or bank
// membership changed after sequence number after, in order. It returns
// the last sequence number seen.
func (t *Tx) IdeaChanges(after uint64, fn func(id uint64) error) (uint64, error) {
	c := t.tx.Bucket(bucketIdeaChanges).Cursor()
	last := after
	for k, v := c.Seek(u64(after + 1)); k != nil; k, v = c.Next() {
		last = binary.BigEndian.Uint64(k)
		if err := fn(binary.BigEndian.Uint64(v)); err != nil {
			return last, err
		}
	}
	return last, nil
}

// PruneIdeaChanges deletes up to limit entries of the search change log
// numbered upTo or less (those every index has caught up with), oldest
// first, and returns how many.
func (t *Tx) PruneIdeaChanges(upTo uint64, limit int) (int, error) {
	return deleteWhere(t.tx.Bucket(bucketIdeaChanges), limit, func(k, _ []byte) bool { return binary.BigEndian.Uint64(k) <= upTo })
}

// IdeaChangeSeq is the last sequence number of the search change log.
func (t *Tx) IdeaChangeSeq() uint64 { return t.tx.Bucket(bucketIdeaChanges).Sequence() }

// Supports reports whether a user supports an idea.
func (t *Tx) Supports(ideaID uint64, user int64) bool {
	return t.tx.Bucket(bucketIdeaSupport).Get(pair(ideaID, uint64(user))) != nil
}

// Follows reports whether a user follows an idea.
func (t *Tx) Follows(ideaID uint64, user int64) bool {
	return t.tx.Bucket(bucketIdeaFollow).Get(pair(ideaID, uint64(user))) != nil
}

// SetSupport records or removes a user's support and returns the idea
// with its updated count. Setting what is already set changes nothing.
func (t *Tx) SetSupport(ideaID uint64, user int64, on bool) (*Idea, error) {
	return t.setMark(bucketIdeaSupport, bucketSupportUser, ideaID, user, on, func(i *Idea, d int) { i.Supporters += d })
}

// SetFollow records or removes a user following an idea.
func (t *Tx) SetFollow(ideaID uint64, user int64, on bool) (*Idea, error) {
	return t.setMark(bucketIdeaFollow, bucketFollowUser, ideaID, user, on, func(i *Idea, d int) { i.Followers += d })
}

func (t *Tx) setMark(byIdea, byUser []byte, ideaID uint64, user int64, on bool, count func(*Idea, int)) (*Idea, error) {
	i, err := t.Idea(ideaID)
	if err != nil {
		return nil, err
	}
	bi, bu := t.tx.Bucket(byIdea), t.tx.Bucket(byUser)
	k := pair(ideaID, uint64(user))
	was := bi.Get(k) != nil
	if was == on {
		return i, nil
	}
	if on {
		err = errors.Join(bi.Put(k, present), bu.Put(pair(uint64(user), ideaID), present))
		count(i, 1)
	} else {
		err = errors.Join(bi.Delete(k), bu.Delete(pair(uint64(user), ideaID)))
		count(i, -1)
	}
	if err != nil {
		return nil, err
	}
	return i, t.PutIdea(i)
}

// Followers lists the users following an idea.
func (t *Tx) Followers(ideaID uint64) []int64 {
	return marks(t.tx.Bucket(bucketIdeaFollow), ideaID)
}

// Supporters lists the users supporting an idea.
func (t *Tx) Supporters(ideaID uint64) []int64 {
	return marks(t.tx.Bucket(bucketIdeaSupport), ideaID)
}

func marks(b *bolt.Bucket, ideaID uint64) []int64 {
	prefix := u64(ideaID)
	var out []int64
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		out = append(out, int64(binary.BigEndian.Uint64(k[8:])))
	}
	return out
}

// MergeIdea moves the supporters and followers of a duplicate to the idea
// it duplicates (each user counted once) and returns the updated target.
func (t *Tx) MergeIdea(dup, into uint64) (*Idea, error) {
	if dup == into {
		return nil, errors.New("merge an idea into itself")
	}
	for _, u := range t.Supporters(dup) {
		if _, err := t.SetSupport(into, u, true); err != nil {
			return nil, err
		}
		if _, err := t.SetSupport(dup, u, false); err != nil {
			return nil, err
		}
	}
	for _, u := range t.Followers(dup) {
		if _, err := t.SetFollow(into, u, true); err != nil {
			return nil, err
		}
		if _, err := t.SetFollow(dup, u, false); err != nil {
			return nil, err
		}
	}
	return t.Idea(into)
}

// ForgetUser removes a user's personal data: from the idea bank the
// user's supports and follows, collaboration requests, and the author's
// name, phone and link to their ideas (public published ideas stay,
// anonymised, unless withdrawAll; every other idea of theirs is withdrawn
// and its content erased), and everything else (forgetElsewhere). It
// returns the ideas changed.
func (t *Tx) ForgetUser(user int64, withdrawAll bool, now time.Time) ([]*Idea, error) {
	for _, m := range []struct {
		byUser []byte
		set    func(uint64, int64, bool) (*Idea, error)
	}{{bucketSupportUser, t.SetSupport}, {bucketFollowUser, t.SetFollow}} {
		for _, id := range marks(t.tx.Bucket(m.byUser), uint64(user)) {
			if _, err := m.set(uint64(id), user, false); err != nil && !errors.Is(err, ErrNotFound) {
				return nil, err
			}
		}
	}
	ideas, err := t.IdeasByAuthor(user)
	if err != nil {
		return nil, err
	}
	for _, i := range ideas {
		keep := i.InBank() && !withdrawAll
		// A voice note is the author's own voice: it cannot be anonymised.
		i.AuthorID, i.AuthorName, i.Phone, i.Consent, i.Anonymised, i.Voice = 0, "", "", false, true, ""
		// What stays public keeps no phone number typed in it.
		i.Title, i.Description = pii.RedactPhones(i.Title, "[…]"), pii.RedactPhones(i.Description, "[…]")
		if !keep {
			if i.Status != IdeaDuplicate && i.Status != IdeaDeclined {
				i.Status = IdeaWithdrawn
			}
			i.Title, i.Description, i.Photos = "", "", nil
			i.Answers = nil
		}
		// What was done stays; what was said to or about the author (staff
		// questions and their replies, internal notes) goes with them.
		for n := range i.History {
			i.History[n].Note = ""
			if i.History[n].Actor == user {
				i.History[n].Actor = 0
			}
		}
		i.StaffNotes = nil
		i.Log(now, 0, "anonymised", "")
		if err := t.PutIdea(i); err != nil {
			return nil, err
		}
	}
	_, err = deleteWhere(t.tx.Bucket(bucketIdeaCollab), 0, func(_, v []byte) bool {
		var r Collab
		return jsonUnmarshal(v, &r) == nil && (r.From == user || r.Author == user)
	})
	if err != nil {
		return nil, err
	}
	mine := make(map[uint64]bool, len(ideas))
	for _, i := range ideas {
		mine[i.ID] = true
	}
	if err := t.forgetElsewhere(user, mine); err != nil {
		return nil, err
	}
	return ideas, nil
}

// AuditEntry records one staff action: who, what, when.
type AuditEntry struct {
	Seq    uint64    `json:"seq"`
	At     time.Time `json:"at"`
	Actor  int64     `json:"actor"`
	IdeaID uint64    `json:"idea_id,omitempty"`
	// Subject is the user acted upon (a role change), 0 for none.
	Subject int64  `json:"subject,omitempty"`
	Action  string `json:"action"`
	Note    string `json:"note,omitempty"`
}

// AddAudit appends to the audit log.
func (t *Tx) AddAudit(e AuditEntry) error {
	b := t.tx.Bucket(bucketIdeaAudit)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	e.Seq = seq
	return putJSON(b, u64(seq), e)
}

// Audit returns up to n audit entries, newest first; ideaID 0 means all.
func (t *Tx) Audit(ideaID uint64, n int) ([]AuditEntry, error) {
	c := t.tx.Bucket(bucketIdeaAudit).Cursor()
	var out []AuditEntry
	for k, v := c.Last(); k != nil && len(out) < n; k, v = c.Prev() {
		var e AuditEntry
		if err := jsonUnmarshal(v, &e); err != nil {
			return nil, fmt.Errorf("decode audit %x: %w", k, err)
		}
		if ideaID == 0 || e.IdeaID == ideaID {
			out = append(out, e)
		}
	}
	return out, nil
}

// Collab is a request to collaborate on an idea, passed to its author.
type Collab struct {
	ID     uint64    `json:"id"`
	IdeaID uint64    `json:"idea_id"`
	From   int64     `json:"from"`
	Author int64     `json:"author"`
	Note   string    `json:"note"`
	At     time.Time `json:"at"`
	Shared bool      `json:"shared,omitempty"` // the author shared their contact
}

// AddCollab stores a collaboration request, assigning its ID.
func (t *Tx) AddCollab(r *Collab) error {
	b := t.tx.Bucket(bucketIdeaCollab)
	id, err := b.NextSequence()
	if err != nil {
		return err
	}
	r.ID = id
	return putJSON(b, u64(id), r)
}

// Collab returns a collaboration request.
func (t *Tx) Collab(id uint64) (*Collab, error) {
	var r Collab
	if err := getJSON(t.tx.Bucket(bucketIdeaCollab), u64(id), &r); err != nil {
		return nil, fmt.Errorf("collab %d: %w", id, err)
	}
	return &r, nil
}

// PutCollab saves a collaboration request.
func (t *Tx) PutCollab(r *Collab) error { return putJSON(t.tx.Bucket(bucketIdeaCollab), u64(r.ID), r) }
