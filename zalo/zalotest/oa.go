package zalotest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"
)

// Limits the server enforces (code points).
const (
	MaxText        = 2000
	MaxButtons     = 5
	MaxButtonTitle = 100
	MaxPayload     = 1000
	MaxInfoTitle   = 100
	MaxInfoSub     = 500
	MaxImage       = 1 << 20
	MaxFile        = 5 << 20
)

// Message is what the bot sent a user, as the server accepted it.
type Message struct {
	ID   string
	User string
	Text string
	// Buttons of a button template, in order.
	Buttons []Button
	// Image is the URL or attachment_id of a media template's image.
	Image string
	// File is an uploaded file sent as an attachment.
	File *File
	// Info is a request-user-info template.
	Info *InfoRequest
}

// Button is a template button. Payload is the query string for
// oa.query.show / oa.query.hide, the URL for oa.open.url, the phone
// number for oa.open.phone.
type Button struct {
	Title, Type, Payload string
}

// File is an uploaded file.
type File struct {
	Name string
	Data []byte
}

// InfoRequest is a request-user-info template element.
type InfoRequest struct {
	Title, Subtitle, ImageURL string
}

// answer is a Zalo JSON answer.
type answer struct {
	Error   int    `json:"error"`
	Message string `json:"message"`
	Data    any    `json:"data,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

func writeFailure(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<html><body><h1>%d %s</h1></body></html>", status, http.StatusText(status))
}

// applyFault waits and fails as f says. It reports whether the call was
// answered (or abandoned), with the status and Zalo code recorded.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, f *Fault) (handled bool, status, code int) {
	if f == nil {
		return false, 0, 0
	}
	if f.Delay > 0 && !s.pause(r.Context(), f.Delay) {
		return true, 0, 0
	}
	switch {
	case f.Status != 0:
		writeFailure(w, f.Status)
		return true, f.Status, 0
	case f.Error != 0:
		writeJSON(w, http.StatusOK, answer{Error: f.Error, Message: errorMessage(f.Error)})
		return true, http.StatusOK, f.Error
	}
	return false, 0, 0
}

// tokenErrorLocked checks an access_token header: 0, -216 or -220.
func (s *Server) tokenErrorLocked(tok string) int {
	exp, ok := s.access[tok]
	switch {
	case tok == "" || !ok:
		return ErrInvalidToken
	case !s.now().Before(exp):
		return ErrExpiredToken
	}
	return 0
}

type wireMessage struct {
	Recipient struct {
		UserID string `json:"user_id"`
	} `json:"recipient"`
	Message *struct {
		Text       string          `json:"text"`
		Attachment *wireAttachment `json:"attachment"`
	} `json:"message"`
}

type wireAttachment struct {
	Type    string `json:"type"`
	Payload struct {
		TemplateType string `json:"template_type"`
		Buttons      []struct {
			Title   string          `json:"title"`
			Type    string          `json:"type"`
			Payload json.RawMessage `json:"payload"`
		} `json:"buttons"`
		Elements []struct {
			MediaType    string `json:"media_type"`
			URL          string `json:"url"`
			AttachmentID string `json:"attachment_id"`
			Title        string `json:"title"`
			Subtitle     string `json:"subtitle"`
			ImageURL     string `json:"image_url"`
		} `json:"elements"`
		Token string `json:"token"`
	} `json:"payload"`
}

func (s *Server) serveMessage(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	tok := r.Header.Get("access_token")
	var m wireMessage
	decErr := err
	if decErr == nil {
		dec := json.NewDecoder(bytes.NewReader(body))
		decErr = dec.Decode(&m)
	}
	to := m.Recipient.UserID
	call := Call{Endpoint: "message", Token: tok, Body: body, User: to}

	s.mu.Lock()
	f := s.takeFaultLocked("message", to)
	s.mu.Unlock()
	if done, status, code := s.applyFault(w, r, f); done {
		call.Status, call.Error = status, code
		s.mu.Lock()
		s.recordLocked(call)
		s.lineLocked(to, code, status)
		s.mu.Unlock()
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	code, desc := s.tokenErrorLocked(tok), ""
	var msg Message
	if code == 0 {
		if r.Method != http.MethodPost || decErr != nil {
			code, desc = ErrBadParameter, "body is not a JSON message"
		} else {
			msg, desc = s.checkMessageLocked(&m)
			if desc != "" {
				code = ErrBadParameter
			}
		}
	}
	if code == 0 {
		u := s.userLocked(to)
		switch {
		case u.banned:
			code = ErrInactiveUser
		case u.unfollowed:
			code = ErrNotFollower
		case u.last.IsZero() || s.now().Sub(u.last) > Window:
			code = ErrOutsideWindow
		}
	}
	call.Status, call.Error = http.StatusOK, code
	if code != 0 {
		if desc == "" {
			desc = errorMessage(code)
		}
		s.recordLocked(call)
		s.lineLocked(to, code, 0)
		writeJSON(w, http.StatusOK, answer{Error: code, Message: desc})
		return
	}
	s.lastMsg++
	msg.ID = fmt.Sprintf("%032x", s.lastMsg)
	msg.User = to
	u := s.userLocked(to)
	u.sent++
	s.sent++
	if s.record {
		u.msgs = append(u.msgs, msg)
		u.lines = append(u.lines, "< "+msg.render())
	}
	s.recordLocked(call)
	writeJSON(w, http.StatusOK, answer{Message: "Success", Data: map[string]string{"message_id": msg.ID, "user_id": to}})
}

// checkMessageLocked validates a message body and returns it, or a
// description of what is wrong.
func (s *Server) checkMessageLocked(m *wireMessage) (Message, string) {
	var out Message
	if m.Recipient.UserID == "" {
		return out, "recipient.user_id is missing"
	}
	if _, err := strconv.ParseUint(m.Recipient.UserID, 10, 64); err != nil {
		return out, "recipient.user_id is not a user ID"
	}
	if m.Message == nil {
		return out, "message is missing"
	}
	out.Text = m.Message.Text
	if !utf8.ValidString(out.Text) {
		return out, "text is not valid UTF-8"
	}
	if n := utf8.RuneCountInString(out.Text); n > MaxText {
		return out, fmt.Sprintf("text is %d characters, over %d", n, MaxText)
	}
	a := m.Message.Attachment
	if a == nil {
		if out.Text == "" {
			return out, "message has neither text nor attachment"
		}
		return out, ""
	}
	p := &a.Payload
	switch {
	case a.Type == "file":
		f := s.uploads[p.Token]
		if p.Token == "" || f == nil {
			return out, "file token is unknown"
		}
		out.File = f
	case a.Type != "template":
		return out, "attachment type " + strconv.Quote(a.Type) + " is unknown"
	case p.TemplateType == "media":
		if len(p.Elements) != 1 || p.Elements[0].MediaType != "image" {
			return out, "media template needs one image element"
		}
		e := p.Elements[0]
		switch {
		case e.URL != "":
			out.Image = e.URL
		case s.uploads[e.AttachmentID] != nil:
			out.Image = e.AttachmentID
		default:
			return out, "image element has no url or known attachment_id"
		}
	case p.TemplateType == "request_user_info":
		if len(p.Elements) != 1 {
			return out, "request_user_info needs one element"
		}
		e := p.Elements[0]
		if e.Title == "" || utf8.RuneCountInString(e.Title) > MaxInfoTitle {
			return out, "request_user_info title is empty or too long"
		}
		if utf8.RuneCountInString(e.Subtitle) > MaxInfoSub {
			return out, "request_user_info subtitle is too long"
		}
		out.Info = &InfoRequest{Title: e.Title, Subtitle: e.Subtitle, ImageURL: e.ImageURL}
	case p.TemplateType == "" || p.TemplateType == "button":
		if out.Text == "" {
			return out, "a button message needs text"
		}
		if len(p.Buttons) == 0 || len(p.Buttons) > MaxButtons {
			return out, fmt.Sprintf("%d buttons: 1 to %d allowed", len(p.Buttons), MaxButtons)
		}
		for _, b := range p.Buttons {
			if b.Title == "" || utf8.RuneCountInString(b.Title) > MaxButtonTitle {
				return out, "button title is empty or over 100 characters"
			}
			btn := Button{Title: b.Title, Type: b.Type}
			switch b.Type {
			case "oa.query.show", "oa.query.hide", "oa.open.sms":
				if json.Unmarshal(b.Payload, &btn.Payload) != nil || btn.Payload == "" {
					return out, "button payload must be a non-empty string"
				}
				if utf8.RuneCountInString(btn.Payload) > MaxPayload {
					return out, "button payload over 1000 characters"
				}
			case "oa.open.url":
				var u struct {
					URL string `json:"url"`
				}
				if json.Unmarshal(b.Payload, &u) != nil || u.URL == "" {
					return out, "oa.open.url needs payload.url"
				}
				btn.Payload = u.URL
			case "oa.open.phone":
				var u struct {
					Phone string `json:"phone_code"`
				}
				if json.Unmarshal(b.Payload, &u) != nil || u.Phone == "" {
					return out, "oa.open.phone needs payload.phone_code"
				}
				btn.Payload = u.Phone
			default:
				return out, "button type " + strconv.Quote(b.Type) + " is unknown"
			}
			out.Buttons = append(out.Buttons, btn)
		}
	default:
		return out, "template type " + strconv.Quote(p.TemplateType) + " is unknown"
	}
	return out, ""
}

func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request, endpoint string) {
	tok := r.Header.Get("access_token")
	call := Call{Endpoint: endpoint, Token: tok}
	s.mu.Lock()
	f := s.takeFaultLocked(endpoint, "")
	s.mu.Unlock()
	if done, status, code := s.applyFault(w, r, f); done {
		call.Status, call.Error = status, code
		s.mu.Lock()
		s.recordLocked(call)
		s.mu.Unlock()
		return
	}
	limit := int64(MaxFile)
	if endpoint == "upload/image" {
		limit = MaxImage
	}
	var file *File
	desc := ""
	if err := r.ParseMultipartForm(limit + 1<<20); err != nil {
		desc = "body is not multipart/form-data"
	} else {
		defer r.MultipartForm.RemoveAll()
		fh := r.MultipartForm.File["file"]
		if len(fh) == 0 {
			desc = "file is missing"
		} else if fh[0].Size > limit {
			desc = fmt.Sprintf("file is %d bytes, over %d", fh[0].Size, limit)
		} else if rd, err := fh[0].Open(); err != nil {
			desc = "file cannot be read"
		} else {
			data, err := io.ReadAll(rd)
			rd.Close()
			if err != nil {
				desc = "file cannot be read"
			}
			file = &File{Name: fh[0].Filename, Data: data}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	code := s.tokenErrorLocked(tok)
	if code == 0 && desc != "" {
		code = ErrBadParameter
	}
	call.Status, call.Error = http.StatusOK, code
	s.recordLocked(call)
	if code != 0 {
		if desc == "" {
			desc = errorMessage(code)
		}
		writeJSON(w, http.StatusOK, answer{Error: code, Message: desc})
		return
	}
	id := randomHex(16)
	s.uploads[id] = file
	data := map[string]string{"token": id}
	if endpoint == "upload/image" {
		data = map[string]string{"attachment_id": id}
	}
	writeJSON(w, http.StatusOK, answer{Message: "Success", Data: data})
}

// Uploads returns the files uploaded so far, by token.
func (s *Server) Uploads() map[string]File {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]File, len(s.uploads))
	for k, f := range s.uploads {
		out[k] = *f
	}
	return out
}

// expire is used by ExpireAccess.
func (s *Server) expireLocked(tok string) {
	if _, ok := s.access[tok]; ok {
		s.access[tok] = time.Time{}
	}
}
