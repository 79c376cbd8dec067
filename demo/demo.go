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
	"time"

	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
)

// Personas of the demo.
var (
	Citizen = telegramtest.User{ID: 1001, FirstName: "An", LastName: "Nguyễn", Username: "an_nongdan", LanguageCode: "vi"}
	Staff   = telegramtest.User{ID: 9001, FirstName: "Bình", LastName: "Trần", Username: "binh_canbo", LanguageCode: "vi"}
)

// Session is a terminal conversation with the bot.
type Session struct {
	srv     *telegramtest.Server
	out     io.Writer
	who     telegramtest.User
	printed map[int64]map[int]string // chat → message ID → text shown
	last    map[int64]telegramtest.Message
	wait    time.Duration
}

// New starts a session on a fake server the bot polls.
func New(srv *telegramtest.Server, out io.Writer) *Session {
	return &Session{srv: srv, out: out, who: Citizen, printed: map[int64]map[int]string{}, last: map[int64]telegramtest.Message{}, wait: 10 * time.Second}
}

// Run reads lines from in until EOF, "!quit" or ctx ends.
func (s *Session) Run(ctx context.Context, in io.Reader) error {
	fmt.Fprintln(s.out, intro)
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

const intro = `Trợ lý Khởi nghiệp – bản chạy thử trên máy (không cần token Telegram).
Gõ tin nhắn như trong Telegram. Số [1] [2]… để bấm nút; chữ [a] [b]… để bấm nút menu.
!staff: đóng vai cán bộ (quản trị) · !user: đóng vai người dân · !help · !quit`

func (s *Session) prompt() {
	fmt.Fprintf(s.out, "\n%s> ", s.who.FirstName)
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
		fmt.Fprintln(s.out, intro)
		return true
	case "!staff":
		s.who = Staff
		fmt.Fprintln(s.out, "(Bạn đang là cán bộ Bình – quản trị viên)")
		return true
	case "!user":
		s.who = Citizen
		fmt.Fprintln(s.out, "(Bạn đang là người dân An)")
		return true
	}
	chat := s.who.ID
	last := s.last[chat]
	if n, err := strconv.Atoi(line); err == nil && n >= 1 {
		if b, ok := nthButton(last.Buttons, n); ok && b.Data != "" {
			s.srv.Press(s.who, last.ID, b.Data)
			s.settle()
			return true
		}
	}
	if len(line) == 1 && line[0] >= 'a' && line[0] <= 'z' {
		if k, ok := s.keyboardButton(chat, int(line[0]-'a')); ok {
			if strings.Contains(k, "📱") {
				s.srv.SendContact(s.who, "+84905000111")
			} else {
				s.srv.SendText(s.who, k)
			}
			s.settle()
			return true
		}
	}
	s.srv.SendText(s.who, strings.TrimPrefix(line, "'"))
	s.settle()
	return true
}

func (s *Session) keyboardButton(chat int64, i int) (string, bool) {
	msgs := s.srv.Messages(chat)
	for j := len(msgs) - 1; j >= 0; j-- {
		if msgs[j].RemoveKeyboard {
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

func nthButton(rows [][]telegramtest.Button, n int) (telegramtest.Button, bool) {
	i := 0
	for _, row := range rows {
		for _, b := range row {
			i++
			if i == n {
				return b, true
			}
		}
	}
	return telegramtest.Button{}, false
}

// settle waits for the bot to handle what was sent, then prints what is new
// in every chat of the personas (staff may receive notifications too).
func (s *Session) settle() {
	s.srv.WaitUpdatesConsumed(s.wait)
	// Background work (announcements, notices) may still be sending: wait
	// for a short quiet spell so its messages show up too.
	for i := 0; i < 20; i++ {
		n := s.srv.SentCount()
		if !s.srv.WaitFor(300*time.Millisecond, func(srv *telegramtest.Server) bool { return srv.SentCount() > n }) {
			break
		}
	}
	for _, u := range []telegramtest.User{s.who, Citizen, Staff} {
		s.print(u)
	}
}

var tagRe = regexp.MustCompile(`<[^>]+>`)

func plain(t string) string { return html.UnescapeString(tagRe.ReplaceAllString(t, "")) }

func (s *Session) print(u telegramtest.User) {
	chat := u.ID
	if s.printed[chat] == nil {
		s.printed[chat] = map[int]string{}
	}
	for _, m := range s.srv.Messages(chat) {
		if m.Deleted {
			continue
		}
		shown := m.Text + fmt.Sprint(m.Buttons)
		if s.printed[chat][m.ID] == shown {
			continue
		}
		edited := s.printed[chat][m.ID] != ""
		s.printed[chat][m.ID] = shown
		prefix := "🤖"
		if chat != s.who.ID {
			prefix = "🤖 → " + u.FirstName
		}
		if edited {
			prefix += " (sửa)"
		}
		text := plain(m.Text)
		if m.Document != nil {
			text = fmt.Sprintf("[tệp %s, %d byte] %s", m.Document.Name, len(m.Document.Data), text)
		}
		if m.Photo != "" {
			text = "[ảnh] " + text
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
		if len(m.Keyboard) > 0 && chat == s.who.ID {
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
		if len(m.Buttons) > 0 && chat == s.who.ID {
			s.last[chat] = m
		}
	}
}
