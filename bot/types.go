package bot

import (
	"errors"
	"fmt"
	"html"
	"strings"
	"time"
)

// Update is one incoming event from a messaging platform, in our terms.
// A channel builds it; flows never see a platform type.
//
// A channel fills Channel, Key, ChatRef and From.Ref; the inbox (Accept)
// assigns ID, ChatID and From.ID, the bot's own numbers for the update,
// the chat and the user.
type Update struct {
	ID     int64 // inbox sequence number, assigned when the update is accepted
	ChatID int64 // the bot's ID of the chat: the user's ID in a private chat
	From   Sender
	Kind   Kind

	Channel string // "telegram", "zalo"
	// Key identifies the platform event for deduplication: the same event
	// delivered twice has the same Key ("tg:<update_id>:<hash>",
	// "zalo:<msg_id>"). Empty: never deduplicated.
	Key     string
	ChatRef string // the platform's chat ID, exactly as written
	Group   bool   // not a private chat with the sender

	Text     string // message text or caption
	Command  string // "start" for "/start payload" (lower-case, no bot suffix)
	Args     string // "payload"
	Data     string // callback data
	Callback string // callback query ID, answered by the engine
	MsgID    int    // the bot message a callback came from

	Contact  *Contact
	Photo    string // file ID of the largest size
	Voice    string // file ID
	Document *FileRef
	Forward  *Sender // original sender of a forwarded message, when visible
	Location *Location

	rc *receipt // on the fast path (inbox.go): received when its handler commits
}

// Kind is what an update is.
type Kind int

// Update kinds.
const (
	KindUnknown  Kind = iota
	KindMessage       // text, command, media or contact
	KindCallback      // an inline button was pressed
	KindBlocked       // the user blocked the bot (or unfollowed)
	KindUnblocked
	KindUnsupported // a message of a type the bot does not read (sticker, GIF)
)

// Sender is who sent an update.
type Sender struct {
	ID        int64  // the bot's user ID (assigned by the inbox)
	Ref       string // the platform's user ID, exactly as written
	FirstName string
	LastName  string
	Username  string
	Lang      string // platform language code, e.g. "vi", "en-US"
}

// Contact is a shared phone number.
type Contact struct {
	Phone  string
	UserID int64 // whose contact it is (0 if not a platform user)
}

// Location is a shared position.
type Location struct {
	Lat, Lon float64
}

// FileRef is a document the user sent.
type FileRef struct {
	ID   string
	Name string
	Size int
}

// Reply is one message the bot sends. Text is HTML: escape user-supplied
// text with Esc.
type Reply struct {
	ChatID   int64      `json:"chat_id,omitempty"` // 0: the chat of the update
	Text     string     `json:"text"`
	Buttons  [][]Button `json:"buttons,omitempty"`  // inline keyboard
	Keyboard *Keyboard  `json:"keyboard,omitempty"` // reply keyboard
	Edit     int        `json:"edit,omitempty"`     // edit this bot message instead of sending
	Photo    string     `json:"photo,omitempty"`    // file ID; Text becomes the caption
	Voice    string     `json:"voice,omitempty"`
	Document *Document  `json:"document,omitempty"`
	Silent   bool       `json:"silent,omitempty"`
	Lang     string     `json:"lang,omitempty"` // the recipient's language (set at commit)
	// SkipParts: a channel that sends one message as several parts (Zalo:
	// a photo, the text with its buttons, a contact card) starts at this
	// part, the ones before having been delivered (SendError.Parts).
	SkipParts int `json:"-"`
}

// Button is an inline button: Data is callback data ("flow:action:args",
// ASCII, ≤ 64 bytes) or URL opens a link. On channels without reply
// keyboards, Render turns keyboard buttons into buttons with Typed (a tap
// sends Text as if typed) or RequestContact (ask for the phone number).
type Button struct {
	Text           string `json:"text"`
	Data           string `json:"data,omitempty"`
	URL            string `json:"url,omitempty"`
	Typed          bool   `json:"typed,omitempty"`
	RequestContact bool   `json:"request_contact,omitempty"`
}

// Keyboard is a reply keyboard shown under the input field.
type Keyboard struct {
	Rows   [][]KeyButton `json:"rows,omitempty"`
	Remove bool          `json:"remove,omitempty"`
	Once   bool          `json:"once,omitempty"`
}

// KeyButton is a reply-keyboard button.
type KeyButton struct {
	Text           string `json:"text"`
	RequestContact bool   `json:"request_contact,omitempty"`
}

// Document is a file the bot sends.
type Document struct {
	Name string `json:"name"`
	Data []byte `json:"data"`
}

// Esc escapes user-supplied text for HTML messages.
func Esc(s string) string { return html.EscapeString(s) }

// Messenger is what the engine needs from a platform to talk to users.
type Messenger interface {
	// Send delivers a reply and returns the platform message ID.
	Send(chatID int64, r Reply) (int, error)
	// AnswerCallback stops the button's spinner, optionally with a toast.
	AnswerCallback(id, text string) error
	// Typing shows "typing…" in a chat.
	Typing(chatID int64) error
	// SetCommands installs the command menu for a language; chatID 0 is
	// everyone, otherwise one chat.
	SetCommands(cmds []CommandInfo, lang string, chatID int64) error
}

// CommandInfo is one entry of a command menu.
type CommandInfo struct {
	Name        string
	Description string
}

// SendError is a failed delivery, in platform-neutral terms.
type SendError struct {
	Code       int           // platform error code (429, 403, 5xx…), 0 for transport errors
	RetryAfter time.Duration // set with 429
	Blocked    bool          // the user blocked the bot or the chat is gone
	// OutsideWindow: the platform allows messages only to users who wrote
	// recently (Zalo's 7-day window); not a failure, and not blocked.
	OutsideWindow bool
	// ChannelDown: the channel cannot send to anyone for now (Zalo: the
	// OA's quota is spent, or it is not authorised). Replies stay queued;
	// an announcement pauses and its author is told.
	ChannelDown bool
	// Parts: of a message sent as several parts, how many were delivered
	// before the failure (counting those skipped by Reply.SkipParts).
	Parts int
	Desc  string
}

func (e *SendError) Error() string {
	return fmt.Sprintf("send: %d %s", e.Code, e.Desc)
}

// Temporary reports whether retrying may succeed.
func (e *SendError) Temporary() bool {
	return e.Code == 0 || e.Code == 429 || e.Code >= 500
}

// AsSendError unwraps a *SendError.
func AsSendError(err error) (*SendError, bool) {
	var se *SendError
	ok := errors.As(err, &se)
	return se, ok
}

// WithParts returns a send error saying n parts of the message were
// delivered (a copy: the error may be shared); other errors as they are.
func WithParts(err error, n int) error {
	se, ok := AsSendError(err)
	if !ok {
		return err
	}
	e := *se
	e.Parts = n
	return &e
}

// Callback data: "flow:action:args", ASCII, at most 64 bytes.

// MaxCallbackData is Telegram's limit on callback data, in bytes.
const MaxCallbackData = 64

// CB builds callback data from parts. It panics on non-ASCII or oversize
// data: that is a programming error, caught by tests.
func CB(parts ...string) string {
	s := strings.Join(parts, ":")
	if len(s) > MaxCallbackData {
		panic("callback data too long: " + s)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			panic("callback data not printable ASCII: " + s)
		}
	}
	return s
}

// ParseCB splits callback data into flow, action and args. It rejects data
// that is not what CB makes: the data comes from the client and is never
// trusted.
func ParseCB(data string) (flow, action string, args []string, ok bool) {
	if data == "" || len(data) > MaxCallbackData {
		return "", "", nil, false
	}
	for i := 0; i < len(data); i++ {
		if data[i] < 0x20 || data[i] > 0x7e {
			return "", "", nil, false
		}
	}
	parts := strings.Split(data, ":")
	if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
		return "", "", nil, false
	}
	return parts[0], parts[1], parts[2:], true
}
