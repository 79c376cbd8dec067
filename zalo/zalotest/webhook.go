package zalotest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// Signing is how the server signs the webhook events it sends.
type Signing int

// Signing modes. The first three are the readings of Zalo's scheme found in
// public sources; the others are attacks.
const (
	// SignOAKey: mac = sha256(app_id + body + timestamp + OA secret key).
	SignOAKey Signing = iota
	// SignAppSecret: the app secret instead of the OA secret key.
	SignAppSecret
	// SignOAID: the OA's ID instead of the app's as the first term.
	SignOAID
	// SignWrongKey signs with a key the bot does not know.
	SignWrongKey
	// SignForged sends a well-formed mac of random bytes.
	SignForged
	// SignNone sends no X-ZEvent-Signature header.
	SignNone
)

// Mac is the X-ZEvent-Signature value for body: "mac=" + hex sha256 of
// first + body + timestamp + key.
func Mac(first string, body []byte, timestamp, key string) string {
	h := sha256.New()
	h.Write([]byte(first))
	h.Write(body)
	h.Write([]byte(timestamp))
	h.Write([]byte(key))
	return "mac=" + hex.EncodeToString(h.Sum(nil))
}

// Delivery is one webhook POST the server made.
type Delivery struct {
	Event     string
	User      string
	Body      []byte
	Signature string // "" when none was sent
	Status    int    // 0 when the request failed
}

// SetWebhook sets the bot's webhook URL (…/zalo/webhook).
func (s *Server) SetWebhook(url string) {
	s.mu.Lock()
	s.webhook = url
	s.mu.Unlock()
}

// SetSigning sets how later deliveries are signed (default SignOAKey).
func (s *Server) SetSigning(m Signing) {
	s.mu.Lock()
	s.signing = m
	s.mu.Unlock()
}

// Deliveries returns every webhook POST made so far.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivery(nil), s.deliveries...)
}

type idObj struct {
	ID string `json:"id"`
}

type wireEvent struct {
	AppID       string    `json:"app_id"`
	OAID        string    `json:"oa_id,omitempty"`
	UserIDByApp string    `json:"user_id_by_app"`
	EventName   string    `json:"event_name"`
	Timestamp   string    `json:"timestamp"`
	Source      string    `json:"source,omitempty"`
	Sender      *idObj    `json:"sender,omitempty"`
	Recipient   *idObj    `json:"recipient,omitempty"`
	Follower    *idObj    `json:"follower,omitempty"`
	Message     *wireMsg  `json:"message,omitempty"`
	Info        *wireInfo `json:"info,omitempty"`
}

type wireMsg struct {
	MsgID       string       `json:"msg_id"`
	Text        string       `json:"text,omitempty"`
	Attachments []wireAttach `json:"attachments,omitempty"`
}

type wireAttach struct {
	Type    string         `json:"type"`
	Payload map[string]any `json:"payload"`
}

type wireInfo struct {
	Name    string `json:"name"`
	Phone   string `json:"phone"`
	Address string `json:"address"`
	City    string `json:"city"`
}

// event builds an event from user, with a fresh timestamp (and msg_id when
// msg is set), and records the interaction.
func (s *Server) event(name, user string, msg *wireMsg, line string) *wireEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	ts := now.UnixMilli()
	if ts <= s.lastTS {
		ts = s.lastTS + 1
	}
	s.lastTS = ts
	ev := &wireEvent{AppID: s.appID, UserIDByApp: "app" + user, EventName: name, Timestamp: strconv.FormatInt(ts, 10)}
	u := s.userLocked(user)
	switch name {
	case "follow", "unfollow":
		ev.OAID, ev.Follower, ev.Source = s.oaID, &idObj{ID: user}, "oa_profile"
		u.unfollowed = name == "unfollow"
	default:
		ev.Sender, ev.Recipient = &idObj{ID: user}, &idObj{ID: s.oaID}
	}
	if name != "unfollow" {
		u.last = now
	}
	if msg != nil {
		s.lastMsg++
		msg.MsgID = fmt.Sprintf("%032x", s.lastMsg)
		ev.Message = msg
	}
	if s.record {
		u.lines = append(u.lines, "> "+line)
	}
	return ev
}

// post marshals, signs and POSTs an event.
func (s *Server) post(ev *wireEvent, user string) (int, error) {
	body, err := json.Marshal(ev)
	if err != nil {
		return 0, fmt.Errorf("encode event: %w", err)
	}
	s.mu.Lock()
	sig := ""
	switch s.signing {
	case SignOAKey:
		sig = Mac(s.appID, body, ev.Timestamp, s.oaKey)
	case SignAppSecret:
		sig = Mac(s.appID, body, ev.Timestamp, s.appSecret)
	case SignOAID:
		sig = Mac(s.oaID, body, ev.Timestamp, s.oaKey)
	case SignWrongKey:
		sig = Mac(s.appID, body, ev.Timestamp, "not-the-key")
	case SignForged:
		sig = "mac=" + randomHex(32)
	}
	s.mu.Unlock()
	return s.deliver(Delivery{Event: ev.EventName, User: user, Body: body, Signature: sig})
}

func (s *Server) deliver(d Delivery) (int, error) {
	s.mu.Lock()
	url := s.webhook
	s.mu.Unlock()
	if url == "" {
		return 0, fmt.Errorf("zalotest: no webhook set")
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(d.Body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if d.Signature != "" {
		req.Header.Set("X-ZEvent-Signature", d.Signature)
	}
	resp, err := s.client.Do(req)
	if err == nil {
		d.Status = resp.StatusCode
		resp.Body.Close()
	}
	s.mu.Lock()
	if s.record {
		s.deliveries = append(s.deliveries, d)
		if d.User != "" && d.Status != http.StatusOK {
			u := s.userLocked(d.User)
			u.lines = append(u.lines, "! webhook "+strconv.Itoa(d.Status))
		}
	}
	s.notifyLocked()
	s.mu.Unlock()
	if err != nil {
		return 0, fmt.Errorf("post webhook: %w", err)
	}
	return d.Status, nil
}

// Replay POSTs delivery i again, the same bytes and signature, as Zalo's
// retries do.
func (s *Server) Replay(i int) (int, error) {
	s.mu.Lock()
	if i < 0 || i >= len(s.deliveries) {
		s.mu.Unlock()
		return 0, fmt.Errorf("zalotest: no delivery %d", i)
	}
	d := s.deliveries[i]
	s.mu.Unlock()
	d.Status = 0
	return s.deliver(d)
}

// PostRaw POSTs body to the webhook with signature as X-ZEvent-Signature
// ("" sends none).
func (s *Server) PostRaw(body []byte, signature string) (int, error) {
	return s.deliver(Delivery{Body: body, Signature: signature})
}

// Sign is the correct X-ZEvent-Signature for a body whose app_id and
// timestamp are given.
func (s *Server) Sign(body []byte, appID, timestamp string) string {
	return Mac(appID, body, timestamp, s.oaKey)
}

// SendText delivers user_send_text.
func (s *Server) SendText(user, text string) (int, error) {
	return s.post(s.event("user_send_text", user, &wireMsg{Text: text}, indent(text)), user)
}

// Press delivers a tap on a query button: user_send_text whose text is the
// button's payload (UNCONFIRMED reading of Zalo's docs).
func (s *Server) Press(user, payload string) (int, error) {
	return s.post(s.event("user_send_text", user, &wireMsg{Text: payload}, "[press "+payload+"]"), user)
}

// SendImage delivers user_send_image with an image URL and optional text.
func (s *Server) SendImage(user, url, caption string) (int, error) {
	m := &wireMsg{Text: caption, Attachments: []wireAttach{{Type: "image", Payload: map[string]any{"url": url, "thumbnail": url}}}}
	line := "[image " + url + "]"
	if caption != "" {
		line += " " + indent(caption)
	}
	return s.post(s.event("user_send_image", user, m, line), user)
}

// SendAudio delivers user_send_audio (a voice note).
func (s *Server) SendAudio(user, url string) (int, error) {
	m := &wireMsg{Attachments: []wireAttach{{Type: "audio", Payload: map[string]any{"url": url}}}}
	return s.post(s.event("user_send_audio", user, m, "[audio "+url+"]"), user)
}

// SendFile delivers user_send_file; size goes as a string, as Zalo sends it.
func (s *Server) SendFile(user, url, name string, size int) (int, error) {
	m := &wireMsg{Attachments: []wireAttach{{Type: "file", Payload: map[string]any{"url": url, "name": name, "size": strconv.Itoa(size), "type": "pdf"}}}}
	return s.post(s.event("user_send_file", user, m, "[file "+fileLabel(name, size)+"]"), user)
}

// SendLocation delivers user_send_location; coordinates go as strings.
func (s *Server) SendLocation(user string, lat, lon float64) (int, error) {
	la, lo := strconv.FormatFloat(lat, 'f', -1, 64), strconv.FormatFloat(lon, 'f', -1, 64)
	m := &wireMsg{Attachments: []wireAttach{{Type: "location", Payload: map[string]any{"coordinates": map[string]string{"latitude": la, "longitude": lo}}}}}
	return s.post(s.event("user_send_location", user, m, "[location "+la+","+lo+"]"), user)
}

// SendSticker delivers user_send_sticker.
func (s *Server) SendSticker(user string) (int, error) {
	m := &wireMsg{Attachments: []wireAttach{{Type: "sticker", Payload: map[string]any{"id": "sticker-1", "url": "https://zalo.example/sticker/1"}}}}
	return s.post(s.event("user_send_sticker", user, m, "[sticker]"), user)
}

// SendGIF delivers user_send_gif.
func (s *Server) SendGIF(user string) (int, error) {
	m := &wireMsg{Attachments: []wireAttach{{Type: "gif", Payload: map[string]any{"url": "https://zalo.example/gif/1", "thumbnail": "https://zalo.example/gif/1.jpg"}}}}
	return s.post(s.event("user_send_gif", user, m, "[gif]"), user)
}

// Follow delivers follow.
func (s *Server) Follow(user string) (int, error) {
	return s.post(s.event("follow", user, nil, "[follow]"), user)
}

// Unfollow delivers unfollow; later messages to user fail with -213.
func (s *Server) Unfollow(user string) (int, error) {
	return s.post(s.event("unfollow", user, nil, "[unfollow]"), user)
}

// SubmitInfo delivers user_submit_info, the answer to a request-user-info
// template.
func (s *Server) SubmitInfo(user, phone string) (int, error) {
	ev := s.event("user_submit_info", user, nil, "[info "+phone+"]")
	ev.Info = &wireInfo{Name: "Người dùng", Phone: phone}
	return s.post(ev, user)
}

// SendEvent delivers an event of any name from user with the given text:
// for unknown or seen/received events.
func (s *Server) SendEvent(name, user, text string) (int, error) {
	return s.post(s.event(name, user, &wireMsg{Text: text}, "["+name+"] "+indent(text)), user)
}
