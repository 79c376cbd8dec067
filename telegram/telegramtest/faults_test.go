package telegramtest_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
)

func TestFaults(t *testing.T) {
	t.Run("TooManyRequests", func(t *testing.T) {
		s, bot := MustBot(t)
		s.Inject("sendMessage", telegramtest.Fault{Code: 429, RetryAfter: 3, Times: 1})
		_, err := bot.Send(tgbotapi.NewMessage(alice.ID, "x"))
		te := APIError(t, err)
		if te.Code != 429 || te.RetryAfter != 3 || te.Message != "Too Many Requests: retry after 3" {
			t.Fatalf("error = %+v", te)
		}
		MustSend(t, bot, tgbotapi.NewMessage(alice.ID, "x"))
		c := s.CallsTo("sendMessage")
		if len(c) != 2 || c[0].Status != 429 || c[1].Status != 200 || s.SentCount() != 1 {
			t.Fatalf("calls = %+v", c)
		}
	})

	t.Run("Times", func(t *testing.T) {
		s, bot := MustBot(t)
		s.Inject("sendmessage", telegramtest.Fault{Code: 500, Times: 2})
		for i, want := range []int{500, 500, 0} {
			_, err := bot.Send(tgbotapi.NewMessage(alice.ID, "x"))
			if want == 0 {
				if err != nil {
					t.Fatalf("call %d: %v", i, err)
				}
				continue
			}
			if te := APIError(t, err); te.Code != want || te.Message != "Internal Server Error" {
				t.Fatalf("call %d: %+v", i, te)
			}
		}
	})

	t.Run("Forever", func(t *testing.T) {
		s, bot := MustBot(t)
		s.Inject("*", telegramtest.Fault{Code: 502, Description: "Bad Gateway"})
		for i := 0; i < 3; i++ {
			_, err := bot.Request(tgbotapi.NewChatAction(alice.ID, tgbotapi.ChatTyping))
			MustFail(t, err, 502, "Bad Gateway")
		}
		s.ClearFaults()
		MustRequest(t, bot, tgbotapi.NewChatAction(alice.ID, tgbotapi.ChatTyping))
	})

	t.Run("ChatID", func(t *testing.T) {
		s, bot := MustBot(t)
		s.Inject("sendMessage", telegramtest.Fault{Code: 403, ChatID: 7})
		MustSend(t, bot, tgbotapi.NewMessage(alice.ID, "x"))
		_, err := bot.Send(tgbotapi.NewMessage(7, "x"))
		MustFail(t, err, 403, "Forbidden: bot was blocked by the user")
	})

	t.Run("BlockChat", func(t *testing.T) {
		s, bot := MustBot(t)
		sent := MustSend(t, bot, tgbotapi.NewMessage(alice.ID, "trước"))
		s.BlockChat(alice.ID)
		_, err := bot.Send(tgbotapi.NewMessage(alice.ID, "sau"))
		MustFail(t, err, 403, "Forbidden: bot was blocked by the user")
		_, err = bot.Send(tgbotapi.NewPhoto(alice.ID, tgbotapi.FileID("p")))
		MustFail(t, err, 403, "Forbidden: bot was blocked by the user")
		_, err = bot.Send(tgbotapi.NewEditMessageText(alice.ID, sent.MessageID, "sửa"))
		MustFail(t, err, 403, "Forbidden: bot was blocked by the user")
		MustSend(t, bot, tgbotapi.NewMessage(2002, "other chats still work"))
	})

	t.Run("BlockAndUnblock", func(t *testing.T) {
		s, bot := MustBot(t)
		s.Block(alice)
		_, err := bot.Send(tgbotapi.NewMessage(alice.ID, "x"))
		MustFail(t, err, 403, "Forbidden: bot was blocked by the user")
		s.Unblock(alice)
		MustSend(t, bot, tgbotapi.NewMessage(alice.ID, "x"))
	})

	t.Run("RawBody", func(t *testing.T) {
		s, bot := MustBot(t)
		s.Inject("getUpdates", telegramtest.Fault{Code: 502, RawBody: "<html><body><h1>502 Bad Gateway</h1></body></html>", Times: 1})
		_, err := bot.MakeRequest("getUpdates", nil)
		var te *tgbotapi.Error
		var se *json.SyntaxError
		if err == nil || errors.As(err, &te) || !errors.As(err, &se) {
			t.Fatalf("error = %v (%T), want a JSON syntax error", err, err)
		}
		if c := s.CallsTo("getUpdates"); len(c) != 1 || c[0].Status != 502 {
			t.Fatalf("calls = %+v", c)
		}
		if _, err := bot.MakeRequest("getUpdates", nil); err != nil {
			t.Fatalf("after the fault: %v", err)
		}
	})

	t.Run("Delay", func(t *testing.T) {
		s, bot := MustBot(t)
		s.Inject("sendMessage", telegramtest.Fault{Delay: 200 * time.Millisecond, Times: 1})
		start := time.Now()
		MustSend(t, bot, tgbotapi.NewMessage(alice.ID, "chậm"))
		if d := time.Since(start); d < 200*time.Millisecond {
			t.Fatalf("answered after %v", d)
		}
		if s.SentCount() != 1 {
			t.Fatal("delayed message not sent")
		}
	})

	t.Run("DelayThenFail", func(t *testing.T) {
		s, bot := MustBot(t)
		s.Inject("sendMessage", telegramtest.Fault{Code: 504, Delay: 50 * time.Millisecond, Times: 1})
		_, err := bot.Send(tgbotapi.NewMessage(alice.ID, "x"))
		MustFail(t, err, 504, "Gateway Timeout")
	})
}
