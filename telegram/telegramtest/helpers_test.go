package telegramtest_test

import (
	"encoding/json"
	"errors"
	"strconv"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
)

var alice = telegramtest.User{ID: 1001, FirstName: "Lan", LastName: "Nguyễn", Username: "lan_ng", LanguageCode: "vi"}

// MustBot starts a server and a tgbotapi client connected to it.
func MustBot(tb testing.TB) (*telegramtest.Server, *tgbotapi.BotAPI) {
	tb.Helper()
	s := telegramtest.Start(tb)
	bot, err := tgbotapi.NewBotAPIWithAPIEndpoint(s.Token(), s.Endpoint())
	if err != nil {
		tb.Fatalf("NewBotAPIWithAPIEndpoint: %v", err)
	}
	return s, bot
}

// MustSend sends c and fails the test on error.
func MustSend(tb testing.TB, bot *tgbotapi.BotAPI, c tgbotapi.Chattable) tgbotapi.Message {
	tb.Helper()
	m, err := bot.Send(c)
	if err != nil {
		tb.Fatalf("Send: %v", err)
	}
	return m
}

// MustRequest requests c and fails the test on error.
func MustRequest(tb testing.TB, bot *tgbotapi.BotAPI, c tgbotapi.Chattable) {
	tb.Helper()
	if _, err := bot.Request(c); err != nil {
		tb.Fatalf("Request: %v", err)
	}
}

// APIError returns err as a *tgbotapi.Error or fails the test.
func APIError(tb testing.TB, err error) *tgbotapi.Error {
	tb.Helper()
	var te *tgbotapi.Error
	if !errors.As(err, &te) {
		tb.Fatalf("error = %v (%T), want *tgbotapi.Error", err, err)
	}
	return te
}

// MustFail checks that err is a Bot API error with code and description.
func MustFail(tb testing.TB, err error, code int, desc string) {
	tb.Helper()
	te := APIError(tb, err)
	if te.Code != code || te.Message != desc {
		tb.Fatalf("error = %d %q, want %d %q", te.Code, te.Message, code, desc)
	}
}

// Poll calls getUpdates the way the bot's poll loop does and decodes the
// updates one at a time.
func Poll(tb testing.TB, bot *tgbotapi.BotAPI, offset, limit, timeout int) []tgbotapi.Update {
	tb.Helper()
	raws, err := PollRaw(bot, offset, limit, timeout)
	if err != nil {
		tb.Fatalf("getUpdates: %v", err)
	}
	out := make([]tgbotapi.Update, len(raws))
	for i, raw := range raws {
		if err := json.Unmarshal(raw, &out[i]); err != nil {
			tb.Fatalf("decode update %s: %v", raw, err)
		}
	}
	return out
}

func PollRaw(bot *tgbotapi.BotAPI, offset, limit, timeout int) ([]json.RawMessage, error) {
	params := tgbotapi.Params{}
	params.AddNonZero("offset", offset)
	params.AddNonZero("limit", limit)
	params.AddNonZero("timeout", timeout)
	resp, err := bot.MakeRequest("getUpdates", params)
	if err != nil {
		return nil, err
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(resp.Result, &raws); err != nil {
		return nil, err
	}
	return raws, nil
}

func itoa(n int) string { return strconv.Itoa(n) }
