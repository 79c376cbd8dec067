package bot

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/qnstartup/trolykhoinghiep/pii"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// The staff side of policy questions: /questions lists those passed to
// staff; a staff answer is delivered to the asker and can be saved as a
// curated answer that later matching questions get first.

// maxStaffAnswer is the longest staff answer, in characters.
const maxStaffAnswer = 3000

func (b *Bot) questionsModule() Module {
	return Module{
		Name:     "asks",
		Commands: []Command{{Name: "questions", Role: store.RoleStaff, Handler: b.listQuestions}},
		Actions: map[string]Handler{
			"reply": staffOnly(b.replyStart),
			"save":  staffOnly(b.saveCurated),
		},
		Flows: []*Flow{{
			Name: "asks",
			Steps: []Step{{
				Name: "text",
				Prompt: func(c *Ctx) error {
					c.Reply(Reply{Text: c.T("ask.reply_prompt", "Question", Esc(hidePhones(c, c.Draft("question")))), Keyboard: c.NavKeyboard()})
					return nil
				},
				Input: staffOnly(b.replyInput),
			}},
		}},
	}
}

func (b *Bot) listQuestions(c *Ctx) error {
	open, total, err := b.st.OpenQuestions(10)
	if err != nil {
		return err
	}
	all, refused, up, down, err := b.st.QuestionStats()
	if err != nil {
		return err
	}
	var sb strings.Builder
	sb.WriteString(c.T("ask.list_header", "Count", total))
	var rows [][]Button
	for _, q := range open {
		fmt.Fprintf(&sb, "\n\n<b>#%d</b> (%s) %s", q.ID, q.Created.In(Vietnam).Format("02/01 15:04"), Esc(truncate(hidePhones(c, q.Text), 300)))
		rows = append(rows, []Button{{Text: c.T("ask.btn_reply") + " #" + strconv.FormatUint(q.ID, 10), Data: CB("asks", "reply", strconv.FormatUint(q.ID, 10))}})
	}
	sb.WriteString("\n\n" + c.T("ask.list_stats", "Total", all, "Refused", refused, "Up", up, "Down", down))
	c.Reply(Reply{Text: sb.String(), Buttons: rows})
	return nil
}

func questionArg(c *Ctx) (uint64, bool) {
	_, _, args, _ := ParseCB(c.U.Data)
	if len(args) != 1 {
		return 0, false
	}
	id, err := strconv.ParseUint(args[0], 10, 64)
	return id, err == nil
}

func (b *Bot) replyStart(c *Ctx) error {
	id, ok := questionArg(c)
	if !ok {
		return b.r.stale(c)
	}
	var q *store.Question
	err := b.st.View(func(tx *store.Tx) error {
		var err error
		q, err = tx.Question(id)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return b.r.stale(c)
	}
	if err != nil {
		return err
	}
	if q.Status == store.QuestionStaffAnswered {
		return Refuse("ask.already_answered")
	}
	if err := c.Start("asks"); err != nil {
		return err
	}
	c.SetDraft("qid", strconv.FormatUint(id, 10))
	c.SetDraft("question", q.Text)
	c.out = c.out[:0] // prompt again, now that the draft holds the question
	return c.Goto("text")
}

func (b *Bot) replyInput(c *Ctx) error {
	text := strings.TrimSpace(c.U.Text)
	if text == "" {
		return Refuse("common.empty")
	}
	if n := utf8.RuneCountInString(text); n > maxStaffAnswer {
		return Refuse("common.too_long", "Len", n, "Max", maxStaffAnswer)
	}
	id, err := strconv.ParseUint(c.Draft("qid"), 10, 64)
	if err != nil {
		c.End()
		return b.r.stale(c)
	}
	c.End()
	c.Do(func(tx *store.Tx) error {
		q, err := tx.Question(id)
		if err != nil {
			return err
		}
		if q.Status == store.QuestionStaffAnswered {
			return Refuse("ask.already_answered")
		}
		q.Status, q.StaffAnswer, q.StaffID, q.Answered = store.QuestionStaffAnswered, text, c.User.ID, c.Now()
		if err := tx.PutQuestion(q); err != nil {
			return err
		}
		asker, err := tx.User(q.UserID)
		if err != nil {
			return err
		}
		if !asker.Inactive {
			c.SendTo(asker.ID, Reply{Text: c.TFor(asker, "ask.staff_answer", "Question", Esc(q.Text), "Answer", Esc(text))})
		}
		c.Reply(Reply{
			Text:     c.T("ask.reply_sent"),
			Buttons:  [][]Button{{{Text: c.T("ask.btn_save"), Data: CB("asks", "save", strconv.FormatUint(q.ID, 10))}}},
			Keyboard: nil,
		})
		return nil
	})
	c.Reply(Reply{Text: c.T("common.done"), Keyboard: b.MainMenu(c)})
	return nil
}

func (b *Bot) saveCurated(c *Ctx) error {
	id, ok := questionArg(c)
	if !ok {
		return b.r.stale(c)
	}
	c.Do(func(tx *store.Tx) error {
		q, err := tx.Question(id)
		if errors.Is(err, store.ErrNotFound) {
			return Refuse("common.stale_button")
		}
		if err != nil {
			return err
		}
		if q.StaffAnswer == "" {
			return Refuse("common.stale_button")
		}
		return tx.AddCurated(&store.Curated{
			Question: pii.RedactPhones(q.Text, " "), Answer: q.StaffAnswer, StaffID: c.User.ID, Created: c.Now(),
			QuestionID: q.ID, Asker: q.UserID,
		})
	})
	c.Toast(c.T("ask.saved"))
	c.Say("ask.saved")
	b.opt.Features.Curated.changed()
	return nil
}
