package telegramtest_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
)

func TestGetMe(t *testing.T) {
	s, bot := MustBot(t)
	if !bot.Self.IsBot || bot.Self.UserName != "trolykhoinghiep_test_bot" || bot.Self.ID == 0 {
		t.Fatalf("Self = %+v", bot.Self)
	}
	if got := s.CallsTo("getMe"); len(got) != 1 || got[0].Status != http.StatusOK {
		t.Fatalf("getMe calls = %+v", got)
	}
	if !strings.HasPrefix(s.URL(), "http://127.0.0.1:") {
		t.Fatalf("URL = %q", s.URL())
	}
}

func TestUnknownMethod(t *testing.T) {
	s, bot := MustBot(t)
	_, err := bot.MakeRequest("sendTelepathy", nil)
	MustFail(t, err, 404, "Not Found")
	if c := s.CallsTo("sendTelepathy"); len(c) != 1 || c[0].Status != 404 {
		t.Fatalf("calls = %+v", c)
	}
}

func TestMethodNamesIgnoreCase(t *testing.T) {
	_, bot := MustBot(t)
	if _, err := bot.MakeRequest("GETME", nil); err != nil {
		t.Fatal(err)
	}
}

func TestGetUpdates(t *testing.T) {
	t.Run("Offset", func(t *testing.T) {
		s, bot := MustBot(t)
		id1 := s.SendText(alice, "/start ref42")
		id2 := s.SendText(alice, "xin chào")
		if id2 != id1+1 {
			t.Fatalf("update ids %d, %d", id1, id2)
		}
		ups := Poll(t, bot, 0, 0, 0)
		if len(ups) != 2 || ups[0].UpdateID != id1 || ups[1].UpdateID != id2 {
			t.Fatalf("updates = %+v", ups)
		}
		m := ups[0].Message
		if m.Command() != "start" || m.CommandArguments() != "ref42" || m.Chat.ID != alice.ID || m.From.ID != alice.ID ||
			m.From.LanguageCode != "vi" || !m.Chat.IsPrivate() {
			t.Fatalf("message = %+v", m)
		}
		if ups[1].Message.IsCommand() {
			t.Fatal("plain text parsed as a command")
		}

		// Without a higher offset nothing is confirmed.
		if got := Poll(t, bot, id1, 0, 0); len(got) != 2 {
			t.Fatalf("offset %d: %d updates", id1, len(got))
		}
		if got := Poll(t, bot, id2, 0, 0); len(got) != 1 || got[0].UpdateID != id2 {
			t.Fatalf("offset %d: %+v", id2, got)
		}
		if s.WaitUpdatesConsumed(0) {
			t.Fatal("consumed before the last offset")
		}
		if got := Poll(t, bot, id2+1, 0, 0); len(got) != 0 {
			t.Fatalf("offset past the end: %+v", got)
		}
		if !s.WaitUpdatesConsumed(time.Second) || s.PendingUpdates() != 0 {
			t.Fatal("updates not consumed")
		}
	})

	t.Run("Limit", func(t *testing.T) {
		s, bot := MustBot(t)
		for i := 0; i < 5; i++ {
			s.SendText(alice, itoa(i))
		}
		ups := Poll(t, bot, 0, 2, 0)
		if len(ups) != 2 || ups[0].Message.Text != "0" {
			t.Fatalf("updates = %+v", ups)
		}
		ups = Poll(t, bot, ups[1].UpdateID+1, 2, 0)
		if len(ups) != 2 || ups[0].Message.Text != "2" {
			t.Fatalf("updates = %+v", ups)
		}
	})

	t.Run("NegativeOffset", func(t *testing.T) {
		s, bot := MustBot(t)
		for i := 0; i < 5; i++ {
			s.SendText(alice, itoa(i))
		}
		ups := Poll(t, bot, -2, 0, 0)
		if len(ups) != 2 || ups[0].Message.Text != "3" || s.PendingUpdates() != 2 {
			t.Fatalf("updates = %+v", ups)
		}
	})

	t.Run("LongPollWakesOnUpdate", func(t *testing.T) {
		s, bot := MustBot(t)
		go func() {
			if s.WaitFor(5*time.Second, func(s *telegramtest.Server) bool { return s.Polling() }) {
				s.SendText(alice, "hello")
			}
		}()
		start := time.Now()
		ups := Poll(t, bot, 0, 0, 30)
		if len(ups) != 1 || ups[0].Message.Text != "hello" {
			t.Fatalf("updates = %+v", ups)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Fatalf("long poll took %v", d)
		}
	})

	t.Run("LongPollTimesOut", func(t *testing.T) {
		_, bot := MustBot(t)
		start := time.Now()
		if ups := Poll(t, bot, 0, 0, 1); len(ups) != 0 {
			t.Fatalf("updates = %+v", ups)
		}
		if d := time.Since(start); d < time.Second {
			t.Fatalf("returned after %v, before the 1s timeout", d)
		}
	})

	t.Run("CloseEndsLongPoll", func(t *testing.T) {
		s, bot := MustBot(t)
		done := make(chan error, 1)
		go func() {
			_, err := PollRaw(bot, 0, 0, 30)
			done <- err
		}()
		if !s.WaitFor(5*time.Second, func(s *telegramtest.Server) bool { return s.Polling() }) {
			t.Fatal("long poll did not start")
		}
		s.Close()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("long poll still running after Close")
		}
	})

	t.Run("SecondPollerConflicts", func(t *testing.T) {
		s, bot := MustBot(t)
		first := make(chan error, 1)
		go func() {
			_, err := PollRaw(bot, 0, 0, 30)
			first <- err
		}()
		if !s.WaitFor(5*time.Second, func(s *telegramtest.Server) bool { return s.Polling() }) {
			t.Fatal("long poll did not start")
		}
		if ups := Poll(t, bot, 0, 0, 0); len(ups) != 0 {
			t.Fatalf("updates = %+v", ups)
		}
		MustFail(t, <-first, 409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")
	})

	t.Run("SetConflict", func(t *testing.T) {
		s, bot := MustBot(t)
		s.SendText(alice, "hi")
		s.SetConflict(true)
		_, err := PollRaw(bot, 0, 0, 0)
		if te := APIError(t, err); te.Code != 409 {
			t.Fatalf("code = %d", te.Code)
		}
		s.SetConflict(false)
		if ups := Poll(t, bot, 0, 0, 0); len(ups) != 1 {
			t.Fatalf("updates = %+v", ups)
		}
	})

	t.Run("DeleteWebhookDropsPending", func(t *testing.T) {
		s, bot := MustBot(t)
		s.SendText(alice, "old")
		MustRequest(t, bot, tgbotapi.DeleteWebhookConfig{})
		if s.PendingUpdates() != 1 {
			t.Fatal("deleteWebhook dropped updates")
		}
		MustRequest(t, bot, tgbotapi.DeleteWebhookConfig{DropPendingUpdates: true})
		if s.PendingUpdates() != 0 {
			t.Fatal("drop_pending_updates kept updates")
		}
	})
}

func TestUserUpdates(t *testing.T) {
	s, bot := MustBot(t)
	s.SendContact(alice, "+84901234567")
	s.SendPhoto(alice, "photo-1", "logo")
	s.SendVoice(alice, "voice-1")
	s.SendDocument(alice, "doc-1", "pitch.pdf", 2048)
	s.Block(alice)
	s.Unblock(alice)
	ups := Poll(t, bot, 0, 0, 0)
	if len(ups) != 6 {
		t.Fatalf("%d updates", len(ups))
	}
	if c := ups[0].Message.Contact; c == nil || c.PhoneNumber != "+84901234567" || c.UserID != alice.ID {
		t.Fatalf("contact = %+v", c)
	}
	if p := ups[1].Message.Photo; len(p) != 2 || p[len(p)-1].FileID != "photo-1" || ups[1].Message.Caption != "logo" {
		t.Fatalf("photo = %+v", ups[1].Message)
	}
	if v := ups[2].Message.Voice; v == nil || v.FileID != "voice-1" {
		t.Fatalf("voice = %+v", v)
	}
	if d := ups[3].Message.Document; d == nil || d.FileID != "doc-1" || d.FileName != "pitch.pdf" || d.FileSize != 2048 || d.MimeType != "application/pdf" {
		t.Fatalf("document = %+v", d)
	}
	if m := ups[4].MyChatMember; m == nil || m.NewChatMember.Status != "kicked" || m.OldChatMember.Status != "member" || m.Chat.ID != alice.ID {
		t.Fatalf("block = %+v", m)
	}
	if m := ups[5].MyChatMember; m == nil || m.NewChatMember.Status != "member" {
		t.Fatalf("unblock = %+v", m)
	}
	f, err := bot.GetFile(tgbotapi.FileConfig{FileID: "doc-1"})
	if err != nil || f.FileSize != 2048 || !strings.HasSuffix(f.FilePath, ".pdf") {
		t.Fatalf("getFile = %+v, %v", f, err)
	}
	download := s.URL() + "/file/bot" + s.Token() + "/" + f.FilePath
	if resp, err := http.Get(download); err != nil || resp.StatusCode != 404 {
		t.Fatalf("download without contents: %v, %v", resp, err)
	}
	s.PutFile("voice-1", []byte("OggS voice"))
	f, err = bot.GetFile(tgbotapi.FileConfig{FileID: "voice-1"})
	if err != nil || f.FileSize != 10 {
		t.Fatalf("getFile = %+v, %v", f, err)
	}
	resp, err := http.Get(s.URL() + "/file/bot" + s.Token() + "/" + f.FilePath)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "OggS voice" {
		t.Fatalf("download = %q", body)
	}
	_, err = bot.GetFile(tgbotapi.FileConfig{FileID: "nope"})
	MustFail(t, err, 400, "Bad Request: invalid file_id")
}

func TestSendRaw(t *testing.T) {
	t.Run("AssignsUpdateID", func(t *testing.T) {
		s, bot := MustBot(t)
		id := s.SendRaw(json.RawMessage(`{"message":{"message_id":7,"date":1,"chat":{"id":5,"type":"private"},"text":"raw"}}`))
		ups := Poll(t, bot, 0, 0, 0)
		if len(ups) != 1 || ups[0].UpdateID != id || ups[0].Message.Text != "raw" {
			t.Fatalf("updates = %+v", ups)
		}
		if got := s.Transcript(5); got != "> [raw update]\n" {
			t.Fatalf("transcript = %q", got)
		}
	})

	t.Run("KeepsUpdateID", func(t *testing.T) {
		s, bot := MustBot(t)
		if id := s.SendRaw(json.RawMessage(`{"update_id":5000000,"edited_message":{}}`)); id != 5000000 {
			t.Fatalf("id = %d", id)
		}
		if next := s.SendText(alice, "after"); next != 5000001 {
			t.Fatalf("next id = %d", next)
		}
		if ups := Poll(t, bot, 0, 0, 0); len(ups) != 2 || ups[0].UpdateID != 5000000 {
			t.Fatalf("updates = %+v", ups)
		}
		s.SetNextUpdateID(9000000)
		if next := s.SendText(alice, "later"); next != 9000000 {
			t.Fatalf("after SetNextUpdateID: id = %d", next)
		}
	})

	t.Run("BadFieldDecodesAlone", func(t *testing.T) {
		s, bot := MustBot(t)
		s.SendRaw(json.RawMessage(`{"message":{"chat":"not an object"}}`))
		s.SendText(alice, "fine")
		raws, err := PollRaw(bot, 0, 0, 0)
		if err != nil || len(raws) != 2 {
			t.Fatalf("raws = %s, %v", raws, err)
		}
		var u tgbotapi.Update
		if err := json.Unmarshal(raws[0], &u); err == nil {
			t.Fatal("malformed update decoded")
		}
		if err := json.Unmarshal(raws[1], &u); err != nil || u.Message.Text != "fine" {
			t.Fatalf("good update: %+v, %v", u, err)
		}
	})

	t.Run("InvalidJSONServedVerbatim", func(t *testing.T) {
		s, bot := MustBot(t)
		s.SendRaw(json.RawMessage(`{"update_id":`))
		var se *json.SyntaxError
		if _, err := bot.MakeRequest("getUpdates", nil); !errors.As(err, &se) {
			t.Fatalf("err = %v (%T), want a JSON syntax error", err, err)
		}
	})
}

func TestWaitFor(t *testing.T) {
	s, bot := MustBot(t)
	if s.WaitFor(10*time.Millisecond, func(*telegramtest.Server) bool { return false }) {
		t.Fatal("WaitFor reported a false condition")
	}
	go func() {
		for i := 0; i < 3; i++ {
			bot.Send(tgbotapi.NewMessage(alice.ID, "tin "+itoa(i)))
		}
	}()
	if !s.WaitMessages(alice.ID, 3, 5*time.Second) {
		t.Fatalf("got %d messages", s.SentTo(alice.ID))
	}
	if got := len(s.Messages(alice.ID)); got != 3 {
		t.Fatalf("Messages = %d", got)
	}
}

func TestSetRecord(t *testing.T) {
	s, bot := MustBot(t)
	s.SetRecord(false)
	m := MustSend(t, bot, tgbotapi.NewMessage(alice.ID, "quiet"))
	MustSend(t, bot, tgbotapi.NewEditMessageText(alice.ID, m.MessageID, "edited quietly"))
	if len(s.Calls()) != 1 || s.SentCount() != 1 || s.SentTo(alice.ID) != 1 || len(s.Messages(alice.ID)) != 0 {
		t.Fatalf("calls %d, sent %d, messages %d", len(s.Calls()), s.SentCount(), len(s.Messages(alice.ID)))
	}
	s.SetRecord(true)
	MustSend(t, bot, tgbotapi.NewMessage(alice.ID, "loud"))
	if len(s.Messages(alice.ID)) != 1 || s.SentCount() != 2 {
		t.Fatalf("messages %+v", s.Messages(alice.ID))
	}
	s.ClearCalls()
	if len(s.Calls()) != 0 {
		t.Fatal("ClearCalls kept calls")
	}
}

func TestConcurrentUse(t *testing.T) {
	s, bot := MustBot(t)
	const users, each = 8, 25
	var wg sync.WaitGroup

	// One poller consuming everything, as the bot's loop does.
	const total = users * each * 2
	polled := make(chan int, 1)
	go func() {
		offset, n := 0, 0
		for n < total {
			raws, err := PollRaw(bot, offset, 100, 5)
			if err != nil {
				t.Error(err)
				break
			}
			for _, raw := range raws {
				var u tgbotapi.Update
				if err := json.Unmarshal(raw, &u); err != nil {
					t.Error(err)
				}
				offset = u.UpdateID + 1
				n++
			}
		}
		PollRaw(bot, offset, 0, 0) // confirm the last batch
		polled <- n
	}()

	for i := 0; i < users; i++ {
		u := telegramtest.User{ID: int64(2000 + i), FirstName: "U" + itoa(i)}
		wg.Add(2)
		go func() {
			defer wg.Done()
			for j := 0; j < each; j++ {
				s.SendText(u, "msg "+itoa(j))
				s.Press(u, j+1, "x:"+itoa(j))
			}
		}()
		go func() {
			defer wg.Done()
			for j := 0; j < each; j++ {
				m, err := bot.Send(tgbotapi.NewMessage(u.ID, "reply "+itoa(j)))
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := bot.Send(tgbotapi.NewEditMessageText(u.ID, m.MessageID, "edited "+itoa(j))); err != nil {
					t.Error(err)
				}
				_ = s.Transcript(u.ID)
				_ = s.Messages(u.ID)
			}
		}()
	}
	wg.Wait()
	select {
	case n := <-polled:
		if n != total {
			t.Fatalf("polled %d updates, want %d", n, total)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("poller stuck with %d updates pending", s.PendingUpdates())
	}
	if !s.WaitUpdatesConsumed(time.Second) {
		t.Fatalf("%d updates pending", s.PendingUpdates())
	}
	if s.SentCount() != users*each {
		t.Fatalf("SentCount = %d", s.SentCount())
	}
	for i := 0; i < users; i++ {
		msgs := s.Messages(int64(2000 + i))
		if len(msgs) != each || !msgs[0].Edited {
			t.Fatalf("user %d: %d messages", i, len(msgs))
		}
	}
}
