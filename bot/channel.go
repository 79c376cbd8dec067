package bot

import (
	"context"
	"time"
)

// Channel is one messaging platform the bot talks on (Telegram, Zalo). A
// channel is its own package; the engine knows channels only through this
// interface and never asks which one a flow is on.
//
// Replies reach Send already rendered within Caps (see Render): text no
// longer than MaxText, at most MaxButtons buttons, no edit when Edit is
// false, plain text when HTML is false. Send still must not fail on a reply
// that breaks a limit (it truncates or drops what it cannot carry).
type Channel interface {
	// Name is the channel's key in user references: "telegram", "zalo".
	Name() string
	// Caps is what the platform can show.
	Caps() Caps
	// Send delivers one rendered reply to a platform chat and returns the
	// platform message ID (0 where the platform has none the bot can use).
	// Failures are *SendError.
	Send(ctx context.Context, to string, r Reply) (int, error)
	// AnswerCallback stops a pressed button's spinner, optionally with a
	// toast. Channels without callbacks return nil.
	AnswerCallback(ctx context.Context, id, text string) error
	// Typing shows "typing…" in a chat, where the platform can.
	Typing(ctx context.Context, to string) error
}

// CommandMenus is implemented by channels with a command menu (Telegram's
// setMyCommands). to "" is everyone.
type CommandMenus interface {
	SetCommands(ctx context.Context, cmds []CommandInfo, lang, to string) error
}

// Downloader is implemented by channels that can fetch a file a user sent.
type Downloader interface {
	Download(ctx context.Context, fileRef string, max int64) ([]byte, error)
}

// Caps describes what a channel can show. Limits are in Unicode code points
// except MaxPayload (bytes); 0 means no limit.
type Caps struct {
	MaxText          int  // longest message text
	MaxCaption       int  // longest media caption
	MaxButtons       int  // buttons per message
	MaxButtonsPerRow int  // buttons per row
	MaxButtonText    int  // longest button title
	MaxPayload       int  // longest button data, bytes
	Edit             bool // a sent message can be edited in place
	ReplyKeyboard    bool // keyboards under the input field
	Toasts           bool // a pressed button can show a short notice
	HTML             bool // <b>, <i>, <a> formatting
	CountUTF16       bool // text limits count UTF-16 units, not code points
	// Window: the bot may write to a user only this long after the user
	// last wrote (0: always); FreeWindow: the part of it that costs
	// nothing.
	Window, FreeWindow time.Duration
}

// UserRef is a user as a channel knows them: the channel's name and the
// platform's ID, kept exactly as the platform writes it.
type UserRef struct {
	Channel string
	ID      string
}

func (r UserRef) String() string { return r.Channel + ":" + r.ID }
