package bot

import (
	"time"

	"github.com/qnstartup/trolykhoinghiep/store"
)

// Internals the external tests (package bot_test) reach.

const (
	JobCommitEvery = jobCommitEvery
	FloodBurst     = floodBurst
)

var (
	KeepSubscribed = keepSubscribed
	Pairs          = pairs
	EventByID      = eventByID
	CleanText      = cleanText
	CleanTitle     = cleanTitle
)

// SetExtraModules adds modules to the routing table.
func (o *Options) SetExtraModules(m []Module) { o.extraModules = m }

// SetOnHandled observes each update's handling time.
func (o *Options) SetOnHandled(f func(time.Duration)) { o.onHandled = f }

// SetJobBackoff replaces the job runner's backoff.
func (b *Bot) SetJobBackoff(f func(int) time.Duration) { b.jobs.backoff = f }

// SetJobCrash makes the job runner stop as if killed once sent(n) holds.
func (b *Bot) SetJobCrash(f func(sent int) bool) { b.jobs.crash = f }

// JobWorkers is the job runner's pool size.
func (b *Bot) JobWorkers() int { return b.jobs.workers }

// SyncIdeas builds the idea search index now (Run does it in the
// background).
func (b *Bot) SyncIdeas(st *store.Store) error {
	_, err := b.ideas.sync(st)
	return err
}

// Pending is the number of inbox items held in memory.
func (b *Bot) Pending() int { return b.sched.pending() }

var ParsePhone = parsePhone

// RepliesInFlight is how many outbox entries are claimed: being sent, or
// sent and not yet removed from the outbox.
func (b *Bot) RepliesInFlight() int {
	n := 0
	b.claimed.Range(func(any, any) bool { n++; return true })
	return n
}

// Prune runs the hourly pruning once.
func (b *Bot) Prune() { b.prune() }

// CapDay is the day number daily caps are counted under.
func CapDay(t time.Time) int64 { return capDay(t) }

// QuotaKeepDays is how many days of daily-cap counts pruning keeps.
const QuotaKeepDays = quotaKeepDays

// Claimed is how many outbox entries are being sent or await removal.
func (b *Bot) Claimed() int {
	n := 0
	b.claimed.Range(func(_, _ any) bool { n++; return true })
	return n
}
