package demo

import (
	"fmt"
	"time"

	"github.com/qnstartup/trolykhoinghiep/zalo/zalotest"
)

// Zalo plays the Zalo client against the fake Zalo OA: what the person
// types is posted to the bot as signed webhooks, and the bot's messages
// are read back from the fake OA API.
type Zalo struct {
	Srv  *zalotest.Server
	Idle func(time.Duration) bool // waits until the bot has handled its inbox
}

// Name is "zalo".
func (z *Zalo) Name() string { return "zalo" }

// SendText types text.
func (z *Zalo) SendText(p Persona, text string) { z.Srv.SendText(p.ZaloID, text) }

// SendContact answers a request for the phone number.
func (z *Zalo) SendContact(p Persona, phone string) { z.Srv.SubmitInfo(p.ZaloID, phone) }

// Messages is the chat with p: Zalo shows buttons one per row and cannot
// edit, so every message is new.
func (z *Zalo) Messages(p Persona) []Message {
	var out []Message
	for _, m := range z.Srv.Messages(p.ZaloID) {
		msg := Message{Key: m.ID, Text: m.Text}
		switch {
		case m.File != nil:
			msg.Media = fmt.Sprintf("[tệp %s, %d byte]", m.File.Name, len(m.File.Data))
		case m.Image != "":
			msg.Media = "[ảnh]"
		}
		user := p.ZaloID
		for _, b := range m.Buttons {
			btn := Button{Text: b.Title}
			switch b.Type {
			case "oa.open.url":
				btn.URL = b.Payload
			case "oa.query.show", "oa.query.hide":
				payload := b.Payload
				btn.press = func() { z.Srv.Press(user, payload) }
			}
			msg.Buttons = append(msg.Buttons, []Button{btn})
		}
		if m.Info != nil {
			msg.Text = m.Info.Title + "\n" + m.Info.Subtitle
			msg.Buttons = append(msg.Buttons, []Button{{Text: "📱 Chia sẻ số điện thoại", press: func() { z.Srv.SubmitInfo(user, "+84905000111") }}})
		}
		out = append(out, msg)
	}
	return out
}

// Toasts: Zalo has no button notices.
func (z *Zalo) Toasts(Persona) []string { return nil }

// Settle waits for the bot to handle what was posted (the webhook answered
// once it was committed), then for its background sends to go quiet.
func (z *Zalo) Settle() {
	if z.Idle != nil {
		z.Idle(10 * time.Second)
	}
	for i := 0; i < 20; i++ {
		n := z.Srv.SentCount()
		if !z.Srv.WaitFor(300*time.Millisecond, func(srv *zalotest.Server) bool { return srv.SentCount() > n }) {
			break
		}
	}
}
