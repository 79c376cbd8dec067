package bot

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/qnstartup/trolykhoinghiep/locales"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// memMessenger records replies in memory: the fuzz target drives Handle
// directly, thousands of times a second.
type memMessenger struct {
	mu   sync.Mutex
	sent []Reply
}

func (m *memMessenger) Send(chatID int64, r Reply) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, r)
	return len(m.sent), nil
}
func (m *memMessenger) AnswerCallback(id, text string) error                       { return nil }
func (m *memMessenger) Typing(chatID int64) error                                  { return nil }
func (m *memMessenger) SetCommands(cmds []CommandInfo, lang string, c int64) error { return nil }

// FuzzHandle feeds arbitrary messages and button data to the update
// handler: it must never panic (a panic would be recovered and logged as
// an error, which fails the target), and every message gets an answer.
func FuzzHandle(f *testing.F) {
	for _, seed := range []struct {
		text, data string
		cmd        bool
		callback   bool
	}{
		{"/start abc", "", true, false},
		{"xin chào", "", false, false},
		{"", "settings:menu:kind", false, true},
		{"", "idea:edit:title", false, true},
		{"", "bank:page:0:new::", false, true},
		{"", "ev:rsvp:1", false, true},
		{"", "bc:unsub", false, true},
		{"💡 Gửi ý tưởng", "", false, false},
		{"/idea", "", true, false},
		{"\xff\xfe", "\xff:\x00", false, true},
	} {
		f.Add(seed.text, seed.data, seed.cmd, seed.callback)
	}
	st, err := store.Open(filepath.Join(f.TempDir(), "fuzz.db"), store.Options{NoSync: true})
	if err != nil {
		f.Fatal(err)
	}
	defer st.Close()
	msgr := &memMessenger{}
	b, err := New(Options{Store: st, Messenger: msgr, Locales: locales.MustLoad(), AdminIDs: []int64{2}})
	if err != nil {
		f.Fatal(err)
	}
	var id int64
	f.Fuzz(func(t *testing.T, text, data string, cmd, callback bool) {
		id++
		u := &Update{ID: id, ChatID: 1 + id%2, From: Sender{ID: 1 + id%2, FirstName: "F", Lang: "vi"}, Kind: KindMessage, Text: clean(text)}
		if cmd {
			u.Command, u.Args = "start", clean(text)
		}
		if callback {
			u.Kind, u.Data, u.Callback, u.MsgID = KindCallback, data, "cb", 1
		}
		if err := b.Handle(context.Background(), u); err != nil {
			t.Fatalf("Handle: %v", err)
		}
		if p := testutil.ToFloat64(b.met.panics); p != 0 {
			t.Fatalf("handler panicked on %+v", u)
		}
	})
}
