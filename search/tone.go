package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

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
	eachToneKey(text, nil, func(k []byte) { out = append(out, string(k)) })
	return out
}

// eachToneKey calls fn with the key of every accented word of text, built in
// buf (fn must not keep it).
func eachToneKey(text string, buf []byte, fn func(key []byte)) {
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isTokRune(r) {
			i += size
			continue
		}
		j, ascii, digit := i, true, false
		for j < len(text) {
			r, size := utf8.DecodeRuneInString(text[j:])
			if !isTokRune(r) {
				break
			}
			if r >= utf8.RuneSelf {
				ascii = false
			} else if '0' <= r && r <= '9' {
				digit = true
			}
			j += size
		}
		if !ascii && !digit && j-i <= maxTokenBytes {
			buf = appendToneKey(buf[:0], text[i:j])
			fn(buf)
		}
		i = j
	}
}

// toneInfo maps a precomposed letter to its lower-case letter without the
// tone mark and its tone digit.
type toneInfo struct {
	base rune
	tone byte
}

const toneTabLow, toneTabHigh = 0xC0, 0x1F00

var toneTab = func() []toneInfo {
	t := make([]toneInfo, toneTabHigh-toneTabLow)
	for r := rune(toneTabLow); r < toneTabHigh; r++ {
		k := toneKeySlow(string(unicode.ToLower(r)))
		base, size := utf8.DecodeRuneInString(k[1:])
		if 1+size+1 != len(k) || unicode.Is(unicode.Mn, r) {
			base = -1 // not a single letter, or a combining mark: use the slow path
		}
		t[r-toneTabLow] = toneInfo{base, k[len(k)-1]}
	}
	return t
}()

func toneKey(w string) string { return string(appendToneKey(nil, w)) }

func appendToneKey(b []byte, w string) []byte {
	b = append(b, '~')
	tone := byte('0')
	for _, r := range w {
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b = append(b, byte(r))
		case toneTabLow <= r && r < toneTabHigh && toneTab[r-toneTabLow].base >= 0:
			ti := toneTab[r-toneTabLow]
			b = utf8.AppendRune(b, ti.base)
			if ti.tone != '0' {
				tone = ti.tone
			}
		default:
			return append(b[:0], toneKeySlow(w)...)
		}
	}
	return append(b, tone)
}

// toneKeySlow is the definition of toneKey, for any input.
func toneKeySlow(w string) string {
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
			b.WriteRune(unicode.ToLower(r))
		}
	}
	b.WriteByte(tone)
	return norm.NFC.String(b.String())
}
