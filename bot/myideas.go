package bot

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/qnstartup/trolykhoinghiep/store"
)

// The my-ideas module: /myideas lists the author's ideas with their
// status; an idea opens with its history and staff answers, and can be
// edited (before review), withdrawn, or given the information staff
// asked for. Every action re-checks that the user is the author.

func (b *Bot) myIdeasModule() Module {
	return Module{
		Name: "my",
		Commands: []Command{
			{Name: "myideas", Handler: b.myList},
		},
		Actions: map[string]Handler{
			"list":  b.myList,
			"new":   startsFlow(b.ideaStart),
			"open":  b.myOpen,
			"edit":  startsFlow(b.myEdit),
			"reply": startsFlow(b.myReplyStart),
			"wd":    b.myWithdrawAsk,
			"wdy":   b.myWithdraw,
		},
		Flows: []*Flow{{
			Name:  "my_reply",
			Steps: []Step{{Name: "text", Prompt: b.myReplyAsk, Input: b.myReply}},
		}},
	}
}

func (b *Bot) myList(c *Ctx) error {
	var ideas []*store.Idea
	if err := b.st.View(func(tx *store.Tx) error {
		var err error
		ideas, err = tx.IdeasByAuthor(c.User.ID)
		return err
	}); err != nil {
		return err
	}
	if len(ideas) == 0 {
		c.Reply(Reply{Text: c.T("my.empty"), Buttons: [][]Button{{{Text: c.T("menu.idea"), Data: CB("my", "new")}}}})
		return nil
	}
	var sb strings.Builder
	sb.WriteString(c.T("my.title", "N", len(ideas)))
	var rows [][]Button
	for n, i := range ideas {
		if n == 30 {
			sb.WriteString("\n…")
			break
		}
		sb.WriteString(fmt.Sprintf("\n\n<b>%s</b> · %s\n%s", i.Code, statusLabel(c, i.Status), Esc(truncate(i.Title, 80))))
		rows = append(rows, []Button{{Text: i.Code + " – " + truncate(i.Title, 40), Data: CB("my", "open", strconv.FormatUint(i.ID, 10))}})
	}
	c.Reply(Reply{Text: sb.String(), Buttons: rows})
	return nil
}

// ownIdea loads an idea and checks the user is its author.
func ownIdea(c *Ctx, tx *store.Tx, id uint64) (*store.Idea, error) {
	i, err := tx.Idea(id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, Refuse("bank.gone")
	}
	if err != nil {
		return nil, err
	}
	if i.AuthorID == 0 || i.AuthorID != c.User.ID {
		return nil, Refuse("common.not_allowed")
	}
	return i, nil
}

func (b *Bot) myCard(c *Ctx, i *store.Idea) Reply {
	var sb strings.Builder
	phone := c.T("idea.phone_none")
	if i.Phone != "" {
		phone = Esc(i.Phone)
	}
	vis := c.T("idea.vis_staff")
	if i.Public {
		vis = c.T("idea.vis_public")
	}
	sb.WriteString(c.T("my.card",
		"Code", i.Code, "Status", statusLabel(c, i.Status), "Title", Esc(i.Title), "Desc", Esc(truncate(i.Description, 1500)),
		"Sector", c.T("sector."+i.Sector), "Locality", Esc(b.places().Name(i.Locality)), "Kind", c.T("kind."+i.AuthorKind),
		"Phone", phone, "Visibility", vis, "Consent", yesNo(c, i.Consent), "N", i.Supporters, "Followers", i.Followers,
		"Created", fmtTime(i.Created)))
	if i.Reason != "" {
		sb.WriteString("\n" + c.T("review.reason", "Reason", Esc(i.Reason)))
	}
	if len(i.Answers) > 0 {
		sb.WriteString("\n\n" + c.T("my.answers"))
		for _, a := range i.Answers {
			sb.WriteString(fmt.Sprintf("\n• %s: %s", fmtTime(a.At), Esc(truncate(a.Text, 500))))
		}
	}
	if len(i.History) > 0 {
		sb.WriteString("\n\n" + c.T("review.history"))
		for _, e := range i.History[max(0, len(i.History)-10):] {
			sb.WriteString("\n• " + historyLine(c, e))
		}
	}
	id := strconv.FormatUint(i.ID, 10)
	var rows [][]Button
	if i.Status == store.IdeaInfo {
		rows = append(rows, []Button{{Text: c.T("my.btn_reply"), Data: CB("my", "reply", id)}})
	}
	if i.Editable() {
		rows = append(rows, []Button{{Text: c.T("my.btn_edit"), Data: CB("my", "edit", id)}})
	}
	if i.Status != store.IdeaWithdrawn && i.Status != store.IdeaDuplicate {
		rows = append(rows, []Button{{Text: c.T("my.btn_withdraw"), Data: CB("my", "wd", id)}})
	}
	rows = append(rows, []Button{{Text: c.T("my.btn_list"), Data: CB("my", "list")}})
	return Reply{Text: sb.String(), Buttons: rows}
}

func (b *Bot) myOpen(c *Ctx) error {
	id, ok := ideaArg(c)
	if !ok {
		return b.r.stale(c)
	}
	return b.st.View(func(tx *store.Tx) error {
		i, err := ownIdea(c, tx, id)
		if err != nil {
			return err
		}
		c.Reply(b.myCard(c, i))
		return nil
	})
}

func (b *Bot) myEdit(c *Ctx) error {
	id, ok := ideaArg(c)
	if !ok {
		return b.r.stale(c)
	}
	var i *store.Idea
	err := b.st.View(func(tx *store.Tx) error {
		var err error
		i, err = ownIdea(c, tx, id)
		return err
	})
	if err != nil {
		return err
	}
	if !i.Editable() {
		return Refuse("my.err_not_editable", "Status", statusLabel(c, i.Status))
	}
	return b.editIdea(c, i)
}

func (b *Bot) myReplyStart(c *Ctx) error {
	id, ok := ideaArg(c)
	if !ok {
		return b.r.stale(c)
	}
	var code string
	err := b.st.View(func(tx *store.Tx) error {
		i, err := ownIdea(c, tx, id)
		if err != nil {
			return err
		}
		if i.Status != store.IdeaInfo {
			return Refuse("my.err_no_question")
		}
		code = i.Code
		return nil
	})
	if err != nil {
		return err
	}
	c.State.Flow, c.State.Draft = "my_reply", map[string]string{"idea": strconv.FormatUint(id, 10), "code": code}
	return c.Goto("text")
}

func (b *Bot) myReplyAsk(c *Ctx) error {
	c.Reply(Reply{Text: c.T("my.ask_reply", "Code", c.Draft("code")), Keyboard: c.NavKeyboard()})
	return nil
}

func (b *Bot) myReply(c *Ctx) error {
	id, ok := parseID(c.Draft("idea"))
	if !ok {
		c.End()
		return b.r.stale(c)
	}
	text, err := textInput(c)
	if err != nil {
		return err
	}
	text, err = cleanText(text, store.MaxIdeaDescription)
	if err != nil {
		return err
	}
	now, user := c.Now(), c.User.ID
	c.End()
	c.Reply(Reply{Text: c.T("my.reply_sent"), Keyboard: b.MainMenu(c)})
	c.Do(func(tx *store.Tx) error {
		i, err := ownIdea(c, tx, id)
		if err != nil {
			return err
		}
		if i.Status != store.IdeaInfo {
			return Refuse("my.err_no_question")
		}
		// The staff member who asked hears the answer.
		var asker int64
		for _, e := range i.History {
			if e.Action == "ask_info" {
				asker = e.Actor
			}
		}
		i.Status = store.IdeaSubmitted // back in the review queue
		i.Log(now, user, "info_reply", text)
		if err := tx.PutIdea(i); err != nil {
			return err
		}
		if u, err := tx.User(asker); err == nil && u.IsStaff() {
			c.SendTo(u.ID, Reply{
				Text:    c.TFor(u, "review.notify_info_reply", "Code", i.Code, "Title", Esc(i.Title), "Reply", Esc(text)),
				Buttons: [][]Button{{{Text: c.TFor(u, "review.btn_manage"), Data: CB("rv", "open", strconv.FormatUint(i.ID, 10))}}},
			})
		}
		return nil
	})
	return nil
}

func (b *Bot) myWithdrawAsk(c *Ctx) error {
	id, ok := ideaArg(c)
	if !ok {
		return b.r.stale(c)
	}
	return b.st.View(func(tx *store.Tx) error {
		i, err := ownIdea(c, tx, id)
		if err != nil {
			return err
		}
		c.Reply(Reply{Text: c.T("my.withdraw_confirm", "Code", i.Code, "Title", Esc(i.Title)), Buttons: [][]Button{{
			{Text: c.T("my.btn_withdraw_yes"), Data: CB("my", "wdy", strconv.FormatUint(id, 10))},
			{Text: c.T("common.no"), Data: CB("my", "open", strconv.FormatUint(id, 10))},
		}}})
		return nil
	})
}

func (b *Bot) myWithdraw(c *Ctx) error {
	id, ok := ideaArg(c)
	if !ok {
		return b.r.stale(c)
	}
	now, user := c.Now(), c.User.ID
	c.Do(func(tx *store.Tx) error {
		i, err := ownIdea(c, tx, id)
		if err != nil {
			return err
		}
		if i.Status == store.IdeaWithdrawn || i.Status == store.IdeaDuplicate {
			return Refuse("my.err_withdrawn")
		}
		i.Status = store.IdeaWithdrawn
		i.Log(now, user, "withdrawn", "")
		if err := tx.PutIdea(i); err != nil {
			return err
		}
		b.notifyIdea(c, tx, i, func(u *store.User) string {
			return c.TFor(u, "my.notify_withdrawn", "Code", i.Code, "Title", Esc(hidePhonesFor(c, u, i.Title)))
		})
		c.Reply(Reply{Text: c.T("my.withdrawn", "Code", i.Code)})
		return nil
	})
	return nil
}
