package bot

import (
	"sync"
	"time"

	"github.com/qnstartup/trolykhoinghiep/search"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// CuratedAnswers are answers staff saved for reuse: a later question that
// matches a saved question closely gets the staff answer first.
type CuratedAnswers struct {
	st *store.Store

	mu      sync.Mutex
	ix      *search.Index
	answers map[uint64]*store.Curated
	stale   bool
}

// curatedMatch is the share of the question's weight a saved question must
// match.
const curatedMatch = 0.8

// NewCuratedAnswers reads saved answers from the store.
func NewCuratedAnswers(st *store.Store) *CuratedAnswers {
	return &CuratedAnswers{st: st, stale: true}
}

// Lookup returns the saved answer for a question, if one matches, and
// when it was saved (the day staff answered).
func (c *CuratedAnswers) Lookup(question string) (string, time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stale {
		list, err := c.st.CuratedAnswers()
		if err != nil {
			return "", time.Time{}, false
		}
		c.ix, c.answers = search.NewIndex(), map[uint64]*store.Curated{}
		for _, a := range list {
			c.ix.Add(a.ID, a.Question, "")
			c.answers[a.ID] = a
		}
		c.stale = false
	}
	hits := c.ix.Search(question, 1, nil)
	if len(hits) == 0 || hits[0].Coverage < curatedMatch {
		return "", time.Time{}, false
	}
	a := c.answers[hits[0].ID]
	return a.Answer, a.Created, true
}

// changed makes the next Lookup reread the store.
func (c *CuratedAnswers) changed() {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.stale = true
	c.mu.Unlock()
}
