package bot

import (
	"context"
	"slices"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/qnstartup/trolykhoinghiep/locales"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// Module is one feature: its commands, main-menu buttons, button actions
// and flows. Each lives in its own file; modules() lists them.
type Module struct {
	// Name is the callback prefix of the module's buttons.
	Name     string
	Commands []Command
	// Actions handle callback data "Name:action:…" outside a flow. They
	// re-check who may act: callback data is never trusted.
	Actions map[string]Handler
	Menu    []MenuItem
	Flows   []*Flow
	// Text, if set, handles plain text outside any flow (one module only).
	Text Handler
	// Background, if set, runs for the bot's lifetime (schedulers, job
	// runners); it must return when ctx ends.
	Background func(ctx context.Context)
}

// Command is a slash command; its menu description is the message
// "cmd.<Name>".
type Command struct {
	Name    string
	Role    string // "" everyone, store.RoleStaff, store.RoleAdmin
	Handler Handler
	Hidden  bool // not shown in the command menu
	// Flow names the flow the handler starts: with a draft in progress the
	// user is asked whether to continue it or start again.
	Flow string
}

// MenuItem is a main-menu keyboard button; Key is the message key of its
// label, matched back in either language.
type MenuItem struct {
	Key     string
	Role    string
	Handler Handler
	Flow    string // as Command.Flow
}

// modules is the routing table: adding a feature is one line here.
func (b *Bot) modules() []Module {
	return []Module{
		b.navModule(),
		b.startModule(),
		b.settingsModule(),
		b.ideaModule(),
		b.myIdeasModule(),
		b.bankModule(),
		b.reviewModule(),
		b.privacyModule(),
		b.staffModule(),
		b.eventsModule(),
		b.remindersModule(),
		b.broadcastModule(),
		b.askModule(),
		b.hotroModule(),
		b.followModule(),
		b.questionsModule(),
		b.kbModule(),
		b.backupModule(),
		b.trustModule(),
	}
}

type router struct {
	modules  []Module
	commands map[string]Command
	order    []Command
	actions  map[string]map[string]Handler
	flows    map[string]*Flow
	flowMod  map[string]string
	menu     []MenuItem
	menuText map[string]MenuItem // folded label (any language) → item
	// flowLabels maps the folded labels of the flow buttons typed as text
	// (cancel, back), in every language, to their keys.
	flowLabels map[string][]string
	text       Handler
}

// flowLabelKeys are the buttons a flow's reply keyboard may show.
var flowLabelKeys = []string{"common.cancel", "common.back", "flow.back_review"}

func newRouter(mods []Module) *router {
	r := &router{
		modules: mods, commands: map[string]Command{}, actions: map[string]map[string]Handler{},
		flows: map[string]*Flow{}, flowMod: map[string]string{}, menuText: map[string]MenuItem{},
	}
	for _, m := range mods {
		for _, c := range m.Commands {
			r.commands[c.Name] = c
			r.order = append(r.order, c)
		}
		if m.Actions != nil {
			r.actions[m.Name] = m.Actions
		}
		for _, f := range m.Flows {
			r.flows[f.Name] = f
		}
		r.menu = append(r.menu, m.Menu...)
		if m.Text != nil {
			r.text = m.Text
		}
	}
	sort.SliceStable(r.menu, func(i, j int) bool { return menuRank(r.menu[i].Key) < menuRank(r.menu[j].Key) })
	return r
}

// menuOrder places the main-menu buttons: the citizen's tasks first.
var menuOrder = []string{"menu.idea", "menu.bank", "menu.ask", "menu.hotro", "menu.myideas", "menu.events", "menu.settings", "menu.help"}

func menuRank(key string) int {
	for i, k := range menuOrder {
		if k == key {
			return i
		}
	}
	return len(menuOrder)
}

// indexMenu maps every language's label of every menu item back to it.
func (r *router) indexMenu(b *locales.Bundle) {
	for _, lang := range locales.Languages {
		loc := b.For(lang)
		for _, it := range r.menu {
			r.menuText[foldLabel(loc.T(it.Key))] = it
		}
	}
	r.flowLabels = map[string][]string{}
	for _, lang := range locales.Languages {
		loc := b.For(lang)
		for _, k := range flowLabelKeys {
			f := foldLabel(loc.T(k))
			if !slices.Contains(r.flowLabels[f], k) {
				r.flowLabels[f] = append(r.flowLabels[f], k)
			}
		}
	}
}

// foldLabel reduces a label or typed text to lower-case letters and digits
// without diacritics, so "📚 Ngân hàng ý tưởng" matches "ngan hang y tuong".
func foldLabel(s string) string {
	var sb strings.Builder
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ' || r == 'Đ' || r == 'ð' || r == 'Ð':
			sb.WriteByte('d')
			space = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && sb.Len() > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteRune(unicode.ToLower(r))
			space = false
		default:
			space = true
		}
	}
	return sb.String()
}

// requireStaff refuses anyone who is not staff now: callback data can be
// forged and roles change, so every staff action calls it. A user demoted
// in the middle of a staff flow leaves the flow.
func requireStaff(c *Ctx) error {
	if !c.IsStaff() {
		c.End()
		return Refuse("common.not_allowed")
	}
	return nil
}

func allowed(u *store.User, role string) bool {
	switch role {
	case store.RoleStaff:
		return u.IsStaff()
	case store.RoleAdmin:
		return u.Role == store.RoleAdmin
	}
	return true
}

func (r *router) route(c *Ctx) error {
	u := c.U
	switch u.Kind {
	case KindBlocked:
		c.User.Inactive = true
		return nil
	case KindUnblocked:
		c.User.Inactive = false
		return nil
	case KindUnsupported:
		c.Say("channel.unsupported")
		return nil
	case KindCallback, KindMessage:
	default:
		return nil // an update type we do not handle: done, no reply
	}
	if c.flooded {
		c.Say("common.flooding")
		return nil
	}
	if u.Kind == KindCallback {
		return r.callback(c)
	}
	return r.message(c)
}

func (r *router) callback(c *Ctx) error {
	flow, action, _, ok := ParseCB(c.U.Data)
	if !ok {
		return r.stale(c)
	}
	if acts, ok := r.actions[flow]; ok {
		if h, ok := acts[action]; ok {
			return h(c)
		}
	}
	if c.State.Flow != "" && c.State.Flow == flow {
		if r.expired(c) {
			return nil
		}
		// A button of a paused flow takes the user back into it.
		c.State.Paused = false
		return c.stepInput()
	}
	return r.stale(c)
}

func (r *router) stale(c *Ctx) error {
	c.Toast(c.T("common.stale_button"))
	return nil
}

// expired ends a flow left idle too long and tells the user.
func (r *router) expired(c *Ctx) bool {
	if c.State.Flow == "" || c.now.Sub(c.State.Updated) <= c.b.opt.FlowTimeout {
		return false
	}
	c.End()
	c.Reply(Reply{Text: c.T("common.expired"), Keyboard: c.b.MainMenu(c)})
	return true
}

// isLabel reports whether folded typed text is one of the labels of keys,
// in any language. Keys of flowLabelKeys are looked up folded once; any
// other key is folded here.
func (c *Ctx) isLabel(folded string, keys ...string) bool {
	if folded == "" {
		return false
	}
	for _, k := range keys {
		if slices.Contains(flowLabelKeys, k) {
			if slices.Contains(c.b.r.flowLabels[folded], k) {
				return true
			}
			continue
		}
		for _, lang := range locales.Languages {
			if folded == foldLabel(c.b.i18n.For(lang).T(k)) {
				return true
			}
		}
	}
	return false
}

// interrupt runs a command or menu button typed while a flow is in
// progress. One that starts a flow asks first when a draft exists; any
// other pauses the flow visibly (the draft is kept) and then runs.
func (r *router) interrupt(c *Ctx, flow, restart string, h Handler) error {
	if c.State.Flow != "" && c.now.Sub(c.State.Updated) > c.b.opt.FlowTimeout {
		c.End() // a forgotten draft: nothing to ask about
	}
	if c.State.Flow == "" {
		return h(c)
	}
	if flow != "" && c.answers() == 0 {
		c.End()
		return h(c)
	}
	if flow != "" && c.answers() > 0 {
		askDraft(c, restart)
		return nil
	}
	c.pause()
	return h(c)
}

// askDraft pauses the flow and asks whether to go on with its draft or
// start over (restart names what runs then).
func askDraft(c *Ctx, restart string) {
	c.State.Paused = true
	c.SetDraft("_cq", "")
	c.Reply(Reply{Text: c.T("flow.draft_exists", "Flow", c.flowTitle()), Keyboard: c.b.MainMenu(c)})
	c.Reply(Reply{Text: c.T("flow.draft_choose"), Buttons: [][]Button{
		{{Text: c.T("flow.btn_continue"), Data: CB("nav", "resume")}},
		{{Text: c.T("flow.btn_restart"), Data: CB("nav", "restart", restart)}},
	}})
}

// startsFlow wraps a button whose handler replaces the conversation (it
// starts a flow): a draft of a wizard (a flow with a title: an idea, an
// announcement, an event) that has answers is not dropped silently. The
// user is asked first, as for a command; starting over presses the same
// button again.
func startsFlow(h Handler) Handler {
	return func(c *Ctx) error {
		if c.State.Flow != "" && c.now.Sub(c.State.Updated) > c.b.opt.FlowTimeout {
			c.End() // a forgotten draft: nothing to ask about
		}
		if f, ok := c.b.r.flows[c.State.Flow]; !ok || f.Title == "" || c.answers() == 0 {
			return h(c)
		}
		c.SetDraft("_again", c.U.Data)
		askDraft(c, "b")
		return nil
	}
}

func (r *router) message(c *Ctx) error {
	u := c.U
	if n := len([]rune(u.Text)); n > MaxText {
		return Refuse("common.too_long", "Len", n, "Max", MaxText)
	}
	if u.Command == "" && c.State.Flow == "" {
		// Channels without a command menu (Zalo): a command's name typed
		// on its own works as the command.
		if w := strings.ToLower(strings.TrimSpace(u.Text)); w != "" && !strings.ContainsAny(w, " \n") {
			if _, ok := r.commands[w]; ok {
				u.Command = w
			}
		}
	}
	if u.Command != "" {
		if u.Command == "cancel" {
			return cancel(c)
		}
		cmd, ok := r.commands[u.Command]
		if !ok {
			c.Say("common.unknown_command")
			return nil
		}
		if !allowed(c.User, cmd.Role) {
			return Refuse("common.not_allowed")
		}
		flow := cmd.Flow
		if u.Args != "" {
			flow = "" // e.g. "/broadcast history" starts no flow
		}
		return r.interrupt(c, flow, "c."+cmd.Name, cmd.Handler)
	}
	folded := foldLabel(u.Text)
	if c.State.Flow != "" {
		if c.isLabel(folded, "common.cancel") {
			return cancel(c)
		}
		if r.expired(c) {
			return nil
		}
		if c.active() && c.isLabel(folded, "common.back", "flow.back_review") {
			return c.back()
		}
	}
	if it, ok := r.menuText[folded]; ok && folded != "" && allowed(c.User, it.Role) {
		return r.interrupt(c, it.Flow, "m."+it.Key, it.Handler)
	}
	if c.active() {
		return c.stepInput()
	}
	if id, ok := typedIdeaCode(u.Text); ok {
		return c.b.openIdeaCard(c, id)
	}
	if strings.TrimSpace(u.Text) != "" && r.text != nil {
		return r.text(c)
	}
	if strings.TrimSpace(u.Text) != "" {
		return c.b.help(c)
	}
	c.Reply(Reply{Text: c.T("common.unsupported"), Keyboard: c.b.MainMenu(c)})
	return nil
}

// cancel leaves the current flow. With more than two answers it asks once
// first; cancelling again (or "discard") confirms.
func cancel(c *Ctx) error {
	if c.State.Flow == "" {
		c.Reply(Reply{Text: c.T("common.nothing_to_cancel"), Keyboard: c.b.MainMenu(c)})
		return nil
	}
	_, _, args, _ := ParseCB(c.U.Data)
	sure := c.U.Kind == KindCallback && len(args) == 1 && args[0] == "y"
	if n := c.answers(); n > 2 && !sure && c.Draft("_cq") == "" {
		c.SetDraft("_cq", "1")
		c.Reply(Reply{Text: c.T("flow.cancel_ask", "Flow", c.flowTitle(), "N", n), Buttons: [][]Button{
			{{Text: c.T("flow.btn_keep"), Data: CB("nav", "resume")}},
			{{Text: c.T("flow.btn_discard"), Data: CB("nav", "cancel", "y")}},
		}})
		return nil
	}
	c.End()
	c.Reply(Reply{Text: c.T("common.cancelled"), Keyboard: c.b.MainMenu(c)})
	return nil
}

// restart drops the draft and runs again the command or menu button that
// asked (data "c.<command>" or "m.<menu key>").
func (r *router) restart(c *Ctx) error {
	_, _, args, _ := ParseCB(c.U.Data)
	if len(args) != 1 {
		return r.stale(c)
	}
	kind, name, _ := strings.Cut(args[0], ".")
	var h Handler
	role := ""
	switch kind {
	case "c":
		if cmd, ok := r.commands[name]; ok {
			h, role = cmd.Handler, cmd.Role
		}
	case "m":
		for _, it := range r.menu {
			if it.Key == name {
				h, role = it.Handler, it.Role
			}
		}
	case "b":
		// The button that asked (startsFlow), pressed again on a clean
		// slate.
		if data := c.Draft("_again"); data != "" {
			c.End()
			c.U.Data = data
			return r.callback(c)
		}
	}
	if h == nil {
		return r.stale(c)
	}
	if !allowed(c.User, role) {
		return Refuse("common.not_allowed")
	}
	c.End()
	return h(c)
}

// navModule handles the generic back/cancel inline buttons.
func (b *Bot) navModule() Module {
	return Module{
		Name: "nav",
		Actions: map[string]Handler{
			"cancel": cancel,
			"back": func(c *Ctx) error {
				if c.State.Flow == "" {
					return b.r.stale(c)
				}
				c.State.Paused = false
				return c.back()
			},
			"resume": func(c *Ctx) error {
				if c.State.Flow == "" {
					return b.r.stale(c)
				}
				return c.resume()
			},
			"restart": func(c *Ctx) error { return b.r.restart(c) },
			"noop":    func(c *Ctx) error { return nil },
		},
	}
}

// MainMenu is the persistent main-menu keyboard for the user's role.
func (b *Bot) MainMenu(c *Ctx) *Keyboard {
	var rows [][]KeyButton
	var row []KeyButton
	for _, it := range b.r.menu {
		if !allowed(c.User, it.Role) {
			continue
		}
		row = append(row, KeyButton{Text: c.T(it.Key)})
		if len(row) == 2 {
			rows = append(rows, row)
			row = nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	return &Keyboard{Rows: rows}
}

// CommandMenu lists the commands a role sees, described in a language.
func (b *Bot) CommandMenu(role, lang string) []CommandInfo {
	loc := b.i18n.For(lang)
	u := &store.User{Role: role}
	var out []CommandInfo
	for _, c := range b.r.order {
		if c.Hidden || !allowed(u, c.Role) {
			continue
		}
		out = append(out, CommandInfo{Name: c.Name, Description: loc.T("cmd." + c.Name)})
	}
	return out
}

// SetupCommands installs the command menus: everyone's in each language,
// and the larger staff menu scoped to each staff member's chat. Failures
// are logged, never fatal.
func (b *Bot) SetupCommands() {
	for _, ch := range b.chans {
		menus, ok := ch.(CommandMenus)
		if !ok {
			continue
		}
		for _, lang := range locales.Languages {
			if err := menus.SetCommands(context.Background(), b.CommandMenu("", lang), lang, ""); err != nil {
				b.log.Warn("set commands", "channel", ch.Name(), "lang", lang, "err", err)
			}
		}
	}
	staff, err := b.st.Staff()
	if err != nil {
		b.log.Warn("list staff", "err", err)
	}
	for _, s := range append(staff, b.demoted...) {
		b.SetupStaffCommands(s)
	}
}

// SetupStaffCommands installs the command menu of one staff member's chat
// (or resets it to everyone's menu when they are no longer staff).
func (b *Bot) SetupStaffCommands(u *store.User) {
	channel, to := u.Address()
	ch, _ := b.channel(channel)
	menus, ok := ch.(CommandMenus)
	if !ok {
		return // typed commands and menu buttons only
	}
	if err := menus.SetCommands(context.Background(), b.CommandMenu(u.Role, u.Lang), u.Lang, to); err != nil {
		b.log.Warn("set staff commands", "user_id", u.ID, "err", err)
	}
}
