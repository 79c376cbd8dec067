package telegramtest

import (
	"encoding/json"
	"strings"
)

// markup is a decoded reply_markup parameter.
type markup struct {
	inline   [][]Button // inline_keyboard; nil when absent
	isInline bool
	keyboard [][]string // reply keyboard button texts
	remove   bool       // remove_keyboard
	other    bool       // keyboard, remove_keyboard or force_reply: not an inline keyboard
}

type rawMarkup struct {
	InlineKeyboard *[][]apiButton       `json:"inline_keyboard"`
	Keyboard       *[][]json.RawMessage `json:"keyboard"`
	RemoveKeyboard bool                 `json:"remove_keyboard"`
	ForceReply     bool                 `json:"force_reply"`
}

// parseMarkup decodes and validates reply_markup. It returns a Bot API error
// description when Telegram would reject the markup.
func parseMarkup(raw string) (markup, string) {
	var m markup
	raw = strings.TrimSpace(raw)
	if raw == "" || raw == "null" {
		return m, ""
	}
	var rm rawMarkup
	if err := json.Unmarshal([]byte(raw), &rm); err != nil {
		return m, "Bad Request: can't parse reply keyboard markup JSON object"
	}
	switch {
	case rm.InlineKeyboard != nil:
		m.isInline = true
		m.inline = make([][]Button, 0, len(*rm.InlineKeyboard))
		for _, row := range *rm.InlineKeyboard {
			out := make([]Button, 0, len(row))
			for _, b := range row {
				if bad := checkButton(b); bad != "" {
					return markup{}, bad
				}
				btn := Button{Text: b.Text}
				if b.CallbackData != nil {
					btn.Data = *b.CallbackData
				}
				if b.URL != nil {
					btn.URL = *b.URL
				}
				out = append(out, btn)
			}
			m.inline = append(m.inline, out)
		}
	case rm.Keyboard != nil:
		m.other = true
		for _, row := range *rm.Keyboard {
			out := make([]string, 0, len(row))
			for _, b := range row {
				text, ok := keyboardButtonText(b)
				if !ok {
					return markup{}, "Bad Request: can't parse keyboard button: Field \"text\" must be of type String"
				}
				out = append(out, text)
			}
			m.keyboard = append(m.keyboard, out)
		}
	case rm.RemoveKeyboard:
		m.other = true
		m.remove = true
	case rm.ForceReply:
		m.other = true
	default:
		return m, "Bad Request: can't parse reply keyboard markup JSON object"
	}
	return m, ""
}

func checkButton(b apiButton) string {
	if b.Text == "" {
		return "Bad Request: BUTTON_TEXT_INVALID"
	}
	if b.CallbackData != nil {
		if n := len(*b.CallbackData); n == 0 || n > maxDataBytes {
			return "Bad Request: BUTTON_DATA_INVALID"
		}
		return ""
	}
	if b.URL != nil {
		if *b.URL == "" {
			return "Bad Request: BUTTON_URL_INVALID"
		}
		return ""
	}
	if b.SwitchInlineQuery != nil || b.SwitchInlineQueryCurrentChat != nil || b.LoginURL != nil ||
		b.CallbackGame != nil || b.WebApp != nil || b.CopyText != nil || b.Pay {
		return ""
	}
	return "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
}

// keyboardButtonText accepts a KeyboardButton object or a plain string.
func keyboardButtonText(raw json.RawMessage) (string, bool) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, true
	}
	var b struct {
		Text *string `json:"text"`
	}
	if err := json.Unmarshal(raw, &b); err != nil || b.Text == nil {
		return "", false
	}
	return *b.Text, true
}

// inlineMarkup converts buttons back to their wire form; nil when there are
// none, as Telegram omits an empty keyboard from messages.
func inlineMarkup(rows [][]Button) *apiInlineMarkup {
	if len(rows) == 0 {
		return nil
	}
	m := &apiInlineMarkup{InlineKeyboard: make([][]apiButton, len(rows))}
	for i, row := range rows {
		m.InlineKeyboard[i] = make([]apiButton, len(row))
		for j, b := range row {
			ab := apiButton{Text: b.Text}
			if b.Data != "" {
				d := b.Data
				ab.CallbackData = &d
			}
			if b.URL != "" {
				u := b.URL
				ab.URL = &u
			}
			m.InlineKeyboard[i][j] = ab
		}
	}
	return m
}

func buttonsEqual(a, b [][]Button) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}
