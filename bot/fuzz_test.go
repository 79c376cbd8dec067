package bot

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/qnstartup/trolykhoinghiep/locales"
	"github.com/qnstartup/trolykhoinghiep/store"
)

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
	b, err := New(Options{Store: st, Channels: []Channel{&memChannel{}}, Locales: locales.MustLoad(), AdminIDs: []int64{2}})
	if err != nil {
		f.Fatal(err)
	}
	var id int64
	f.Fuzz(func(t *testing.T, text, data string, cmd, callback bool) {
		id++
		who := 1 + id%2
		u := &Update{ChatID: who, Channel: "mem", ChatRef: fmt.Sprint(who), From: Sender{ID: who, Ref: fmt.Sprint(who), FirstName: "F", Lang: "vi"}, Kind: KindMessage, Text: strings.ToValidUTF8(text, "\uFFFD")}
		if cmd {
			u.Command, u.Args = "start", u.Text
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
