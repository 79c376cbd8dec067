package telegramtest

import "testing"

func TestParseHTML(t *testing.T) {
	for _, tt := range []struct {
		in, plain, bad string
	}{
		{in: "plain", plain: "plain"},
		{in: "<b>đậm</b> và <i>nghiêng</i>", plain: "đậm và nghiêng"},
		{in: "<B>upper</B>", plain: "upper"},
		{in: "a &lt;b&gt; &amp; &quot;c&quot;", plain: `a <b> & "c"`},
		{in: "&#65;&#x42;&#x1F680;", plain: "AB🚀"},
		{in: "&nbsp; & &unknown; &#0; &;", plain: "&nbsp; & &unknown; &#0; &;"},
		{in: `<a href="https://x.org/?q=1&amp;r=2">link</a>`, plain: "link"},
		{in: `<a href='x'>single</a>`, plain: "single"},
		{in: `<a href=token>bare</a>`, plain: "bare"},
		{in: `<code class="language-go">x</code>`, plain: "x"},
		{in: `<span class="tg-spoiler">s</span>`, plain: "s"},
		{in: `<blockquote expandable>q</blockquote>`, plain: "q"},
		{in: "<b>x</>", plain: "x"},
		{in: "<b >x</b >", plain: "x"},
		{in: "a < b", bad: `Unsupported start tag "" at byte offset 2`},
		{in: "<p>x</p>", bad: `Unsupported start tag "p" at byte offset 0`},
		{in: "<br/>", bad: `Unsupported start tag "br/" at byte offset 0`},
		{in: "<b>x", bad: `Can't find end tag corresponding to start tag "b"`},
		{in: "x</b>", bad: "Unexpected end tag at byte offset 1"},
		{in: "<b>x</i>", bad: `Unmatched end tag at byte offset 4, expected "</b>", found "</i>"`},
		{in: "<b", bad: "Unclosed start tag at byte offset 0"},
		{in: "<", bad: "Unclosed start tag at byte offset 0"},
		{in: "<b>x</b", bad: "Unclosed end tag at byte offset 4"},
		{in: `<a href="x>y</a>`, bad: "Unclosed start tag at byte offset 0"},
		{in: `<a href>y</a>`, bad: `Expected equal sign in declaration of an attribute of the tag "a" at byte offset 0`},
		{in: `<a href=x/y>y</a>`, bad: "Unexpected end of name token at byte offset 8"},
		{in: `<span>x</span>`, bad: `Tag "span" must have class "tg-spoiler" at byte offset 0`},
		{in: `<span class="big">x</span>`, bad: `Tag "span" must have class "tg-spoiler" at byte offset 0`},
	} {
		plain, bad := parseHTML(tt.in)
		if plain != tt.plain || bad != tt.bad {
			t.Errorf("parseHTML(%q) = %q, %q; want %q, %q", tt.in, plain, bad, tt.plain, tt.bad)
		}
	}
}

func TestUTF16Len(t *testing.T) {
	for in, want := range map[string]int{"": 0, "abc": 3, "Việt": 4, "🚀": 2, "a🚀b": 4} {
		if got := utf16Len(in); got != want {
			t.Errorf("utf16Len(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestParseMarkup(t *testing.T) {
	for _, tt := range []struct {
		in, bad string
	}{
		{in: ""},
		{in: `{"inline_keyboard":[]}`},
		{in: `{"inline_keyboard":[[{"text":"a","callback_data":"x"}]]}`},
		{in: `{"keyboard":[["a",{"text":"b","request_contact":true}]]}`},
		{in: `{"remove_keyboard":true}`},
		{in: `{"force_reply":true}`},
		{in: `{`, bad: "Bad Request: can't parse reply keyboard markup JSON object"},
		{in: `{}`, bad: "Bad Request: can't parse reply keyboard markup JSON object"},
		{in: `{"inline_keyboard":[[{"text":"a"}]]}`, bad: "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"},
		{in: `{"inline_keyboard":[[{"text":"","callback_data":"x"}]]}`, bad: "Bad Request: BUTTON_TEXT_INVALID"},
		{in: `{"keyboard":[[{"request_contact":true}]]}`, bad: `Bad Request: can't parse keyboard button: Field "text" must be of type String`},
	} {
		if _, bad := parseMarkup(tt.in); bad != tt.bad {
			t.Errorf("parseMarkup(%s) = %q, want %q", tt.in, bad, tt.bad)
		}
	}
}
