package bot

import (
	"strings"
	"unicode/utf16"
)

// MaxMessage is Telegram's limit on a message's length, in UTF-16 units.
const MaxMessage = 4096

func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }

// Split cuts text into pieces of at most max UTF-16 units, at paragraph
// boundaries where possible, then at line breaks, then at spaces. Counting
// the raw HTML is conservative: Telegram counts text after parsing tags.
func Split(text string, max int) []string {
	return splitBy(text, max, []string{"\n\n", "\n", " "})
}

func splitBy(text string, max int, seps []string) []string {
	if utf16Len(text) <= max {
		return []string{text}
	}
	if len(seps) == 0 {
		return hardCut(text, max)
	}
	var out []string
	for _, p := range pack(strings.SplitAfter(text, seps[0]), max) {
		if utf16Len(p) <= max {
			out = append(out, p)
			continue
		}
		out = append(out, splitBy(p, max, seps[1:])...)
	}
	return out
}

func pack(parts []string, max int) []string {
	var out []string
	var cur strings.Builder
	n := 0
	for _, p := range parts {
		l := utf16Len(p)
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
