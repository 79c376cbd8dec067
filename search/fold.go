package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold returns s without diacritics and in lower case: Unicode NFC, then NFD
// with every nonspacing mark (unicode.Mn) dropped, then lower case. đ, Đ and
// the look-alikes Ð, ð (U+00D0, U+00F0) and Ɖ, ɖ fold to "d", because they
// have no decomposition. Invalid UTF-8 bytes become U+FFFD. Fold is
// idempotent: Fold(Fold(s)) == Fold(s).
//
// Precomposed, decomposed (NFD) and "composite" input (a precomposed letter
// followed by a separate tone mark) all fold to the same string, so
// "Khởi nghiệp" typed on any keyboard becomes "khoi nghiep".
func Fold(s string) string {
	// Fast path: ASCII.
	ascii, upper := true, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		if 'A' <= c && c <= 'Z' {
			upper = true
		}
	}
	if ascii {
		if !upper {
			return s
		}
		return asciiLower(s)
	}
	// Table path: Latin letters and combining marks, which covers Vietnamese.
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		f, ok := foldTableRune(r)
		if !ok {
			if inertPunct(r) {
				b.WriteRune(r)
				continue
			}
			return slowFold(s)
		}
		b.WriteString(f)
	}
	return b.String()
}

// inertPunct reports whether Fold leaves r unchanged and r cannot combine
// with its neighbours: General Punctuation (dashes, curly quotes, "…"),
// common in Vietnamese text, except U+2000 and U+2001, which decompose.
func inertPunct(r rune) bool { return 0x2002 <= r && r <= 0x206F }

func asciiLower(s string) string {
	b := make([]byte, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return string(b)
}

// Ranges of runes whose folding is precomputed at start-up: ASCII, Latin-1,
// Latin Extended-A/B, combining diacritical marks, Latin Extended Additional
// (which holds the precomposed Vietnamese letters).
const (
	tabLowEnd  = 0x370 // [0, 0x370)
	tabExtLow  = 0x1E00
	tabExtHigh = 0x1F00 // [0x1E00, 0x1F00)
)

var (
	foldLow [tabLowEnd]string
	foldExt [tabExtHigh - tabExtLow]string
)

func init() {
	for r := rune(0); r < tabLowEnd; r++ {
		foldLow[r] = slowFold(string(r))
	}
	for r := rune(tabExtLow); r < tabExtHigh; r++ {
		foldExt[r-tabExtLow] = slowFold(string(r))
	}
}

func foldTableRune(r rune) (string, bool) {
	switch {
	case r < tabLowEnd:
		return foldLow[r], true
	case tabExtLow <= r && r < tabExtHigh:
		return foldExt[r-tabExtLow], true
	}
	return "", false
}

// slowFold is the definition of Fold, applied until it reaches a fixed point
// (lower-casing can, in rare scripts, produce a letter that decomposes).
func slowFold(s string) string {
	s = validUTF8(s)
	for range 4 {
		t := foldOnce(s)
		if t == s {
			break
		}
		s = t
	}
	return s
}

func foldOnce(s string) string {
	// NFD(NFC(s)) == NFD(s): canonical equivalence makes the NFC step
	// implicit in the decomposition.
	d := norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(d))
	for _, r := range d {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		switch r {
		case 'đ', 'Đ', 'Ð', 'ð', 'Ɖ', 'ɖ':
			b.WriteByte('d')
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// validUTF8 replaces each invalid byte with U+FFFD.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		b.WriteRune(r) // range yields U+FFFD for each invalid byte
	}
	return b.String()
}
