package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/qnstartup/trolykhoinghiep/store"
)

// queued is a committed reply, its destination and its outbox sequence
// number.
type queued struct {
	seq uint64
	env envelope
}

// deliver sends committed replies in order. Sent ones are removed from the
// outbox by the next commit (putDelivered: within store.SoonDelay); one
// that fails temporarily stays queued for Redeliver.
//
// A reply is claimed by whoever sends it, and the claim is held until its
// removal from the outbox is committed (or released when sending failed
// and it stays queued), so Redeliver never sends it a second time.
func (b *Bot) deliver(items []queued) {
	// Claim them all before sending the first, so a concurrent Redeliver
	// cannot take a later one while an earlier one is being sent.
	mine := make([]bool, len(items))
	for i, it := range items {
		mine[i] = b.claim(it.seq) // false: Redeliver has it
	}
	var done []uint64
	for i, it := range items {
		if !mine[i] {
			continue
		}
		if !b.sendClaimed(b.sendCtx(), it.seq, it.env) {
			// Kept for redelivery: leave the later replies queued behind
			// it, so the user gets them in order.
			for j := i + 1; j < len(items); j++ {
				if mine[j] {
					b.release([]uint64{items[j].seq})
				}
			}
			break
		}
		done = append(done, it.seq)
	}
	b.putDelivered(done)
}

func (b *Bot) claim(seq uint64) bool {
	_, busy := b.claimed.LoadOrStore(seq, struct{}{})
	return !busy
}

func (b *Bot) release(seqs []uint64) {
	for _, s := range seqs {
		b.claimed.Delete(s)
	}
}

// putDelivered removes sent replies from the outbox with the next commit
// (store.Soon: within SoonDelay), so a crash repeats only replies on the
// wire; their claims are held until then.
func (b *Bot) putDelivered(seqs []uint64) {
	if len(seqs) == 0 {
		return
	}
	b.soon("clear outbox", func(tx *store.Tx) error { return tx.DeleteOutbox(seqs) }, func() { b.release(seqs) })
}

// soon commits fn with the next commit (store.Soon). While the store
// fails it tries again a second later; done runs once fn is committed, or
// when the store is closing (what fn removes is then found again at the
// next start).
func (b *Bot) soon(what string, fn func(*store.Tx) error, done func()) {
	b.st.Soon(fn, func(err error) {
		if err != nil && !errors.Is(err, store.ErrClosed) {
			b.log.Error(what, "err", err)
			time.AfterFunc(time.Second, func() { b.soon(what, fn, done) })
			return
		}
		if done != nil {
			done()
		}
	})
}

// sendCtx is the context replies are sent in: it ends at shutdown, so a
// reply waiting out a 429 stays in the outbox for the next start instead
// of holding the process.
func (b *Bot) sendCtx() context.Context {
	if p := b.runCtx.Load(); p != nil {
		return *p
	}
	return context.Background()
}

// sendClaimed delivers one claimed reply; it reports whether the reply is
// finished (sent, or undeliverable for good). A reply kept for redelivery
// is released.
func (b *Bot) sendClaimed(ctx context.Context, seq uint64, env envelope) bool {
	at, err := b.sendEnvelope(ctx, env)
	if err == nil {
		return true
	}
	se, ok := AsSendError(err)
	switch {
	case ok && se.OutsideWindow:
		b.log.Info("reply not sent: outside the channel's window", "chat_id", env.Reply.ChatID, "channel", env.Channel, "seq", seq)
		return true
	case ok && (se.Temporary() || se.ChannelDown):
		b.log.Warn("reply kept for redelivery", "chat_id", env.Reply.ChatID, "seq", seq, "err", err)
		b.keepProgress(seq, env, at)
		return false
	}
	b.log.Error("reply dropped", "chat_id", env.Reply.ChatID, "seq", seq, "err", err)
	return true
}

// keepProgress releases a reply kept for redelivery. When some of it
// went out, that is committed first, so neither Redeliver nor the next
// start sends it again.
func (b *Bot) keepProgress(seq uint64, env envelope, at progress) {
	if at == (progress{env.Sent, env.Parts}) {
		b.release([]uint64{seq})
		return
	}
	env.Sent, env.Parts = at.msgs, at.parts
	payload, err := json.Marshal(env)
	if err != nil {
		b.log.Error("encode reply progress", "seq", seq, "err", err)
		b.release([]uint64{seq})
		return
	}
	b.soon("note reply progress", func(tx *store.Tx) error { return tx.SetOutbox(seq, payload) }, func() { b.release([]uint64{seq}) })
}

// SendNow delivers a reply to r.ChatID at once (not through the outbox),
// rendered for the chat's channel, waiting out 429s and retrying transient
// failures a few times. A user who blocked the bot is marked inactive.
func (b *Bot) SendNow(ctx context.Context, r Reply) error {
	channel, to, err := b.address(r.ChatID)
	if err != nil {
		return fmt.Errorf("address of chat %d: %w", r.ChatID, err)
	}
	_, err = b.sendEnvelope(ctx, envelope{Channel: channel, To: to, Reply: &r})
	return err
}

// sendEnvelope sends what is left of a reply; it returns how far it got.
func (b *Bot) sendEnvelope(ctx context.Context, env envelope) (progress, error) {
	_, at, err := b.sendRendered(env.Channel, *env.Reply, progress{env.Sent, env.Parts}, func(ch Channel, p Reply) (int, error) {
		return 0, b.sendRetry(ctx, ch, env.To, p)
	})
	return at, err
}

// Backoff is the wait before retry n (0-based) of a transient failure:
// 500 ms doubling, at most 30 s however many failures.
func Backoff(n int) time.Duration {
	const most = 30 * time.Second
	if n < 0 {
		n = 0
	}
	if n > 6 { // 500 ms << 6 is past most; larger shifts overflow
		return most
	}
	return min(500*time.Millisecond<<n, most)
}

func (b *Bot) sendRetry(ctx context.Context, ch Channel, to string, r Reply) error {
	const (
		attempts = 4                // tries for 5xx and network errors
		maxPaced = 30 * time.Second // total 429 wait before leaving it to Redeliver
	)
	var (
		err    error
		waited time.Duration
	)
	for n := 0; n < attempts; n++ {
		_, err = ch.Send(ctx, to, r)
		if err == nil {
			return nil
		}
		se, ok := AsSendError(err)
		if !ok {
			return err
		}
		if se.Parts < r.SkipParts { // the parts skipped were delivered too
			err = WithParts(err, r.SkipParts)
		} else {
			r.SkipParts = se.Parts // a retry goes on from the part that failed
		}
		if se.Blocked {
			if err := b.st.SetInactive(r.ChatID, true); err != nil {
				b.log.Debug("mark inactive", "chat_id", r.ChatID, "err", err)
			}
			return err
		}
		if !se.Temporary() {
			return err
		}
		wait := Backoff(n)
		if se.Code == 429 && se.RetryAfter > 0 {
			// Telegram pacing us is not a failure: retry after the wait,
			// unless waiting would hold this chat's worker too long.
			wait = se.RetryAfter
			if waited+wait > maxPaced {
				return err
			}
			n--
		}
		waited += wait
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
	return err
}

// Redeliver sends every reply still queued (after a crash or a transient
// failure). Call it at start and periodically.
func (b *Bot) Redeliver(ctx context.Context) {
	items, err := b.st.Outbox()
	if err != nil {
		b.log.Error("read outbox", "err", err)
		return
	}
	var done []uint64
	held := map[int64]bool{} // chats whose earlier reply is kept for later
	for _, it := range items {
		if ctx.Err() != nil {
			break
		}
		if !b.claim(it.Seq) {
			continue // being sent, or sent and awaiting removal
		}
		// The snapshot may be stale: the reply may have been sent and
		// removed since, or have gone part way and noted how far.
		cur, ok := b.st.OutboxEntry(it.Seq)
		if !ok {
			b.release([]uint64{it.Seq})
			continue
		}
		it = cur
		env, err := decodeQueued(it)
		if err != nil {
			b.log.Error("decode queued reply", "seq", it.Seq, "err", err)
			done = append(done, it.Seq)
			continue
		}
		if _, err := b.channel(env.Channel); err != nil {
			b.release([]uint64{it.Seq}) // kept until that channel is configured again
			continue
		}
		if held[it.ChatID] {
			b.release([]uint64{it.Seq}) // waits behind an earlier reply, in order
			continue
		}
		if b.sendClaimed(ctx, it.Seq, env) {
			done = append(done, it.Seq)
		} else {
			held[it.ChatID] = true
		}
	}
	if len(items) > 0 {
		b.log.Info("redelivered queued replies", "queued", len(items), "done", len(done))
	}
	b.putDelivered(done)
}

// Serve starts handling the inbox (one chat in order, chats at once) and
// returns at once; it stops when ctx ends. Run calls it.
func (b *Bot) Serve(ctx context.Context) {
	b.runCtx.Store(&ctx)
	b.bg.Add(1)
	go func() {
		defer b.bg.Done()
		b.sched.run(ctx, b.opt.Shards)
	}()
}

// Run starts Serve and the bot's background work (periodic redelivery of
// queued replies, hourly pruning (prune), and each module's
// Background) and returns at once; it all stops when ctx ends.
func (b *Bot) Run(ctx context.Context) {
	b.Serve(ctx)
	b.bg.Add(1)
	go func() {
		defer b.bg.Done()
		redeliver := time.NewTicker(time.Minute)
		prune := time.NewTicker(time.Hour)
		defer redeliver.Stop()
		defer prune.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-redeliver.C:
				b.Redeliver(ctx)
			case <-prune.C:
				b.prune()
			}
		}
	}()
	for _, m := range b.r.modules {
		if m.Background != nil {
			b.bg.Add(1)
			go func() {
				defer b.bg.Done()
				m.Background(ctx)
			}()
		}
	}
}

// quotaKeepDays is how many days of daily-cap counts are kept.
const quotaKeepDays = 8

// prune deletes what the bot no longer needs: inbox keys past their
// redelivery window, daily-cap counts older than quotaKeepDays, and the
// idea search's change log it has caught up with.
func (b *Bot) prune() {
	if _, err := b.st.PruneInboxKeys(b.now(), 10000); err != nil {
		b.log.Warn("prune inbox keys", "err", err)
	}
	err := b.st.Update(func(tx *store.Tx) error {
		_, err := tx.PruneQuota(capDay(b.now()) - quotaKeepDays)
		return err
	})
	if err != nil {
		b.log.Warn("prune daily counts", "err", err)
	}
	if err := b.ideas.pruneChanges(b.st); err != nil {
		b.log.Warn("prune idea changes", "err", err)
	}
	if err := b.st.Trim(); err != nil {
		b.log.Warn("trim", "err", err)
	}
}

// Wait returns when the background work started by Run has stopped (after
// its context ended). Close the store only after Wait.
func (b *Bot) Wait() { b.bg.Wait() }

// decodeQueued reads an outbox entry: an envelope, or a bare Reply of
// schema 1 (a Telegram chat).
func decodeQueued(it store.OutboxItem) (envelope, error) {
	var env envelope
	if err := json.Unmarshal(it.Payload, &env); err != nil {
		return env, err
	}
	if env.Reply == nil {
		var r Reply
		if err := json.Unmarshal(it.Payload, &r); err != nil {
			return env, err
		}
		env = envelope{Channel: store.Telegram, To: strconv.FormatInt(it.ChatID, 10), Reply: &r}
	}
	env.Reply.ChatID = it.ChatID
	return env, nil
}

// doneLater removes an inbox item finished without effects of its own
// (ignored, or dropped as flooding) with the next commit.
func (b *Bot) doneLater(seq uint64) {
	if seq == 0 {
		return
	}
	b.soon("remove from inbox", func(tx *store.Tx) error { return tx.DoneInbox(seq) }, nil)
}
