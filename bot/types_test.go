package bot

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseCB(t *testing.T) {
	for _, tc := range []struct {
		in           string
		flow, action string
		args         int
		ok           bool
	}{
		{"idea:pub:12", "idea", "pub", 1, true},
		{"settings:menu", "settings", "menu", 0, true},
		{"a:b:c:d", "a", "b", 2, true},
		{"", "", "", 0, false},
		{"idea", "", "", 0, false},
		{":x", "", "", 0, false},
		{"x:", "", "", 0, false},
		{"ý:tưởng", "", "", 0, false},
		{"a:b\x00", "", "", 0, false},
		{strings.Repeat("a", 30) + ":" + strings.Repeat("b", 34), "", "", 0, false},
	} {
		flow, action, args, ok := ParseCB(tc.in)
		if ok != tc.ok || flow != tc.flow || action != tc.action || len(args) != tc.args {
			t.Errorf("ParseCB(%q) = %q %q %v %v", tc.in, flow, action, args, ok)
		}
	}
}

func TestCBPanicsOnBadData(t *testing.T) {
	for _, parts := range [][]string{{"ý", "x"}, {strings.Repeat("a", 65)}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("CB(%q) did not panic", parts)
				}
			}()
			CB(parts...)
		}()
	}
}

func TestSplit(t *testing.T) {
	para := strings.Repeat("Hỗ trợ khởi nghiệp. ", 50) // 1,000 characters
	for _, tc := range []struct {
		name  string
		text  string
		max   int
		parts int
	}{
		{"short", "xin chào", 4096, 1},
		{"paragraphs", strings.Repeat(para+"\n\n", 9), 4096, 3},
		{"one long line", strings.Repeat("a ", 5000), 4096, 3},
		{"no spaces", strings.Repeat("x", 9000), 4096, 3},
		{"emoji count twice", strings.Repeat("😀", 3000), 4096, 2},
	} {
		got := Split(tc.text, tc.max)
		if len(got) != tc.parts {
			t.Errorf("%s: %d parts, want %d", tc.name, len(got), tc.parts)
		}
		var joined strings.Builder
		for _, p := range got {
			if utf16Len(p) > tc.max {
				t.Errorf("%s: part of %d units", tc.name, utf16Len(p))
			}
			if !utf8.ValidString(p) {
				t.Errorf("%s: invalid UTF-8 part", tc.name)
			}
			joined.WriteString(p)
		}
		// Nothing but the whitespace at the cuts may be lost.
		strip := func(s string) string { return strings.Join(strings.Fields(s), "") }
		if strip(joined.String()) != strip(tc.text) {
			t.Errorf("%s: text changed by splitting", tc.name)
		}
	}
}

func TestSplitReplyKeepsButtonsOnLast(t *testing.T) {
	r := Reply{Text: strings.Repeat("đoạn văn dài\n\n", 700), Buttons: [][]Button{{{Text: "x", Data: "a:b"}}}}
	parts := SplitReply(r)
	if len(parts) < 2 || parts[len(parts)-1].Buttons == nil || parts[0].Buttons != nil {
		t.Fatalf("buttons misplaced across %d parts", len(parts))
	}
}

func TestFoldLabel(t *testing.T) {
	for in, want := range map[string]string{
		"📚 Ngân hàng ý tưởng": "ngan hang y tuong",
		"ngan hang y tuong":   "ngan hang y tuong",
		"ĐĂNG KÝ":             "dang ky",
		"⬅️ Quay lại":         "quay lai",
	} {
		if got := foldLabel(in); got != want {
			t.Errorf("foldLabel(%q) = %q, want %q", in, got, want)
		}
	}
}
