package telegramtest

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// User is a Telegram user talking to the bot in a private chat whose chat ID
// is the user's ID.
type User struct {
	ID                                          int64
	FirstName, LastName, Username, LanguageCode string
}

// pending is a queued update.
type pending struct {
	id  int
	raw []byte
}

// SendText queues a text message from u. A text starting with "/" carries a
// bot_command entity for its first word.
func (s *Server) SendText(u User, text string) int {
	e := &entry{kind: kindText, plain: text, msg: Message{Text: text}}
	return s.userMessage(u, e, "> "+indent(text))
}

// Press queues a callback query from u for a button with data on the bot's
// message messageID in u's chat. Each query gets a unique ID that
// answerCallbackQuery accepts once.
func (s *Server) Press(u User, messageID int, data string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.userLocked(u)
	s.lastCallback++
	id := strconv.FormatInt(4_000_000_000_000_000_000+s.lastCallback, 10)
	s.callbacks[id] = u.ID
	msg := apiMessage{MessageID: messageID, Chat: s.wireChatLocked(u.ID), Date: time.Now().Unix()}
	if e := s.findLocked(u.ID, messageID); e != nil {
		msg = s.wireMessageLocked(e)
	}
	q := &apiCallbackQuery{
		ID:           id,
		From:         wireUser(u),
		Message:      &msg,
		ChatInstance: strconv.FormatInt(-u.ID-1_000_000, 10),
		Data:         data,
	}
	s.lineLocked(u.ID, "> [press "+data+"]")
	return s.queueLocked(&apiUpdate{CallbackQuery: q})
}

// SendContact queues u sharing their own contact, as the reply keyboard's
// request_contact button does.
func (s *Server) SendContact(u User, phone string) int {
	e := &entry{kind: kindContact, phone: phone}
	return s.userMessage(u, e, "> [contact "+phone+"]")
}

// SendPhoto queues a photo from u. The update carries two sizes: a thumbnail
// with file_id fileID+"-thumb" and the full size with fileID, last as
// Telegram orders them.
func (s *Server) SendPhoto(u User, fileID, caption string) int {
	e := &entry{kind: kindPhoto, fileID: fileID, label: fileID, plain: caption, msg: Message{Text: caption, Photo: fileID}}
	line := "> [photo " + fileID + "]"
	if caption != "" {
		line += " " + indent(caption)
	}
	return s.userMessage(u, e, line)
}

// SendVoice queues a voice message from u.
func (s *Server) SendVoice(u User, fileID string) int {
	e := &entry{kind: kindVoice, fileID: fileID, label: fileID}
	return s.userMessage(u, e, "> [voice "+fileID+"]")
}

// SendDocument queues a document from u. getFile knows the file; its
// contents can be provided with PutFile.
func (s *Server) SendDocument(u User, fileID, fileName string, size int) int {
	e := &entry{kind: kindDocument, fileID: fileID, label: fileLabel(fileName, size), size: size,
		msg: Message{Document: &File{Name: fileName}}}
	return s.userMessage(u, e, "> [document "+fileLabel(fileName, size)+"]")
}

// Block queues the my_chat_member update Telegram sends when u blocks the
// bot (new status "kicked") and makes later sends to u fail with 403.
func (s *Server) Block(u User) int {
	return s.memberUpdate(u, "member", "kicked", true, "> [block]")
}

// Unblock queues the my_chat_member update of u restarting the bot (new
// status "member") and lets sends to u succeed again.
func (s *Server) Unblock(u User) int {
	return s.memberUpdate(u, "kicked", "member", false, "> [unblock]")
}

// SendRaw queues any update JSON. If raw is an object without update_id (or
// with 0), the server adds one. raw is served verbatim otherwise, even when
// it is not valid JSON (which makes the whole getUpdates response invalid).
func (s *Server) SendRaw(raw json.RawMessage) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := 0
	var probe struct {
		UpdateID *int `json:"update_id"`
	}
	body := bytes.TrimSpace(raw)
	isObject := json.Unmarshal(body, &probe) == nil && len(body) > 0 && body[0] == '{'
	if isObject && probe.UpdateID != nil && *probe.UpdateID != 0 {
		id = *probe.UpdateID
		if id >= s.nextUpdate {
			s.nextUpdate = id + 1
		}
	} else {
		id = s.nextUpdate
		s.nextUpdate++
		if isObject {
			body = withUpdateID(body, id, probe.UpdateID != nil)
		}
	}
	if chatID, ok := rawChatID(body); ok {
		s.lineLocked(chatID, "> [raw update]")
	}
	s.updates = append(s.updates, pending{id: id, raw: append([]byte(nil), body...)})
	s.notifyPollersLocked()
	s.notifyLocked()
	return id
}

// withUpdateID sets update_id in the JSON object obj.
func withUpdateID(obj []byte, id int, present bool) []byte {
	if present {
		var m map[string]json.RawMessage
		if json.Unmarshal(obj, &m) == nil {
			m["update_id"] = json.RawMessage(strconv.Itoa(id))
			if out, err := json.Marshal(m); err == nil {
				return out
			}
		}
		return obj
	}
	rest := bytes.TrimSpace(obj[1:])
	out := []byte(`{"update_id":` + strconv.Itoa(id))
	if len(rest) > 0 && rest[0] != '}' {
		out = append(out, ',')
	}
	return append(out, rest...)
}

// rawChatID finds the chat of a message or callback query update.
func rawChatID(raw []byte) (int64, bool) {
	type withChat struct {
		Chat *struct {
			ID int64 `json:"id"`
		} `json:"chat"`
	}
	var u struct {
		Message       *withChat `json:"message"`
		CallbackQuery *struct {
			Message *withChat `json:"message"`
		} `json:"callback_query"`
	}
	if json.Unmarshal(raw, &u) != nil {
		return 0, false
	}
	switch {
	case u.Message != nil && u.Message.Chat != nil:
		return u.Message.Chat.ID, true
	case u.CallbackQuery != nil && u.CallbackQuery.Message != nil && u.CallbackQuery.Message.Chat != nil:
		return u.CallbackQuery.Message.Chat.ID, true
	}
	return 0, false
}

// Polling reports whether a getUpdates long poll is waiting for updates:
// with no pending updates it means the bot is idle.
func (s *Server) Polling() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.polling > 0
}

// SetNextUpdateID makes the next queued update's update_id id (if it is
// higher than the IDs already used). A bot that keeps its offset across runs,
// as in the demo, can continue with a new server this way.
func (s *Server) SetNextUpdateID(id int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id > s.nextUpdate {
		s.nextUpdate = id
	}
}

// ResetUpdateIDs makes the next queued update's update_id next, lower or
// higher than those used before, as Telegram does after a week without
// updates (it restarts at a random value) and as a new fake server does
// (it starts at the same value every run).
func (s *Server) ResetUpdateIDs(next int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextUpdate = next
}

// RandomUpdateIDs restarts update IDs at a random value below 2^31 and
// returns it.
func (s *Server) RandomUpdateIDs() int {
	next := 1 + rand.IntN(1<<31-1)
	s.ResetUpdateIDs(next)
	return next
}

// SetInstant makes getUpdates answer at once, ignoring timeout, as a
// misbehaving proxy or server might: with nothing queued it returns an
// empty list immediately.
func (s *Server) SetInstant(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.instant = on
	s.notifyPollersLocked()
}

// SetResult makes getUpdates answer {"ok":true,"result":raw} at once (say
// an object or a string instead of a list) without confirming anything;
// nil restores normal answers.
func (s *Server) SetResult(raw json.RawMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rawResult = append(json.RawMessage(nil), raw...)
	if raw == nil {
		s.rawResult = nil
	}
	s.notifyPollersLocked()
}

// Polls is how many getUpdates calls the server has answered.
func (s *Server) Polls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.polls
}

// UpdatesFetched is how many update objects getUpdates has returned in
// all: an update fetched twice (not confirmed in between) counts twice.
func (s *Server) UpdatesFetched() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fetched
}

// PendingUpdates returns how many queued updates are not yet confirmed.
func (s *Server) PendingUpdates() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates)
}

// PutFile sets the contents served for fileID by getFile and the file
// download URL, URL()+"/file/bot<token>/<file_path>".
func (s *Server) PutFile(fileID string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.fileLocked(fileID, kindDocument)
	f.data = append([]byte(nil), data...)
	f.hasData = true
	f.size = len(data)
}

func (s *Server) userMessage(u User, e *entry, line string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.userLocked(u)
	s.addLocked(u.ID, e, line)
	if e.fileID != "" {
		f := s.fileLocked(e.fileID, e.kind)
		if e.msg.Document != nil {
			f.name = e.msg.Document.Name
		}
		if !f.hasData {
			f.size = e.size
		}
	}
	m := s.wireMessageLocked(e)
	if e.kind == kindText && strings.HasPrefix(e.plain, "/") {
		cmd, _, _ := strings.Cut(e.plain, " ")
		cmd, _, _ = strings.Cut(cmd, "\n")
		m.Entities = []apiEntity{{Type: "bot_command", Offset: 0, Length: utf16Len(cmd)}}
	}
	return s.queueLocked(&apiUpdate{Message: &m})
}

func (s *Server) memberUpdate(u User, oldStatus, newStatus string, blocked bool, line string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.userLocked(u)
	s.chatLocked(u.ID).blocked = blocked
	s.lineLocked(u.ID, line)
	bot := s.botUser()
	return s.queueLocked(&apiUpdate{MyChatMember: &apiChatMemberUpdated{
		Chat:          s.wireChatLocked(u.ID),
		From:          wireUser(u),
		Date:          time.Now().Unix(),
		OldChatMember: apiChatMember{User: bot, Status: oldStatus},
		NewChatMember: apiChatMember{User: bot, Status: newStatus},
	}})
}

func (s *Server) userLocked(u User) {
	s.users[u.ID] = u
	s.chatLocked(u.ID).known = true
}

func (s *Server) queueLocked(u *apiUpdate) int {
	u.UpdateID = s.nextUpdate
	s.nextUpdate++
	raw, err := json.Marshal(u)
	if err != nil {
		panic("telegramtest: encode update: " + err.Error())
	}
	s.updates = append(s.updates, pending{id: u.UpdateID, raw: raw})
	s.notifyPollersLocked()
	s.notifyLocked()
	return u.UpdateID
}

// confirmLocked drops the updates an offset confirms: those with a lower ID,
// or for a negative offset all but the last -offset updates. Without an
// offset (0) nothing is confirmed.
func (s *Server) confirmLocked(offset int) {
	if offset < 0 {
		if keep := -offset; keep < len(s.updates) {
			n := copy(s.updates, s.updates[len(s.updates)-keep:])
			clear(s.updates[n:])
			s.updates = s.updates[:n]
			s.notifyLocked()
		}
		return
	}
	if offset == 0 {
		return
	}
	n := 0
	for _, u := range s.updates {
		if u.id >= offset {
			s.updates[n] = u
			n++
		}
	}
	if n != len(s.updates) {
		clear(s.updates[n:])
		s.updates = s.updates[:n]
		s.notifyLocked()
	}
}

// getUpdates follows the Bot API: an offset confirms (and drops) every
// update with a lower ID; the answer holds the unconfirmed updates with an
// ID of at least offset (any ID without an offset), oldest first. An
// update queued later with a lower ID than a waiting poll's offset (IDs
// restarted) is not returned to that poll, nor dropped: a later call
// without an offset gets it. It answers at once when such updates are
// queued or timeout is 0, and otherwise waits for one, the timeout, the
// client going away or the server closing. A getUpdates call arriving
// while another waits ends the waiting one with 409 Conflict, as Telegram
// does.
func (s *Server) getUpdates(r *request) reply {
	offset, err1 := atoiParam(r.params, "offset")
	limit, err2 := atoiParam(r.params, "limit")
	timeout, err3 := atoiParam(r.params, "timeout")
	if err1 || err2 || err3 {
		return badRequest("Bad Request: wrong parameter value")
	}
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	var expired <-chan time.Time
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pollGen++
	gen := s.pollGen
	s.notifyPollersLocked()
	if s.conflict {
		return errReply(http.StatusConflict, conflictDesc)
	}
	if s.rawResult != nil {
		s.polls++
		body := append([]byte(`{"ok":true,"result":`), s.rawResult...)
		return reply{status: http.StatusOK, raw: append(body, '}')}
	}
	s.confirmLocked(offset)
	for {
		if s.conflict || gen != s.pollGen {
			return errReply(http.StatusConflict, conflictDesc)
		}
		if s.eligibleLocked(offset) > 0 || timeout <= 0 || s.closed || s.instant {
			s.polls++
			return s.batchLocked(offset, limit)
		}
		if expired == nil {
			t := time.NewTimer(time.Duration(timeout) * time.Second)
			defer t.Stop()
			expired = t.C
		}
		if s.polled == nil {
			s.polled = make(chan struct{})
		}
		ch := s.polled
		s.polling++
		s.notifyLocked()
		s.mu.Unlock()
		gone := false
		select {
		case <-ch:
		case <-expired:
			timeout = 0
		case <-r.ctx.Done():
			gone = true
		case <-s.done:
		}
		s.mu.Lock()
		s.polling--
		if gone {
			return reply{}
		}
	}
}

// eligibleLocked counts the queued updates a poll with offset returns.
func (s *Server) eligibleLocked(offset int) int {
	if offset <= 0 {
		return len(s.updates)
	}
	n := 0
	for _, u := range s.updates {
		if u.id >= offset {
			n++
		}
	}
	return n
}

func (s *Server) batchLocked(offset, limit int) reply {
	var out []pending
	for _, u := range s.updates {
		if len(out) == limit {
			break
		}
		if offset <= 0 || u.id >= offset {
			out = append(out, u)
		}
	}
	s.fetched += len(out)
	size := len(`{"ok":true,"result":[]}`)
	for _, u := range out {
		size += len(u.raw) + 1
	}
	body := make([]byte, 0, size)
	body = append(body, `{"ok":true,"result":[`...)
	for i, u := range out {
		if i > 0 {
			body = append(body, ',')
		}
		body = append(body, u.raw...)
	}
	body = append(body, "]}"...)
	return reply{status: http.StatusOK, raw: body}
}

func atoiParam(p map[string]string, key string) (int, bool) {
	v, ok := p[key]
	if !ok || v == "" {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	return n, err != nil
}

func (s *Server) botUser() apiUser {
	return apiUser{ID: botID, IsBot: true, FirstName: botName, Username: botUsername}
}

func wireUser(u User) apiUser {
	first := u.FirstName
	if first == "" {
		first = "User " + strconv.FormatInt(u.ID, 10)
	}
	return apiUser{ID: u.ID, FirstName: first, LastName: u.LastName, Username: u.Username, LanguageCode: u.LanguageCode}
}

func (s *Server) wireChatLocked(id int64) apiChat {
	if u, ok := s.users[id]; ok {
		wu := wireUser(u)
		return apiChat{ID: id, Type: "private", FirstName: wu.FirstName, LastName: wu.LastName, Username: wu.Username}
	}
	switch {
	case id < -1_000_000_000_000:
		return apiChat{ID: id, Type: "supergroup"}
	case id < 0:
		return apiChat{ID: id, Type: "group"}
	}
	return apiChat{ID: id, Type: "private"}
}

// wireMessageLocked is the Message object Telegram would return for e.
func (s *Server) wireMessageLocked(e *entry) apiMessage {
	chatID := e.msg.ChatID
	m := apiMessage{
		MessageID: e.msg.ID,
		Chat:      s.wireChatLocked(chatID),
		Date:      e.date,
		EditDate:  e.edited,
	}
	if e.fromBot {
		bot := s.botUser()
		m.From = &bot
		m.ReplyMarkup = inlineMarkup(e.msg.Buttons)
	} else if u, ok := s.users[chatID]; ok {
		wu := wireUser(u)
		m.From = &wu
	}
	unique := "u-" + e.fileID
	switch e.kind {
	case kindText:
		m.Text = e.plain
	case kindContact:
		c := &apiContact{PhoneNumber: e.phone}
		if u, ok := s.users[chatID]; ok && !e.fromBot {
			wu := wireUser(u)
			c.FirstName, c.LastName, c.UserID = wu.FirstName, wu.LastName, u.ID
		}
		m.Contact = c
	case kindPhoto:
		m.Caption = e.plain
		m.Photo = []apiPhotoSize{
			{FileID: e.fileID + "-thumb", FileUniqueID: unique + "-thumb", Width: 90, Height: 68, FileSize: 1800},
			{FileID: e.fileID, FileUniqueID: unique, Width: 1280, Height: 960, FileSize: max(e.size, 98_000)},
		}
	case kindDocument:
		m.Caption = e.plain
		d := &apiDocument{FileID: e.fileID, FileUniqueID: unique, FileSize: e.size}
		if e.msg.Document != nil {
			d.FileName = e.msg.Document.Name
			d.MimeType = mimeType(d.FileName)
		}
		m.Document = d
	case kindVoice:
		m.Caption = e.plain
		m.Voice = &apiVoice{FileID: e.fileID, FileUniqueID: unique, Duration: 3, MimeType: "audio/ogg", FileSize: max(e.size, 9_000)}
	}
	return m
}
