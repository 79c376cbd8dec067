package telegramtest_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// Golden compares got with testdata/name, or rewrites the file with -update.
func Golden(tb testing.TB, name, got string) {
	tb.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		tb.Errorf("%s differs (run with -update to accept):\n--- got\n%s--- want\n%s", path, got, want)
	}
}

func TestTranscript(t *testing.T) {
	s, bot := MustBot(t)

	s.SendText(alice, "/start")
	welcome := tgbotapi.NewMessage(alice.ID, "Xin chào <b>Lan</b>!\nBạn muốn làm gì?")
	welcome.ParseMode = tgbotapi.ModeHTML
	welcome.ReplyMarkup = menu(
		tgbotapi.NewInlineKeyboardRow(
			tgbotapi.NewInlineKeyboardButtonData("Ý tưởng", "idea:new"),
			tgbotapi.NewInlineKeyboardButtonData("Hỏi", "ask:open"),
		),
		tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonURL("Hướng dẫn", "https://example.org/help")),
	)
	w := MustSend(t, bot, welcome)
	keyboard := tgbotapi.NewMessage(alice.ID, "Hoặc dùng bàn phím:")
	keyboard.ReplyMarkup = tgbotapi.NewReplyKeyboard(
		tgbotapi.NewKeyboardButtonRow(tgbotapi.NewKeyboardButton("Gửi ý tưởng"), tgbotapi.NewKeyboardButton("Hỏi chính sách")),
	)
	MustSend(t, bot, keyboard)

	s.Press(alice, w.MessageID, "idea:new")
	q := Poll(t, bot, 0, 0, 0)[1].CallbackQuery
	MustRequest(t, bot, tgbotapi.NewCallback(q.ID, "Đã chọn: Ý tưởng"))
	MustSend(t, bot, tgbotapi.NewEditMessageText(alice.ID, w.MessageID, "Tên ý tưởng của bạn là gì?"))
	_, err := bot.Send(tgbotapi.NewEditMessageText(alice.ID, w.MessageID, "Tên ý tưởng của bạn là gì?"))
	APIError(t, err)

	s.SendText(alice, "Nông trại thông minh")
	s.SendPhoto(alice, "photo-1", "Ảnh sản phẩm")
	s.SendContact(alice, "+84901234567")
	s.SendDocument(alice, "doc-1", "pitch.pdf", 2048)
	s.SendVoice(alice, "voice-1")

	doc := tgbotapi.NewDocument(alice.ID, tgbotapi.FileBytes{Name: "tom-tat.txt", Bytes: []byte("Tóm tắt ý tưởng")})
	doc.Caption = "Bản tóm tắt"
	MustSend(t, bot, doc)
	confirm := tgbotapi.NewMessage(alice.ID, "Lưu ý tưởng?")
	confirm.ReplyMarkup = tgbotapi.NewRemoveKeyboard(false)
	MustSend(t, bot, confirm)
	saved := MustSend(t, bot, tgbotapi.NewMessage(alice.ID, "Đã lưu."))
	MustRequest(t, bot, tgbotapi.NewDeleteMessage(alice.ID, saved.MessageID))

	s.Block(alice)
	_, err = bot.Send(tgbotapi.NewMessage(alice.ID, "Còn đó không?"))
	APIError(t, err)

	Golden(t, "transcript.golden", s.Transcript(alice.ID))
}
