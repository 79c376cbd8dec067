package bot

import (
	"regexp"
	"strings"

	"github.com/qnstartup/trolykhoinghiep/store"
)

// The start module: /start (with deep-link payloads), /help and /stop.

var payloadRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

func (b *Bot) startModule() Module {
	return Module{
		Name: "start",
		Commands: []Command{
			{Name: "start", Handler: b.start},
			{Name: "help", Handler: b.help},
			{Name: "stop", Handler: b.stop},
			{Name: "cancel", Handler: cancel},
		},
		Menu: []MenuItem{{Key: "menu.help", Handler: b.help}},
		Actions: map[string]Handler{
			"lang": func(c *Ctx) error {
				_, _, args, _ := ParseCB(c.U.Data)
				if len(args) != 1 || !contains([]string{"vi", "en"}, args[0]) {
					return b.r.stale(c)
				}
				setLang(c, args[0])
				return b.welcome(c)
			},
		},
	}
}

func (b *Bot) start(c *Ctx) error {
	if p := strings.TrimSpace(c.U.Args); p != "" && payloadRe.MatchString(p) && c.User.Source == "" {
		c.User.Source = p
	}
	if id, ok := ideaPayload(strings.TrimSpace(c.U.Args)); ok {
		if !c.User.LangChosen {
			if err := b.welcome(c); err != nil {
				return err
			}
		}
		return b.openIdeaCard(c, id)
	}
	return b.welcome(c)
}

func (b *Bot) welcome(c *Ctx) error {
	name := c.User.Name()
	if name == "" {
		name = c.T("channel.friend") // Zalo gives no name with a message
	}
	c.Reply(Reply{Text: c.T("start.welcome", "Name", Esc(name)), Keyboard: b.MainMenu(c)})
	if c.IsStaff() {
		if err := b.staffSummary(c); err != nil {
			return err
		}
	}
	if !c.User.LangChosen {
		c.Reply(Reply{Text: c.T("start.choose_lang"), Buttons: [][]Button{{
			{Text: c.T("start.lang_vi"), Data: CB("start", "lang", "vi")},
			{Text: c.T("start.lang_en"), Data: CB("start", "lang", "en")},
		}}})
	}
	return nil
}

func (b *Bot) help(c *Ctx) error {
	var sb strings.Builder
	sb.WriteString(c.T("start.help_intro"))
	sb.WriteString("\n")
	for _, cmd := range b.CommandMenu(c.User.Role, c.User.Lang) {
		sb.WriteString("\n/" + cmd.Name + " – " + Esc(cmd.Description))
	}
	sb.WriteString("\n\n" + c.T("start.help_outro"))
	c.Reply(Reply{Text: sb.String(), Keyboard: b.MainMenu(c)})
	return nil
}

func (b *Bot) stop(c *Ctx) error {
	c.User.Subscribed = false
	c.Reply(Reply{Text: c.T("start.stopped"), Buttons: [][]Button{{
		{Text: c.T("settings.sub_on"), Data: CB("settings", "sub", "on")},
	}}})
	return nil
}

// staffSummary tells a staff member what is waiting for them, with a
// button for each.
func (b *Bot) staffSummary(c *Ctx) error {
	var ideas int
	if err := b.st.View(func(tx *store.Tx) error { ideas = tx.QueueLen(); return nil }); err != nil {
		return err
	}
	_, questions, err := b.st.OpenQuestions(0)
	if err != nil {
		return err
	}
	if ideas == 0 && questions == 0 {
		c.Say("start.staff_nothing")
		return nil
	}
	var rows [][]Button
	if ideas > 0 {
		rows = append(rows, []Button{{Text: c.T("start.btn_staff_ideas", "N", ideas), Data: CB("rv", "q")}})
	}
	if questions > 0 {
		rows = append(rows, []Button{{Text: c.T("start.btn_staff_questions", "N", questions), Data: CB("asks", "list")}})
	}
	c.Reply(Reply{Text: c.T("start.staff_summary", "Ideas", ideas, "Questions", questions), Buttons: rows})
	return nil
}
