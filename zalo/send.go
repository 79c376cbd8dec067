package zalo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"strings"
	"unicode/utf8"

	"github.com/qnstartup/trolykhoinghiep/bot"
)

// Zalo's limits, in code points (payload: bytes, within its 1,000
// characters).
const (
	maxText     = 2000
	maxButtons  = 5
	maxTitle    = 100
	maxPayload  = 1000
	maxSubtitle = 500
	// noText stands in for the text of a button message that has none:
	// Zalo needs one.
	noText = "⋯"
)

// Wire format of the OA message endpoint.
type (
	outMessage struct {
		Recipient struct {
			UserID string `json:"user_id"`
		} `json:"recipient"`
		Message outBody `json:"message"`
	}
	outBody struct {
		Text       string         `json:"text,omitempty"`
		Attachment *outAttachment `json:"attachment,omitempty"`
	}
	outAttachment struct {
		Type    string     `json:"type"`
		Payload outPayload `json:"payload"`
	}
	outPayload struct {
		TemplateType string       `json:"template_type,omitempty"`
		Buttons      []outButton  `json:"buttons,omitempty"`
		Elements     []outElement `json:"elements,omitempty"`
		Token        string       `json:"token,omitempty"`
	}
	outButton struct {
		Title   string `json:"title"`
		Type    string `json:"type"`
		Payload any    `json:"payload"`
	}
	outElement struct {
		MediaType string `json:"media_type,omitempty"`
		URL       string `json:"url,omitempty"`
		Title     string `json:"title,omitempty"`
		Subtitle  string `json:"subtitle,omitempty"`
		ImageURL  string `json:"image_url,omitempty"`
	}
)

// Send delivers r to the Zalo user to (an OA-scoped user ID) as one or more
// messages: a document (uploaded), a photo given by http(s) URL, the text
// with its buttons, and a request-user-info template for a
// RequestContact button. A photo or voice given as another platform's file
// ID cannot travel and is left out; a document Zalo refuses for good (too
// large, say) is left out and the rest sent. Text is cut at 2,000
// characters and buttons at five. It returns 0: Zalo message IDs are not
// numbers and messages cannot be edited.
//
// It starts at part r.SkipParts; a failure reports in SendError.Parts how
// many parts went out, so the bot sends the reply again from the one that
// failed and those delivered are not sent twice.
func (c *Channel) Send(ctx context.Context, to string, r bot.Reply) (int, error) {
	parts := c.render(r)
	for n := max(r.SkipParts, 0); n < len(parts); n++ {
		b := parts[n].body
		if d := parts[n].doc; d != nil {
			tok, err := c.upload(ctx, d)
			if se, ok := bot.AsSendError(err); ok && se.Temporary() {
				return 0, bot.WithParts(err, n)
			}
			if err != nil {
				c.log.Warn("zalo document not sent", "size", len(d.Data), "err", err)
				continue
			}
			b.Attachment.Payload.Token = tok
		}
		m := outMessage{Message: b}
		m.Recipient.UserID = to
		data, err := json.Marshal(m)
		if err != nil {
			return 0, &bot.SendError{Code: -1, Desc: "zalo: encode message: " + err.Error()}
		}
		if _, err := c.call(ctx, request{endpoint: "message", path: "/v3.0/oa/message/cs", contentType: "application/json", body: data}); err != nil {
			return 0, bot.WithParts(err, n)
		}
	}
	return 0, nil
}

// part is one message of a reply; a document's is uploaded when it is
// sent, and its token put in the body.
type part struct {
	body outBody
	doc  *bot.Document
}

// render turns a reply into its messages, in order.
func (c *Channel) render(r bot.Reply) []part {
	text := clip(strings.TrimSpace(r.Text), maxText)
	buttons, contact := c.buttons(r.Buttons)
	var out []part
	if d := r.Document; d != nil && len(d.Data) > 0 {
		out = append(out, part{body: outBody{Attachment: &outAttachment{Type: "file"}}, doc: d})
	}
	textSent := false
	switch {
	case isURL(r.Photo):
		img := outBody{Attachment: &outAttachment{Type: "template", Payload: outPayload{
			TemplateType: "media",
			Elements:     []outElement{{MediaType: "image", URL: r.Photo}},
		}}}
		if len(buttons) == 0 {
			img.Text, textSent = text, true
		}
		out = append(out, part{body: img})
	case r.Photo != "" || r.Voice != "":
		c.log.Debug("zalo cannot send another platform's file; text only")
	}
	// A lone phone request carries the text in its card.
	alone := contact != "" && len(buttons) == 0 && !textSent && utf8.RuneCountInString(text) <= maxSubtitle
	switch {
	case len(buttons) > 0:
		t := text
		if t == "" {
			t = noText
		}
		out = append(out, part{body: outBody{Text: t, Attachment: &outAttachment{Type: "template", Payload: outPayload{Buttons: buttons}}}})
	case text != "" && !textSent && !alone:
		out = append(out, part{body: outBody{Text: text}})
	}
	if contact != "" {
		el := outElement{Title: clip(contact, maxTitle), ImageURL: c.opt.InfoImageURL}
		if alone && text != el.Title {
			el.Subtitle = text
		}
		out = append(out, part{body: outBody{Attachment: &outAttachment{Type: "template", Payload: outPayload{
			TemplateType: "request_user_info", Elements: []outElement{el},
		}}}})
	}
	return out
}

// buttons converts inline buttons (rows flattened: Zalo shows one a row)
// and returns the title of a RequestContact button apart.
func (c *Channel) buttons(rows [][]bot.Button) (out []outButton, contact string) {
	dropped := 0
	for _, row := range rows {
		for _, b := range row {
			title := clip(strings.TrimSpace(b.Text), maxTitle)
			if title == "" {
				dropped++
				continue
			}
			var ob outButton
			switch {
			case b.RequestContact:
				if contact == "" {
					contact = title
				}
				continue
			case b.URL != "":
				ob = outButton{Title: title, Type: "oa.open.url", Payload: map[string]string{"url": b.URL}}
			case b.Data != "" && !b.Typed:
				p := CallbackPrefix + b.Data
				if len(p) > maxPayload || !utf8.ValidString(p) {
					dropped++
					continue
				}
				ob = outButton{Title: title, Type: "oa.query.hide", Payload: p}
			default: // Typed, or a bare label: a tap sends the words
				ob = outButton{Title: title, Type: "oa.query.show", Payload: clip(strings.TrimSpace(b.Text), maxPayload)}
			}
			if len(out) == maxButtons {
				dropped++
				continue
			}
			out = append(out, ob)
		}
	}
	if dropped > 0 {
		c.log.Warn("zalo buttons dropped: over the limit or invalid", "dropped", dropped)
	}
	return out, contact
}

func isURL(s string) bool {
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}

// upload sends a document to the file upload endpoint and returns its
// token.
func (c *Channel) upload(ctx context.Context, d *bot.Document) (string, error) {
	if len(d.Data) > c.opt.MaxUpload {
		return "", fmt.Errorf("%d bytes, over the %d allowed", len(d.Data), c.opt.MaxUpload)
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	name := d.Name
	if name == "" {
		name = "file"
	}
	fw, err := w.CreateFormFile("file", name)
	if err != nil {
		return "", err
	}
	fw.Write(d.Data)
	if err := w.Close(); err != nil {
		return "", err
	}
	data, err := c.call(ctx, request{endpoint: "upload/file", path: "/v2.0/oa/upload/file", contentType: w.FormDataContentType(), body: buf.Bytes()})
	if err != nil {
		return "", err
	}
	var res struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal(data, &res); err != nil || res.Token == "" {
		return "", fmt.Errorf("upload answer without a token")
	}
	return res.Token, nil
}
