package bot

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/qnstartup/trolykhoinghiep/locales"
)

// zaloLike are the limits of a channel like Zalo's.
var zaloLike = Caps{MaxText: 2000, MaxButtons: 5, MaxButtonsPerRow: 1, MaxButtonText: 100}

func TestRender(t *testing.T) {
	loc := locales.MustLoad().For("vi")
	buttons := func(n int) [][]Button {
		var row []Button
		for i := range n {
			row = append(row, Button{Text: string(rune('A' + i)), Data: "x:" + string(rune('a'+i))})
		}
		return [][]Button{row}
	}
	for _, tc := range []struct {
		name  string
		in    Reply
		check func(t *testing.T, out []Reply)
	}{
		{"long text is split, buttons with the last part", Reply{Text: strings.Repeat("chữ ", 700), Buttons: buttons(2)}, func(t *testing.T, out []Reply) {
			if len(out) != 2 || len(out[0].Buttons) != 0 || len(out[1].Buttons) != 2 {
				t.Fatalf("parts %d, buttons %v / %v", len(out), out[0].Buttons, out[len(out)-1].Buttons)
			}
			for _, p := range out {
				if n := utf8.RuneCountInString(p.Text); n > 2000 {
					t.Fatalf("part of %d characters", n)
				}
			}
		}},
		{"more than 5 buttons go in a further message with text", Reply{Text: "Chọn", Buttons: buttons(7)}, func(t *testing.T, out []Reply) {
			if len(out) != 2 || countButtons(out[0].Buttons) != 5 || countButtons(out[1].Buttons) != 2 || out[1].Text != loc.T("channel.more_choices", nil) {
				t.Fatalf("%+v", out)
			}
		}},
		{"an edit becomes a new message", Reply{Text: "Mới", Edit: 7}, func(t *testing.T, out []Reply) {
			if out[0].Edit != 0 {
				t.Fatal("edit kept")
			}
		}},
		{"a reply keyboard becomes buttons", Reply{Text: "Menu", Keyboard: &Keyboard{Rows: [][]KeyButton{{{Text: "💡 Gửi ý tưởng"}, {Text: "📱 Số điện thoại", RequestContact: true}}}}}, func(t *testing.T, out []Reply) {
			r := out[0]
			if r.Keyboard != nil || countButtons(r.Buttons) != 2 || !r.Buttons[0][0].Typed || !r.Buttons[1][0].RequestContact {
				t.Fatalf("%+v", r)
			}
		}},
		{"HTML becomes plain text, a link keeps its address", Reply{Text: `<b>Hạn</b> &amp; <a href="https://x.vn/a">văn bản</a>`}, func(t *testing.T, out []Reply) {
			if out[0].Text != "Hạn & văn bản (https://x.vn/a)" {
				t.Fatalf("%q", out[0].Text)
			}
		}},
		{"long button titles are cut", Reply{Text: "x", Buttons: [][]Button{{{Text: strings.Repeat("d", 150), Data: "x:y"}}}}, func(t *testing.T, out []Reply) {
			if n := utf8.RuneCountInString(out[0].Buttons[0][0].Text); n > 100 {
				t.Fatalf("title of %d characters", n)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, Render(tc.in, zaloLike, loc)) })
	}
	// A channel with room for everything gets the reply as it is.
	full := Caps{MaxText: 4096, HTML: true, Edit: true, ReplyKeyboard: true}
	in := Reply{Text: "<b>x</b>", Edit: 3, Buttons: buttons(7)}
	if out := Render(in, full, loc); len(out) != 1 || out[0].Text != in.Text || out[0].Edit != 3 || countButtons(out[0].Buttons) != 7 {
		t.Fatalf("%+v", out)
	}
}
