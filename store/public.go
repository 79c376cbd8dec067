package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Read access for the public web site of the idea bank.
//
// Buckets (kept in step by PutIdea, in the same transaction):
//
//	idea_pub        facet 0x00 order(1) sort(8) id(8) → nil: published public
//	                ideas by status, the facets idea_list lacks: "t=<status>",
//	                "ts=<status>/<sector>", "tl=<status>/<locality>",
//	                "tsl=<status>/<sector>/<locality>"; orders as in idea_list
//	idea_pub_stats  counters (8-byte big-endian), absent when zero:
//	                "f" 0x00 facet → ideas in the bank under that facet (the
//	                facets of idea_list and of idea_pub); "sup" → supports of
//	                ideas in the bank; "m" 0x00 "YYYY-MM" → ideas in the bank
//	                by month of publication (Vietnam time); "a" 0x00 status →
//	                every idea by status, in or out of the bank
//
// Both are built from the ideas at Open when the database predates them
// (meta "pub_index").

var (
	bucketIdeaPub      = []byte("idea_pub")
	bucketIdeaPubStats = []byte("idea_pub_stats")
	metaPubIndex       = []byte("pub_index")
)

func publicBuckets() [][]byte { return [][]byte{bucketIdeaPub, bucketIdeaPubStats} }

// vietnam is the time zone months are counted in (UTC+7, no daylight saving).
var vietnam = time.FixedZone("ICT", 7*3600)

// BankStatuses are the statuses of ideas in the public bank.
var BankStatuses = []string{IdeaPublished, IdeaSupported, IdeaProgramme}

func statusFacets(status, sector, locality string) []string {
	f := []string{"t=" + status}
	if sector != "" {
		f = append(f, "ts="+status+"/"+sector)
	}
	if locality != "" {
		f = append(f, "tl="+status+"/"+locality)
	}
	if sector != "" && locality != "" {
		f = append(f, "tsl="+status+"/"+sector+"/"+locality)
	}
	return f
}

// pubFacet is the facet of a query and whether it lives in idea_pub (a
// status is set) rather than idea_list.
func pubFacet(sector, locality, status string) (string, bool) {
	if status == "" {
		return facet(sector, locality), false
	}
	switch {
	case sector != "" && locality != "":
		return "tsl=" + status + "/" + sector + "/" + locality, true
	case sector != "":
		return "ts=" + status + "/" + sector, true
	case locality != "":
		return "tl=" + status + "/" + locality, true
	}
	return "t=" + status, true
}

// sortKeys are i's list keys under each of facets, newest and most
// supported orders both: facet, order, value, ID.
func sortKeys(i *Idea, facets []string) [][]byte {
	pub := i.Published
	if pub.IsZero() {
		pub = i.Created
	}
	keys := make([][]byte, 0, 2*len(facets))
	for _, f := range facets {
		for _, o := range []struct {
			order string
			val   uint64
		}{{SortNewest, uint64(pub.UnixNano())}, {SortSupported, uint64(max(i.Supporters, 0))}} {
			k := listPrefix(f, o.order)
			k = binary.BigEndian.AppendUint64(k, o.val)
			k = binary.BigEndian.AppendUint64(k, i.ID)
			keys = append(keys, k)
		}
	}
	return keys
}

func counterKey(kind, name string) []byte {
	k := make([]byte, 0, len(kind)+1+len(name))
	k = append(k, kind...)
	if name != "" || kind == "f" {
		k = append(k, 0)
		k = append(k, name...)
	}
	return k
}

func addCounter(b *bolt.Bucket, key []byte, d int64) error {
	var n int64
	if v := b.Get(key); len(v) == 8 {
		n = int64(binary.BigEndian.Uint64(v))
	}
	n += d
	if n <= 0 {
		return b.Delete(key)
	}
	return b.Put(key, u64(uint64(n)))
}

func bankFacets(i *Idea) []string {
	return append(facets(i.Sector, i.Locality), statusFacets(i.Status, i.Sector, i.Locality)...)
}

func publishedMonth(i *Idea) string {
	pub := i.Published
	if pub.IsZero() {
		pub = i.Created
	}
	return pub.In(vietnam).Format("2006-01")
}

// bankCounters applies an idea in the bank to the counters with sign d.
func bankCounters(st *bolt.Bucket, i *Idea, d int64) error {
	for _, f := range bankFacets(i) {
		if err := addCounter(st, counterKey("f", f), d); err != nil {
			return err
		}
	}
	if err := addCounter(st, counterKey("sup", ""), d*int64(max(i.Supporters, 0))); err != nil {
		return err
	}
	return addCounter(st, counterKey("m", publishedMonth(i)), d)
}

// reindexPublic keeps idea_pub and idea_pub_stats in step with a change
// of an idea (old is nil for a new one).
func (t *Tx) reindexPublic(old, i *Idea) error {
	pub, st := t.tx.Bucket(bucketIdeaPub), t.tx.Bucket(bucketIdeaPubStats)
	if old == nil || old.Status != i.Status {
		if old != nil {
			if err := addCounter(st, counterKey("a", old.Status), -1); err != nil {
				return err
			}
		}
		if err := addCounter(st, counterKey("a", i.Status), 1); err != nil {
			return err
		}
	}
	wasIn, isIn := old != nil && old.InBank(), i.InBank()
	if wasIn && isIn && old.Status == i.Status && old.Sector == i.Sector && old.Locality == i.Locality &&
		old.Supporters == i.Supporters && old.Published.Equal(i.Published) && old.Created.Equal(i.Created) {
		return nil
	}
	if wasIn {
		for _, k := range sortKeys(old, statusFacets(old.Status, old.Sector, old.Locality)) {
			if err := pub.Delete(k); err != nil {
				return err
			}
		}
		if err := bankCounters(st, old, -1); err != nil {
			return err
		}
	}
	if isIn {
		for _, k := range sortKeys(i, statusFacets(i.Status, i.Sector, i.Locality)) {
			if err := pub.Put(k, nil); err != nil {
				return err
			}
		}
		if err := bankCounters(st, i, 1); err != nil {
			return err
		}
	}
	return nil
}

// initPublic builds the public index and counters from the ideas when the
// database predates them.
func initPublic(tx *bolt.Tx) error {
	meta := tx.Bucket(bucketMeta)
	if meta.Get(metaPubIndex) != nil {
		return nil
	}
	t := &Tx{tx: tx}
	for _, name := range publicBuckets() {
		if err := tx.DeleteBucket(name); err != nil {
			return fmt.Errorf("reset %s: %w", name, err)
		}
		if _, err := tx.CreateBucket(name); err != nil {
			return fmt.Errorf("create %s: %w", name, err)
		}
	}
	err := t.EachIdea(func(i *Idea) error { return t.reindexPublic(nil, i) })
	if err != nil {
		return fmt.Errorf("build public index: %w", err)
	}
	return meta.Put(metaPubIndex, present)
}

// PublicQuery selects published public ideas for the web site. Filters
// combine; "" means any.
type PublicQuery struct {
	Sector   string
	Locality string
	Status   string // one of BankStatuses or ""
	Sort     string // SortNewest (default) or SortSupported
}

// prefix is the query's key prefix and the bucket holding it.
func (q PublicQuery) prefix() ([]byte, []byte) {
	f, inPub := pubFacet(q.Sector, q.Locality, q.Status)
	order := q.Sort
	if order != SortSupported {
		order = SortNewest
	}
	if inPub {
		return listPrefix(f, order), bucketIdeaPub
	}
	return listPrefix(f, order), bucketIdeaList
}

// PublicIDs calls fn with the ID and sort value (publication time in unix
// nanoseconds, or supporter count) of every idea the query selects, in its
// order (newest or most supported first; ascending when asc), until fn
// returns false. It decodes no idea.
func (t *Tx) PublicIDs(q PublicQuery, asc bool, fn func(id, sort uint64) bool) {
	prefix, bucket := q.prefix()
	c := t.tx.Bucket(bucket).Cursor()
	var k []byte
	if asc {
		k, _ = c.Seek(prefix)
	} else {
		end := append(append([]byte{}, prefix...), bytes.Repeat([]byte{0xff}, 17)...)
		if k, _ = c.Seek(end); k == nil {
			k, _ = c.Last()
		} else {
			k, _ = c.Prev()
		}
	}
	for ; k != nil && bytes.HasPrefix(k, prefix); k = step(c, asc) {
		if len(k) != len(prefix)+16 {
			continue
		}
		if !fn(binary.BigEndian.Uint64(k[len(k)-8:]), binary.BigEndian.Uint64(k[len(k)-16:])) {
			return
		}
	}
}

func step(c *bolt.Cursor, asc bool) []byte {
	if asc {
		k, _ := c.Next()
		return k
	}
	k, _ := c.Prev()
	return k
}

// PublicPage returns up to limit ideas the query selects after skipping
// offset, decoding only those.
func (t *Tx) PublicPage(q PublicQuery, offset, limit int) ([]*Idea, error) {
	if limit <= 0 {
		return nil, nil
	}
	return t.PublicIdeas(t.PublicPageIDs(q, offset, limit))
}

// PublicPageIDs are the IDs of up to limit ideas the query selects after
// skipping offset, in the query's order.
func (t *Tx) PublicPageIDs(q PublicQuery, offset, limit int) []uint64 {
	if limit <= 0 {
		return nil
	}
	var ids []uint64
	n := 0
	t.PublicIDs(q, false, func(id, _ uint64) bool {
		if n >= offset {
			ids = append(ids, id)
		}
		n++
		return len(ids) < limit
	})
	return ids
}

// PublicIdeas decodes the given ideas, leaving out any not in the bank.
func (t *Tx) PublicIdeas(ids []uint64) ([]*Idea, error) {
	out := make([]*Idea, 0, len(ids))
	for _, id := range ids {
		i, err := t.Idea(id)
		if err != nil {
			return nil, err
		}
		if i.InBank() {
			out = append(out, i)
		}
	}
	return out, nil
}

// PublicCount is how many ideas the query selects (its Sort is ignored).
func (t *Tx) PublicCount(q PublicQuery) int {
	f, _ := pubFacet(q.Sector, q.Locality, q.Status)
	return t.counter(counterKey("f", f))
}

func (t *Tx) counter(k []byte) int {
	if v := t.tx.Bucket(bucketIdeaPubStats).Get(k); len(v) == 8 {
		return int(binary.BigEndian.Uint64(v))
	}
	return 0
}

// PublicStats are aggregate figures of the idea bank: counts only, never
// a person.
type PublicStats struct {
	Ideas      int            // in the bank
	Supports   int            // supports of ideas in the bank
	BySector   map[string]int // in the bank, by sector code
	ByLocality map[string]int // in the bank, by locality code
	ByStatus   map[string]int // in the bank, by status
	ByMonth    map[string]int // in the bank, by month of publication "YYYY-MM" (Vietnam time)
	All        map[string]int // every idea ever submitted, by status
}

// PublicStats reads the counters.
func (t *Tx) PublicStats() PublicStats {
	s := PublicStats{
		BySector: map[string]int{}, ByLocality: map[string]int{}, ByStatus: map[string]int{},
		ByMonth: map[string]int{}, All: map[string]int{},
	}
	c := t.tx.Bucket(bucketIdeaPubStats).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(v) != 8 {
			continue
		}
		n := int(binary.BigEndian.Uint64(v))
		kind, name, _ := strings.Cut(string(k), "\x00")
		switch kind {
		case "sup":
			s.Supports = n
		case "m":
			s.ByMonth[name] = n
		case "a":
			s.All[name] = n
		case "f":
			switch p, rest, _ := strings.Cut(name, "="); p {
			case "":
				s.Ideas = n
			case "s":
				s.BySector[rest] = n
			case "l":
				s.ByLocality[rest] = n
			case "t":
				s.ByStatus[rest] = n
			}
		}
	}
	return s
}

// IdeaCard is the part of an idea a public listing shows, decoded without
// the idea's history, notes and answers.
type IdeaCard struct {
	ID          uint64    `json:"id"`
	Code        string    `json:"code"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Sector      string    `json:"sector"`
	Locality    string    `json:"locality"`
	AuthorKind  string    `json:"author_kind"`
	Public      bool      `json:"public"`
	Status      string    `json:"status"`
	Supporters  int       `json:"supporters"`
	Created     time.Time `json:"created"`
	Published   time.Time `json:"published,omitzero"`
}

// InBank is Idea.InBank for a card.
func (c *IdeaCard) InBank() bool {
	i := Idea{Public: c.Public, Status: c.Status}
	return i.InBank()
}

// PublicCards decodes the cards of the given ideas, leaving out any not
// in the bank.
func (t *Tx) PublicCards(ids []uint64) ([]*IdeaCard, error) {
	b := t.tx.Bucket(bucketIdeas)
	out := make([]*IdeaCard, 0, len(ids))
	for _, id := range ids {
		var c IdeaCard
		if err := getJSON(b, u64(id), &c); err != nil {
			return nil, fmt.Errorf("idea %d: %w", id, err)
		}
		if c.InBank() {
			out = append(out, &c)
		}
	}
	return out, nil
}
