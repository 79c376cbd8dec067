package bot

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/qnstartup/trolykhoinghiep/policy"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// The hotro module: "Tôi được hỗ trợ gì?". A few taps (who you are, your
// project's stage, sector and area; at most five buttons a screen, so Zalo
// shows each without paging) and the bot lists every support of the
// knowledge base that applies (policy.KB.Guide), most valuable first, with
// amount, conditions, how to apply, validity and source, and what it could
// not determine. The answers are kept in the user's record, so the next
// /hotro shows the list at once; a plain question such as "em là sinh viên
// thì được hỗ trợ gì" opens it with what the question says. When staff
// upload a document that changes someone's list, they are offered it again
// (kbNotices, follow.go).

func (b *Bot) hotroModule() Module {
	return Module{
		Name:     "hotro",
		Commands: []Command{{Name: "hotro", Handler: func(c *Ctx) error { return b.hotroNext(c) }}},
		Menu:     []MenuItem{{Key: "menu.hotro", Handler: func(c *Ctx) error { return b.hotroNext(c) }}},
		Actions: map[string]Handler{
			"w":    b.hotroSet,
			"s":    b.hotroSet,
			"x":    b.hotroSet,
			"a":    b.hotroSet,
			"more": func(c *Ctx) error { return b.hotroAskWho(c, true) },
			"who":  func(c *Ctx) error { return b.hotroAskWho(c, false) },
			"edit": b.hotroEdit,
			"show": func(c *Ctx) error { return b.hotroNext(c) },
		},
	}
}

// guideWhosFirst is how many of policy.Whos the first "who" screen shows,
// with "more…"; the second shows the rest and "back".
const guideWhosFirst = 4

// hotroProfile is the guide's profile from the user's record. A Kind set
// elsewhere (settings, an idea) answers "who" when the guide has not.
func hotroProfile(u *store.User) policy.Profile {
	p := policy.Profile{Who: u.Who, Stage: u.Stage, Sector: u.Sector, Area: u.Area}
	if p.Who == "" && slices.Contains(policy.Whos, u.Kind) {
		p.Who = u.Kind
	}
	if !p.Valid() {
		return policy.Profile{}
	}
	return p
}

// hotroNext asks the first question not answered yet, or shows the guide.
func (b *Bot) hotroNext(c *Ctx) error {
	if b.opt.Features.Policy == nil {
		c.Reply(Reply{Text: c.T("hotro.unavailable"), Keyboard: b.MainMenu(c)})
		return nil
	}
	p := hotroProfile(c.User)
	switch {
	case p.Who == "":
		return b.hotroAskWho(c, false)
	case p.Stage == "":
		return b.hotroAsk(c, "hotro.ask_stage", "s", "stage", policy.Stages)
	case p.Sector == "":
		return b.hotroAsk(c, "hotro.ask_sector", "x", "sector", policy.GuideSectors)
	case p.Area == "":
		return b.hotroAsk(c, "hotro.ask_area", "a", "area", policy.Areas)
	}
	return b.hotroShow(c, p)
}

func (b *Bot) hotroAskWho(c *Ctx, more bool) error {
	var rows [][]Button
	list, key := policy.Whos[:guideWhosFirst], "hotro.ask_who"
	if more {
		list, key = policy.Whos[guideWhosFirst:], "hotro.ask_who_more"
	}
	if !more && c.U.Kind != KindCallback {
		c.Reply(Reply{Text: c.T("hotro.intro")})
	}
	for _, w := range list {
		rows = append(rows, []Button{{Text: c.T("hotro.who_" + w), Data: CB("hotro", "w", w)}})
	}
	if more {
		rows = append(rows, []Button{{Text: c.T("hotro.btn_back"), Data: CB("hotro", "who")}})
	} else {
		rows = append(rows, []Button{{Text: c.T("hotro.btn_more"), Data: CB("hotro", "more")}})
	}
	c.Reply(Reply{Text: c.T(key), Buttons: rows})
	return nil
}

func (b *Bot) hotroAsk(c *Ctx, prompt, action, field string, values []string) error {
	var rows [][]Button
	for _, v := range values {
		rows = append(rows, []Button{{Text: c.T("hotro." + field + "_" + v), Data: CB("hotro", action, v)}})
	}
	c.Reply(Reply{Text: c.T(prompt), Buttons: rows})
	return nil
}

// hotroSet records one answer (callback data is checked against the
// known values) and moves on.
func (b *Bot) hotroSet(c *Ctx) error {
	_, action, args, _ := ParseCB(c.U.Data)
	if len(args) != 1 {
		return b.r.stale(c)
	}
	v := args[0]
	u := c.User
	switch {
	case action == "w" && slices.Contains(policy.Whos, v):
		u.Who = v
		if slices.Contains(Kinds, v) {
			u.Kind = v // the rest of the profile shares it
		}
	case action == "s" && slices.Contains(policy.Stages, v):
		u.Stage = v
	case action == "x" && slices.Contains(policy.GuideSectors, v):
		u.Sector = v
	case action == "a" && slices.Contains(policy.Areas, v):
		u.Area = v
	default:
		return b.r.stale(c)
	}
	return b.hotroNext(c)
}

// hotroEdit forgets the guide's answers and asks again.
func (b *Bot) hotroEdit(c *Ctx) error {
	u := c.User
	u.Who, u.Stage, u.Sector, u.Area = "", "", "", ""
	if slices.Contains(policy.Whos, u.Kind) {
		u.Kind = "" // else it would answer "who" again at once
	}
	return b.hotroNext(c)
}

// hotroQuestion opens the guide from a plain question: what it says about
// the asker replaces what was kept, and the rest is asked.
func (b *Bot) hotroQuestion(c *Ctx, p policy.Profile) error {
	u := c.User
	if p.Who != "" {
		u.Who = p.Who
		if slices.Contains(Kinds, p.Who) {
			u.Kind = p.Who
		}
	}
	for _, f := range []struct {
		dst *string
		v   string
	}{{&u.Stage, p.Stage}, {&u.Sector, p.Sector}, {&u.Area, p.Area}} {
		if f.v != "" {
			*f.dst = f.v
		}
	}
	return b.hotroNext(c)
}

func (b *Bot) hotroShow(c *Ctx, p policy.Profile) error {
	g := b.opt.Features.Policy.KB().Guide(p, c.User.Lang)
	c.User.GuideSeen = g.Fingerprint()
	c.Reply(Reply{Text: b.renderGuide(c, g), Buttons: [][]Button{{{Text: c.T("hotro.btn_edit"), Data: CB("hotro", "edit")}}}})
	return nil
}

// renderGuide writes the guide as HTML: the profile, each benefit with its
// amount, conditions, how to apply, validity and source, then what could
// not be determined.
func (b *Bot) renderGuide(c *Ctx, g policy.Guide) string {
	var sb strings.Builder
	p := g.Profile
	var parts []string
	for _, f := range []struct{ key, v string }{{"who", p.Who}, {"stage", p.Stage}, {"sector", p.Sector}, {"area", p.Area}} {
		if f.v != "" {
			parts = append(parts, plainLabel(c.T("hotro."+f.key+"_"+f.v)))
		}
	}
	sb.WriteString(c.T("hotro.header", "Profile", Esc(strings.Join(parts, " · "))))
	sb.WriteString("\n\n")
	if len(g.Benefits) == 0 {
		sb.WriteString(c.T("hotro.none"))
	} else {
		sb.WriteString(c.T("hotro.count", "N", len(g.Benefits)))
	}
	for i, bn := range g.Benefits {
		sb.WriteString("\n\n<b>" + strconv.Itoa(i+1) + ". " + Esc(bn.Title) + "</b>\n")
		if bn.Amount != "" {
			sb.WriteString(c.T("hotro.amount", "Amount", Esc(bn.Amount)))
		} else {
			sb.WriteString(c.T("hotro.amount_unknown"))
		}
		if bn.Conditions != "" {
			sb.WriteString("\n" + c.T("hotro.conditions", "Text", Esc(bn.Conditions)))
		}
		if bn.Apply != "" {
			sb.WriteString("\n" + c.T("hotro.apply", "Text", Esc(bn.Apply)))
		} else {
			sb.WriteString("\n" + c.T("hotro.apply_unknown"))
		}
		if len(bn.Maybe) > 0 {
			var fs []string
			for _, f := range bn.Maybe {
				fs = append(fs, c.T("hotro.field_"+f))
			}
			sb.WriteString("\n" + c.T("hotro.maybe", "Fields", strings.Join(fs, ", ")))
		}
		sb.WriteString("\n" + Esc(policy.Validity(bn.Source, c.Loc)))
		sb.WriteString("\n" + Esc(policy.SourceLine(bn.Source, c.Loc)))
	}
	if g.NoSpecific {
		sb.WriteString("\n\n" + c.T("hotro.no_specific", "Who", Esc(lowerFirst(plainLabel(c.T("hotro.who_"+p.Who))))))
	}
	if len(g.Unknown) > 0 {
		sb.WriteString("\n\n" + c.T("hotro.unknown_header"))
		for _, u := range g.Unknown {
			sb.WriteString("\n• " + Esc(u))
		}
	}
	sb.WriteString("\n\n" + c.T("hotro.outro"))
	return sb.String()
}

// plainLabel drops a button label's leading emoji: "🎓 Học sinh" → "Học sinh".
func plainLabel(s string) string {
	return strings.TrimLeftFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func lowerFirst(s string) string {
	for i, r := range s {
		return string(unicode.ToLower(r)) + s[i+len(string(r)):]
	}
	return s
}
