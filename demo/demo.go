package demo

import (
	"bufio"
	"context"
	"fmt"
	"html"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// Persona is someone the person at the terminal plays.
type Persona struct {
	Name       string
	FullName   string
	TelegramID int64
	ZaloID     string // above 2^53, as Zalo's are
	Lang       string
}

// The demo's personas: a citizen and a staff member (an admin).
var (
	Citizen = Persona{Name: "An", FullName: "An Nguyễn", TelegramID: 1001, ZaloID: "8817264536271810001", Lang: "vi"}
	Staff   = Persona{Name: "Bình", FullName: "Bình Trần", TelegramID: 9001, ZaloID: "8817264536271819001", Lang: "vi"}
)

// Message is a bot message as the client shows it.
type Message struct {
	Key      string // unique within the chat; a message edited in place keeps it
	Text     string // HTML on Telegram, plain on Zalo
	Buttons  [][]Button
	Keyboard [][]string // reply keyboard (Telegram)
	Media    string     // "[ảnh]", "[tệp …]"…
	Removed  bool       // deleted, or the keyboard was removed
	NoKeys   bool       // the message removed the reply keyboard
}

// Button is a button under a message.
type Button struct {
	Text string
	URL  string
	// press sends what tapping it sends.
	press func()
}

// Backend is the messaging platform the demo plays the client of: the
// fake Telegram Bot API or the fake Zalo OA.
type Backend interface {
	Name() string
	SendText(p Persona, text string)
	SendContact(p Persona, phone string)
	Messages(p Persona) []Message
	// Toasts returns the notices shown for pressed buttons since the last
	// call (Telegram's callback answers).
	Toasts(p Persona) []string
	// Settle waits until the bot has handled what was sent and its
	// background work has gone quiet.
	Settle()
}

// Hooks are what the demo asks of the program running it.
type Hooks struct {
	// Reset starts over with an empty database; nil: not offered.
	Reset func() error
}

// Session is a terminal conversation with the bot.
type Session struct {
	be      Backend
	out     io.Writer
	who     Persona
	hooks   Hooks
	printed map[string]map[string]string // persona → message key → what was shown
	last    map[string]Message           // persona → newest message with buttons
}

// New starts a session on a backend the bot serves.
func New(be Backend, out io.Writer, hooks Hooks) *Session {
	return &Session{be: be, out: out, who: Citizen, hooks: hooks, printed: map[string]map[string]string{}, last: map[string]Message{}}
}

// Run reads lines from in until EOF, "!quit" or ctx ends.
func (s *Session) Run(ctx context.Context, in io.Reader) error {
	fmt.Fprintln(s.out, s.intro())
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 64*1024), 64*1024)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	s.prompt()
	for {
		select {
		case <-ctx.Done():
			return nil
		case line, ok := <-lines:
			if !ok {
				return nil
			}
			if !s.Input(strings.TrimSpace(line)) {
				return nil
			}
			s.prompt()
		}
	}
}

func (s *Session) intro() string {
	platform := "Telegram"
	if s.be.Name() == "zalo" {
		platform = "Zalo (tối đa 5 nút mỗi tin, không sửa tin, chữ thường không định dạng)"
	}
	return `Trợ lý Khởi nghiệp – bản chạy thử trên máy, hiển thị như trên ` + platform + `.
Gõ tin nhắn như trong ứng dụng. Số [1] [2]… để bấm nút; chữ [a] [b]… để bấm nút menu.
Muốn gửi đúng chữ "1" thì gõ '1 (có dấu nháy đơn phía trước).
!staff: đóng vai cán bộ (quản trị) · !user: đóng vai người dân · !reset: xoá dữ liệu chạy thử, bắt đầu lại · !help · !quit`
}

func (s *Session) prompt() {
	fmt.Fprintf(s.out, "\n%s> ", s.who.Name)
}

// Input sends one line as the current persona and prints the bot's
// replies. It returns false when the session should end.
func (s *Session) Input(line string) bool {
	switch line {
	case "":
		return true
	case "!quit", "!exit":
		return false
	case "!help":
		fmt.Fprintln(s.out, s.intro())
		return true
	case "!staff":
		s.who = Staff
		fmt.Fprintln(s.out, "(Bạn đang là cán bộ Bình – quản trị viên)")
		return true
	case "!user":
		s.who = Citizen
		fmt.Fprintln(s.out, "(Bạn đang là người dân An)")
		return true
	case "!reset":
		if s.hooks.Reset == nil {
			fmt.Fprintln(s.out, "(Không xoá được dữ liệu trong chế độ này.)")
			return true
		}
		if err := s.hooks.Reset(); err != nil {
			fmt.Fprintf(s.out, "(Chưa xoá được: %v)\n", err)
			return true
		}
		s.printed, s.last = map[string]map[string]string{}, map[string]Message{}
		s.who = Citizen
		fmt.Fprintln(s.out, "(Đã xoá dữ liệu chạy thử. Gõ /start để bắt đầu lại.)")
		return true
	}
	if n, err := strconv.Atoi(line); err == nil && n >= 1 {
		if b, ok := nthButton(s.last[s.who.Name].Buttons, n); ok && b.press != nil {
			b.press()
			s.settle()
			return true
		}
	}
	if len(line) == 1 && line[0] >= 'a' && line[0] <= 'z' {
		if k, ok := s.keyboardButton(int(line[0] - 'a')); ok {
			if strings.Contains(k, "📱") {
				s.be.SendContact(s.who, "+84905000111")
			} else {
				s.be.SendText(s.who, k)
			}
			s.settle()
			return true
		}
	}
	s.be.SendText(s.who, strings.TrimPrefix(line, "'"))
	s.settle()
	return true
}

func (s *Session) keyboardButton(i int) (string, bool) {
	msgs := s.be.Messages(s.who)
	for j := len(msgs) - 1; j >= 0; j-- {
		if msgs[j].NoKeys {
			return "", false
		}
		if len(msgs[j].Keyboard) > 0 {
			var flat []string
			for _, row := range msgs[j].Keyboard {
				flat = append(flat, row...)
			}
			if i < len(flat) {
				return flat[i], true
			}
			return "", false
		}
	}
	return "", false
}

func nthButton(rows [][]Button, n int) (Button, bool) {
	i := 0
	for _, row := range rows {
		for _, b := range row {
			i++
			if i == n {
				return b, true
			}
		}
	}
	return Button{}, false
}

// settle waits for the bot, then prints what is new in the chats of both
// personas (staff receive notices too) and the notices of pressed buttons.
func (s *Session) settle() {
	s.be.Settle()
	for _, t := range s.be.Toasts(s.who) {
		fmt.Fprintf(s.out, "\nℹ️ %s\n", t)
	}
	for _, p := range []Persona{s.who, Citizen, Staff} {
		s.print(p)
	}
}

var tagRe = regexp.MustCompile(`<[^>]+>`)

func plain(t string) string { return html.UnescapeString(tagRe.ReplaceAllString(t, "")) }

func (s *Session) print(p Persona) {
	if s.printed[p.Name] == nil {
		s.printed[p.Name] = map[string]string{}
	}
	for _, m := range s.be.Messages(p) {
		if m.Removed {
			continue
		}
		shown := m.Text + fmt.Sprint(m.Buttons) + m.Media
		if s.printed[p.Name][m.Key] == shown {
			continue
		}
		edited := s.printed[p.Name][m.Key] != ""
		s.printed[p.Name][m.Key] = shown
		prefix := "🤖"
		if p.Name != s.who.Name {
			prefix = "🤖 → " + p.Name
		}
		if edited {
			prefix += " (sửa)"
		}
		text := plain(m.Text)
		if m.Media != "" {
			text = m.Media + " " + text
		}
		fmt.Fprintf(s.out, "\n%s %s\n", prefix, strings.ReplaceAll(text, "\n", "\n   "))
		i := 0
		for _, row := range m.Buttons {
			var parts []string
			for _, b := range row {
				i++
				if b.URL != "" {
					parts = append(parts, fmt.Sprintf("[%d] %s (%s)", i, b.Text, b.URL))
				} else {
					parts = append(parts, fmt.Sprintf("[%d] %s", i, b.Text))
				}
			}
			fmt.Fprintf(s.out, "   %s\n", strings.Join(parts, "  "))
		}
		if len(m.Keyboard) > 0 && p.Name == s.who.Name {
			var parts []string
			j := 0
			for _, row := range m.Keyboard {
				for _, k := range row {
					parts = append(parts, fmt.Sprintf("[%c] %s", 'a'+j, k))
					j++
				}
			}
			fmt.Fprintf(s.out, "   ⌨ %s\n", strings.Join(parts, "  "))
		}
		// Buttons stay pressable for the persona they were sent to, even
		// when they arrived while the other persona was playing.
		if len(m.Buttons) > 0 {
			s.last[p.Name] = m
		}
	}
}
