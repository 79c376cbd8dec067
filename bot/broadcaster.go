package bot

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/qnstartup/trolykhoinghiep/store"
)

// The job runner delivers broadcast jobs (announcements and event notices)
// from the store. Every send takes a token from one global limiter, a chat
// gets at most one message a second, a 429 pauses all sending for its
// retry_after, a 403 marks the user inactive, and 5xx or network errors are
// retried with backoff before the recipient is recorded as failed.
//
// Each worker slot commits the recipient it is about to send to, and the
// outcome right after the send, before it takes the next one (concurrent
// slots share commits). After a crash a job resumes at its cursor,
// skipping recipients that already have an outcome: only the sends that
// were in flight can go twice, and they are counted as repeated in the
// report. The cursor advances in small batches.

const (
	jobChunk        = 256                    // recipients read from the store at once
	jobCommitEvery  = 20                     // outcomes per commit at most
	jobCommitPeriod = 200 * time.Millisecond // longest wait before a commit
	jobProgressGap  = 2 * time.Second        // between progress edits
	jobAttempts     = 3                      // sends of a recipient on 5xx/network errors
	chatGap         = time.Second            // between two messages to one chat
)

type jobRunner struct {
	b       *Bot
	lim     *rate.Limiter
	workers int
	wake    chan struct{}
	backoff func(n int) time.Duration

	mu         sync.Mutex
	pauseUntil time.Time
	lastSend   map[int64]time.Time
	running    map[uint64]chan struct{}
	// partial: how far a recipient left pending part way got (the OA out
	// of quota after an announcement's photo, say), so the job's next run
	// goes on from there.
	partial map[[2]uint64]progress

	// crash, if set, is asked before each commit how many messages have been
	// sent in this run; true abandons the job without committing, as a crash
	// would.
	crash func(sent int) bool
}

func newJobRunner(b *Bot) *jobRunner {
	r := b.opt.Features.BroadcastRate
	if r <= 0 {
		r = 25
	}
	w := b.opt.Features.BroadcastWorkers
	if w <= 0 {
		// Each slot waits for two commits per send: enough slots that
		// the commits, shared, keep up with the rate.
		w = max(8, min(64, int(r/20)))
	}
	return &jobRunner{
		b: b, lim: rate.NewLimiter(rate.Limit(r), max(1, int(r/50))), workers: w,
		wake: make(chan struct{}, 1), backoff: Backoff,
		lastSend: map[int64]time.Time{}, running: map[uint64]chan struct{}{},
	}
}

// Wake asks the runner to look for jobs now.
func (r *jobRunner) Wake() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// loop is the runner's Background: it starts due jobs every second and
// whenever woken.
func (r *jobRunner) loop(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		r.startDue(ctx)
		select {
		case <-ctx.Done():
			r.mu.Lock()
			waits := make([]chan struct{}, 0, len(r.running))
			for _, ch := range r.running {
				waits = append(waits, ch)
			}
			r.mu.Unlock()
			for _, ch := range waits {
				<-ch
			}
			return
		case <-t.C:
		case <-r.wake:
		}
	}
}

// RunJobs starts every due job and waits until each has finished, paused
// or been cancelled. Tests and tools use it instead of the background loop.
func (b *Bot) RunJobs(ctx context.Context) {
	r := b.jobs
	r.startDue(ctx)
	for {
		r.mu.Lock()
		var ch chan struct{}
		for _, c := range r.running {
			ch = c
			break
		}
		r.mu.Unlock()
		if ch == nil {
			return
		}
		<-ch
	}
}

// startDue starts scheduled jobs whose time has come and running jobs that
// no goroutine is working on (after a restart).
func (r *jobRunner) startDue(ctx context.Context) {
	if ctx.Err() != nil {
		return
	}
	now := r.b.now()
	var due []uint64
	err := r.b.st.Update(func(tx *store.Tx) error {
		due = due[:0]
		jobs, err := tx.ActiveBroadcasts()
		if err != nil {
			return err
		}
		for _, j := range jobs {
			if j.Status == store.JobScheduled && !j.ScheduledAt.After(now) {
				j.Status = store.JobRunning
				if err := tx.PutBroadcast(j); err != nil {
					return err
				}
			}
			if j.Status == store.JobRunning {
				due = append(due, j.ID)
			}
		}
		return nil
	})
	if err != nil {
		r.b.log.Error("list broadcast jobs", "err", err)
		return
	}
	for _, id := range due {
		r.mu.Lock()
		if _, busy := r.running[id]; busy {
			r.mu.Unlock()
			continue
		}
		done := make(chan struct{})
		r.running[id] = done
		r.mu.Unlock()
		go func() {
			defer func() {
				r.mu.Lock()
				delete(r.running, id)
				r.mu.Unlock()
				close(done)
			}()
			if err := r.run(ctx, id); err != nil {
				r.b.log.Error("broadcast job", "job_id", id, "err", err)
			}
		}()
	}
}

// item is one recipient handed to a worker.
type item struct {
	Index int
	User  int64
	Lang  string
	// Channel and To are where the user is reached, read with the user.
	Channel, To string
}

// result is a worker's (or the reader's) verdict on one recipient; a
// pending outcome means "not decided" (the job stopped first).
type result struct {
	store.Recipient
	known    bool // the outcome was recorded by an earlier run
	sent     bool // a message went out in this run
	recorded bool // the worker committed the outcome
}

// jobRun is the state of one job being delivered.
type jobRun struct {
	r       *jobRunner
	id      uint64 // job ID and kind, fixed for the run
	kind    string
	job     *store.Broadcast // latest committed state (collector only)
	author  *store.User
	replies map[string]Reply // by language
	started time.Time
	startN  int // outcomes recorded before this run
	sentRun int // messages sent in this run
	lastBar time.Time
	sends   atomic.Int64 // messages sent in this run, counted by the workers
	crashed atomic.Bool  // the crash hook fired: commit nothing more
	stop    context.CancelFunc
	down    sync.Once // channelDown, once a run
}

// channelDown pauses the job because a channel refuses every message for
// now (a Zalo OA out of quota, say), and tells the author why; they resume
// it once the channel is fixed.
func (jr *jobRun) channelDown(channel string, cause error) {
	jr.down.Do(func() {
		b := jr.r.b
		b.log.Error("broadcast paused: the channel refuses to send", "job_id", jr.id, "channel", channel, "err", cause)
		err := b.Commit(func(tx *store.Tx) ([]Reply, error) {
			j, err := tx.Broadcast(jr.id)
			if err != nil {
				return nil, err
			}
			if j.Status != store.JobRunning {
				return nil, nil
			}
			j.Status = store.JobPaused
			if err := tx.PutBroadcast(j); err != nil {
				return nil, err
			}
			if jr.author == nil {
				return nil, nil
			}
			loc := b.i18n.For(jr.author.Lang)
			return []Reply{{ChatID: jr.author.ID, Text: loc.T("broadcast.channel_down", map[string]any{"ID": j.ID, "Channel": loc.T("channel.name_" + channel)}),
				Buttons: progressButtons(loc, j)}}, nil
		})
		if err != nil {
			b.log.Error("pause broadcast", "job_id", jr.id, "err", err)
		}
	})
}

func (r *jobRunner) run(ctx context.Context, id uint64) error {
	j, err := r.b.st.Broadcast(id)
	if err != nil {
		return err
	}
	if j.Status != store.JobRunning {
		return nil
	}
	jr := &jobRun{r: r, id: j.ID, kind: j.Kind, job: j, started: time.Now(), startN: j.Done()}
	if err := jr.prepare(); err != nil {
		return err
	}
	if err := jr.resume(); err != nil {
		return err
	}
	jr.progress(true)

	jobCtx, stop := context.WithCancel(ctx)
	defer stop()
	jr.stop = stop
	work := make(chan item)
	results := make(chan result, r.workers*2)
	var wg sync.WaitGroup
	for slot := range r.workers {
		wg.Go(func() {
			for it := range work {
				ok, gone := jr.sending(slot, it)
				if gone {
					// Unsubscribed, blocked or left since the chunk was read.
					res := result{Recipient: store.Recipient{Index: it.Index, User: it.User, Outcome: store.OutSkipped, At: r.b.now()}}
					res.recorded = jr.record(slot, res)
					results <- res
					continue
				}
				if !ok {
					results <- result{Recipient: store.Recipient{Index: it.Index, User: it.User}} // pending
					continue
				}
				res := jr.deliver(jobCtx, it)
				if res.sent {
					jr.sends.Add(1)
				}
				if res.Outcome != store.OutPending {
					res.recorded = jr.record(slot, res)
				}
				results <- res
			}
		})
	}
	from := j.Cursor
	go func() {
		jr.read(jobCtx, from, work, results)
		close(work)
		wg.Wait()
		close(results)
	}()

	// Collect outcomes in order of arrival, commit them in batches and
	// advance the cursor over the completed prefix.
	cursor := j.Cursor
	finished := map[int]bool{}
	var batch []store.Recipient
	var blocked []int64
	tick := time.NewTicker(jobCommitPeriod)
	defer tick.Stop()
	crashed := false
	commit := func() error {
		if crashed || jr.crashed.Load() {
			crashed = true
			return nil
		}
		if r.crash != nil && r.crash(jr.sentRun) {
			crashed = true
			jr.crashed.Store(true)
			stop()
			return nil
		}
		for finished[cursor] {
			delete(finished, cursor)
			cursor++
		}
		if len(batch) == 0 && cursor == jr.job.Cursor {
			return nil
		}
		st, err := jr.commit(batch, blocked, cursor)
		batch, blocked = batch[:0], blocked[:0]
		if err != nil {
			return err
		}
		if st != store.JobRunning {
			stop()
		}
		jr.progress(false)
		return nil
	}
	var cerr error
	for open := true; open; {
		select {
		case res, ok := <-results:
			if !ok {
				open = false
				break
			}
			if res.Outcome == store.OutPending {
				continue
			}
			finished[res.Index] = true
			if res.sent {
				jr.sentRun++
			}
			if !res.known && !res.recorded {
				batch = append(batch, res.Recipient)
				if res.Outcome == store.OutBlocked {
					blocked = append(blocked, res.User)
				}
			}
			if len(batch) >= jobCommitEvery {
				if err := commit(); err != nil && cerr == nil {
					cerr = err
					stop()
				}
			}
		case <-tick.C:
			if err := commit(); err != nil && cerr == nil {
				cerr = err
				stop()
			}
		}
	}
	if err := commit(); err != nil && cerr == nil {
		cerr = err
	}
	if crashed || jr.crashed.Load() {
		return nil
	}
	if cerr == nil && jr.job.Status == store.JobRunning && jr.job.Cursor >= jr.job.Total {
		// Everything has an outcome but the job was not marked done (all
		// recipients were known from an earlier run).
		_, cerr = jr.commit(nil, nil, jr.job.Total)
	}
	jr.progress(true)
	return cerr
}

// resume counts the sends that were in flight when an earlier run stopped
// (their recipients still pending: they are sent again) and clears them.
func (jr *jobRun) resume() error {
	if len(jr.job.Sending) == 0 {
		return nil
	}
	var job *store.Broadcast
	err := jr.r.b.st.Update(func(tx *store.Tx) error {
		j, err := tx.Broadcast(jr.id)
		if err != nil {
			return err
		}
		for _, s := range j.Sending {
			if s == 0 {
				continue
			}
			if rc, ok := tx.Recipient(j.ID, s-1); ok && rc.Outcome == store.OutPending {
				j.Repeated++
			}
		}
		j.Sending = nil
		job = j
		return tx.PutBroadcast(j)
	})
	if err != nil {
		return fmt.Errorf("resume broadcast %d: %w", jr.id, err)
	}
	jr.job = job
	return nil
}

// crash asks the test hook whether the process dies now.
func (jr *jobRun) crash() bool {
	if jr.crashed.Load() {
		return true
	}
	if c := jr.r.crash; c != nil && c(int(jr.sends.Load())) {
		jr.crashed.Store(true)
		jr.stop()
		return true
	}
	return false
}

// sending commits that slot is about to send to recipient it; ok false
// means do not send (the job stopped, or the commit failed), gone that the
// recipient unsubscribed, blocked the bot or left since their chunk was
// read (they are skipped).
func (jr *jobRun) sending(slot int, it item) (ok, gone bool) {
	if jr.crash() {
		return false, false
	}
	err := jr.r.b.st.Batch(func(tx *store.Tx) error {
		gone = false
		j, err := tx.Broadcast(jr.id)
		if err != nil {
			return err
		}
		if j.Status != store.JobRunning {
			return errJobStopped
		}
		// The chunk was read a while ago: whoever unsubscribed, blocked
		// the bot or deleted their data since then is not sent to.
		if u, err := tx.User(it.User); err != nil || u.Inactive || (jr.kind == store.JobAnnounce && !u.Subscribed) {
			gone = true
			return nil
		}
		for len(j.Sending) <= slot {
			j.Sending = append(j.Sending, 0)
		}
		j.Sending[slot] = it.Index + 1
		return tx.PutBroadcast(j)
	})
	if err != nil {
		if !errors.Is(err, errJobStopped) {
			jr.r.b.log.Error("record broadcast send", "job_id", jr.id, "err", err)
		}
		jr.stop()
		return false, false
	}
	return !gone, gone
}

var errJobStopped = errors.New("job no longer running")

// record commits one recipient's outcome and frees the slot; false leaves
// the outcome to the collector's next commit.
func (jr *jobRun) record(slot int, res result) bool {
	if jr.crash() {
		return true // dead: nothing is committed, by anyone
	}
	b := jr.r.b
	now := b.now()
	err := b.st.Batch(func(tx *store.Tx) error {
		j, err := tx.Broadcast(jr.id)
		if err != nil {
			return err
		}
		if err := tx.SetOutcomes(j.ID, []store.Recipient{res.Recipient}); err != nil {
			return err
		}
		j.Count(res.Outcome)
		if res.Outcome == store.OutBlocked {
			if u, err := tx.User(res.User); err == nil {
				u.Inactive = true
				if err := tx.PutUser(u); err != nil {
					return err
				}
			}
		}
		if slot < len(j.Sending) {
			j.Sending[slot] = 0
		}
		if j.Started.IsZero() {
			j.Started = now
		}
		return tx.PutBroadcast(j)
	})
	if err != nil {
		b.log.Error("record broadcast outcome", "job_id", jr.id, "err", err)
		return false
	}
	return true
}

// prepare renders the message for each language and loads the author.
func (jr *jobRun) prepare() error {
	b := jr.r.b
	j := jr.job
	jr.replies = map[string]Reply{}
	var ev *store.Event
	if j.Event != 0 && j.Kind != store.JobAnnounce {
		e, err := eventByID(b.st, j.Event)
		if err != nil {
			return err
		}
		ev = e
	}
	for _, lang := range []string{"vi", "en"} {
		loc := b.i18n.For(lang)
		switch j.Kind {
		case store.JobAnnounce:
			jr.replies[lang] = b.announcement(loc, j.ID, j.Text, j.Photo)
		default:
			jr.replies[lang] = b.eventNotice(loc, ev, j.Kind, j.Detail)
		}
	}
	if j.Author != 0 {
		if u, err := b.st.User(j.Author); err == nil {
			jr.author = u
		}
	}
	return nil
}

// read walks the recipients from the cursor in chunks, decides who is
// skipped, and hands the rest to the workers, paced by the limiter.
func (jr *jobRun) read(ctx context.Context, from int, work chan<- item, results chan<- result) {
	b := jr.r.b
	kind := jr.kind
	for ctx.Err() == nil {
		var chunk []result
		var who []item // the recipient's language and address, for pending ones
		err := b.st.View(func(tx *store.Tx) error {
			chunk, who = chunk[:0], who[:0]
			for _, rc := range tx.Recipients(jr.id, from, jobChunk) {
				res := result{Recipient: rc}
				var it item
				if rc.Outcome != store.OutPending {
					res.known = true
				} else if u, err := tx.User(rc.User); err != nil || u.Inactive || (kind == store.JobAnnounce && !u.Subscribed) {
					res.Outcome, res.At = store.OutSkipped, b.now()
				} else if !b.reach(u, b.now()).Reachable {
					res.Outcome, res.At = store.OutWindow, b.now()
				} else {
					it.Lang = u.Lang
					it.Channel, it.To = u.Address()
				}
				chunk = append(chunk, res)
				who = append(who, it)
			}
			return nil
		})
		if err != nil {
			b.log.Error("read recipients", "job_id", jr.id, "err", err)
			return
		}
		if len(chunk) == 0 {
			return
		}
		for i, res := range chunk {
			if res.Outcome != store.OutPending {
				select {
				case results <- res:
				case <-ctx.Done():
					return
				}
				continue
			}
			if err := jr.r.waitPause(ctx); err != nil {
				return
			}
			if err := jr.r.lim.Wait(ctx); err != nil {
				return
			}
			select {
			case work <- item{Index: res.Index, User: res.User, Lang: who[i].Lang, Channel: who[i].Channel, To: who[i].To}:
			case <-ctx.Done():
				return
			}
		}
		from = chunk[len(chunk)-1].Index + 1
	}
}

// takePartial returns and forgets how far a recipient's announcement got.
func (r *jobRunner) takePartial(job uint64, user int64) progress {
	r.mu.Lock()
	defer r.mu.Unlock()
	k := [2]uint64{job, uint64(user)}
	at := r.partial[k]
	delete(r.partial, k)
	return at
}

// putPartial keeps how far a recipient left pending got.
func (r *jobRunner) putPartial(job uint64, user int64, at progress) {
	if at == (progress{}) {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.partial == nil {
		r.partial = map[[2]uint64]progress{}
	}
	r.partial[[2]uint64{job, uint64(user)}] = at
}

// deliver sends one message, obeying the global pause and the per-chat
// gap, and classifies the outcome.
func (jr *jobRun) deliver(ctx context.Context, it item) result {
	r := jr.r
	res := result{Recipient: store.Recipient{Index: it.Index, User: it.User}}
	reply, ok := jr.replies[it.Lang]
	if !ok {
		reply = jr.replies["vi"]
	}
	reply.ChatID = it.User
	at := r.takePartial(jr.id, it.User) // how far a retry goes on from (long announcements, Zalo's parts)
	defer func() {
		if res.Outcome == store.OutPending {
			r.putPartial(jr.id, it.User, at)
		}
	}()
	for attempt := 0; ; {
		if r.waitPause(ctx) != nil || r.waitChat(ctx, it.User) != nil {
			return res // stopped: still pending
		}
		var err error
		_, at, err = r.b.sendVia(ctx, it.Channel, it.To, reply, at)
		r.markChat(it.User)
		res.At = r.b.now()
		if err == nil {
			res.Outcome, res.sent = store.OutSent, true
			return res
		}
		se, isSend := AsSendError(err)
		switch {
		case isSend && se.Code == 429:
			wait := se.RetryAfter
			if wait <= 0 {
				wait = time.Second
			}
			r.pause(wait)
			r.b.log.Warn("broadcast rate limited: pausing all sending", "job_id", jr.id, "retry_after", wait)
			continue
		case isSend && se.Blocked:
			res.Outcome = store.OutBlocked
			return res
		case isSend && se.OutsideWindow:
			res.Outcome = store.OutWindow
			return res
		case isSend && se.ChannelDown:
			// Nobody on that channel can be reached now: the recipient
			// stays pending, the job pauses and its author is told.
			jr.channelDown(it.Channel, err)
			return res
		case isSend && se.Temporary():
			attempt++
			if attempt >= jobAttempts {
				r.b.log.Warn("broadcast send failed", "job_id", jr.id, "chat_id", it.User, "err", err)
				res.Outcome = store.OutFailed
				return res
			}
			select {
			case <-ctx.Done():
				return res
			case <-time.After(r.backoff(attempt - 1)):
			}
		default:
			r.b.log.Warn("broadcast send refused", "job_id", jr.id, "chat_id", it.User, "err", err)
			res.Outcome = store.OutFailed
			return res
		}
	}
}

// commit records a batch of outcomes, the new cursor and the users found
// blocked; it returns the job's status as it is in the store (staff may
// have paused or cancelled it).
func (jr *jobRun) commit(batch []store.Recipient, blocked []int64, cursor int) (string, error) {
	b := jr.r.b
	now := b.now()
	var job *store.Broadcast
	err := b.st.Update(func(tx *store.Tx) error {
		j, err := tx.Broadcast(jr.job.ID)
		if err != nil {
			return err
		}
		if err := tx.SetOutcomes(j.ID, batch); err != nil {
			return err
		}
		for _, rc := range batch {
			j.Count(rc.Outcome)
		}
		for _, id := range blocked {
			u, err := tx.User(id)
			if err != nil {
				continue
			}
			u.Inactive = true
			if err := tx.PutUser(u); err != nil {
				return err
			}
		}
		if cursor > j.Cursor {
			j.Cursor = cursor
		}
		if j.Started.IsZero() {
			j.Started = now
		}
		if j.Cursor >= j.Total && j.Status == store.JobRunning {
			j.Status, j.Finished = store.JobDone, now
		}
		job = j
		return tx.PutBroadcast(j)
	})
	if err != nil {
		return "", fmt.Errorf("commit broadcast %d: %w", jr.job.ID, err)
	}
	jr.job = job
	return job.Status, nil
}

// progress edits the author's progress message (at most every few
// seconds unless force), sending it first if there is none yet.
func (jr *jobRun) progress(force bool) {
	j := jr.job
	if jr.author == nil || j.Kind != store.JobAnnounce {
		return
	}
	if !force && time.Since(jr.lastBar) < jobProgressGap {
		return
	}
	jr.lastBar = time.Now()
	b := jr.r.b
	loc := b.i18n.For(jr.author.Lang)
	speed := 0.0
	if el := time.Since(jr.started).Seconds(); el > 0 {
		speed = float64(j.Done()-jr.startN) / el
	}
	r := Reply{ChatID: jr.author.ID, Text: progressText(loc, j, speed), Buttons: progressButtons(loc, j)}
	if j.ProgressMsg == store.ProgressPending {
		// The first notice may have gone out before a crash: it is not
		// sent again, and the final report comes as a message of its own
		// (once: a finished job is not run again).
		if j.Status == store.JobDone || j.Status == store.JobCancelled {
			if _, err := b.sendTo(context.Background(), jr.author.ID, r); err != nil {
				b.log.Warn("send broadcast report", "job_id", j.ID, "err", err)
			}
		}
		return
	}
	if j.ProgressMsg != 0 {
		r.Edit = j.ProgressMsg
		_, err := b.sendTo(context.Background(), jr.author.ID, r)
		if se, ok := AsSendError(err); ok && se.Code == 429 {
			jr.r.pause(max(se.RetryAfter, time.Second))
		}
		if err != nil {
			b.log.Debug("edit broadcast progress", "job_id", j.ID, "err", err)
		}
		return
	}
	// Marked before the send, so a crash cannot send the notice twice.
	if err := jr.setProgress(store.ProgressPending); err != nil {
		b.log.Warn("save broadcast progress message", "job_id", j.ID, "err", err)
		return
	}
	j.ProgressChat, j.ProgressMsg = jr.author.ID, store.ProgressPending
	id, err := b.sendTo(context.Background(), jr.author.ID, r)
	if se, ok := AsSendError(err); ok && se.Code == 429 {
		jr.r.pause(max(se.RetryAfter, time.Second))
		jr.lastBar = time.Time{} // try again at the next commit
	}
	if err != nil {
		b.log.Warn("send broadcast progress", "job_id", j.ID, "err", err)
		if jr.setProgress(0) == nil { // not sent: the next progress tries again
			j.ProgressMsg = 0
		}
		return
	}
	if err := jr.setProgress(id); err != nil {
		b.log.Warn("save broadcast progress message", "job_id", j.ID, "err", err)
		return
	}
	j.ProgressChat, j.ProgressMsg = jr.author.ID, id
}

// setProgress records the author's progress message.
func (jr *jobRun) setProgress(msg int) error {
	return jr.r.b.st.Update(func(tx *store.Tx) error {
		cur, err := tx.Broadcast(jr.id)
		if err != nil {
			return err
		}
		cur.ProgressChat, cur.ProgressMsg = jr.author.ID, msg
		return tx.PutBroadcast(cur)
	})
}

// progressText is the progress or final report of a job.
func progressText(loc translator, j *store.Broadcast, speed float64) string {
	done := j.Done()
	counts := jobCounts(loc, j)
	switch j.Status {
	case store.JobDone:
		return loc.T("broadcast.report_done", map[string]any{"ID": j.ID, "Total": j.Total}) + "\n" + counts
	case store.JobCancelled:
		return loc.T("broadcast.report_cancelled", map[string]any{"ID": j.ID, "Done": done, "Total": j.Total}) + "\n" + counts
	case store.JobPaused:
		return loc.T("broadcast.report_paused", map[string]any{"ID": j.ID, "Done": done, "Total": j.Total}) + "\n" + progressBar(done, j.Total) + "\n" + counts
	}
	eta := "—"
	if speed > 0 {
		eta = formatDuration(time.Duration(float64(j.Total-done) / speed * float64(time.Second)))
	}
	return loc.T("broadcast.progress", map[string]any{
		"ID": j.ID, "Bar": progressBar(done, j.Total), "Done": done, "Total": j.Total,
		"Rate": fmt.Sprintf("%.1f", speed), "Left": eta,
	}) + "\n" + counts
}

type translator interface {
	T(string, ...map[string]any) string
}

func progressButtons(loc translator, j *store.Broadcast) [][]Button {
	id := fmt.Sprint(j.ID)
	switch j.Status {
	case store.JobRunning, store.JobScheduled:
		return [][]Button{{
			{Text: loc.T("broadcast.btn_pause"), Data: CB("bc", "pause", id)},
			{Text: loc.T("broadcast.btn_stop_job"), Data: CB("bc", "cancel", id)},
		}}
	case store.JobPaused:
		return [][]Button{{
			{Text: loc.T("broadcast.btn_resume"), Data: CB("bc", "resume", id)},
			{Text: loc.T("broadcast.btn_stop_job"), Data: CB("bc", "cancel", id)},
		}}
	}
	return nil
}

// progressBar draws done/total as ten cells and a percentage.
func progressBar(done, total int) string {
	pct := 100.0
	if total > 0 {
		pct = 100 * float64(done) / float64(total)
	}
	cells := int(math.Round(pct / 10))
	return strings.Repeat("▓", cells) + strings.Repeat("░", 10-cells) + fmt.Sprintf(" %d%%", int(pct))
}

func formatDuration(d time.Duration) string {
	d = d.Round(time.Second)
	if d < time.Minute {
		return fmt.Sprintf("%ds", int(d.Seconds()))
	}
	if d < time.Hour {
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}

// pause stops all sending for d (a 429's retry_after).
func (r *jobRunner) pause(d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if until := time.Now().Add(d); until.After(r.pauseUntil) {
		r.pauseUntil = until
	}
}

func (r *jobRunner) waitPause(ctx context.Context) error {
	for {
		r.mu.Lock()
		wait := time.Until(r.pauseUntil)
		r.mu.Unlock()
		if wait <= 0 {
			return ctx.Err()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

// waitChat waits until the chat's last message is at least chatGap old.
func (r *jobRunner) waitChat(ctx context.Context, chat int64) error {
	r.mu.Lock()
	wait := time.Until(r.lastSend[chat].Add(chatGap))
	r.mu.Unlock()
	if wait <= 0 {
		return ctx.Err()
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(wait):
		return nil
	}
}

// markChat records a send to a chat; entries older than the gap are
// forgotten once the map grows, so memory stays bounded.
func (r *jobRunner) markChat(chat int64) {
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lastSend[chat] = now
	if len(r.lastSend) > 4096 {
		for k, t := range r.lastSend {
			if now.Sub(t) > chatGap {
				delete(r.lastSend, k)
			}
		}
	}
}
