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

// Accept commits updates from a channel to the durable inbox, in one
// transaction, and returns once they are committed: only then may the
// channel tell the platform it has them. An update whose Key was accepted
// before is skipped (a redelivery). Accept assigns each update the bot's
// IDs: the inbox sequence (ID), the user (From.ID) and the chat (ChatID).
func (b *Bot) Accept(ctx context.Context, ups []*Update) error {
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
			if err := resolve(tx, u); err != nil {
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

// resolve gives an update the bot's IDs for its sender and chat.
func resolve(tx *store.Tx, u *Update) error {
	id, err := tx.ResolveUser(u.Channel, u.From.Ref)
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
	loaded  uint64              // highest inbox sequence taken into memory
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
// its replies delivered (or queued for redelivery), or until timeout; it
// reports whether that happened.
func (b *Bot) WaitIdle(timeout time.Duration) bool {
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
		s.b.flushDelivered() // what the workers sent while stopping
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
		s.mu.Unlock()

		// An update not finished (abandoned at shutdown, or the store
		// kept failing) stays in the inbox for the next start; the chat's
		// later updates go on.
		s.handle(u)
		s.finished()

		s.mu.Lock()
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
		if seq := uint64(u.ID); seq > s.loaded && len(s.fresh) < maxInMemory {
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
