package telegramtest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits of the Bot API, counted in UTF-16 code units after entity parsing.
const (
	maxTextLen    = 4096
	maxCaptionLen = 1024
	maxDataBytes  = 64
)

// htmlTags are the tags Telegram accepts with parse_mode HTML.
var htmlTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "a": true, "code": true, "pre": true,
	"tg-spoiler": true, "span": true, "blockquote": true,
}

// utf16Len is the length of s in UTF-16 code units, the unit Telegram uses
// for message length limits and entity offsets.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// plainText returns the text a client would display for text sent with
// parseMode, or the reason Telegram would reject it (without the
// "Bad Request: " prefix). Markdown and MarkdownV2 are not parsed: their text
// is returned unchanged.
func plainText(text, parseMode string) (string, string) {
	if !utf8.ValidString(text) {
		return "", "strings must be encoded in UTF-8"
	}
	switch strings.ToLower(parseMode) {
	case "":
		return text, ""
	case "html":
		plain, bad := parseHTML(text)
		if bad != "" {
			return "", "can't parse entities: " + bad
		}
		return plain, ""
	case "markdown", "markdownv2":
		return text, ""
	default:
		return "", "unsupported parse_mode"
	}
}

// checkText validates a message text (limit maxTextLen) or a caption (limit
// maxCaptionLen, may be empty) and returns its plain form or a Bot API error
// description.
func checkText(text, parseMode string, caption bool) (string, string) {
	plain, bad := plainText(text, parseMode)
	if bad != "" {
		return "", "Bad Request: " + bad
	}
	if caption {
		if utf16Len(plain) > maxCaptionLen {
			return "", "Bad Request: message caption is too long"
		}
		return plain, ""
	}
	if strings.TrimSpace(plain) == "" {
		return "", "Bad Request: message text is empty"
	}
	if utf16Len(plain) > maxTextLen {
		return "", "Bad Request: message is too long"
	}
	return plain, ""
}

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func isNameChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-'
}

// parseHTML follows Telegram's HTML parser closely enough to reject what
// Telegram rejects: unknown tags, unbalanced or mismatched tags, malformed
// attributes and a <span> without class "tg-spoiler". It returns the text
// without tags and with entities decoded, or Telegram's description of the
// first error. A '&' that does not start a known
// entity is kept as is, as Telegram does.
func parseHTML(s string) (plain, bad string) {
	var out strings.Builder
	out.Grow(len(s))
	var open []string
	for i := 0; i < len(s); {
		c := s[i]
		if c == '&' {
			if r, n := decodeEntity(s[i:]); n > 0 {
				out.WriteRune(r)
				i += n
				continue
			}
		}
		if c != '<' {
			out.WriteByte(c)
			i++
			continue
		}
		begin := i
		i++
		if i >= len(s) {
			return "", fmt.Sprintf("Unclosed start tag at byte offset %d", begin)
		}
		if s[i] == '/' {
			if len(open) == 0 {
				return "", fmt.Sprintf("Unexpected end tag at byte offset %d", begin)
			}
			j := i + 1
			for j < len(s) && !isHTMLSpace(s[j]) && s[j] != '>' {
				j++
			}
			name := strings.ToLower(s[i+1 : j])
			for j < len(s) && isHTMLSpace(s[j]) {
				j++
			}
			if j >= len(s) || s[j] != '>' {
				return "", fmt.Sprintf("Unclosed end tag at byte offset %d", begin)
			}
			top := open[len(open)-1]
			if name != "" && name != top {
				return "", fmt.Sprintf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", begin, top, name)
			}
			open = open[:len(open)-1]
			i = j + 1
			continue
		}

		j := i
		for j < len(s) && !isHTMLSpace(s[j]) && s[j] != '>' {
			j++
		}
		if j >= len(s) {
			return "", fmt.Sprintf("Unclosed start tag at byte offset %d", begin)
		}
		name := strings.ToLower(s[i:j])
		if !htmlTags[name] {
			return "", fmt.Sprintf("Unsupported start tag \"%s\" at byte offset %d", name, begin)
		}
		i = j
		class := ""
		for {
			for i < len(s) && isHTMLSpace(s[i]) {
				i++
			}
			if i >= len(s) {
				return "", fmt.Sprintf("Unclosed start tag \"%s\" at byte offset %d", name, begin)
			}
			if s[i] == '>' {
				i++
				break
			}
			ab := i
			for i < len(s) && !isHTMLSpace(s[i]) && s[i] != '=' && s[i] != '>' {
				i++
			}
			attr := strings.ToLower(s[ab:i])
			if attr == "" {
				return "", fmt.Sprintf("Empty attribute name in the tag \"%s\" at byte offset %d", name, begin)
			}
			for i < len(s) && isHTMLSpace(s[i]) {
				i++
			}
			if i >= len(s) {
				return "", fmt.Sprintf("Unclosed start tag \"%s\" at byte offset %d", name, begin)
			}
			if s[i] != '=' {
				if name == "blockquote" && attr == "expandable" {
					continue
				}
				return "", fmt.Sprintf("Expected equal sign in declaration of an attribute of the tag \"%s\" at byte offset %d", name, begin)
			}
			i++
			for i < len(s) && isHTMLSpace(s[i]) {
				i++
			}
			if i >= len(s) {
				return "", fmt.Sprintf("Unclosed start tag \"%s\" at byte offset %d", name, begin)
			}
			var value string
			if q := s[i]; q == '"' || q == '\'' {
				i++
				vb := i
				for i < len(s) && s[i] != q {
					i++
				}
				if i >= len(s) {
					return "", fmt.Sprintf("Unclosed start tag at byte offset %d", begin)
				}
				value = s[vb:i]
				i++
			} else {
				vb := i
				for i < len(s) && isNameChar(s[i]) {
					i++
				}
				if i >= len(s) || !isHTMLSpace(s[i]) && s[i] != '>' {
					return "", fmt.Sprintf("Unexpected end of name token at byte offset %d", vb)
				}
				value = strings.ToLower(s[vb:i])
			}
			if name == "span" && attr == "class" {
				class = value
			}
		}
		if name == "span" && class != "tg-spoiler" {
			return "", fmt.Sprintf("Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", begin)
		}
		open = append(open, name)
	}
	if len(open) > 0 {
		return "", fmt.Sprintf("Can't find end tag corresponding to start tag \"%s\"", open[len(open)-1])
	}
	return out.String(), ""
}

// decodeEntity decodes the HTML entity at the start of s (which begins with
// '&'): &lt; &gt; &amp; &quot; and numeric entities. It returns the rune and
// the entity's length, or n == 0 when s does not start with one.
func decodeEntity(s string) (r rune, n int) {
	end := strings.IndexByte(s, ';')
	if end < 2 || end > 10 {
		return 0, 0
	}
	name := s[1:end]
	switch name {
	case "lt":
		return '<', end + 1
	case "gt":
		return '>', end + 1
	case "amp":
		return '&', end + 1
	case "quot":
		return '"', end + 1
	}
	if name[0] != '#' || len(name) < 2 {
		return 0, 0
	}
	var v uint64
	var err error
	if name[1] == 'x' || name[1] == 'X' {
		v, err = strconv.ParseUint(name[2:], 16, 32)
	} else {
		v, err = strconv.ParseUint(name[1:], 10, 32)
	}
	if err != nil || v == 0 || v > utf8.MaxRune || v >= 0xD800 && v <= 0xDFFF {
		return 0, 0
	}
	return rune(v), end + 1
}
