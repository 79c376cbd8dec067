package telegramtest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
)

func menu(rows ...[]tgbotapi.InlineKeyboardButton) tgbotapi.InlineKeyboardMarkup {
	return tgbotapi.NewInlineKeyboardMarkup(rows...)
}

func TestSendMessage(t *testing.T) {
	t.Run("InlineKeyboard", func(t *testing.T) {
		s, bot := MustBot(t)
		msg := tgbotapi.NewMessage(alice.ID, "<b>Chào</b> Lan &amp; nhóm")
		msg.ParseMode = tgbotapi.ModeHTML
		msg.ReplyMarkup = menu(tgbotapi.NewInlineKeyboardRow(
			tgbotapi.NewInlineKeyboardButtonData("Ý tưởng", "idea:new"),
			tgbotapi.NewInlineKeyboardButtonURL("Trang web", "https://example.org"),
		))
		got := MustSend(t, bot, msg)
		if got.MessageID == 0 || got.Chat.ID != alice.ID || got.Text != "Chào Lan & nhóm" || got.From == nil || !got.From.IsBot {
			t.Fatalf("result = %+v", got)
		}
		if got.ReplyMarkup == nil || *got.ReplyMarkup.InlineKeyboard[0][0].CallbackData != "idea:new" {
			t.Fatalf("result markup = %+v", got.ReplyMarkup)
		}
		m, ok := s.LastMessage(alice.ID)
		want := [][]telegramtest.Button{{{Text: "Ý tưởng", Data: "idea:new"}, {Text: "Trang web", URL: "https://example.org"}}}
		if !ok || m.ID != got.MessageID || m.Text != msg.Text || m.ParseMode != "HTML" || !equalButtons(m.Buttons, want) {
			t.Fatalf("LastMessage = %+v", m)
		}
		c := s.CallsTo("sendMessage")
		if len(c) != 1 || c[0].Params["chat_id"] != "1001" || c[0].Status != 200 || c[0].At.IsZero() {
			t.Fatalf("calls = %+v", c)
		}
	})

	t.Run("ReplyKeyboard", func(t *testing.T) {
		s, bot := MustBot(t)
		msg := tgbotapi.NewMessage(alice.ID, "Chọn")
		msg.ReplyMarkup = tgbotapi.NewReplyKeyboard(
			tgbotapi.NewKeyboardButtonRow(tgbotapi.NewKeyboardButton("Gửi ý tưởng"), tgbotapi.NewKeyboardButton("Hỏi chính sách")),
			tgbotapi.NewKeyboardButtonRow(tgbotapi.NewKeyboardButtonContact("Chia sẻ số điện thoại")),
		)
		got := MustSend(t, bot, msg)
		if got.ReplyMarkup != nil {
			t.Fatalf("reply keyboard echoed as inline markup: %+v", got.ReplyMarkup)
		}
		msg = tgbotapi.NewMessage(alice.ID, "Xong")
		msg.ReplyMarkup = tgbotapi.NewRemoveKeyboard(false)
		MustSend(t, bot, msg)
		ms := s.Messages(alice.ID)
		if len(ms) != 2 || len(ms[0].Keyboard) != 2 || ms[0].Keyboard[0][1] != "Hỏi chính sách" || !ms[1].RemoveKeyboard {
			t.Fatalf("messages = %+v", ms)
		}
	})

	t.Run("OnSent", func(t *testing.T) {
		s, bot := MustBot(t)
		var sent []int64
		s.SetOnSent(func(chat int64) { sent = append(sent, chat) })
		m := MustSend(t, bot, tgbotapi.NewMessage(alice.ID, "a"))
		s.SendText(alice, "từ người dùng")                                             // not the bot's: not counted
		MustRequest(t, bot, tgbotapi.NewEditMessageText(alice.ID, m.MessageID, "sửa")) // an edit is not a new message
		MustSend(t, bot, tgbotapi.NewMessage(2002, "b"))
		s.SetOnSent(nil)
		MustSend(t, bot, tgbotapi.NewMessage(alice.ID, "c"))
		if len(sent) != 2 || sent[0] != alice.ID || sent[1] != 2002 {
			t.Fatalf("OnSent saw %v, want [%d 2002]", sent, alice.ID)
		}
	})

	t.Run("IDsIncrease", func(t *testing.T) {
		s, bot := MustBot(t)
		a := MustSend(t, bot, tgbotapi.NewMessage(alice.ID, "a"))
		s.SendText(alice, "b")
		c := MustSend(t, bot, tgbotapi.NewMessage(2002, "c"))
		if !(a.MessageID < c.MessageID) || c.MessageID-a.MessageID != 2 {
			t.Fatalf("ids %d, %d", a.MessageID, c.MessageID)
		}
	})
}

func TestValidation(t *testing.T) {
	long := func(s string, n int) string { return strings.Repeat(s, n) }
	for _, tt := range []struct {
		name   string
		config func() tgbotapi.Chattable
		desc   string // "" when the call succeeds
	}{
		{"Empty", func() tgbotapi.Chattable { return tgbotapi.NewMessage(alice.ID, "") }, "Bad Request: message text is empty"},
		{"Blank", func() tgbotapi.Chattable { return tgbotapi.NewMessage(alice.ID, " \n ") }, "Bad Request: message text is empty"},
		{"EmptyAfterTags", func() tgbotapi.Chattable { return html("<b></b>") }, "Bad Request: message text is empty"},
		{"Max", func() tgbotapi.Chattable { return tgbotapi.NewMessage(alice.ID, long("a", 4096)) }, ""},
		{"TooLong", func() tgbotapi.Chattable { return tgbotapi.NewMessage(alice.ID, long("a", 4097)) }, "Bad Request: message is too long"},
		{"VietnameseMax", func() tgbotapi.Chattable { return tgbotapi.NewMessage(alice.ID, long("ệ", 4096)) }, ""},
		{"EmojiCountsTwice", func() tgbotapi.Chattable { return tgbotapi.NewMessage(alice.ID, long("🚀", 2049)) }, "Bad Request: message is too long"},
		{"EmojiMax", func() tgbotapi.Chattable { return tgbotapi.NewMessage(alice.ID, long("🚀", 2048)) }, ""},
		{"TagsNotCounted", func() tgbotapi.Chattable { return html("<b>" + long("a", 4096) + "</b>") }, ""},
		{"EntitiesCountOnce", func() tgbotapi.Chattable { return html(long("&amp;", 4096)) }, ""},
		{"EntitiesTooLong", func() tgbotapi.Chattable { return html(long("&lt;", 4097)) }, "Bad Request: message is too long"},
		{"UnknownTag", func() tgbotapi.Chattable { return html("a <br> b") }, `Bad Request: can't parse entities: Unsupported start tag "br" at byte offset 2`},
		{"BareLessThan", func() tgbotapi.Chattable { return html("1 < 2") }, `Bad Request: can't parse entities: Unsupported start tag "" at byte offset 2`},
		{"Unclosed", func() tgbotapi.Chattable { return html("<b>bold") }, `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`},
		{"Mismatched", func() tgbotapi.Chattable { return html("<b><i>x</b></i>") }, `Bad Request: can't parse entities: Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`},
		{"AllowedTags", func() tgbotapi.Chattable {
			return html(`<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>i</ins><s>s</s><strike>s</strike><del>d</del>` +
				`<a href="https://x.org/?a=1&amp;b=2">a</a><code>c</code><pre><code class="language-go">p</code></pre>` +
				`<tg-spoiler>t</tg-spoiler><span class="tg-spoiler">s</span><blockquote expandable>q</blockquote> &copy; & ;`)
		}, ""},
		{"SpanWithoutSpoiler", func() tgbotapi.Chattable { return html(`<span>x</span>`) }, `Bad Request: can't parse entities: Tag "span" must have class "tg-spoiler" at byte offset 0`},
		{"MarkdownNotParsed", func() tgbotapi.Chattable {
			m := tgbotapi.NewMessage(alice.ID, "*x*")
			m.ParseMode = tgbotapi.ModeMarkdownV2
			return m
		}, ""},
		{"UnknownParseMode", func() tgbotapi.Chattable {
			m := tgbotapi.NewMessage(alice.ID, "x")
			m.ParseMode = "XML"
			return m
		}, "Bad Request: unsupported parse_mode"},
		{"Data64", func() tgbotapi.Chattable { return withData(long("d", 64)) }, ""},
		{"Data65", func() tgbotapi.Chattable { return withData(long("d", 65)) }, "Bad Request: BUTTON_DATA_INVALID"},
		{"DataVietnamese", func() tgbotapi.Chattable { return withData(long("ệ", 22)) }, "Bad Request: BUTTON_DATA_INVALID"},
		{"DataEmpty", func() tgbotapi.Chattable { return withData("") }, "Bad Request: BUTTON_DATA_INVALID"},
		{"NoChat", func() tgbotapi.Chattable { return tgbotapi.NewMessage(0, "x") }, "Bad Request: chat_id is empty"},
		{"ChatAction", func() tgbotapi.Chattable { return tgbotapi.NewChatAction(alice.ID, "dancing") }, "Bad Request: wrong parameter action in request"},
		{"BadCommand", func() tgbotapi.Chattable {
			return tgbotapi.NewSetMyCommands(tgbotapi.BotCommand{Command: "Start", Description: "Bắt đầu"})
		}, "Bad Request: BOT_COMMAND_INVALID"},
		{"CaptionTooLong", func() tgbotapi.Chattable {
			p := tgbotapi.NewPhoto(alice.ID, tgbotapi.FileID("photo-1"))
			p.Caption = long("c", 1025)
			return p
		}, "Bad Request: message caption is too long"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, bot := MustBot(t)
			_, err := bot.Request(tt.config())
			if tt.desc == "" {
				if err != nil {
					t.Fatalf("error: %v", err)
				}
				return
			}
			MustFail(t, err, 400, tt.desc)
			calls := s.Calls()
			if last := calls[len(calls)-1]; last.Status != 400 {
				t.Fatalf("recorded status %d", last.Status)
			}
			if s.SentCount() != 0 {
				t.Fatal("rejected message counted as sent")
			}
		})
	}
}

func html(text string) tgbotapi.MessageConfig {
	m := tgbotapi.NewMessage(alice.ID, text)
	m.ParseMode = tgbotapi.ModeHTML
	return m
}

func withData(data string) tgbotapi.MessageConfig {
	m := tgbotapi.NewMessage(alice.ID, "x")
	m.ReplyMarkup = menu(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("b", data)))
	return m
}

func TestEdit(t *testing.T) {
	buttons := menu(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("OK", "ok")))

	t.Run("Text", func(t *testing.T) {
		s, bot := MustBot(t)
		msg := tgbotapi.NewMessage(alice.ID, "Tên ý tưởng?")
		msg.ReplyMarkup = buttons
		sent := MustSend(t, bot, msg)
		got := MustSend(t, bot, tgbotapi.NewEditMessageTextAndMarkup(alice.ID, sent.MessageID, "Mô tả?", buttons))
		if got.MessageID != sent.MessageID || got.Text != "Mô tả?" || got.EditDate == 0 {
			t.Fatalf("edit result = %+v", got)
		}
		_, err := bot.Send(tgbotapi.NewEditMessageTextAndMarkup(alice.ID, sent.MessageID, "Mô tả?", buttons))
		MustFail(t, err, 400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")

		// Without reply_markup the inline keyboard goes, as in Telegram.
		MustSend(t, bot, tgbotapi.NewEditMessageText(alice.ID, sent.MessageID, "Mô tả?"))
		ms := s.Messages(alice.ID)
		if len(ms) != 1 || !ms[0].Edited || ms[0].Text != "Mô tả?" || len(ms[0].Buttons) != 0 {
			t.Fatalf("messages = %+v", ms)
		}
	})

	t.Run("ReplyMarkup", func(t *testing.T) {
		s, bot := MustBot(t)
		sent := MustSend(t, bot, tgbotapi.NewMessage(alice.ID, "Chọn"))
		MustSend(t, bot, tgbotapi.NewEditMessageReplyMarkup(alice.ID, sent.MessageID, buttons))
		_, err := bot.Send(tgbotapi.NewEditMessageReplyMarkup(alice.ID, sent.MessageID, buttons))
		if te := APIError(t, err); te.Code != 400 || !strings.HasPrefix(te.Message, "Bad Request: message is not modified") {
			t.Fatalf("error = %+v", te)
		}
		if m, _ := s.LastMessage(alice.ID); len(m.Buttons) != 1 || m.Buttons[0][0].Data != "ok" || !m.Edited {
			t.Fatalf("message = %+v", m)
		}
	})

	t.Run("Caption", func(t *testing.T) {
		s, bot := MustBot(t)
		p := tgbotapi.NewPhoto(alice.ID, tgbotapi.FileID("photo-1"))
		p.Caption = "cũ"
		sent := MustSend(t, bot, p)
		MustSend(t, bot, tgbotapi.NewEditMessageCaption(alice.ID, sent.MessageID, "mới"))
		if m, _ := s.LastMessage(alice.ID); m.Text != "mới" || m.Photo != "photo-1" {
			t.Fatalf("message = %+v", m)
		}
		text := MustSend(t, bot, tgbotapi.NewMessage(alice.ID, "text"))
		_, err := bot.Send(tgbotapi.NewEditMessageCaption(alice.ID, text.MessageID, "x"))
		MustFail(t, err, 400, "Bad Request: there is no caption in the message to edit")
	})

	t.Run("NotFound", func(t *testing.T) {
		s, bot := MustBot(t)
		_, err := bot.Send(tgbotapi.NewEditMessageText(alice.ID, 999, "x"))
		MustFail(t, err, 400, "Bad Request: message to edit not found")
		id := s.SendText(alice, "user text")
		_ = id
		ups := Poll(t, bot, 0, 0, 0)
		_, err = bot.Send(tgbotapi.NewEditMessageText(alice.ID, ups[0].Message.MessageID, "x"))
		MustFail(t, err, 400, "Bad Request: message can't be edited")
	})

	t.Run("Delete", func(t *testing.T) {
		s, bot := MustBot(t)
		sent := MustSend(t, bot, tgbotapi.NewMessage(alice.ID, "tạm"))
		MustRequest(t, bot, tgbotapi.NewDeleteMessage(alice.ID, sent.MessageID))
		_, err := bot.Request(tgbotapi.NewDeleteMessage(alice.ID, sent.MessageID))
		MustFail(t, err, 400, "Bad Request: message to delete not found")
		_, err = bot.Send(tgbotapi.NewEditMessageText(alice.ID, sent.MessageID, "x"))
		MustFail(t, err, 400, "Bad Request: message to edit not found")
		if m, _ := s.LastMessage(alice.ID); !m.Deleted {
			t.Fatalf("message = %+v", m)
		}
	})
}

func TestAnswerCallbackQuery(t *testing.T) {
	s, bot := MustBot(t)
	msg := tgbotapi.NewMessage(alice.ID, "Chọn")
	msg.ReplyMarkup = menu(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("Ý tưởng", "idea:new")))
	sent := MustSend(t, bot, msg)
	s.Press(alice, sent.MessageID, "idea:new")
	s.Press(alice, sent.MessageID, "idea:new")
	ups := Poll(t, bot, 0, 0, 0)
	q := ups[0].CallbackQuery
	if q == nil || q.Data != "idea:new" || q.From.ID != alice.ID || q.Message == nil || q.Message.MessageID != sent.MessageID ||
		q.Message.Text != "Chọn" || q.Message.ReplyMarkup == nil || q.Message.Chat.ID != alice.ID {
		t.Fatalf("callback query = %+v", q)
	}
	if ups[1].CallbackQuery.ID == q.ID {
		t.Fatal("callback query ids repeat")
	}
	MustRequest(t, bot, tgbotapi.NewCallback(q.ID, "Đã chọn"))
	const tooOld = "Bad Request: query is too old and response timeout expired or query ID is invalid"
	_, err := bot.Request(tgbotapi.NewCallback(q.ID, ""))
	MustFail(t, err, 400, tooOld)
	_, err = bot.Request(tgbotapi.NewCallback("nope", ""))
	MustFail(t, err, 400, tooOld)
	MustRequest(t, bot, tgbotapi.NewCallbackWithAlert(ups[1].CallbackQuery.ID, "Chú ý"))
	if c := s.CallsTo("answerCallbackQuery"); len(c) != 4 || c[0].Params["text"] != "Đã chọn" {
		t.Fatalf("calls = %+v", c)
	}
}

func TestUpload(t *testing.T) {
	t.Run("Document", func(t *testing.T) {
		s, bot := MustBot(t)
		data := []byte("name,score\nLan,9\n")
		doc := tgbotapi.NewDocument(alice.ID, tgbotapi.FileBytes{Name: "report.csv", Bytes: data})
		doc.Caption = "Báo cáo"
		got := MustSend(t, bot, doc)
		if got.Document == nil || got.Document.FileName != "report.csv" || got.Document.FileSize != len(data) || got.Caption != "Báo cáo" {
			t.Fatalf("result = %+v", got)
		}
		c := s.CallsTo("sendDocument")
		if len(c) != 1 || c[0].Params["file:document"] != "report.csv" || !bytes.Equal(c[0].Files["document"], data) ||
			c[0].Params["chat_id"] != "1001" || c[0].Params["caption"] != "Báo cáo" {
			t.Fatalf("calls = %+v", c)
		}
		m, _ := s.LastMessage(alice.ID)
		if m.Document == nil || m.Document.Name != "report.csv" || !bytes.Equal(m.Document.Data, data) || m.Text != "Báo cáo" {
			t.Fatalf("message = %+v", m)
		}

		// The upload can be fetched back and re-sent by file_id.
		url, err := bot.GetFileDirectURL(got.Document.FileID)
		if err != nil {
			t.Fatal(err)
		}
		url = s.URL() + strings.TrimPrefix(url, "https://api.telegram.org")
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !bytes.Equal(body, data) {
			t.Fatalf("download %s: %d %q", url, resp.StatusCode, body)
		}
		again := MustSend(t, bot, tgbotapi.NewDocument(alice.ID, tgbotapi.FileID(got.Document.FileID)))
		if again.Document.FileID != got.Document.FileID {
			t.Fatalf("re-send = %+v", again.Document)
		}
		if m, _ := s.LastMessage(alice.ID); m.Document.Name != "report.csv" {
			t.Fatalf("re-sent message = %+v", m)
		}
	})

	t.Run("EmptyFile", func(t *testing.T) {
		_, bot := MustBot(t)
		_, err := bot.Send(tgbotapi.NewDocument(alice.ID, tgbotapi.FileBytes{Name: "empty.txt"}))
		// tgbotapi leaves Code unset on upload errors.
		if te := APIError(t, err); te.Message != "Bad Request: file must be non-empty" {
			t.Fatalf("error = %+v", te)
		}
	})

	t.Run("Photo", func(t *testing.T) {
		s, bot := MustBot(t)
		got := MustSend(t, bot, tgbotapi.NewPhoto(alice.ID, tgbotapi.FileBytes{Name: "logo.png", Bytes: []byte{0x89, 'P', 'N', 'G'}}))
		if len(got.Photo) == 0 {
			t.Fatalf("result = %+v", got)
		}
		MustSend(t, bot, tgbotapi.NewPhoto(alice.ID, tgbotapi.FileID("photo-1")))
		ms := s.Messages(alice.ID)
		if ms[0].Photo == "" || ms[1].Photo != "photo-1" {
			t.Fatalf("messages = %+v", ms)
		}
		if c := s.CallsTo("sendPhoto"); c[0].Params["file:photo"] != "logo.png" || c[1].Params["photo"] != "photo-1" {
			t.Fatalf("calls = %+v", c)
		}
	})

	t.Run("Voice", func(t *testing.T) {
		_, bot := MustBot(t)
		got := MustSend(t, bot, tgbotapi.NewVoice(alice.ID, tgbotapi.FileBytes{Name: "a.ogg", Bytes: []byte("OggS")}))
		if got.Voice == nil {
			t.Fatalf("result = %+v", got)
		}
	})
}

func TestCopyAndForward(t *testing.T) {
	s, bot := MustBot(t)
	s.SendPhoto(alice, "photo-9", "ảnh gốc")
	ups := Poll(t, bot, 0, 0, 0)
	src := ups[0].Message.MessageID
	const admin = 42
	id, err := bot.CopyMessage(tgbotapi.NewCopyMessage(admin, alice.ID, src))
	if err != nil || id.MessageID == 0 {
		t.Fatalf("copyMessage = %+v, %v", id, err)
	}
	fwd := MustSend(t, bot, tgbotapi.NewForward(admin, alice.ID, src))
	if fwd.ForwardFrom == nil || fwd.ForwardFrom.ID != alice.ID || len(fwd.Photo) == 0 {
		t.Fatalf("forward = %+v", fwd)
	}
	ms := s.Messages(admin)
	if len(ms) != 2 || ms[0].Photo != "photo-9" || ms[0].Text != "ảnh gốc" || ms[0].ID != id.MessageID {
		t.Fatalf("messages = %+v", ms)
	}
	_, err = bot.CopyMessage(tgbotapi.NewCopyMessage(admin, alice.ID, 9999))
	MustFail(t, err, 400, "Bad Request: message to copy not found")
}

func TestChatAndCommands(t *testing.T) {
	s, bot := MustBot(t)
	s.SendText(alice, "hi")
	chat, err := bot.GetChat(tgbotapi.ChatInfoConfig{ChatConfig: tgbotapi.ChatConfig{ChatID: alice.ID}})
	if err != nil || chat.UserName != "lan_ng" || chat.Type != "private" {
		t.Fatalf("getChat = %+v, %v", chat, err)
	}
	_, err = bot.GetChat(tgbotapi.ChatInfoConfig{ChatConfig: tgbotapi.ChatConfig{ChatID: 777}})
	MustFail(t, err, 400, "Bad Request: chat not found")

	vi := []tgbotapi.BotCommand{{Command: "start", Description: "Bắt đầu"}, {Command: "cancel", Description: "Huỷ"}}
	MustRequest(t, bot, tgbotapi.NewSetMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeAllPrivateChats(), "vi", vi...))
	MustRequest(t, bot, tgbotapi.NewSetMyCommandsWithScope(tgbotapi.NewBotCommandScopeChat(alice.ID), vi[0]))
	c := s.CallsTo("setMyCommands")
	if len(c) != 2 || c[0].Params["language_code"] != "vi" || !strings.Contains(c[0].Params["scope"], "all_private_chats") {
		t.Fatalf("calls = %+v", c)
	}
	if got := s.Commands("all_private_chats", "vi"); len(got) != 2 || got[1].Command != "cancel" {
		t.Fatalf("Commands = %+v", got)
	}
	if got := s.Commands("chat:1001", ""); len(got) != 1 {
		t.Fatalf("chat Commands = %+v", got)
	}
	cmds, err := bot.GetMyCommandsWithConfig(tgbotapi.NewGetMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeAllPrivateChats(), "vi"))
	if err != nil || len(cmds) != 2 {
		t.Fatalf("getMyCommands = %+v, %v", cmds, err)
	}
	MustRequest(t, bot, tgbotapi.NewDeleteMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeAllPrivateChats(), "vi"))
	if got := s.Commands("all_private_chats", "vi"); len(got) != 0 {
		t.Fatalf("Commands after delete = %+v", got)
	}
	MustRequest(t, bot, tgbotapi.NewChatAction(alice.ID, tgbotapi.ChatTyping))
}

func TestJSONBody(t *testing.T) {
	s := telegramtest.Start(t)
	body, _ := json.Marshal(map[string]any{"chat_id": alice.ID, "text": "json"})
	resp, err := http.Post(s.URL()+"/bot"+s.Token()+"/sendMessage", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if m, ok := s.LastMessage(alice.ID); resp.StatusCode != 200 || !ok || m.Text != "json" {
		t.Fatalf("status %d, message %+v", resp.StatusCode, m)
	}
}

func equalButtons(a, b [][]telegramtest.Button) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}
