package bot

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxMessage is Telegram's limit on a message's length, in UTF-16 units.
const MaxMessage = 4096

func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }

// UTF16Len is the length of s in UTF-16 code units, as Telegram counts.
func UTF16Len(s string) int { return utf16Len(s) }

// Split cuts text into pieces of at most max UTF-16 units, at paragraph
// boundaries where possible, then at line breaks, then at spaces. Counting
// the raw HTML is conservative: Telegram counts text after parsing tags.
func Split(text string, max int) []string {
	return splitText(text, max, true)
}

// splitText is Split counting UTF-16 units (utf16) or code points.
func splitText(text string, max int, utf16 bool) []string {
	count := utf8.RuneCountInString
	if utf16 {
		count = utf16Len
	}
	return splitBy(text, max, []string{"\n\n", "\n", " "}, count)
}

func splitBy(text string, max int, seps []string, count func(string) int) []string {
	if count(text) <= max {
		return []string{text}
	}
	if len(seps) == 0 {
		return hardCut(text, max)
	}
	var out []string
	for _, p := range pack(strings.SplitAfter(text, seps[0]), max, count) {
		if count(p) <= max {
			out = append(out, p)
			continue
		}
		out = append(out, splitBy(p, max, seps[1:], count)...)
	}
	return out
}

func pack(parts []string, max int, count func(string) int) []string {
	var out []string
	var cur strings.Builder
	n := 0
	for _, p := range parts {
		l := count(p)
		if n > 0 && n+l > max {
			out = append(out, strings.TrimRight(cur.String(), "\n "))
			cur.Reset()
			n = 0
		}
		cur.WriteString(p)
		n += l
	}
	if cur.Len() > 0 {
		out = append(out, strings.TrimRight(cur.String(), "\n "))
	}
	return out
}

func hardCut(s string, max int) []string {
	var out []string
	r := []rune(s)
	for len(r) > 0 {
		n, units := 0, 0
		for n < len(r) {
			u := 1
			if r[n] >= 0x10000 {
				u = 2
			}
			if units+u > max {
				break
			}
			units += u
			n++
		}
		out = append(out, string(r[:n]))
		r = r[n:]
	}
	return out
}

// SplitReply splits a reply's text into several messages; buttons and
// keyboard go with the last one.
func SplitReply(r Reply) []Reply {
	texts := Split(r.Text, MaxMessage)
	if len(texts) == 1 {
		return []Reply{r}
	}
	out := make([]Reply, len(texts))
	for i, t := range texts {
		out[i] = Reply{ChatID: r.ChatID, Text: t, Silent: r.Silent}
	}
	last := &out[len(out)-1]
	last.Buttons, last.Keyboard = r.Buttons, r.Keyboard
	return out
}
