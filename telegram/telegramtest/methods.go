package telegramtest

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Bot API error descriptions the server returns.
const (
	blockedDesc     = "Forbidden: bot was blocked by the user"
	notModifiedDesc = "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"
	queryDesc       = "Bad Request: query is too old and response timeout expired or query ID is invalid"
)

// The handlers below run with s.mu held.

func (s *Server) getMe(*request) reply {
	u := s.botUser()
	u.CanJoinGroups = true
	return okReply(u)
}

func (s *Server) deleteWebhook(r *request) reply {
	if r.params["drop_pending_updates"] == "true" && len(s.updates) > 0 {
		s.updates = nil
	}
	return okReply(true)
}

func (s *Server) getWebhookInfo(*request) reply {
	return okReply(map[string]any{"url": "", "has_custom_certificate": false, "pending_update_count": len(s.updates)})
}

// targetLocked reads chat_id; when blockable, a chat the user blocked fails
// with 403.
func (s *Server) targetLocked(r *request, blockable bool) (int64, reply, bool) {
	v := r.params["chat_id"]
	if v == "" {
		return 0, badRequest("Bad Request: chat_id is empty"), false
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id == 0 {
		return 0, badRequest("Bad Request: chat not found"), false
	}
	if c := s.chats[id]; blockable && c != nil && c.blocked {
		return 0, errReply(http.StatusForbidden, blockedDesc), false
	}
	return id, reply{}, true
}

// messageLocked finds the message that message_id names in chatID. It
// returns a nil entry and ok when the message cannot be checked because the
// chat has messages sent while recording was off.
func (s *Server) messageLocked(r *request, chatID int64, notFound string) (*entry, reply, bool) {
	v := r.params["message_id"]
	if v == "" {
		return nil, badRequest("Bad Request: message identifier is not specified"), false
	}
	id, err := strconv.Atoi(v)
	if err != nil || id <= 0 {
		return nil, badRequest("Bad Request: MESSAGE_ID_INVALID"), false
	}
	if e := s.findLocked(chatID, id); e != nil {
		return e, reply{}, true
	}
	if c := s.chats[chatID]; c != nil && c.unretained && id <= s.lastMessage {
		return nil, reply{}, true
	}
	return nil, badRequest(notFound), false
}

func (e *entry) applyMarkup(mk markup) {
	e.msg.Buttons = mk.inline
	e.msg.Keyboard = mk.keyboard
	e.msg.RemoveKeyboard = mk.remove
}

func (s *Server) sendMessage(r *request) reply {
	chatID, fail, ok := s.targetLocked(r, true)
	if !ok {
		return fail
	}
	text, pm := r.params["text"], r.params["parse_mode"]
	plain, bad := checkText(text, pm, false)
	if bad != "" {
		return badRequest(bad)
	}
	mk, bad := parseMarkup(r.params["reply_markup"])
	if bad != "" {
		return badRequest(bad)
	}
	e := &entry{fromBot: true, kind: kindText, plain: plain, msg: Message{Text: text, ParseMode: pm}}
	e.applyMarkup(mk)
	s.addLocked(chatID, e, "< "+e.render())
	return okReply(s.wireMessageLocked(e))
}

// editLocked applies an edit to e and records it in the transcript.
func (s *Server) editLocked(e *entry, buttons [][]Button) {
	removed := len(e.msg.Buttons) > 0 && len(buttons) == 0
	e.msg.Buttons = buttons
	e.msg.Edited = true
	e.edited = time.Now().Unix()
	line := "< (edit #" + strconv.Itoa(e.seq) + ") " + e.render()
	if removed {
		line += " [buttons removed]"
	}
	s.lineLocked(e.msg.ChatID, line)
}

// editMarkup parses the inline keyboard of an edit. Omitting it
// removes the message's keyboard, as in Telegram.
func editMarkup(r *request) ([][]Button, string) {
	mk, bad := parseMarkup(r.params["reply_markup"])
	if bad != "" {
		return nil, bad
	}
	if mk.other {
		return nil, "Bad Request: inline keyboard expected"
	}
	return mk.inline, ""
}

// unchecked stands in for a message the server did not retain.
func unchecked(chatID int64, r *request, kind string) *entry {
	id, _ := strconv.Atoi(r.params["message_id"])
	return &entry{fromBot: true, kind: kind, date: time.Now().Unix(), msg: Message{ID: id, ChatID: chatID}}
}

// editTargetLocked finds the bot message an edit method names and parses
// its new inline keyboard; a message the server did not retain stands in
// as kind. It fails as Telegram does for inline messages, unknown chats
// and messages, and messages the bot did not send.
func (s *Server) editTargetLocked(r *request, kind string) (*entry, [][]Button, reply, bool) {
	if r.params["inline_message_id"] != "" {
		return nil, nil, badRequest("Bad Request: MESSAGE_ID_INVALID"), false
	}
	chatID, fail, ok := s.targetLocked(r, true)
	if !ok {
		return nil, nil, fail, false
	}
	buttons, bad := editMarkup(r)
	if bad != "" {
		return nil, nil, badRequest(bad), false
	}
	e, fail, ok := s.messageLocked(r, chatID, "Bad Request: message to edit not found")
	if !ok {
		return nil, nil, fail, false
	}
	if e == nil {
		e = unchecked(chatID, r, kind)
	}
	if !e.fromBot {
		return nil, nil, badRequest("Bad Request: message can't be edited"), false
	}
	return e, buttons, reply{}, true
}

func (s *Server) editMessageText(r *request) reply {
	text, pm := r.params["text"], r.params["parse_mode"]
	plain, bad := checkText(text, pm, false)
	if bad != "" {
		return badRequest(bad)
	}
	e, buttons, fail, ok := s.editTargetLocked(r, kindText)
	if !ok {
		return fail
	}
	switch {
	case e.kind != kindText:
		return badRequest("Bad Request: there is no text in the message to edit")
	case sameText(e, text, plain) && buttonsEqual(e.msg.Buttons, buttons):
		return badRequest(notModifiedDesc)
	}
	e.msg.Text, e.msg.ParseMode, e.plain = text, pm, plain
	s.editLocked(e, buttons)
	return okReply(s.wireMessageLocked(e))
}

// sameText approximates Telegram's comparison of text and entities: the
// displayed text is equal and so is the formatting (the raw text, or both
// have none).
func sameText(e *entry, text, plain string) bool {
	if e.plain != plain {
		return false
	}
	return e.msg.Text == text || e.msg.Text == e.plain && text == plain
}

func (s *Server) editMessageReplyMarkup(r *request) reply {
	e, buttons, fail, ok := s.editTargetLocked(r, kindText)
	if !ok {
		return fail
	}
	switch {
	case buttonsEqual(e.msg.Buttons, buttons):
		return badRequest(notModifiedDesc)
	}
	s.editLocked(e, buttons)
	return okReply(s.wireMessageLocked(e))
}

func (s *Server) editMessageCaption(r *request) reply {
	caption, pm := r.params["caption"], r.params["parse_mode"]
	plain, bad := checkText(caption, pm, true)
	if bad != "" {
		return badRequest(bad)
	}
	e, buttons, fail, ok := s.editTargetLocked(r, kindDocument)
	if !ok {
		return fail
	}
	switch {
	case e.kind == kindText || e.kind == kindContact:
		return badRequest("Bad Request: there is no caption in the message to edit")
	case sameText(e, caption, plain) && buttonsEqual(e.msg.Buttons, buttons):
		return badRequest(notModifiedDesc)
	}
	e.msg.Text, e.msg.ParseMode, e.plain = caption, pm, plain
	s.editLocked(e, buttons)
	return okReply(s.wireMessageLocked(e))
}

func (s *Server) deleteMessage(r *request) reply {
	chatID, fail, ok := s.targetLocked(r, false)
	if !ok {
		return fail
	}
	e, fail, ok := s.messageLocked(r, chatID, "Bad Request: message to delete not found")
	if !ok {
		return fail
	}
	if e != nil {
		e.msg.Deleted = true
		s.lineLocked(chatID, "< (delete #"+strconv.Itoa(e.seq)+")")
	}
	return okReply(true)
}

func (s *Server) answerCallbackQuery(r *request) reply {
	id := r.params["callback_query_id"]
	chatID, ok := s.callbacks[id]
	if !ok {
		return badRequest(queryDesc)
	}
	text := r.params["text"]
	if utf16Len(text) > 200 {
		return badRequest("Bad Request: MESSAGE_TOO_LONG")
	}
	delete(s.callbacks, id)
	if text != "" {
		kind := "answer"
		if r.params["show_alert"] == "true" {
			kind = "alert"
		}
		s.lineLocked(chatID, "< ("+kind+") "+indent(text))
	}
	return okReply(true)
}

var chatActions = map[string]bool{
	"typing": true, "upload_photo": true, "record_video": true, "upload_video": true,
	"record_voice": true, "upload_voice": true, "upload_document": true, "choose_sticker": true,
	"find_location": true, "record_video_note": true, "upload_video_note": true,
}

func (s *Server) sendChatAction(r *request) reply {
	if _, fail, ok := s.targetLocked(r, true); !ok {
		return fail
	}
	if !chatActions[r.params["action"]] {
		return badRequest("Bad Request: wrong parameter action in request")
	}
	return okReply(true)
}

var commandName = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

// commandsKey is the key of a scope and language in s.commands, matching
// the scope argument of Commands.
func commandsKey(r *request) (string, string) {
	key := "default"
	if raw := r.params["scope"]; raw != "" {
		var sc struct {
			Type   string          `json:"type"`
			ChatID json.RawMessage `json:"chat_id"`
			UserID int64           `json:"user_id"`
		}
		if err := json.Unmarshal([]byte(raw), &sc); err != nil {
			return "", "Bad Request: can't parse BotCommandScope JSON object"
		}
		chat := strings.Trim(string(sc.ChatID), `"`)
		switch sc.Type {
		case "default", "all_private_chats", "all_group_chats", "all_chat_administrators":
			key = sc.Type
		case "chat", "chat_administrators":
			key = sc.Type + ":" + chat
		case "chat_member":
			key = sc.Type + ":" + chat + ":" + strconv.FormatInt(sc.UserID, 10)
		default:
			return "", "Bad Request: unsupported bot command scope type"
		}
	}
	return key + "|" + r.params["language_code"], ""
}

func (s *Server) setMyCommands(r *request) reply {
	key, bad := commandsKey(r)
	if bad != "" {
		return badRequest(bad)
	}
	var cmds []Command
	if err := json.Unmarshal([]byte(r.params["commands"]), &cmds); err != nil {
		return badRequest("Bad Request: can't parse commands JSON object")
	}
	if len(cmds) > 100 {
		return badRequest("Bad Request: too many commands")
	}
	for _, c := range cmds {
		if !commandName.MatchString(c.Command) {
			return badRequest("Bad Request: BOT_COMMAND_INVALID")
		}
		if n := utf16Len(c.Description); n == 0 || n > 256 {
			return badRequest("Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
		}
	}
	s.commands[key] = cmds
	return okReply(true)
}

func (s *Server) getMyCommands(r *request) reply {
	key, bad := commandsKey(r)
	if bad != "" {
		return badRequest(bad)
	}
	return okReply(append([]Command{}, s.commands[key]...))
}

func (s *Server) deleteMyCommands(r *request) reply {
	key, bad := commandsKey(r)
	if bad != "" {
		return badRequest(bad)
	}
	delete(s.commands, key)
	return okReply(true)
}

func (s *Server) sendPhoto(r *request) reply    { return s.sendMedia(r, "photo", kindPhoto) }
func (s *Server) sendDocument(r *request) reply { return s.sendMedia(r, "document", kindDocument) }
func (s *Server) sendVoice(r *request) reply    { return s.sendMedia(r, "voice", kindVoice) }

// sendMedia sends a file given as an upload in field, or as a file_id or
// URL in the parameter field.
func (s *Server) sendMedia(r *request, field, kind string) reply {
	chatID, fail, ok := s.targetLocked(r, true)
	if !ok {
		return fail
	}
	caption, pm := r.params["caption"], r.params["parse_mode"]
	plain, bad := checkText(caption, pm, true)
	if bad != "" {
		return badRequest(bad)
	}
	mk, bad := parseMarkup(r.params["reply_markup"])
	if bad != "" {
		return badRequest(bad)
	}
	e := &entry{fromBot: true, kind: kind, plain: plain, msg: Message{Text: caption, ParseMode: pm}}
	if up, ok := r.files[field]; ok {
		if len(up.data) == 0 {
			return badRequest("Bad Request: file must be non-empty")
		}
		e.fileID = s.newFileIDLocked(kind)
		e.size = len(up.data)
		e.label = fileLabel(up.name, len(up.data))
		f := s.fileLocked(e.fileID, kind)
		f.name, f.size = up.name, len(up.data)
		if s.record {
			f.data, f.hasData = up.data, true
		}
		if kind == kindDocument {
			e.msg.Document = &File{Name: up.name, Data: up.data}
		}
	} else if ref := r.params[field]; ref != "" {
		e.fileID, e.label = ref, ref
		if strings.HasPrefix(ref, "http://") || strings.HasPrefix(ref, "https://") {
			e.fileID = s.newFileIDLocked(kind)
		}
		name := ref
		var data []byte
		if f := s.files[ref]; f != nil {
			e.size = f.size
			if f.name != "" {
				name = f.name
			}
			data = f.data
		}
		if kind == kindDocument {
			e.msg.Document = &File{Name: name, Data: data}
		}
	} else {
		return badRequest("Bad Request: there is no " + field + " in the request")
	}
	if kind == kindPhoto {
		e.msg.Photo = e.fileID
	}
	e.applyMarkup(mk)
	s.addLocked(chatID, e, "< "+e.render())
	return okReply(s.wireMessageLocked(e))
}

// sourceLocked finds the message copyMessage or forwardMessage names.
func (s *Server) sourceLocked(r *request, desc string) (*entry, reply, bool) {
	v := r.params["from_chat_id"]
	if v == "" {
		return nil, badRequest("Bad Request: from_chat_id is empty"), false
	}
	from, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil, badRequest("Bad Request: chat not found"), false
	}
	e, fail, ok := s.messageLocked(r, from, desc)
	if ok && e == nil {
		e = unchecked(from, r, kindText)
	}
	return e, fail, ok
}

// copyOf is a new bot message with src's content.
func copyOf(src *entry) *entry {
	return &entry{
		fromBot: true, kind: src.kind, plain: src.plain, fileID: src.fileID, label: src.label,
		size: src.size, phone: src.phone,
		msg: Message{Text: src.msg.Text, ParseMode: src.msg.ParseMode, Document: src.msg.Document, Photo: src.msg.Photo},
	}
}

func (s *Server) copyMessage(r *request) reply {
	chatID, fail, ok := s.targetLocked(r, true)
	if !ok {
		return fail
	}
	src, fail, ok := s.sourceLocked(r, "Bad Request: message to copy not found")
	if !ok {
		return fail
	}
	mk, bad := parseMarkup(r.params["reply_markup"])
	if bad != "" {
		return badRequest(bad)
	}
	e := copyOf(src)
	if caption, set := r.params["caption"]; set && src.kind != kindText {
		pm := r.params["parse_mode"]
		plain, bad := checkText(caption, pm, true)
		if bad != "" {
			return badRequest(bad)
		}
		e.msg.Text, e.msg.ParseMode, e.plain = caption, pm, plain
	}
	e.applyMarkup(mk)
	s.addLocked(chatID, e, "< (copy) "+e.render())
	return okReply(apiMessageID{MessageID: e.msg.ID})
}

func (s *Server) forwardMessage(r *request) reply {
	chatID, fail, ok := s.targetLocked(r, true)
	if !ok {
		return fail
	}
	src, fail, ok := s.sourceLocked(r, "Bad Request: message to forward not found")
	if !ok {
		return fail
	}
	e := copyOf(src)
	s.addLocked(chatID, e, "< (forward) "+e.render())
	m := s.wireMessageLocked(e)
	m.ForwardDate = src.date
	if !src.fromBot {
		if u, ok := s.users[src.msg.ChatID]; ok {
			wu := wireUser(u)
			m.ForwardFrom = &wu
		}
	} else {
		bot := s.botUser()
		m.ForwardFrom = &bot
	}
	return okReply(m)
}

func (s *Server) getChat(r *request) reply {
	chatID, fail, ok := s.targetLocked(r, false)
	if !ok {
		return fail
	}
	if c := s.chats[chatID]; c == nil || !c.known {
		return badRequest("Bad Request: chat not found")
	}
	return okReply(s.wireChatLocked(chatID))
}
