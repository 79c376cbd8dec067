package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/qnstartup/trolykhoinghiep/store"
)

// Accept takes updates from a channel and returns once each is durably
// received: only then may the channel tell the platform it has them. An
// update whose Key was received before is skipped (a redelivery). Accept
// gives each update the bot's IDs: the user (From.ID) and the chat
// (ChatID).
//
// Most updates take the fast path (admit): a message or button press from
// a known user in a private chat with nothing waiting goes straight to a
// worker, and its effects, replies and Key commit in one transaction, so
// the user's answer follows a single commit. The rest, and any fast update
// whose handler failed or did not start within fastWait, are committed to
// the inbox (ID is their inbox sequence) and handled from there.
func (b *Bot) Accept(ctx context.Context, ups []*Update) error {
	if len(ups) == 0 {
		return nil
	}
	fast, slow := b.admit(ups)
	err := b.acceptInbox(slow)
	if moved := b.awaitReceipts(fast); len(moved) > 0 {
		if merr := b.acceptInbox(moved); merr != nil {
			err = errors.Join(err, merr)
		}
	}
	return err
}

// acceptInbox commits updates to the inbox in one transaction.
func (b *Bot) acceptInbox(ups []*Update) error {
	if len(ups) == 0 {
		return nil
	}
	now := b.now()
	var added []*Update
	err := b.st.Batch(func(tx *store.Tx) error {
		added = added[:0]
		for _, u := range ups {
			if tx.SeenInbox(u.Key) {
				continue
			}
			if err := resolve(tx, u, tx.ResolveUser); err != nil {
				b.log.Warn("skip update with an invalid sender", "channel", u.Channel, "err", err)
				continue
			}
			payload, err := json.Marshal(u)
			if err != nil {
				return fmt.Errorf("encode update: %w", err)
			}
			seq, err := tx.AddInbox(u.Key, u.ChatID, payload, now)
			if err != nil {
				return err
			}
			u.ID = int64(seq)
			added = append(added, u)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("accept updates: %w", err)
	}
	b.sched.inflight.Add(int64(len(added)))
	b.sched.keep(added)
	b.met.accepted.Add(float64(len(added)))
	b.met.duplicates.Add(float64(len(ups) - len(added)))
	b.sched.wakeUp()
	return nil
}

// fastWait is how long Accept waits for the fast updates of a batch to be
// committed by their handlers; those not started by then are handled from
// the inbox instead, so a busy pool never holds up fetching for long.
const fastWait = 50 * time.Millisecond

// A receipt marks an update on the fast path. Its handler commits the
// update's Key with its effects (store.TakeInboxKey) and settles it; an
// update settled without that commit, or not settled in time, is
// committed to the inbox from a copy made before any worker saw it. The
// Key decides a race between the two: whichever commits it first handles
// the update, the other finds it taken and does nothing.
type receipt struct {
	state atomic.Int32 // receiptWaiting, receiptTaken (a worker runs it), receiptMoved
	// called: its commit, announced to the store with the batch's
	// (store.Expect), was made or withdrawn.
	called atomic.Bool
	done   chan struct{}
	ok     bool // committed by the handler; read after done is closed
	once   sync.Once
	orig   Update
}

const (
	receiptWaiting int32 = iota
	receiptTaken
	receiptMoved
)

func (r *receipt) settle(ok bool) {
	r.once.Do(func() {
		r.ok = ok
		close(r.done)
	})
}

// settle reports a fast update received (ok: its Key is committed, or it
// was dropped on purpose) or not (it goes to the inbox). Updates from the
// inbox have nothing to settle.
func (u *Update) settle(ok bool) {
	if u.rc != nil {
		u.rc.settle(ok)
	}
}

// firstCall reports whether this is the update's first commit (or its
// withdrawal) since admit announced it.
func (u *Update) firstCall() bool { return u.rc != nil && u.rc.called.CompareAndSwap(false, true) }

// fast reports whether the update is on the fast path.
func (u *Update) fast() bool { return u.rc != nil }

// admit puts on the fast path the updates that may skip the inbox: a
// message or button press in a private chat, from a sender already known
// (no ID to assign), the only update of its chat in the batch, not
// received before, whose chat has nothing waiting or running, while
// nothing in the inbox waits to be loaded (so every chat's order holds),
// in a batch no larger than the free workers (Accept waits only for
// handlers that start at once; under load the batch goes to the inbox in
// one commit). The rest are returned in their order.
func (b *Bot) admit(ups []*Update) (fast, slow []*Update) {
	if !b.sched.fits(len(ups)) {
		return nil, ups // busy: no read for nothing
	}
	per := make(map[string]int, len(ups))
	for _, u := range ups {
		if !u.Group {
			per[u.Channel+":"+u.From.Ref]++
		}
	}
	cand := make(map[*Update]bool, len(ups))
	err := b.st.View(func(tx *store.Tx) error {
		for _, u := range ups {
			if u.Group || (u.Kind != KindMessage && u.Kind != KindCallback) || u.Key == "" ||
				per[u.Channel+":"+u.From.Ref] != 1 || tx.SeenInbox(u.Key) {
				continue
			}
			if resolve(tx, u, tx.LookupUser) == nil {
				cand[u] = true
			}
		}
		return nil
	})
	if err != nil || len(cand) == 0 {
		return nil, ups
	}
	s := b.sched
	s.mu.Lock()
	if !s.fitsLocked(len(ups)) {
		s.mu.Unlock()
		return nil, ups
	}
	for _, u := range ups {
		_, busy := s.chats[u.ChatID]
		if !cand[u] || busy || s.stopped || s.loaded < s.last || s.held >= maxInMemory {
			slow = append(slow, u)
			continue
		}
		u.ID = 0
		u.rc = &receipt{done: make(chan struct{}), orig: *u}
		s.chats[u.ChatID] = []*Update{u}
		s.ready = append(s.ready, u.ChatID)
		s.held++
		s.inflight.Add(1)
		s.cond.Signal()
		fast = append(fast, u)
	}
	if len(fast) > 0 {
		// Their commits come within microseconds of each other: one
		// commit for all.
		b.st.Expect(len(fast))
	}
	s.mu.Unlock()
	return fast, slow
}

// fits reports whether n updates would start at once on free workers.
// A larger batch goes to the inbox whole, and fetching goes on at once.
func (s *scheduler) fits(n int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fitsLocked(n)
}

func (s *scheduler) fitsLocked(n int) bool { return n <= s.workers-s.running-len(s.ready) }

// awaitReceipts waits up to fastWait for the fast updates to settle and
// returns, as fresh copies, those to commit to the inbox: settled without
// their Key committed, or not settled in time (one not yet started is
// taken from its worker; one running races the inbox for its Key).
func (b *Bot) awaitReceipts(fast []*Update) (moved []*Update) {
	if len(fast) == 0 {
		return nil
	}
	t := time.NewTimer(fastWait)
	defer t.Stop()
	expired := false
	n := 0
	for _, u := range fast {
		r := u.rc
		if !expired {
			select {
			case <-r.done:
			case <-t.C:
				expired = true
			}
		}
		select {
		case <-r.done:
			if r.ok {
				n++
				continue
			}
		default:
			r.state.CompareAndSwap(receiptWaiting, receiptMoved)
		}
		cp := r.orig
		cp.rc = nil
		moved = append(moved, &cp)
	}
	b.met.accepted.Add(float64(n))
	b.met.fast.WithLabelValues("handled").Add(float64(n))
	b.met.fast.WithLabelValues("moved").Add(float64(len(moved)))
	return moved
}

// resolve gives an update the bot's IDs for its sender and chat, the
// sender's found (or assigned) by user; on an error u is unchanged.
func resolve(tx *store.Tx, u *Update, user func(channel, ref string) (int64, error)) error {
	id, err := user(u.Channel, u.From.Ref)
	if err != nil {
		return err
	}
	u.From.ID = id
	u.ChatID = id
	if u.Group {
		u.ChatID = groupChatID(u.Channel, u.ChatRef)
	}
	if u.Contact != nil && u.Channel != store.Telegram {
		// Other channels share only the sender's own number (Zalo's
		// request-user-info answer).
		u.Contact.UserID = id
	}
	if u.Forward != nil && u.Forward.Ref != "" {
		if fid, err := tx.LookupUser(u.Channel, u.Forward.Ref); err == nil {
			u.Forward.ID = fid
		}
	}
	return nil
}

// groupChatID is the bot's ID of a group chat: negative, so never a user's.
// Telegram group IDs are negative already.
func groupChatID(channel, ref string) int64 {
	if channel == store.Telegram {
		if id, err := strconv.ParseInt(ref, 10, 64); err == nil && id < 0 {
			return id
		}
	}
	h := fnv.New64a()
	h.Write([]byte(channel + ":" + ref))
	return -int64(h.Sum64()>>2) - 1
}

// scheduler takes work from the inbox: one chat's updates in order, chats
// at once on a fixed pool of workers, and a slow chat never holds up
// others. At most maxInMemory items are held in memory; the rest wait in
// the store.
type scheduler struct {
	b    *Bot
	ctx  context.Context
	wake chan struct{}

	mu      sync.Mutex
	cond    *sync.Cond
	chats   map[int64][]*Update // waiting, per chat; present while a chat has work or runs
	ready   []int64             // chats with work and no worker
	workers int                 // the pool's size
	running int                 // workers handling an update
	loaded  uint64              // highest inbox sequence taken into memory
	last    uint64              // highest inbox sequence committed
	held    int                 // updates in memory
	stopped bool
	wg      sync.WaitGroup

	// inflight counts updates accepted and not yet handled (or given up
	// on): Accept adds, the workers subtract; items left from before the
	// start are counted from the start, so WaitIdle waits for them too.
	inflight atomic.Int64
	idle     []chan struct{} // closed when inflight reaches 0

	fresh map[uint64]*Update // accepted here and not yet loaded (see keep)
}

const maxInMemory = 4096

func newScheduler(b *Bot) *scheduler {
	s := &scheduler{b: b, wake: make(chan struct{}, 1), chats: map[int64][]*Update{}}
	s.cond = sync.NewCond(&s.mu)
	s.inflight.Store(int64(b.st.InboxLen()))
	s.last = b.st.InboxLast()
	return s
}

// finished counts one update off and wakes those waiting for quiet.
func (s *scheduler) finished() {
	if s.inflight.Add(-1) > 0 {
		return
	}
	s.mu.Lock()
	w := s.idle
	s.idle = nil
	s.mu.Unlock()
	for _, c := range w {
		close(c)
	}
}

// WaitIdle waits until every update accepted so far has been handled and
// its replies delivered (or queued for redelivery), and the sent ones
// removed from the outbox, or until timeout; it reports whether that
// happened.
func (b *Bot) WaitIdle(timeout time.Duration) bool {
	if !b.waitIdle(timeout) {
		return false
	}
	return b.st.Flush() == nil
}

func (b *Bot) waitIdle(timeout time.Duration) bool {
	s := b.sched
	s.mu.Lock()
	if s.inflight.Load() <= 0 {
		s.mu.Unlock()
		return true
	}
	c := make(chan struct{})
	s.idle = append(s.idle, c)
	s.mu.Unlock()
	if s.inflight.Load() <= 0 {
		return true
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-c:
		return true
	case <-t.C:
		return false
	}
}

func (s *scheduler) wakeUp() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// run loads the inbox and handles it until ctx ends; the workers finish
// the update in hand (or abandon it uncommitted) before it returns.
func (s *scheduler) run(ctx context.Context, workers int) {
	s.ctx = ctx
	s.mu.Lock()
	s.workers = workers
	s.mu.Unlock()
	for range workers {
		s.wg.Add(1)
		go s.worker()
	}
	defer func() {
		s.mu.Lock()
		s.stopped = true
		s.cond.Broadcast()
		s.mu.Unlock()
		s.wg.Wait()
	}()
	for {
		n, err := s.load()
		if err != nil {
			s.b.log.Error("read inbox", "err", err)
		}
		if n > 0 {
			continue
		}
		wait := time.Minute
		if err != nil {
			wait = time.Second
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-s.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// load takes waiting items into memory, in inbox order.
func (s *scheduler) load() (int, error) {
	s.mu.Lock()
	room, after := maxInMemory-s.held, s.loaded
	s.mu.Unlock()
	if room <= 0 {
		return 0, nil
	}
	items, err := s.b.st.Inbox(after, min(room, 512))
	if err != nil || len(items) == 0 {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, it := range items {
		s.loaded = it.Seq
		u, ok := s.fresh[it.Seq]
		delete(s.fresh, it.Seq)
		if !ok {
			u = new(Update)
		}
		if err := decodeUnless(ok, it.Payload, u); err != nil {
			s.b.log.Error("drop undecodable inbox item", "seq", it.Seq, "err", err)
			s.b.doneLater(it.Seq)
			s.finished()
			continue
		}
		u.ID, u.ChatID = int64(it.Seq), it.ChatID
		q, known := s.chats[u.ChatID]
		s.chats[u.ChatID] = append(q, u)
		s.held++
		if !known {
			s.ready = append(s.ready, u.ChatID)
			s.cond.Signal()
		}
	}
	return len(items), nil
}

func (s *scheduler) worker() {
	defer s.wg.Done()
	for {
		s.mu.Lock()
		for len(s.ready) == 0 && !s.stopped {
			s.cond.Wait()
		}
		if s.stopped {
			s.mu.Unlock()
			return
		}
		chat := s.ready[0]
		s.ready = s.ready[1:]
		u := s.chats[chat][0]
		s.running++
		s.mu.Unlock()

		// An update not finished (abandoned at shutdown, or the store
		// kept failing) stays in the inbox for the next start; the chat's
		// later updates go on. A fast update Accept has moved to the inbox
		// is handled from there.
		if !u.fast() || u.rc.state.CompareAndSwap(receiptWaiting, receiptTaken) {
			s.handle(u)
		} else if u.firstCall() {
			s.b.st.Unexpect() // moved to the inbox: no commit of its own
		}

		s.mu.Lock()
		s.running--
		q := s.chats[chat][1:]
		s.held--
		if len(q) == 0 {
			delete(s.chats, chat)
		} else {
			s.chats[chat] = q
			s.ready = append(s.ready, chat)
			s.cond.Signal()
		}
		full := s.held == maxInMemory-1
		s.mu.Unlock()
		s.finished() // after the chat is free again, for WaitIdle
		if full {
			s.wakeUp() // room again: load more
		}
		if s.ctx.Err() != nil {
			return
		}
	}
}

// handle runs one update, retrying with backoff while the store fails.
// An update it gives up on (or abandons at shutdown) stays in the inbox and
// is handled after the next start.
func (s *scheduler) handle(u *Update) {
	for n := 0; ; n++ {
		err := s.b.Handle(s.ctx, u)
		if err == nil || errors.Is(err, errAbandoned) {
			return
		}
		if u.fast() {
			// Not received: Accept commits it to the inbox, and it is
			// handled again from there.
			s.b.log.Warn("handle update, retried from the inbox", "key", u.Key, "err", err)
			return
		}
		s.b.log.Error("handle update", "update_id", u.ID, "attempt", n+1, "err", err)
		if n == 4 {
			return
		}
		t := time.NewTimer(Backoff(n))
		select {
		case <-s.ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// keep holds updates just accepted in this process, so loading them
// does not decode what the channel has already built; at most
// maxInMemory are kept, and none the loader has passed already.
func (s *scheduler) keep(ups []*Update) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fresh == nil {
		s.fresh = map[uint64]*Update{}
	}
	for _, u := range ups {
		seq := uint64(u.ID)
		s.last = max(s.last, seq)
		if seq > s.loaded && len(s.fresh) < maxInMemory {
			s.fresh[seq] = u
		}
	}
}

func decodeUnless(have bool, payload []byte, u *Update) error {
	if have {
		return nil
	}
	return json.Unmarshal(payload, u)
}

// pending is the number of updates in memory (benchmarks, tests).
func (s *scheduler) pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.held
}

// errAbandoned reports an update left unhandled because the bot is
// stopping: it stays in the inbox and is handled after the next start.
var errAbandoned = errors.New("abandoned at shutdown")
