package bot

import (
	"context"
	"encoding/json"
	"time"
)

// queued is a committed reply and its outbox sequence number.
type queued struct {
	seq uint64
	r   Reply
}

// deliver sends committed replies in order. Sent ones are removed from the
// outbox by the next commit (or the periodic flush); one that fails
// temporarily stays queued for Redeliver.
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
		if !b.sendClaimed(context.Background(), it.seq, it.r) {
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

func (b *Bot) takeDelivered() []uint64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	d := b.delivered
	b.delivered = nil
	return d
}

func (b *Bot) putDelivered(seqs []uint64) {
	if len(seqs) == 0 {
		return
	}
	b.mu.Lock()
	b.delivered = append(b.delivered, seqs...)
	b.mu.Unlock()
}

// flushDelivered removes sent replies from the outbox now.
func (b *Bot) flushDelivered() {
	done := b.takeDelivered()
	if err := b.st.DeleteOutbox(done...); err != nil {
		b.log.Error("clear outbox", "err", err)
		b.putDelivered(done)
		return
	}
	b.release(done)
}

// sendClaimed delivers one claimed reply; it reports whether the reply is
// finished (sent, or undeliverable for good). A reply kept for redelivery
// is released.
func (b *Bot) sendClaimed(ctx context.Context, seq uint64, r Reply) bool {
	err := b.SendNow(ctx, r)
	if err == nil {
		return true
	}
	se, ok := AsSendError(err)
	if ok && se.Temporary() {
		b.log.Warn("reply kept for redelivery", "chat_id", r.ChatID, "seq", seq, "err", err)
		b.release([]uint64{seq})
		return false
	}
	b.log.Error("reply dropped", "chat_id", r.ChatID, "seq", seq, "err", err)
	return true
}

// SendNow delivers a reply at once (not through the outbox), splitting long
// text, waiting out 429s and retrying transient failures a few times. A
// user who blocked the bot is marked inactive.
func (b *Bot) SendNow(ctx context.Context, r Reply) error {
	parts := []Reply{r}
	if r.Edit == 0 && r.Photo == "" && r.Document == nil && r.Voice == "" {
		parts = SplitReply(r)
	}
	for _, p := range parts {
		if err := b.sendRetry(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

// Backoff is the wait before retry n (0-based) of a transient failure.
func Backoff(n int) time.Duration {
	d := 500 * time.Millisecond << n
	if d > 30*time.Second {
		d = 30 * time.Second
	}
	return d
}

func (b *Bot) sendRetry(ctx context.Context, r Reply) error {
	const (
		attempts = 4                // tries for 5xx and network errors
		maxPaced = 30 * time.Second // total 429 wait before leaving it to Redeliver
	)
	var (
		err    error
		waited time.Duration
	)
	for n := 0; n < attempts; n++ {
		_, err = b.msgr.Send(r.ChatID, r)
		if err == nil {
			return nil
		}
		se, ok := AsSendError(err)
		if !ok {
			return err
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
	for _, it := range items {
		if ctx.Err() != nil {
			break
		}
		if !b.claim(it.Seq) {
			continue // being sent, or sent and awaiting removal
		}
		// The snapshot may be stale: the reply may have been sent and
		// removed since.
		if !b.st.InOutbox(it.Seq) {
			b.release([]uint64{it.Seq})
			continue
		}
		var r Reply
		if err := json.Unmarshal(it.Payload, &r); err != nil {
			b.log.Error("decode queued reply", "seq", it.Seq, "err", err)
			done = append(done, it.Seq)
			continue
		}
		r.ChatID = it.ChatID
		if b.sendClaimed(ctx, it.Seq, r) {
			done = append(done, it.Seq)
		}
	}
	if len(items) > 0 {
		b.log.Info("redelivered queued replies", "queued", len(items), "done", len(done))
	}
	b.putDelivered(done)
	b.flushDelivered()
}

// Run starts the bot's background work (periodic redelivery of queued
// replies, and each module's Background) and returns at once; it all stops
// when ctx ends.
func (b *Bot) Run(ctx context.Context) {
	b.bg.Add(1)
	go func() {
		defer b.bg.Done()
		flush := time.NewTicker(time.Second)
		redeliver := time.NewTicker(time.Minute)
		defer flush.Stop()
		defer redeliver.Stop()
		for {
			select {
			case <-ctx.Done():
				b.flushDelivered()
				return
			case <-flush.C:
				b.flushDelivered()
			case <-redeliver.C:
				b.Redeliver(ctx)
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

// Wait returns when the background work started by Run has stopped (after
// its context ended). Close the store only after Wait.
func (b *Bot) Wait() { b.bg.Wait() }
