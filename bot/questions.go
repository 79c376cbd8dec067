package bot

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/qnstartup/trolykhoinghiep/pii"
	"github.com/qnstartup/trolykhoinghiep/policy"
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
		Menu:     []MenuItem{{Key: "menu.questions", Role: store.RoleStaff, Handler: b.listQuestions}},
		Actions: map[string]Handler{
			"list":  staffOnly(b.listQuestions),
			"reply": staffOnly(b.replyStart),
			"save":  staffOnly(b.saveCurated),
			"close": staffOnly(b.closeQuestion),
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

// listQuestions shows the questions waiting for staff, oldest first, each
// with the user's own words and what the bot had answered.
func (b *Bot) listQuestions(c *Ctx) error {
	open, total, err := b.st.OpenQuestions(5)
	if err != nil {
		return err
	}
	all, refused, up, down, err := b.st.QuestionStats()
	if err != nil {
		return err
	}
	c.Say("ask.list_header", "Count", total)
	for _, q := range open {
		c.Reply(Reply{
			Text:    c.T("ask.list_item", "ID", q.ID, "When", q.Created.In(Vietnam).Format("02/01 15:04"), "Question", questionForStaff(c.Loc, q)),
			Buttons: staffQuestionButtons(c.Loc, q),
		})
	}
	if total > len(open) {
		c.Say("ask.list_more", "N", total-len(open))
	}
	c.Say("ask.list_stats", "Total", all, "Refused", refused, "Up", up, "Down", down)
	return nil
}

// questionForStaff shows a question as staff need it: the user's own
// words (and the suggested follow-up they picked), then what the bot had
// answered. The result is HTML.
func questionForStaff(loc translator, q *store.Question) string {
	hide := func(s string) string { return pii.RedactPhones(s, loc.T("trust.phone_hidden")) }
	var sb strings.Builder
	if q.Asked != "" {
		sb.WriteString(loc.T("ask.staff_asked", map[string]any{"Asked": Esc(truncate(hide(q.Asked), 500))}))
		sb.WriteString("\n" + loc.T("ask.staff_followup", map[string]any{"Question": Esc(truncate(hide(q.Text), 300))}))
	} else {
		sb.WriteString(loc.T("ask.staff_asked", map[string]any{"Asked": Esc(truncate(hide(q.Text), 500))}))
	}
	if q.Refused && q.Reason != policy.ReasonMissing {
		sb.WriteString("\n\n" + loc.T("ask.staff_bot_none"))
	} else if q.Answer != "" {
		sb.WriteString("\n\n" + loc.T("ask.staff_bot_answer", map[string]any{"Answer": Esc(truncate(q.Answer, 700))}))
	}
	return sb.String()
}

// staffQuestionButtons answer a forwarded question or close it.
func staffQuestionButtons(loc translator, q *store.Question) [][]Button {
	id := strconv.FormatUint(q.ID, 10)
	return [][]Button{
		{{Text: loc.T("ask.btn_reply"), Data: CB("asks", "reply", id)}},
		{{Text: loc.T("ask.btn_close_answered"), Data: CB("asks", "close", id, store.CloseAnswered)}},
		{{Text: loc.T("ask.btn_close_off"), Data: CB("asks", "close", id, store.CloseOffTopic)}},
	}
}

// closeQuestion closes a forwarded question without a staff answer: the
// bot's answer already covers it, or it is outside startup support. The
// asker is told either way.
func (b *Bot) closeQuestion(c *Ctx) error {
	_, _, args, _ := ParseCB(c.U.Data)
	if len(args) != 2 || (args[1] != store.CloseAnswered && args[1] != store.CloseOffTopic) {
		return b.r.stale(c)
	}
	id, err := strconv.ParseUint(args[0], 10, 64)
	if err != nil {
		return b.r.stale(c)
	}
	why, staff, now, msg := args[1], c.User.ID, c.Now(), c.U.MsgID
	c.Do(func(tx *store.Tx) error {
		q, err := liveQuestion(tx, id)
		if err != nil {
			return err
		}
		switch q.Status {
		case store.QuestionStaffAnswered:
			return Refuse("ask.already_answered")
		case store.QuestionClosed:
			return Refuse("ask.already_closed")
		case store.QuestionForwarded:
		default:
			return Refuse("common.stale_button")
		}
		q.Status, q.Closed, q.StaffID, q.Answered = store.QuestionClosed, why, staff, now
		if err := tx.PutQuestion(q); err != nil {
			return err
		}
		if asker, err := tx.User(q.UserID); err == nil && !asker.Inactive {
			c.SendTo(asker.ID, Reply{Text: c.TFor(asker, "ask.closed_"+why, "Question", Esc(truncate(q.Text, 300)))})
		}
		r := Reply{Text: c.T("ask.closed_staff_"+why, "ID", q.ID)}
		if msg != 0 {
			r.Edit = msg
		}
		c.Reply(r)
		return nil
	})
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
	if q.Status == store.QuestionClosed {
		return Refuse("ask.already_closed")
	}
	if err := c.Start("asks"); err != nil {
		return err
	}
	c.SetDraft("qid", strconv.FormatUint(id, 10))
	c.SetDraft("question", questionForStaff(c.Loc, q))
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
		if q.Status == store.QuestionClosed {
			return Refuse("ask.already_closed")
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

// liveQuestion reads the question a staff button names; one that is gone
// makes the button stale.
func liveQuestion(tx *store.Tx, id uint64) (*store.Question, error) {
	q, err := tx.Question(id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, Refuse("common.stale_button")
	}
	return q, err
}

func (b *Bot) saveCurated(c *Ctx) error {
	id, ok := questionArg(c)
	if !ok {
		return b.r.stale(c)
	}
	c.Do(func(tx *store.Tx) error {
		q, err := liveQuestion(tx, id)
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
