package pii

import (
	"regexp"
	"strings"
)

// sep is what people put between the digits of a phone number: at most
// one space (ordinary or no-break), dot or dash, optionally with a
// closing bracket after an area code.
const sep = `[ .\-\x{00A0}]?`

var phoneRe = regexp.MustCompile(
	// The country code, with or without "+" and brackets, or the trunk 0
	// (optionally opening a bracketed area code).
	`(?:(?:\(\s?\+?84\s?\)|\+?84)` + sep + `|\(?0` + sep + `)` +
		`(?:` +
		// Mobile: 3, 5, 7, 8 or 9 then eight digits.
		`[35789](?:` + sep + `\d){8}` +
		`|` +
		// Landline: area code 2x or 2xx then the subscriber number, ten
		// digits in all after the trunk 0 (an area code may be bracketed).
		`2(?:\)?` + sep + `\d){9}` +
		`)`)

// FindPhones returns the [start, end) byte offsets of the phone numbers
// in s, in order.
func FindPhones(s string) [][2]int {
	var out [][2]int
	for _, m := range phoneRe.FindAllStringIndex(s, -1) {
		start, end := m[0], m[1]
		if start > 0 && isDigit(s[start-1]) || end < len(s) && isDigit(s[end]) {
			continue // part of a longer number
		}
		if start > 0 && s[start-1] == '+' {
			start-- // "+0905…" is still the number
		}
		out = append(out, [2]int{start, end})
	}
	return out
}

// ContainsPhone reports whether s contains a phone number.
func ContainsPhone(s string) bool { return len(FindPhones(s)) > 0 }

// RedactPhones replaces every phone number in s with repl.
func RedactPhones(s, repl string) string {
	spans := FindPhones(s)
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	prev := 0
	for _, sp := range spans {
		b.WriteString(s[prev:sp[0]])
		b.WriteString(repl)
		prev = sp[1]
	}
	b.WriteString(s[prev:])
	return b.String()
}

// Digits is s with everything but ASCII digits removed: how a phone
// number is compared whatever its formatting.
func Digits(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
