package search

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// toneKeys returns accent-aware keys for the accented words of text: the word
// in lower case without its tone mark but with its quality marks (circumflex,
// breve, horn, đ), followed by a tone digit 0–5 and prefixed with "~". The
// placement of the tone mark ("hòa"/"hoà") and the composition of the input
// (NFC, NFD, composite) do not change the key. Words without any diacritic
// have no key: their tone is unknown.
func toneKeys(text string) []string {
	var out []string
	for _, c := range tokenize(strings.ToLower(norm.NFC.String(text))) {
		for _, t := range c {
			if t.kind == tokWord && hasNonASCII(t.s) {
				if k, ok := toneKey(t.s); ok {
					out = append(out, k)
				}
			}
		}
	}
	return out
}

func toneKey(w string) (string, bool) {
	var b strings.Builder
	b.Grow(len(w) + 4)
	b.WriteByte('~')
	tone := byte('0')
	for _, r := range norm.NFD.String(w) {
		switch r {
		case '\u0301':
			tone = '1' // sắc
		case '\u0300':
			tone = '2' // huyền
		case '\u0309':
			tone = '3' // hỏi
		case '\u0303':
			tone = '4' // ngã
		case '\u0323':
			tone = '5' // nặng
		default:
			if unicode.IsUpper(r) {
				r = unicode.ToLower(r)
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte(tone)
	return norm.NFC.String(b.String()), true
}
