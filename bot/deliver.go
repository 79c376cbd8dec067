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
func (b *Bot) deliver(items []queued) {
	var done []uint64
	for _, it := range items {
		if b.sendReply(context.Background(), it.seq, it.r) {
			done = append(done, it.seq)
		}
	}
	b.putDelivered(done)
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

func (b *Bot) isDelivered(seq uint64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.delivered {
		if s == seq {
			return true
		}
	}
	return false
}

// flushDelivered removes sent replies from the outbox now.
func (b *Bot) flushDelivered() {
	done := b.takeDelivered()
	if err := b.st.DeleteOutbox(done...); err != nil {
		b.log.Error("clear outbox", "err", err)
		b.putDelivered(done)
	}
}

// sendItem delivers one queued reply; it reports whether the item is
// finished (sent, or undeliverable for good).
func (b *Bot) sendItem(ctx context.Context, seq uint64, chatID int64, payload []byte) bool {
	var r Reply
	if err := json.Unmarshal(payload, &r); err != nil {
		b.log.Error("decode queued reply", "seq", seq, "err", err)
		return true
	}
	r.ChatID = chatID
	return b.sendReply(ctx, seq, r)
}

func (b *Bot) sendReply(ctx context.Context, seq uint64, r Reply) bool {
	if _, busy := b.inflight.LoadOrStore(seq, struct{}{}); busy {
		return false
	}
	defer b.inflight.Delete(seq)
	chatID := r.ChatID
	err := b.SendNow(ctx, r)
	if err == nil {
		return true
	}
	se, ok := AsSendError(err)
	if ok && se.Temporary() {
		b.log.Warn("reply kept for redelivery", "chat_id", chatID, "seq", seq, "err", err)
		return false
	}
	b.log.Error("reply dropped", "chat_id", chatID, "seq", seq, "err", err)
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
	const attempts = 4
	var err error
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
			wait = se.RetryAfter
			n-- // a 429 is Telegram pacing us, not a failure: always retry
			if wait > 5*time.Minute {
				return err
			}
		}
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
		if b.isDelivered(it.Seq) {
			continue
		}
		if b.sendItem(ctx, it.Seq, it.ChatID, it.Payload) {
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
