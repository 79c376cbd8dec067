package bot

import (
	"slices"
	"strings"
)

// The settings module: language, locality, who the user is, sectors of
// interest, and announcements on/off. One inline screen, edited in place.

func (b *Bot) settingsModule() Module {
	return Module{
		Name: "settings",
		Commands: []Command{
			{Name: "settings", Handler: b.showSettings},
			{Name: "lang", Handler: b.langMenu},
		},
		Menu: []MenuItem{{Key: "menu.settings", Handler: b.showSettings}},
		Actions: map[string]Handler{
			"lang":  b.settingsLang,
			"kind":  b.settingsKind,
			"int":   b.settingsInterest,
			"sub":   b.settingsSub,
			"name":  b.settingsName,
			"loc":   func(c *Ctx) error { return c.Start("settings_loc") },
			"menu":  b.settingsSubmenu,
			"close": func(c *Ctx) error { c.Toast(c.T("settings.saved")); return nil },
		},
		Flows: []*Flow{{
			Name: "settings_loc",
			Steps: []Step{{
				Name: "query",
				Prompt: func(c *Ctx) error {
					c.Reply(Reply{Text: c.T("settings.loc_ask"), Keyboard: c.NavKeyboard()})
					return nil
				},
				Input: b.settingsLocInput,
			}},
		}},
	}
}

func setLang(c *Ctx, lang string) {
	c.User.Lang, c.User.LangChosen = lang, true
	c.Loc = c.b.i18n.For(lang)
}

func (b *Bot) settingsText(c *Ctx) string {
	u := c.User
	loc := c.T("settings.none")
	if u.Locality != "" {
		loc = Esc(b.places().Name(u.Locality))
	}
	kind := c.T("settings.none")
	if u.Kind != "" {
		kind = c.T("kind." + u.Kind)
	}
	ints := c.T("settings.none")
	if len(u.Interests) > 0 {
		var names []string
		for _, s := range u.Interests {
			names = append(names, c.T("sector."+s))
		}
		ints = strings.Join(names, ", ")
	}
	sub := c.T("settings.sub_is_off")
	if u.Subscribed {
		sub = c.T("settings.sub_is_on")
	}
	return c.T("settings.screen", "Lang", c.T("settings.lang_name"), "Locality", loc, "Kind", kind, "Interests", ints, "Subscribed", sub)
}

func (b *Bot) settingsButtons(c *Ctx) [][]Button {
	sub := Button{Text: c.T("settings.sub_off"), Data: CB("settings", "sub", "off")}
	if !c.User.Subscribed {
		sub = Button{Text: c.T("settings.sub_on"), Data: CB("settings", "sub", "on")}
	}
	return [][]Button{
		{{Text: c.T("settings.btn_lang"), Data: CB("settings", "menu", "lang")}, {Text: c.T("settings.btn_loc"), Data: CB("settings", "loc")}},
		{{Text: c.T("settings.btn_kind"), Data: CB("settings", "menu", "kind")}, {Text: c.T("settings.btn_int"), Data: CB("settings", "menu", "int")}},
		{sub},
		{showNameButton(c, "settings")},
		{{Text: c.T("privacy.btn_settings"), Data: CB("privacy", "ask")}},
		{{Text: c.T("settings.btn_close"), Data: CB("settings", "close")}},
	}
}

func (b *Bot) showSettings(c *Ctx) error {
	c.Reply(Reply{Text: b.settingsText(c), Buttons: b.settingsButtons(c)})
	return nil
}

// refresh redraws the settings screen in the message the button was on.
func (b *Bot) refresh(c *Ctx) error {
	c.Reply(Reply{Text: b.settingsText(c), Buttons: b.settingsButtons(c), Edit: c.U.MsgID})
	return nil
}

func (b *Bot) langMenu(c *Ctx) error {
	c.Reply(Reply{Text: c.T("start.choose_lang"), Buttons: [][]Button{{
		{Text: c.T("start.lang_vi"), Data: CB("settings", "lang", "vi")},
		{Text: c.T("start.lang_en"), Data: CB("settings", "lang", "en")},
	}}})
	return nil
}

func (b *Bot) settingsSubmenu(c *Ctx) error {
	_, _, args, _ := ParseCB(c.U.Data)
	if len(args) != 1 {
		return b.r.stale(c)
	}
	var rows [][]Button
	switch args[0] {
	case "lang":
		rows = [][]Button{{{Text: c.T("start.lang_vi"), Data: CB("settings", "lang", "vi")}, {Text: c.T("start.lang_en"), Data: CB("settings", "lang", "en")}}}
	case "kind":
		for _, k := range Kinds {
			mark := ""
			if c.User.Kind == k {
				mark = "✅ "
			}
			rows = append(rows, []Button{{Text: mark + c.T("kind."+k), Data: CB("settings", "kind", k)}})
		}
	case "int":
		for _, s := range Sectors {
			mark := "◻️ "
			if slices.Contains(c.User.Interests, s) {
				mark = "✅ "
			}
			rows = append(rows, []Button{{Text: mark + c.T("sector."+s), Data: CB("settings", "int", s)}})
		}
		rows = append(rows, []Button{{Text: c.T("settings.btn_done"), Data: CB("settings", "menu", "main")}})
	case "main":
		return b.refresh(c)
	default:
		return b.r.stale(c)
	}
	c.Reply(Reply{Text: c.T("settings.pick_" + args[0]), Buttons: rows, Edit: c.U.MsgID})
	return nil
}

func (b *Bot) settingsLang(c *Ctx) error {
	_, _, args, _ := ParseCB(c.U.Data)
	if len(args) != 1 || !contains([]string{"vi", "en"}, args[0]) {
		return b.r.stale(c)
	}
	setLang(c, args[0])
	c.Toast(c.T("settings.lang_set"))
	// The reply keyboard must be sent again for its labels to change.
	c.Reply(Reply{Text: c.T("settings.lang_set"), Keyboard: b.MainMenu(c)})
	if c.U.MsgID != 0 {
		return b.refresh(c)
	}
	return nil
}

func (b *Bot) settingsKind(c *Ctx) error {
	_, _, args, _ := ParseCB(c.U.Data)
	if len(args) != 1 || !contains(Kinds, args[0]) {
		return b.r.stale(c)
	}
	c.User.Kind = args[0]
	c.Toast(c.T("settings.saved"))
	return b.refresh(c)
}

func (b *Bot) settingsInterest(c *Ctx) error {
	_, _, args, _ := ParseCB(c.U.Data)
	if len(args) != 1 || !contains(Sectors, args[0]) {
		return b.r.stale(c)
	}
	s := args[0]
	if i := slices.Index(c.User.Interests, s); i >= 0 {
		c.User.Interests = slices.Delete(c.User.Interests, i, i+1)
	} else {
		c.User.Interests = append(c.User.Interests, s)
	}
	c.U.Data = CB("settings", "menu", "int")
	return b.settingsSubmenu(c)
}

func (b *Bot) settingsSub(c *Ctx) error {
	_, _, args, _ := ParseCB(c.U.Data)
	if len(args) != 1 || (args[0] != "on" && args[0] != "off") {
		return b.r.stale(c)
	}
	c.User.Subscribed = args[0] == "on"
	if c.User.Subscribed {
		c.Toast(c.T("settings.sub_is_on"))
	} else {
		c.Toast(c.T("settings.sub_is_off"))
	}
	return b.refresh(c)
}

func (b *Bot) settingsLocInput(c *Ctx) error {
	if c.U.Kind == KindCallback {
		_, action, args, _ := ParseCB(c.U.Data)
		if action != "pick" || len(args) != 1 {
			return b.r.stale(c)
		}
		code := args[0]
		if code == "typed" {
			code = c.Draft("typed")
		} else if _, ok := b.places().ByCode(code); !ok {
			return b.r.stale(c)
		}
		if code == "" {
			return b.r.stale(c)
		}
		c.User.Locality = code
		c.End()
		c.Reply(Reply{Text: c.T("settings.loc_saved", "Locality", Esc(b.places().Name(code))), Keyboard: b.MainMenu(c)})
		return nil
	}
	q := strings.TrimSpace(c.U.Text)
	if q == "" {
		return Refuse("common.empty")
	}
	if len([]rune(q)) > 60 {
		return Refuse("common.too_long", "Len", len([]rune(q)), "Max", 60)
	}
	c.SetDraft("typed", q)
	b.offerPlaces(c, q, "settings_loc", "pick")
	return nil
}

// offerPlaces answers typed locality text with the matching places as
// buttons (data flow:action:code) and one keeping the text as typed
// (flow:action:typed; the flow keeps the text in its draft).
func (b *Bot) offerPlaces(c *Ctx, q, flow, action string) {
	var rows [][]Button
	for _, p := range b.places().Search(q, 6) {
		rows = append(rows, []Button{{Text: p.Label(), Data: CB(flow, action, p.Code)}})
	}
	rows = append(rows, []Button{{Text: c.T("settings.loc_keep", "Typed", q), Data: CB(flow, action, "typed")}})
	key := "settings.loc_pick"
	if len(rows) == 1 {
		key = "settings.loc_none"
	}
	c.Reply(Reply{Text: c.T(key, "Typed", Esc(q)), Buttons: rows})
}
