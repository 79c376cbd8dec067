package bot

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/qnstartup/trolykhoinghiep/store"
)

// The review module (staff only): /review walks the moderation queue
// oldest first; a staff card publishes an idea, asks its author for more
// information, marks it a duplicate (merging supporters), declines it with
// a reason, changes the status of a published idea, posts an official
// answer or a private staff note. Every action re-checks the staff role,
// is written to the audit log, and is told to the author and followers.
// /stats counts the bank; /export sends it as CSV and JSON.

func (b *Bot) reviewModule() Module {
	return Module{
		Name: "rv",
		Commands: []Command{
			{Name: "review", Role: store.RoleStaff, Handler: b.reviewCmd},
			{Name: "stats", Role: store.RoleStaff, Handler: b.statsCmd},
			{Name: "export", Role: store.RoleStaff, Handler: b.exportCmd},
		},
		Menu: []MenuItem{{Key: "menu.review", Role: store.RoleStaff, Handler: b.reviewCmd}},
		Actions: map[string]Handler{
			"open":  staffOnly(b.reviewOpen),
			"q":     staffOnly(b.reviewQueueAction),
			"pub":   staffOnly(b.reviewPublish),
			"st":    staffOnly(b.reviewStatus),
			"t":     staffOnly(startsFlow(b.reviewTextStart)),
			"audit": staffOnly(b.reviewAudit),
		},
		Flows: []*Flow{{
			Name: "rv_text",
			Steps: []Step{
				{Name: "text", Prompt: b.reviewTextAsk, Input: staffOnly(b.reviewTextInput)},
				{Name: "confirm", Prompt: b.reviewConfirmAsk, Input: staffOnly(b.reviewConfirmInput)},
			},
		}},
	}
}

// staffOnly refuses a handler to anyone who is not staff now: button data
// can be forged and roles change.
func staffOnly(h Handler) Handler {
	return func(c *Ctx) error {
		if err := requireStaff(c); err != nil {
			return err
		}
		return h(c)
	}
}

func (b *Bot) reviewCmd(c *Ctx) error {
	if arg := strings.TrimSpace(c.U.Args); arg != "" {
		id, ok := store.ParseIdeaCode(arg)
		if !ok {
			return Refuse("review.err_code", "Code", Esc(arg))
		}
		return b.reviewShow(c, id, false)
	}
	return b.reviewQueue(c, 0)
}

func (b *Bot) reviewQueueAction(c *Ctx) error {
	_, args := cbArgs(c)
	if len(args) == 2 && args[0] == "n" {
		id, ok := parseID(args[1])
		if !ok {
			return b.r.stale(c)
		}
		return b.reviewNext(c, id)
	}
	off := 0
	if len(args) == 1 {
		n, err := strconv.Atoi(args[0])
		if err != nil || n < 0 {
			return b.r.stale(c)
		}
		off = n
	}
	return b.reviewQueue(c, off)
}

// reviewQueue shows the queue's length and the idea at position off.
func (b *Bot) reviewQueue(c *Ctx, off int) error {
	var n int
	var next []*store.Idea
	err := b.st.View(func(tx *store.Tx) error {
		n = tx.QueueLen()
		if off >= n {
			off = 0
		}
		var err error
		next, err = tx.Queue(off, 1)
		return err
	})
	if err != nil {
		return err
	}
	if len(next) == 0 {
		c.Say("review.queue_empty")
		return nil
	}
	sayQueue(c, n, off+1)
	return b.reviewShow(c, next[0].ID, false)
}

// sayQueue tells where in the queue the next card is.
func sayQueue(c *Ctx, n, pos int) {
	if n == 1 {
		c.Say("review.queue_one")
		return
	}
	c.Say("review.queue", "N", n, "Pos", pos)
}

// reviewNext shows the queued idea after the one with ID cur, oldest
// first, going round to the oldest at the end. cur may have left the queue
// since (published, declined…): the next is the one submitted after it.
func (b *Bot) reviewNext(c *Ctx, cur uint64) error {
	var queue []*store.Idea
	var after *store.Idea
	err := b.st.View(func(tx *store.Tx) error {
		var err error
		if queue, err = tx.Queue(0, 1000); err != nil {
			return err
		}
		if i, err := tx.Idea(cur); err == nil {
			after = i
		}
		return nil
	})
	if err != nil {
		return err
	}
	var others []int
	for n, i := range queue {
		if i.ID != cur {
			others = append(others, n)
		}
	}
	if len(others) == 0 {
		if len(queue) == 0 {
			c.Say("review.queue_empty")
		} else {
			c.Say("review.queue_last")
		}
		return nil
	}
	pick := others[0] // going round
	if after != nil {
		for _, n := range others {
			i := queue[n]
			if i.Created.After(after.Created) || (i.Created.Equal(after.Created) && i.ID > after.ID) {
				pick = n
				break
			}
		}
	}
	sayQueue(c, len(queue), pick+1)
	return b.reviewShow(c, queue[pick].ID, false)
}

func (b *Bot) reviewOpen(c *Ctx) error {
	id, ok := ideaArg(c)
	if !ok {
		return b.r.stale(c)
	}
	return b.reviewShow(c, id, false)
}

// reviewShow sends the staff card of an idea. Opening a submitted idea
// takes it under review (and tells its author).
func (b *Bot) reviewShow(c *Ctx, id uint64, edit bool) error {
	staff, now := c.User, c.Now()
	msg := 0
	if edit {
		msg = c.U.MsgID
	}
	c.Do(func(tx *store.Tx) error {
		i, err := tx.Idea(id)
		if errors.Is(err, store.ErrNotFound) {
			return Refuse("review.err_code", "Code", store.IdeaCode(id))
		}
		if err != nil {
			return err
		}
		if i.Status == store.IdeaSubmitted {
			i.Status = store.IdeaReview
			i.Log(now, staff.ID, "status", store.IdeaReview)
			if err := tx.PutIdea(i); err != nil {
				return err
			}
			if err := audit(tx, c, i.ID, "review", ""); err != nil {
				return err
			}
			b.notifyIdea(c, tx, i, func(u *store.User) string {
				return c.TFor(u, "review.notify_status", "Code", i.Code, "Title", Esc(hidePhonesFor(c, u, i.Title)), "Status", c.TFor(u, "idea.status."+i.Status))
			})
		}
		r := Reply{Text: b.staffCard(c, tx, i), Buttons: b.staffButtons(c, i)}
		if msg != 0 {
			r.Edit = msg
		}
		c.Reply(r)
		return nil
	})
	return nil
}

// staffCard shows everything about an idea, phone number included.
func (b *Bot) staffCard(c *Ctx, tx *store.Tx, i *store.Idea) string {
	var sb strings.Builder
	author := c.T("review.anonymous")
	if i.AuthorID != 0 {
		author = Esc(i.AuthorName) + fmt.Sprintf(" (<code>%d</code>)", i.AuthorID)
	}
	phone := c.T("idea.phone_none")
	if i.Phone != "" {
		phone = Esc(i.Phone)
	}
	vis := c.T("idea.vis_staff")
	if i.Public {
		vis = c.T("idea.vis_public")
	}
	sb.WriteString(c.T("review.card",
		"Code", i.Code, "Status", statusLabel(c, i.Status), "Title", Esc(i.Title), "Desc", Esc(truncate(i.Description, 2000)),
		"Sector", c.T("sector."+i.Sector), "Locality", Esc(b.places().Name(i.Locality)), "Kind", c.T("kind."+i.AuthorKind),
		"Author", author, "Phone", phone, "Consent", yesNo(c, i.Consent), "Visibility", vis,
		"N", i.Supporters, "Followers", i.Followers, "Photos", len(i.Photos), "Voice", yesNo(c, i.Voice != ""),
		"Created", fmtTime(i.Created)))
	if i.Reason != "" {
		sb.WriteString("\n" + c.T("review.reason", "Reason", Esc(i.Reason)))
	}
	if i.DuplicateOf != 0 {
		sb.WriteString("\n" + c.T("review.dup_of", "Code", store.IdeaCode(i.DuplicateOf)))
	}
	if len(i.History) > 0 {
		sb.WriteString("\n\n" + c.T("review.history"))
		from := max(0, len(i.History)-6)
		for _, e := range i.History[from:] {
			sb.WriteString("\n• " + historyLine(c, e))
		}
	}
	if len(i.StaffNotes) > 0 {
		sb.WriteString("\n\n" + c.T("review.notes"))
		for _, n := range i.StaffNotes {
			sb.WriteString(fmt.Sprintf("\n• %s – %s: %s", fmtTime(n.At), Esc(n.Name), Esc(truncate(n.Text, 300))))
		}
	}
	if len(i.Answers) > 0 {
		sb.WriteString("\n\n" + c.T("my.answers"))
		for _, n := range i.Answers {
			sb.WriteString(fmt.Sprintf("\n• %s: %s", fmtTime(n.At), Esc(truncate(n.Text, 300))))
		}
	}
	return sb.String()
}

// historyLine renders one history event for a user.
func historyLine(c *Ctx, e store.IdeaEvent) string {
	var what string
	switch e.Action {
	case "status":
		what = c.T("idea.act.status", "Status", statusLabel(c, e.Note))
	case "ask_info", "info_reply", "answer", "duplicate", "declined", "supported":
		what = c.T("idea.act."+e.Action, "Note", Esc(truncate(e.Note, 200)))
	default:
		what = c.T("idea.act." + e.Action)
	}
	return fmtTime(e.At) + " – " + what
}

// staffButtons are a staff card's actions; "next idea" is always there, so
// the queue can be worked through after any action.
func (b *Bot) staffButtons(c *Ctx, i *store.Idea) [][]Button {
	id := strconv.FormatUint(i.ID, 10)
	btn := func(key string, parts ...string) Button {
		return Button{Text: c.T(key), Data: CB(append([]string{"rv"}, parts...)...)}
	}
	var rows [][]Button
	switch i.Status {
	case store.IdeaSubmitted, store.IdeaReview, store.IdeaInfo:
		rows = append(rows,
			[]Button{btn("review.btn_publish", "pub", id), btn("review.btn_ask", "t", "ask", id)},
			[]Button{btn("review.btn_dup", "t", "dup", id), btn("review.btn_decline", "t", "dec", id)})
	case store.IdeaPublished, store.IdeaSupported, store.IdeaProgramme:
		var r []Button
		if i.Status != store.IdeaSupported {
			r = append(r, btn("review.btn_supported", "t", "sup", id))
		}
		if i.Status != store.IdeaProgramme {
			r = append(r, btn("review.btn_programme", "st", id, store.IdeaProgramme))
		}
		rows = append(rows, r, []Button{btn("review.btn_dup", "t", "dup", id), btn("review.btn_not_selected", "t", "dec", id)})
	}
	var last []Button
	if i.Status != store.IdeaWithdrawn {
		last = append(last, btn("review.btn_answer", "t", "ans", id))
	}
	last = append(last, btn("review.btn_note", "t", "note", id))
	rows = append(rows, last)
	tools := []Button{btn("review.btn_audit", "audit", id)}
	if len(i.Photos) > 0 || i.Voice != "" {
		tools = append(tools, Button{Text: c.T("bank.btn_media", "N", len(i.Photos)), Data: CB("bank", "media", id)})
	}
	rows = append(rows, tools, []Button{btn("review.btn_next", "q", "n", id)})
	return rows
}

// audit records a staff action.
func audit(tx *store.Tx, c *Ctx, ideaID uint64, action, note string) error {
	return tx.AddAudit(store.AuditEntry{At: c.Now(), Actor: c.User.ID, IdeaID: ideaID, Action: action, Note: note})
}

// notifyIdea tells an idea's author and followers about a change (inside
// the commit, so it is sent only if the change is). The one acting is not
// told about their own action.
func (b *Bot) notifyIdea(c *Ctx, tx *store.Tx, i *store.Idea, text func(u *store.User) string) {
	sent := map[int64]bool{c.User.ID: true}
	for _, id := range append([]int64{i.AuthorID}, tx.Followers(i.ID)...) {
		if id == 0 || sent[id] {
			continue
		}
		sent[id] = true
		u, err := tx.User(id)
		if err != nil || u.Inactive {
			continue
		}
		open := Button{Text: c.TFor(u, "bank.btn_open", "Code", i.Code), Data: CB("bank", "o", strconv.FormatUint(i.ID, 10))}
		if id == i.AuthorID {
			open.Data = CB("my", "open", strconv.FormatUint(i.ID, 10))
		}
		c.SendTo(id, Reply{Text: text(u), Buttons: [][]Button{{open}}})
	}
}

// reviewChange applies a staff change to an idea inside the commit: it
// re-reads the idea, lets change check and apply it, saves, audits, and
// redraws the staff card.
func (b *Bot) reviewChange(c *Ctx, id uint64, action string, change func(tx *store.Tx, i *store.Idea) (note string, err error)) {
	msg := c.U.MsgID
	if c.U.Kind != KindCallback {
		msg = 0
	}
	c.Do(func(tx *store.Tx) error {
		i, err := tx.Idea(id)
		if errors.Is(err, store.ErrNotFound) {
			return Refuse("review.err_code", "Code", store.IdeaCode(id))
		}
		if err != nil {
			return err
		}
		note, err := change(tx, i)
		if err != nil {
			return err
		}
		i.Updated = c.Now()
		if err := tx.PutIdea(i); err != nil {
			return err
		}
		if err := audit(tx, c, i.ID, action, note); err != nil {
			return err
		}
		r := Reply{Text: b.staffCard(c, tx, i), Buttons: b.staffButtons(c, i)}
		if msg != 0 {
			r.Edit = msg
		}
		c.Reply(r)
		return nil
	})
}

func notAllowedIn(c *Ctx, i *store.Idea) error {
	return Refuse("review.err_state", "Code", i.Code, "Status", statusLabel(c, i.Status))
}

func (b *Bot) reviewPublish(c *Ctx) error {
	id, ok := ideaArg(c)
	if !ok {
		return b.r.stale(c)
	}
	staff, now := c.User.ID, c.Now()
	b.reviewChange(c, id, "publish", func(tx *store.Tx, i *store.Idea) (string, error) {
		if !i.InQueue() && i.Status != store.IdeaInfo {
			return "", notAllowedIn(c, i)
		}
		i.Status = store.IdeaPublished
		if i.Published.IsZero() {
			i.Published = now
		}
		i.Log(now, staff, "status", store.IdeaPublished)
		b.notifyIdea(c, tx, i, func(u *store.User) string {
			key := "review.notify_published"
			if !i.Public {
				key = "review.notify_accepted"
			}
			return c.TFor(u, key, "Code", i.Code, "Title", Esc(hidePhonesFor(c, u, i.Title)))
		})
		c.Toast(c.T("review.done_pub", "Code", i.Code))
		return "", nil
	})
	return nil
}

func (b *Bot) reviewStatus(c *Ctx) error {
	_, args := cbArgs(c)
	if len(args) != 2 || (args[1] != store.IdeaSupported && args[1] != store.IdeaProgramme) {
		return b.r.stale(c)
	}
	id, ok := parseID(args[0])
	if !ok {
		return b.r.stale(c)
	}
	to, staff, now := args[1], c.User.ID, c.Now()
	b.reviewChange(c, id, "status:"+to, func(tx *store.Tx, i *store.Idea) (string, error) {
		switch i.Status {
		case store.IdeaPublished, store.IdeaSupported, store.IdeaProgramme:
		default:
			return "", notAllowedIn(c, i)
		}
		if i.Status == to {
			return "", notAllowedIn(c, i)
		}
		i.Status = to
		i.Log(now, staff, "status", to)
		b.notifyIdea(c, tx, i, func(u *store.User) string {
			return c.TFor(u, "review.notify_status", "Code", i.Code, "Title", Esc(hidePhonesFor(c, u, i.Title)), "Status", c.TFor(u, "idea.status."+to))
		})
		c.Toast(c.T("review.done_status", "Code", i.Code, "Status", statusLabel(c, to)))
		return "", nil
	})
	return nil
}

// Staff actions that need text: ask (question to the author), dec
// (reason, confirmed before it is sent), dup (the code of the idea
// duplicated), note, ans (answer), sup (what support the idea gets).
var reviewTextActs = []string{"ask", "dec", "dup", "note", "ans", "sup"}

func (b *Bot) reviewTextStart(c *Ctx) error {
	_, args := cbArgs(c)
	if len(args) != 2 || !contains(reviewTextActs, args[0]) {
		return b.r.stale(c)
	}
	id, ok := parseID(args[1])
	if !ok {
		return b.r.stale(c)
	}
	var code string
	err := b.st.View(func(tx *store.Tx) error {
		i, err := tx.Idea(id)
		if err != nil {
			return Refuse("review.err_code", "Code", store.IdeaCode(id))
		}
		code = i.Code
		return nil
	})
	if err != nil {
		return err
	}
	c.State.Flow, c.State.Draft = "rv_text", map[string]string{"act": args[0], "idea": args[1], "code": code}
	return c.Goto("text")
}

func (b *Bot) reviewTextAsk(c *Ctx) error {
	c.Reply(Reply{Text: c.T("review.ask_"+c.Draft("act"), "Code", c.Draft("code")), Keyboard: c.NavKeyboard()})
	return nil
}

func (b *Bot) reviewTextInput(c *Ctx) error {
	act := c.Draft("act")
	id, ok := parseID(c.Draft("idea"))
	if !ok || !contains(reviewTextActs, act) {
		c.End()
		return b.r.stale(c)
	}
	text, err := textInput(c)
	if err != nil {
		return err
	}
	text, err = cleanText(text, 2000)
	if err != nil {
		return err
	}
	if act == "dec" {
		// A decline is final for the author: confirm it first.
		c.SetDraft("text", text)
		return c.Goto("confirm")
	}
	return b.reviewApply(c, act, id, text)
}

// reviewConfirmAsk asks before declining, showing the reason the author
// will get.
func (b *Bot) reviewConfirmAsk(c *Ctx) error {
	c.Reply(Reply{Text: c.T("review.confirm_dec", "Code", c.Draft("code"), "Reason", Esc(c.Draft("text"))), Buttons: [][]Button{
		{{Text: c.T("review.btn_confirm_dec"), Data: CB("rv_text", "yes", c.DraftTag())}},
		{{Text: c.T("review.btn_edit_reason"), Data: CB("rv_text", "edit")}},
	}, Keyboard: c.NavKeyboard()})
	return nil
}

func (b *Bot) reviewConfirmInput(c *Ctx) error {
	if c.U.Kind != KindCallback {
		return Refuse("review.use_buttons")
	}
	action, args := cbArgs(c)
	switch action {
	case "edit":
		c.SetDraft("text", "")
		return c.Goto("text")
	case "yes":
		if ok, err := c.CheckTag(args); !ok {
			return err
		}
		id, ok := parseID(c.Draft("idea"))
		if !ok || c.Draft("act") != "dec" || c.Draft("text") == "" {
			c.End()
			return b.r.stale(c)
		}
		return b.reviewApply(c, "dec", id, c.Draft("text"))
	}
	return b.r.stale(c)
}

// reviewApply carries out a staff action that needed text.
func (b *Bot) reviewApply(c *Ctx, act string, id uint64, text string) error {
	var into uint64
	ok := true
	if act == "dup" {
		// Checked before leaving the step, so a typo can be retyped.
		if into, ok = store.ParseIdeaCode(text); !ok {
			return Refuse("review.err_code", "Code", Esc(text))
		}
		if into == id {
			return Refuse("review.err_dup_self")
		}
		var target *store.Idea
		if err := b.st.View(func(tx *store.Tx) error {
			t, err := tx.Idea(into)
			if err == nil {
				target = t
			}
			return nil
		}); err != nil {
			return err
		}
		if target == nil || !target.InBank() {
			// Checked again in the commit; here so a wrong code can be
			// retyped.
			return Refuse("review.err_dup_target", "Code", store.IdeaCode(into))
		}
	}
	staff, now := c.User, c.Now()
	// Replies queued after the change's commit operation would be dropped:
	// this one goes first.
	code := c.Draft("code")
	c.End()
	c.Reply(Reply{Text: c.T("review.done_"+act, "Code", code), Keyboard: b.MainMenu(c)})
	switch act {
	case "ask":
		b.reviewChange(c, id, "ask_info", func(tx *store.Tx, i *store.Idea) (string, error) {
			if !i.InQueue() && i.Status != store.IdeaInfo {
				return "", notAllowedIn(c, i)
			}
			i.Status = store.IdeaInfo
			i.Log(now, staff.ID, "ask_info", text)
			if i.AuthorID != 0 {
				if u, err := tx.User(i.AuthorID); err == nil {
					c.SendTo(u.ID, Reply{
						Text:    c.TFor(u, "review.notify_ask", "Code", i.Code, "Title", Esc(hidePhonesFor(c, u, i.Title)), "Question", Esc(text)),
						Buttons: [][]Button{{{Text: c.TFor(u, "my.btn_reply"), Data: CB("my", "reply", strconv.FormatUint(i.ID, 10))}}},
					})
				}
			}
			return text, nil
		})
	case "dec":
		b.reviewChange(c, id, "decline", func(tx *store.Tx, i *store.Idea) (string, error) {
			if i.Closed() {
				return "", notAllowedIn(c, i)
			}
			i.Status, i.Reason = store.IdeaDeclined, text
			i.Log(now, staff.ID, "declined", text)
			b.notifyIdea(c, tx, i, func(u *store.User) string {
				return c.TFor(u, "review.notify_declined", "Code", i.Code, "Title", Esc(hidePhonesFor(c, u, i.Title)), "Reason", Esc(text))
			})
			return text, nil
		})
	case "dup":
		b.reviewChange(c, id, "duplicate", func(tx *store.Tx, i *store.Idea) (string, error) {
			if i.Closed() {
				return "", notAllowedIn(c, i)
			}
			target, err := tx.Idea(into)
			if err != nil || !target.InBank() {
				// Followers move to the target and hear its title: it must
				// be an idea the bank shows to everyone.
				return "", Refuse("review.err_dup_target", "Code", store.IdeaCode(into))
			}
			// Tell followers before they move to the other idea.
			i.Status, i.DuplicateOf = store.IdeaDuplicate, into
			i.Log(now, staff.ID, "duplicate", target.Code)
			b.notifyIdea(c, tx, i, func(u *store.User) string {
				return c.TFor(u, "review.notify_duplicate", "Code", i.Code, "Title", Esc(hidePhonesFor(c, u, i.Title)), "Target", target.Code, "TargetTitle", Esc(hidePhonesFor(c, u, target.Title)))
			})
			// Save the new status first: merging re-reads the duplicate.
			if err := tx.PutIdea(i); err != nil {
				return "", err
			}
			if _, err := tx.MergeIdea(i.ID, into); err != nil {
				return "", err
			}
			merged, err := tx.Idea(i.ID)
			if err != nil {
				return "", err
			}
			*i = *merged
			return target.Code, nil
		})
	case "note":
		b.reviewChange(c, id, "note", func(tx *store.Tx, i *store.Idea) (string, error) {
			i.StaffNotes = append(i.StaffNotes, store.IdeaNote{At: now, Actor: staff.ID, Name: staff.Name(), Text: text})
			return text, nil
		})
	case "sup":
		b.reviewChange(c, id, "status:"+store.IdeaSupported, func(tx *store.Tx, i *store.Idea) (string, error) {
			switch i.Status {
			case store.IdeaPublished, store.IdeaProgramme:
			default:
				return "", notAllowedIn(c, i)
			}
			i.Status = store.IdeaSupported
			i.Log(now, staff.ID, "supported", text)
			b.notifyIdea(c, tx, i, func(u *store.User) string {
				return c.TFor(u, "review.notify_supported", "Code", i.Code, "Title", Esc(hidePhonesFor(c, u, i.Title)), "Support", Esc(text))
			})
			return text, nil
		})
	case "ans":
		b.reviewChange(c, id, "answer", func(tx *store.Tx, i *store.Idea) (string, error) {
			if i.Status == store.IdeaWithdrawn {
				return "", notAllowedIn(c, i)
			}
			i.Answers = append(i.Answers, store.IdeaNote{At: now, Actor: staff.ID, Name: staff.Name(), Text: text})
			i.Log(now, staff.ID, "answer", text)
			b.notifyIdea(c, tx, i, func(u *store.User) string {
				return c.TFor(u, "review.notify_answer", "Code", i.Code, "Title", Esc(hidePhonesFor(c, u, i.Title)), "Answer", Esc(text))
			})
			return text, nil
		})
	}
	return nil
}

func (b *Bot) reviewAudit(c *Ctx) error {
	id, ok := ideaArg(c)
	if !ok {
		return b.r.stale(c)
	}
	var es []store.AuditEntry
	names := map[int64]string{}
	err := b.st.View(func(tx *store.Tx) error {
		var err error
		es, err = tx.Audit(id, 20)
		for _, e := range es {
			if u, err := tx.User(e.Actor); err == nil {
				names[e.Actor] = u.Name()
			}
		}
		return err
	})
	if err != nil {
		return err
	}
	var sb strings.Builder
	sb.WriteString(c.T("review.audit_title", "Code", store.IdeaCode(id)))
	if len(es) == 0 {
		sb.WriteString("\n" + c.T("review.audit_none"))
	}
	for _, e := range es {
		sb.WriteString(fmt.Sprintf("\n• %s – %s (<code>%d</code>): %s", fmtTime(e.At), Esc(names[e.Actor]), e.Actor, auditAction(c, e.Action)))
		if e.Note != "" {
			sb.WriteString(" – " + Esc(truncate(e.Note, 120)))
		}
	}
	c.Reply(Reply{Text: sb.String()})
	return nil
}

// auditActions are the actions written to the audit log.
var auditActions = []string{"review", "publish", "ask_info", "decline", "duplicate", "note", "answer"}

// auditAction names an audit log action in the reader's language.
func auditAction(c *Ctx, action string) string {
	if to, ok := strings.CutPrefix(action, "status:"); ok {
		return c.T("review.audit_status", "Status", statusLabel(c, to))
	}
	if contains(auditActions, action) {
		return c.T("review.audit_" + action)
	}
	return Esc(action)
}

// ideaStats counts ideas by status, sector, locality and month.
type ideaStats struct {
	Total                             int
	Status, Sector, Locality, ByMonth map[string]int
}

func collectStats(st *store.Store) (*ideaStats, error) {
	s := &ideaStats{Status: map[string]int{}, Sector: map[string]int{}, Locality: map[string]int{}, ByMonth: map[string]int{}}
	err := st.View(func(tx *store.Tx) error {
		return tx.EachIdea(func(i *store.Idea) error {
			s.Total++
			s.Status[i.Status]++
			s.Sector[i.Sector]++
			s.Locality[i.Locality]++
			s.ByMonth[i.Created.In(Vietnam).Format("2006-01")]++
			return nil
		})
	})
	return s, err
}

// byCount sorts a count map, largest first (then by key).
func byCount(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		if m[keys[a]] != m[keys[b]] {
			return m[keys[a]] > m[keys[b]]
		}
		return keys[a] < keys[b]
	})
	return keys
}

func (b *Bot) statsCmd(c *Ctx) error {
	s, err := collectStats(b.st)
	if err != nil {
		return err
	}
	var sb strings.Builder
	sb.WriteString(c.T("review.stats_title", "N", s.Total))
	sb.WriteString("\n\n" + c.T("review.stats_status"))
	for _, st := range store.IdeaStatuses {
		if n := s.Status[st]; n > 0 {
			sb.WriteString(fmt.Sprintf("\n• %s: %d", statusLabel(c, st), n))
		}
	}
	sb.WriteString("\n\n" + c.T("review.stats_sector"))
	for _, k := range byCount(s.Sector) {
		label := c.T("sector." + k)
		if k == "" {
			label = c.T("review.none")
		}
		sb.WriteString(fmt.Sprintf("\n• %s: %d", label, s.Sector[k]))
	}
	sb.WriteString("\n\n" + c.T("review.stats_locality"))
	for n, k := range byCount(s.Locality) {
		if n == 15 {
			sb.WriteString("\n• …")
			break
		}
		label := Esc(b.places().Name(k))
		if k == "" {
			label = c.T("review.none")
		}
		sb.WriteString(fmt.Sprintf("\n• %s: %d", label, s.Locality[k]))
	}
	sb.WriteString("\n\n" + c.T("review.stats_month"))
	months := make([]string, 0, len(s.ByMonth))
	for m := range s.ByMonth {
		months = append(months, m)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(months)))
	for n, m := range months {
		if n == 12 {
			break
		}
		sb.WriteString(fmt.Sprintf("\n• %s: %d", m, s.ByMonth[m]))
	}
	c.Reply(Reply{Text: sb.String()})
	return nil
}

func (b *Bot) exportCmd(c *Ctx) error {
	c.Typing()
	stamp := c.Now().In(Vietnam).Format("20060102-1504")
	for _, f := range []string{"csv", "json"} {
		var buf bytes.Buffer
		if err := ExportIdeas(b.st, &buf, f); err != nil {
			return fmt.Errorf("export %s: %w", f, err)
		}
		name := "ngan-hang-y-tuong-" + stamp + "-MAT." + f
		c.Reply(Reply{Text: c.T("review.export_caption"), Document: &Document{Name: name, Data: buf.Bytes()}})
	}
	return nil
}
