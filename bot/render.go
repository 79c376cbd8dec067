package bot

import (
	"html"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/qnstartup/trolykhoinghiep/locales"
)

// Render turns a reply, as a flow states it, into the messages a channel
// with caps can show, losing nothing the user needs:
//
//   - text over MaxText is split at paragraphs, lines, then spaces; the
//     buttons go with the last part;
//   - without HTML, tags are dropped and entities decoded; a link's
//     address follows its words;
//   - without edits, an edit is sent as a new message;
//   - without reply keyboards, keyboard buttons become buttons that send
//     their label (Typed) or ask for the phone number (RequestContact);
//   - buttons beyond MaxButtons go in further messages ("Thêm lựa chọn"),
//     rows are cut to MaxButtonsPerRow and titles to MaxButtonText.
//
// Media replies are not split: the channel carries their caption.
func Render(r Reply, caps Caps, loc *locales.Localizer) []Reply {
	if !caps.HTML {
		r.Text = PlainText(r.Text)
		r.Buttons = cloneRows(r.Buttons)
	}
	if r.Edit != 0 && !caps.Edit {
		r.Edit = 0
	}
	if r.Keyboard != nil && !caps.ReplyKeyboard {
		if len(r.Buttons) == 0 && !r.Keyboard.Remove {
			for _, row := range r.Keyboard.Rows {
				var out []Button
				for _, k := range row {
					out = append(out, Button{Text: k.Text, Typed: !k.RequestContact, RequestContact: k.RequestContact})
				}
				r.Buttons = append(r.Buttons, out)
			}
		}
		r.Keyboard = nil
	}
	if caps.MaxButtonText > 0 {
		for i := range r.Buttons {
			for j := range r.Buttons[i] {
				if utf8.RuneCountInString(r.Buttons[i][j].Text) > caps.MaxButtonText {
					r.Buttons[i][j].Text = truncate(r.Buttons[i][j].Text, caps.MaxButtonText)
				}
			}
		}
	}
	if caps.MaxButtonsPerRow > 0 {
		r.Buttons = reflow(r.Buttons, caps.MaxButtonsPerRow)
	}
	media := r.Photo != "" || r.Voice != "" || r.Document != nil
	var parts []Reply
	if media || r.Edit != 0 || caps.MaxText <= 0 {
		parts = []Reply{r}
	} else {
		texts := splitText(r.Text, caps.MaxText, caps.CountUTF16)
		for _, t := range texts {
			parts = append(parts, Reply{ChatID: r.ChatID, Text: t, Silent: r.Silent, Lang: r.Lang})
		}
		last := &parts[len(parts)-1]
		last.Buttons, last.Keyboard = r.Buttons, r.Keyboard
	}
	if caps.MaxButtons <= 0 {
		return parts
	}
	last := &parts[len(parts)-1]
	if countButtons(last.Buttons) <= caps.MaxButtons {
		return parts
	}
	pages := pageButtons(last.Buttons, caps.MaxButtons)
	last.Buttons = pages[0]
	more := "…"
	if loc != nil {
		more = loc.T("channel.more_choices", nil)
	}
	for _, p := range pages[1:] {
		parts = append(parts, Reply{ChatID: r.ChatID, Text: more, Buttons: p, Silent: true, Lang: r.Lang})
	}
	return parts
}

func cloneRows(rows [][]Button) [][]Button {
	if rows == nil {
		return nil
	}
	out := make([][]Button, len(rows))
	for i, row := range rows {
		out[i] = append([]Button(nil), row...)
		for j := range out[i] {
			out[i][j].Text = PlainText(out[i][j].Text)
		}
	}
	return out
}

func countButtons(rows [][]Button) int {
	n := 0
	for _, r := range rows {
		n += len(r)
	}
	return n
}

// reflow cuts rows longer than per into several rows.
func reflow(rows [][]Button, per int) [][]Button {
	var out [][]Button
	for _, row := range rows {
		for len(row) > per {
			out = append(out, row[:per:per])
			row = row[per:]
		}
		if len(row) > 0 {
			out = append(out, row)
		}
	}
	return out
}

// pageButtons splits rows into pages of at most max buttons, keeping rows
// whole where they fit.
func pageButtons(rows [][]Button, max int) [][][]Button {
	var pages [][][]Button
	var cur [][]Button
	n := 0
	for _, row := range reflow(rows, max) {
		if n+len(row) > max && n > 0 {
			pages = append(pages, cur)
			cur, n = nil, 0
		}
		cur = append(cur, row)
		n += len(row)
	}
	if len(cur) > 0 {
		pages = append(pages, cur)
	}
	return pages
}

var (
	reLink = regexp.MustCompile(`(?is)<a\s+[^>]*href="([^"]*)"[^>]*>(.*?)</a>`)
	reTag  = regexp.MustCompile(`(?s)<[^>]*>`)
)

// PlainText turns the HTML of a message into plain text: a link keeps its
// words and, when they differ, its address; other tags are dropped and
// entities decoded.
func PlainText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	s = reLink.ReplaceAllStringFunc(s, func(m string) string {
		sub := reLink.FindStringSubmatch(m)
		href, words := html.UnescapeString(sub[1]), reTag.ReplaceAllString(sub[2], "")
		if plain := html.UnescapeString(words); plain == href || strings.TrimSpace(plain) == "" {
			return href
		}
		return words + " (" + href + ")"
	})
	s = reTag.ReplaceAllString(s, "")
	return html.UnescapeString(s)
}
