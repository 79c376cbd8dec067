package bot

import (
	"context"
	"fmt"

	"github.com/qnstartup/trolykhoinghiep/locales"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// This file routes what the engine sends to the channel of the person it
// is for, rendered within that channel's limits.

// envelope is a queued reply with its destination: the channel and the
// platform's chat ID. Outbox entries of schema 1 are a bare Reply (a
// Telegram chat).
type envelope struct {
	Channel string `json:"ch,omitempty"`
	To      string `json:"to,omitempty"`
	Reply   *Reply `json:"r,omitempty"`
	// Sent is how many of the reply's rendered messages are delivered, and
	// Parts how many parts of the next one: a reply kept for later after
	// a message failed goes on from there.
	Sent  int `json:"sent,omitempty"`
	Parts int `json:"parts,omitempty"`
}

// channel returns a configured channel by name.
func (b *Bot) channel(name string) (Channel, error) {
	if ch, ok := b.chans[name]; ok {
		return ch, nil
	}
	return nil, &SendError{Code: 0, Desc: fmt.Sprintf("channel %q is not configured", name)}
}

// address finds where a chat of the bot is reached.
func (b *Bot) address(chatID int64) (channel, to string, err error) {
	err = b.st.View(func(tx *store.Tx) error {
		channel, to, err = tx.AddressOf(chatID)
		return err
	})
	return channel, to, err
}

// sendTo delivers a reply to one of the bot's chats at once (not through
// the outbox): it finds the chat's channel, renders the reply within the
// channel's limits and sends the parts. It returns the platform ID of the
// last message sent.
func (b *Bot) sendTo(ctx context.Context, chatID int64, r Reply) (int, error) {
	channel, to, err := b.address(chatID)
	if err != nil {
		return 0, fmt.Errorf("address of chat %d: %w", chatID, err)
	}
	id, _, err := b.sendVia(ctx, channel, to, r, progress{})
	return id, err
}

// sendVia sends r's rendered messages to an address from at on (see
// sendRendered).
func (b *Bot) sendVia(ctx context.Context, channel, to string, r Reply, at progress) (int, progress, error) {
	return b.sendRendered(channel, r, at, func(ch Channel, p Reply) (int, error) { return ch.Send(ctx, to, p) })
}

// progress is how far the delivery of a reply got: how many of its
// rendered messages went out, and how many parts of the next one (see
// Reply.SkipParts).
type progress struct{ msgs, parts int }

// sendRendered renders r within the channel's limits and sends the
// messages in order with send, from at on, stopping at the first failure.
// It returns the platform ID of the last message sent and how far it got,
// also on failure, so a reply sent again goes on from there.
func (b *Bot) sendRendered(channel string, r Reply, at progress, send func(Channel, Reply) (int, error)) (id int, _ progress, err error) {
	ch, err := b.channel(channel)
	if err != nil {
		return 0, at, err
	}
	msgs := Render(r, ch.Caps(), b.i18n.For(b.langOf(r)))
	for ; at.msgs < len(msgs); at.msgs++ {
		m := msgs[at.msgs]
		m.SkipParts = at.parts
		if id, err = send(ch, m); err != nil {
			if se, ok := AsSendError(err); ok && se.Parts > at.parts {
				at.parts = se.Parts
			}
			return 0, at, err
		}
		at.parts = 0
	}
	return id, at, nil
}

// langOf is the language the reply's fixed words (continuation labels)
// are rendered in.
func (b *Bot) langOf(r Reply) string {
	if r.Lang != "" {
		return r.Lang
	}
	return locales.Default
}
