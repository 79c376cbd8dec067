package zalotest

import (
	"strconv"
	"strings"
)

// Messages returns what the bot sent user, in order (while recording).
func (s *Server) Messages(user string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.users[user]; u != nil {
		return append([]Message(nil), u.msgs...)
	}
	return nil
}

// LastMessage returns the last message the bot sent user.
func (s *Server) LastMessage(user string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.users[user]; u != nil && len(u.msgs) > 0 {
		return u.msgs[len(u.msgs)-1], true
	}
	return Message{}, false
}

// Transcript renders user's conversation, one line per user event ("> "),
// bot message ("< "), failed send ("< (error …)") and webhook delivery not
// answered 200 ("! webhook N"), in the order the server saw them.
// Continuation lines are indented by two spaces.
//
//	> [follow]
//	< Xin chào! [buttons: [Gửi ý tưởng|hide:!cb:idea:new] [Hỏi chính sách|show:Hỏi chính sách]]
//	> [press !cb:idea:new]
//	< [image https://example.org/a.jpg] Ảnh sản phẩm
//	< [file tom-tat.txt (22 bytes)]
//	< [request info: Chia sẻ số điện thoại — Để cán bộ liên hệ]
//	< (error -230: User has not interacted with the OA in the last 7 days)
func (s *Server) Transcript(user string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[user]
	if u == nil {
		return ""
	}
	var b strings.Builder
	for _, l := range u.lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

// lineLocked adds a failed send to user's transcript.
func (s *Server) lineLocked(user string, code, status int) {
	if !s.record || user == "" {
		return
	}
	u := s.userLocked(user)
	switch {
	case code != 0:
		u.lines = append(u.lines, "< (error "+strconv.Itoa(code)+": "+errorMessage(code)+")")
	case status != 0:
		u.lines = append(u.lines, "< (error HTTP "+strconv.Itoa(status)+")")
	}
}

func (m Message) render() string {
	var parts []string
	switch {
	case m.Image != "":
		parts = append(parts, "[image "+m.Image+"]")
	case m.File != nil:
		parts = append(parts, "[file "+fileLabel(m.File.Name, len(m.File.Data))+"]")
	case m.Info != nil:
		l := "[request info: " + m.Info.Title
		if m.Info.Subtitle != "" {
			l += " — " + m.Info.Subtitle
		}
		parts = append(parts, indent(l)+"]")
	}
	if m.Text != "" {
		parts = append(parts, indent(m.Text))
	}
	if len(m.Buttons) > 0 {
		var b strings.Builder
		b.WriteString("[buttons:")
		for _, btn := range m.Buttons {
			b.WriteString(" [" + btn.Title + "|")
			switch btn.Type {
			case "oa.query.hide":
				b.WriteString("hide:" + btn.Payload)
			case "oa.query.show":
				b.WriteString("show:" + btn.Payload)
			case "oa.open.url":
				b.WriteString("url:" + btn.Payload)
			default:
				b.WriteString(btn.Type + ":" + btn.Payload)
			}
			b.WriteByte(']')
		}
		b.WriteByte(']')
		parts = append(parts, b.String())
	}
	return strings.Join(parts, " ")
}

func indent(text string) string { return strings.ReplaceAll(text, "\n", "\n  ") }

func fileLabel(name string, size int) string {
	return name + " (" + strconv.Itoa(size) + " bytes)"
}
