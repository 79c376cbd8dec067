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
	// Sent is how many of the reply's rendered messages are delivered: a
	// reply kept for later after a part failed goes on from there.
	Sent int `json:"sent,omitempty"`
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
	id, _, err := b.sendVia(ctx, channel, to, r, 0)
	return id, err
}

// sendVia sends r's rendered messages to an address from message skip on
// (see sendRendered).
func (b *Bot) sendVia(ctx context.Context, channel, to string, r Reply, skip int) (id, sent int, err error) {
	return b.sendRendered(channel, r, skip, func(ch Channel, p Reply) (int, error) { return ch.Send(ctx, to, p) })
}

// sendRendered renders r within the channel's limits and sends the parts
// in order with send, from part skip on, stopping at the first failure.
// It returns the platform ID of the last message sent and how many parts
// are delivered (skip included), also on failure, so a reply sent again
// goes on from the part that failed.
func (b *Bot) sendRendered(channel string, r Reply, skip int, send func(Channel, Reply) (int, error)) (id, sent int, err error) {
	ch, err := b.channel(channel)
	if err != nil {
		return 0, skip, err
	}
	parts := Render(r, ch.Caps(), b.i18n.For(b.langOf(r)))
	for sent = skip; sent < len(parts); sent++ {
		if id, err = send(ch, parts[sent]); err != nil {
			return 0, sent, err
		}
	}
	return id, sent, nil
}

// langOf is the language the reply's fixed words (continuation labels)
// are rendered in.
func (b *Bot) langOf(r Reply) string {
	if r.Lang != "" {
		return r.Lang
	}
	return locales.Default
}
