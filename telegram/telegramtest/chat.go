package telegramtest

import (
	"strconv"
	"strings"
	"time"
)

// Message is the current state of a message the bot sent.
type Message struct {
	ID     int
	ChatID int64
	// Text is the text or caption as the bot sent it (with its HTML tags
	// when ParseMode is HTML).
	Text      string
	ParseMode string
	// Buttons is the inline keyboard.
	Buttons [][]Button
	// Keyboard holds the texts of a reply keyboard sent with the message.
	Keyboard [][]string
	// RemoveKeyboard is set when the message removed the reply keyboard.
	RemoveKeyboard bool
	// Document is set for documents; Data is nil unless it was uploaded.
	Document *File
	// Photo is the file_id of a photo.
	Photo   string
	Edited  bool
	Deleted bool
}

// Button is an inline keyboard button.
type Button struct {
	Text, Data, URL string
}

// File is a document's name and, when uploaded, its contents.
type File struct {
	Name string
	Data []byte
}

// Message kinds.
const (
	kindText     = "text"
	kindPhoto    = "photo"
	kindDocument = "document"
	kindVoice    = "voice"
	kindContact  = "contact"
)

// chat is the server's view of one chat.
type chat struct {
	sent    int  // messages the bot sent here
	seq     int  // messages in the chat, from both sides; numbers "#n" in transcripts
	blocked bool // sends fail with 403
	known   bool // the chat exists for getChat

	// unretained is set once a message was added while recording was off:
	// edits of unknown messages are then accepted unchecked.
	unretained bool

	msgs  []*entry // retained messages from both sides, in order
	byID  map[int]*entry
	lines []string // transcript
}

// entry is one message in a chat, from the bot or the user.
type entry struct {
	seq     int
	fromBot bool
	kind    string
	plain   string // text or caption as a client displays it
	fileID  string
	label   string // how transcripts name the file
	size    int
	date    int64
	edited  int64
	phone   string
	msg     Message
}

func (s *Server) chatLocked(id int64) *chat {
	c := s.chats[id]
	if c == nil {
		c = &chat{}
		s.chats[id] = c
	}
	return c
}

// addLocked gives e the next message ID and appends it to the chat. line is
// the transcript line; it is not retained when recording is off.
func (s *Server) addLocked(chatID int64, e *entry, line string) {
	s.lastMessage++
	c := s.chatLocked(chatID)
	c.known = true
	c.seq++
	e.seq = c.seq
	e.msg.ID = s.lastMessage
	e.msg.ChatID = chatID
	if e.date == 0 {
		e.date = time.Now().Unix()
	}
	if e.fromBot {
		c.sent++
		s.sent++
		if s.onSent != nil {
			s.onSent(chatID)
		}
	}
	if !s.record {
		c.unretained = true
		return
	}
	if c.byID == nil {
		c.byID = make(map[int]*entry)
	}
	c.msgs = append(c.msgs, e)
	c.byID[e.msg.ID] = e
	c.lines = append(c.lines, line)
}

func (s *Server) lineLocked(chatID int64, line string) {
	if !s.record {
		return
	}
	c := s.chatLocked(chatID)
	c.lines = append(c.lines, line)
}

// findLocked returns a retained, not deleted message.
func (s *Server) findLocked(chatID int64, id int) *entry {
	c := s.chats[chatID]
	if c == nil {
		return nil
	}
	e := c.byID[id]
	if e == nil || e.msg.Deleted {
		return nil
	}
	return e
}

// Messages returns the current state of every message the bot sent to
// chatID, in the order sent, including deleted ones (Deleted is set). Only
// messages sent while recording was on are returned.
func (s *Server) Messages(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	if c == nil {
		return nil
	}
	out := make([]Message, 0, len(c.msgs))
	for _, e := range c.msgs {
		if e.fromBot {
			out = append(out, e.msg)
		}
	}
	return out
}

// LastMessage returns the last message the bot sent to chatID.
func (s *Server) LastMessage(chatID int64) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	if c == nil {
		return Message{}, false
	}
	for i := len(c.msgs) - 1; i >= 0; i-- {
		if e := c.msgs[i]; e.fromBot {
			return e.msg, true
		}
	}
	return Message{}, false
}

// Transcript renders chatID's conversation: one entry per user input ("> ")
// and per bot output ("< "), in the order the server saw them. Continuation
// lines of a multi-line text are indented by two spaces. "#n" names the n-th
// message of the chat counting both sides. The transcript only grows, so a
// terminal can print the part after what it printed before.
//
//	> /start
//	< Xin chào [buttons: [Ý tưởng|idea:new] [Hỏi|ask:open]] [keyboard: Gửi ý tưởng | Hỏi chính sách]
//	> [press idea:new]
//	< (answer) Đã chọn
//	< (edit #2) Tên ý tưởng?
//	< (delete #2)
//	< (error sendMessage 403: Forbidden: bot was blocked by the user)
func (s *Server) Transcript(chatID int64) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	if c == nil || len(c.lines) == 0 {
		return ""
	}
	n := 0
	for _, l := range c.lines {
		n += len(l) + 1
	}
	var b strings.Builder
	b.Grow(n)
	for _, l := range c.lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

// render is how transcripts show a message's content.
func (e *entry) render() string {
	var b strings.Builder
	text := e.msg.Text
	switch e.kind {
	case kindText:
		b.WriteString(indent(text))
	case kindContact:
		b.WriteString("[contact " + e.phone + "]")
	default:
		b.WriteString("[" + e.kind + " " + e.label + "]")
		if text != "" {
			b.WriteString(" " + indent(text))
		}
	}
	if len(e.msg.Buttons) > 0 {
		b.WriteString(" [buttons: ")
		for i, row := range e.msg.Buttons {
			if i > 0 {
				b.WriteString(" / ")
			}
			for j, btn := range row {
				if j > 0 {
					b.WriteByte(' ')
				}
				b.WriteString("[" + btn.Text)
				switch {
				case btn.Data != "":
					b.WriteString("|" + btn.Data)
				case btn.URL != "":
					b.WriteString("|url:" + btn.URL)
				}
				b.WriteByte(']')
			}
		}
		b.WriteByte(']')
	}
	if len(e.msg.Keyboard) > 0 {
		b.WriteString(" [keyboard: ")
		for i, row := range e.msg.Keyboard {
			if i > 0 {
				b.WriteString(" / ")
			}
			b.WriteString(strings.Join(row, " | "))
		}
		b.WriteByte(']')
	}
	if e.msg.RemoveKeyboard {
		b.WriteString(" [remove keyboard]")
	}
	return b.String()
}

func indent(text string) string {
	return strings.ReplaceAll(text, "\n", "\n  ")
}

func fileLabel(name string, size int) string {
	return name + " (" + strconv.Itoa(size) + " bytes)"
}
