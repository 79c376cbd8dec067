package bot

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/qnstartup/trolykhoinghiep/policy"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// The ask module: policy questions typed in everyday Vietnamese. The
// answer cites its document and validity; a question the knowledge base
// does not cover is refused honestly with an offer to pass it to staff.
// Every answer has 👍/👎 buttons; questions and votes are kept for staff.

func (b *Bot) askModule() Module {
	return Module{
		Name:     "ask",
		Commands: []Command{{Name: "ask", Handler: b.askCmd}},
		Menu:     []MenuItem{{Key: "menu.ask", Handler: func(c *Ctx) error { return c.Start("ask") }}},
		Text:     func(c *Ctx) error { return b.answer(c, c.U.Text) },
		Actions: map[string]Handler{
			"vote": b.askVote,
			"fu":   b.askFollowup,
			"fwd":  b.askForward,
		},
		Flows: []*Flow{{
			Name: "ask",
			Steps: []Step{{
				Name:   "question",
				Prompt: func(c *Ctx) error { c.Reply(Reply{Text: c.T("ask.prompt"), Keyboard: c.NavKeyboard()}); return nil },
				Input: func(c *Ctx) error {
					if strings.TrimSpace(c.U.Text) == "" {
						return Refuse("ask.need_text")
					}
					c.End()
					return b.answer(c, c.U.Text)
				},
			}},
		}},
	}
}

func (b *Bot) askCmd(c *Ctx) error {
	if q := strings.TrimSpace(c.U.Args); q != "" {
		return b.answer(c, q)
	}
	return c.Start("ask")
}

// answer answers a question and records it with the user's vote buttons.
func (b *Bot) answer(c *Ctx, text string) error {
	f := b.opt.Features
	if f.Policy == nil {
		c.Reply(Reply{Text: c.T("ask.unavailable"), Keyboard: b.MainMenu(c)})
		return nil
	}
	allowLLM := f.LLM && b.llmLeft(c)
	if f.LLM {
		c.Typing()
	}
	timeout := f.AnswerTimeout
	if timeout == 0 {
		timeout = 25 * time.Second
	}
	ctx, cancel := context.WithTimeout(c.Context(), timeout)
	defer cancel()
	ans, err := f.Policy.Answer(ctx, policy.Query{Text: text, Lang: c.User.Lang, AllowLLM: allowLLM})
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return Refuse("ask.timeout")
	}
	if err != nil {
		return err
	}
	body := policy.Render(ans, c.Loc)
	switch ans.Reason {
	case policy.ReasonSmallTalk, policy.ReasonEmpty, policy.ReasonQuestionLen:
		c.Reply(Reply{Text: Esc(body)})
		return nil
	}
	q := &store.Question{
		UserID: c.User.ID, Text: truncate(strings.TrimSpace(text), policy.MaxQuestionLen), Lang: c.User.Lang,
		Answer: body, Refused: ans.Refused, Reason: ans.Reason, Mode: ans.Mode,
		Followups: ans.Followups, Status: store.QuestionAnswered, Created: c.Now(),
	}
	for _, s := range ans.Sources {
		q.Docs = append(q.Docs, s.Doc)
	}
	c.Do(func(tx *store.Tx) error {
		if err := tx.AddQuestion(q); err != nil {
			return err
		}
		if ans.Mode == policy.ModeLLM {
			if err := tx.CountLLM(c.User.ID, c.Now()); err != nil {
				return err
			}
		}
		c.Reply(Reply{Text: Esc(body), Buttons: b.answerButtons(c, q, ans)})
		return nil
	})
	return nil
}

func (b *Bot) answerButtons(c *Ctx, q *store.Question, ans policy.Answer) [][]Button {
	id := strconv.FormatUint(q.ID, 10)
	if ans.Refused {
		return [][]Button{{{Text: c.T("ask.btn_forward"), Data: CB("ask", "fwd", id)}}}
	}
	rows := [][]Button{{
		{Text: "👍 " + c.T("ask.btn_helpful"), Data: CB("ask", "vote", id, "up")},
		{Text: "👎 " + c.T("ask.btn_unhelpful"), Data: CB("ask", "vote", id, "down")},
	}}
	for i, f := range ans.Followups {
		if i == 3 {
			break
		}
		rows = append(rows, []Button{{Text: "❓ " + truncate(f, 60), Data: CB("ask", "fu", id, strconv.Itoa(i))}})
	}
	rows = append(rows, []Button{{Text: c.T("ask.btn_forward_more"), Data: CB("ask", "fwd", id)}})
	return rows
}

// llmLeft reports whether the user may get another model-written answer
// today.
func (b *Bot) llmLeft(c *Ctx) bool {
	limit := b.opt.Features.LLMPerDay
	if limit == 0 {
		limit = 20
	}
	used := 0
	b.st.View(func(tx *store.Tx) error { used = tx.LLMUsed(c.User.ID, c.Now()); return nil })
	return used < limit
}

// ownQuestion loads a question named in callback data and checks that it
// is the user's own: callback data is never trusted.
func ownQuestion(tx *store.Tx, c *Ctx, arg string) (*store.Question, error) {
	id, err := strconv.ParseUint(arg, 10, 64)
	if err != nil {
		return nil, Refuse("common.stale_button")
	}
	q, err := tx.Question(id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && q.UserID != c.User.ID) {
		return nil, Refuse("common.stale_button")
	}
	return q, err
}

func (b *Bot) askVote(c *Ctx) error {
	_, _, args, _ := ParseCB(c.U.Data)
	if len(args) != 2 || (args[1] != "up" && args[1] != "down") {
		return b.r.stale(c)
	}
	vote := 1
	if args[1] == "down" {
		vote = -1
	}
	c.Do(func(tx *store.Tx) error {
		q, err := ownQuestion(tx, c, args[0])
		if err != nil {
			return err
		}
		q.Vote = vote
		return tx.PutQuestion(q)
	})
	if vote > 0 {
		c.Toast(c.T("ask.thanks_up"))
	} else {
		c.Toast(c.T("ask.thanks_down"))
	}
	return nil
}

func (b *Bot) askFollowup(c *Ctx) error {
	_, _, args, _ := ParseCB(c.U.Data)
	if len(args) != 2 {
		return b.r.stale(c)
	}
	var text string
	err := b.st.View(func(tx *store.Tx) error {
		q, err := ownQuestion(tx, c, args[0])
		if err != nil {
			return err
		}
		i, err := strconv.Atoi(args[1])
		if err != nil || i < 0 || i >= len(q.Followups) {
			return Refuse("common.stale_button")
		}
		text = q.Followups[i]
		return nil
	})
	if err != nil {
		return err
	}
	c.Reply(Reply{Text: "❓ <i>" + Esc(text) + "</i>"})
	return b.answer(c, text)
}

// askForward passes the user's question to staff.
func (b *Bot) askForward(c *Ctx) error {
	_, _, args, _ := ParseCB(c.U.Data)
	if len(args) != 1 {
		return b.r.stale(c)
	}
	staff, err := b.st.Staff()
	if err != nil {
		return err
	}
	c.Do(func(tx *store.Tx) error {
		q, err := ownQuestion(tx, c, args[0])
		if err != nil {
			return err
		}
		if q.Status != store.QuestionAnswered {
			c.Toast(c.T("ask.already_forwarded"))
			return nil
		}
		q.Status = store.QuestionForwarded
		if err := tx.PutQuestion(q); err != nil {
			return err
		}
		for _, s := range staff {
			if s.Inactive {
				continue
			}
			c.SendTo(s.ID, Reply{
				Text:    c.TFor(s, "ask.staff_new", "Name", Esc(c.User.Name()), "Question", Esc(q.Text)),
				Buttons: [][]Button{{{Text: c.TFor(s, "ask.btn_reply"), Data: CB("asks", "reply", strconv.FormatUint(q.ID, 10))}}},
			})
		}
		c.Reply(Reply{Text: c.T("ask.forwarded")})
		return nil
	})
	return nil
}
