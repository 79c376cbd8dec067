package demo

import (
	"fmt"
	"strconv"
	"time"

	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
)

// Telegram plays the Telegram client against the fake Bot API.
type Telegram struct {
	Srv    *telegramtest.Server
	Idle   func(time.Duration) bool // waits until the bot has handled its inbox
	toasts int                      // answerCallbackQuery calls already shown
}

func tgUser(p Persona) telegramtest.User {
	first, last := p.Name, ""
	if len(p.FullName) > len(p.Name) {
		last = p.FullName[len(p.Name)+1:]
	}
	return telegramtest.User{ID: p.TelegramID, FirstName: first, LastName: last, LanguageCode: p.Lang}
}

// Name is "telegram".
func (t *Telegram) Name() string { return "telegram" }

// SendText types text.
func (t *Telegram) SendText(p Persona, text string) { t.Srv.SendText(tgUser(p), text) }

// SendContact shares a phone number.
func (t *Telegram) SendContact(p Persona, phone string) { t.Srv.SendContact(tgUser(p), phone) }

// Messages is the chat with p.
func (t *Telegram) Messages(p Persona) []Message {
	var out []Message
	for _, m := range t.Srv.Messages(p.TelegramID) {
		msg := Message{Key: strconv.Itoa(m.ID), Text: m.Text, Keyboard: m.Keyboard, Removed: m.Deleted, NoKeys: m.RemoveKeyboard}
		switch {
		case m.Document != nil:
			msg.Media = fmt.Sprintf("[tệp %s, %d byte]", m.Document.Name, len(m.Document.Data))
		case m.Photo != "":
			msg.Media = "[ảnh]"
		}
		id, user := m.ID, tgUser(p)
		for _, row := range m.Buttons {
			var r []Button
			for _, b := range row {
				btn := Button{Text: b.Text, URL: b.URL}
				if b.Data != "" {
					data := b.Data
					btn.press = func() { t.Srv.Press(user, id, data) }
				}
				r = append(r, btn)
			}
			msg.Buttons = append(msg.Buttons, r)
		}
		out = append(out, msg)
	}
	return out
}

// Toasts are the texts of callback answers since the last call.
func (t *Telegram) Toasts(Persona) []string {
	calls := t.Srv.CallsTo("answerCallbackQuery")
	var out []string
	for _, c := range calls[min(t.toasts, len(calls)):] {
		if txt := c.Params["text"]; txt != "" {
			out = append(out, txt)
		}
	}
	t.toasts = len(calls)
	return out
}

// Settle waits for the bot to take and handle what was sent, then for its
// background sends to go quiet.
func (t *Telegram) Settle() {
	t.Srv.WaitUpdatesConsumed(10 * time.Second)
	if t.Idle != nil {
		t.Idle(10 * time.Second)
	}
	for i := 0; i < 20; i++ {
		n := t.Srv.SentCount()
		if !t.Srv.WaitFor(300*time.Millisecond, func(srv *telegramtest.Server) bool { return srv.SentCount() > n }) {
			break
		}
	}
}
