package bot

import (
	"errors"
	"fmt"
	"html"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/qnstartup/trolykhoinghiep/store"
)

// The broadcast module: staff compose an announcement (text and optional
// photo), choose its audience, see it exactly as recipients will, send it
// to themselves as a test, then send it now or schedule it. Delivery is a
// job in the store (see broadcaster.go); its author can pause, resume or
// cancel it from the progress message. Every announcement carries a
// one-tap "stop these announcements" button.

// maxCaption is the longest photo caption, in characters.
const maxCaption = 1024

func (b *Bot) broadcastModule() Module {
	if b.jobs == nil {
		b.jobs = newJobRunner(b)
	}
	return Module{
		Name: "bc",
		Commands: []Command{
			{Name: "broadcast", Role: store.RoleStaff, Handler: func(c *Ctx) error {
				if strings.EqualFold(strings.TrimSpace(c.U.Args), "history") {
					return b.broadcastHistory(c)
				}
				return c.Start("bc")
			}, Flow: "bc"},
		},
		Menu: []MenuItem{{Key: "menu.broadcast", Role: store.RoleStaff, Flow: "bc", Handler: func(c *Ctx) error { return c.Start("bc") }}},
		Actions: map[string]Handler{
			"pause":  b.jobAction(store.JobPaused),
			"resume": b.jobAction(store.JobRunning),
			"cancel": b.jobAction(store.JobCancelled),
			"unsub":  b.unsubscribe,
			"hist":   b.broadcastHistory,
		},
		Flows: []*Flow{{
			Name:   "bc",
			Review: "preview",
			Title:  "flow.title_bc",
			Steps: []Step{
				{Name: "text", Prompt: b.bcAskText, Input: b.bcText},
				{Name: "aud", Prompt: b.bcAudience, Input: b.bcAudienceInput},
				{Name: "preview", Prompt: b.bcPreview, Input: b.bcPreviewInput},
				{Name: "when", Prompt: b.bcAskWhen, Input: b.bcWhen},
			},
		}},
		Background: b.jobs.loop,
	}
}

// announcement is the message recipients of job id get (0: a preview
// with no job yet).
func (b *Bot) announcement(loc translator, id uint64, text, photo string) Reply {
	var event uint64
	if id != 0 {
		if j, err := b.st.Broadcast(id); err == nil {
			event = j.Event
		}
	}
	return announcementFor(loc, event, text, photo)
}

// announcementFor is an announcement; one about an event (event ≠ 0)
// carries the event's RSVP button.
func announcementFor(loc translator, event uint64, text, photo string) Reply {
	var rows [][]Button
	if event != 0 {
		rows = append(rows, []Button{{Text: loc.T("broadcast.btn_rsvp"), Data: CB("ev", "rsvp", strconv.FormatUint(event, 10))}})
	}
	rows = append(rows, []Button{{Text: loc.T("broadcast.btn_unsub"), Data: CB("bc", "unsub")}})
	return Reply{Text: text, Photo: photo, Buttons: rows}
}

// draftEventID is the event a draft announcement is about, if any.
func draftEventID(c *Ctx) uint64 {
	id, _ := strconv.ParseUint(c.Draft("ev"), 10, 64)
	return id
}

// keepSubscribed is who may receive announcements at all.
func keepSubscribed(u *store.User) bool { return u.Subscribed && !u.Inactive }

func (b *Bot) bcAskText(c *Ctx) error {
	if err := requireStaff(c); err != nil {
		return err
	}
	if err := b.checkAnnounce(c); err != nil {
		c.End()
		return err
	}
	c.Reply(Reply{Text: c.T("broadcast.ask_text"), Keyboard: c.NavKeyboard()})
	return nil
}

func (b *Bot) bcText(c *Ctx) error {
	if err := requireStaff(c); err != nil {
		return err
	}
	if c.U.Kind != KindMessage {
		return b.r.stale(c)
	}
	text := strings.TrimSpace(c.U.Text)
	if text == "" && c.U.Photo == "" {
		return Refuse("broadcast.text_empty")
	}
	if c.U.Photo != "" && len([]rune(text)) > maxCaption {
		return Refuse("common.too_long", "Len", len([]rune(text)), "Max", maxCaption)
	}
	c.SetDraft("text", Esc(text))
	c.SetDraft("photo", c.U.Photo)
	if c.Draft("aud_done") != "" {
		return c.Goto("preview")
	}
	return c.Next()
}

// draftAudience reads the audience gathered in a flow's draft.
func draftAudience(c *Ctx) store.Audience {
	split := func(k string) []string {
		if v := c.Draft(k); v != "" {
			return strings.Split(v, ",")
		}
		return nil
	}
	a := store.Audience{Kinds: split("a_k"), Sectors: split("a_s"), Localities: split("a_l"), Langs: split("a_g"), Within: c.b.within}
	if id, err := strconv.ParseUint(c.Draft("a_e"), 10, 64); err == nil {
		a.Event = id
	}
	return a
}

// within reports whether a user's locality lies in an audience's: a ward
// or commune is in its former district, so an announcement for "Tam Kỳ"
// reaches those who chose one of Tam Kỳ's new wards.
func (b *Bot) within(userLocality, locality string) bool {
	p, ok := b.places().ByCode(userLocality)
	return ok && p.In(locality)
}

// toggleDraft adds or removes v from the comma list in draft key k.
func toggleDraft(c *Ctx, k, v string) {
	var list []string
	if cur := c.Draft(k); cur != "" {
		list = strings.Split(cur, ",")
	}
	if i := slices.Index(list, v); i >= 0 {
		list = slices.Delete(list, i, i+1)
	} else {
		list = append(list, v)
	}
	c.SetDraft(k, strings.Join(list, ","))
}

// describeAudience lists an audience's filters for people.
func (b *Bot) describeAudience(c *Ctx, a store.Audience) string {
	if a.Empty() {
		return c.T("broadcast.aud_everyone")
	}
	var lines []string
	names := func(prefix string, codes []string) string {
		out := make([]string, len(codes))
		for i, s := range codes {
			out[i] = c.T(prefix + s)
		}
		return strings.Join(out, ", ")
	}
	if len(a.Kinds) > 0 {
		lines = append(lines, c.T("broadcast.aud_kinds", "List", names("kind.", a.Kinds)))
	}
	if len(a.Sectors) > 0 {
		lines = append(lines, c.T("broadcast.aud_sectors", "List", names("sector.", a.Sectors)))
	}
	if len(a.Localities) > 0 {
		out := make([]string, len(a.Localities))
		for i, l := range a.Localities {
			out[i] = Esc(b.places().Name(l))
		}
		lines = append(lines, c.T("broadcast.aud_localities", "List", strings.Join(out, ", ")))
	}
	if len(a.Langs) > 0 {
		lines = append(lines, c.T("broadcast.aud_langs", "List", names("broadcast.lang_", a.Langs)))
	}
	if a.Event != 0 {
		title := "#" + fmt.Sprint(a.Event)
		if e, err := eventByID(b.st, a.Event); err == nil {
			title = Esc(e.Title)
		}
		lines = append(lines, c.T("broadcast.aud_event", "Title", title))
	}
	return strings.Join(lines, "\n")
}

// audienceCount counts the subscribed, reachable users of an audience.
func (b *Bot) audienceCount(a store.Audience) (int, error) {
	n := 0
	err := b.st.View(func(tx *store.Tx) error {
		var err error
		n, err = tx.CountAudience(a, keepSubscribed)
		return err
	})
	return n, err
}

// bcAudience shows the audience builder (edited in place on later
// presses).
func (b *Bot) bcAudience(c *Ctx) error {
	if err := requireStaff(c); err != nil {
		return err
	}
	return b.audienceMenu(c, "bc", 0)
}

// audienceMenu draws the audience builder of a flow (broadcast or event):
// callbacks start with the flow's name; events choose no language or RSVP
// filter.
func (b *Bot) audienceMenu(c *Ctx, flow string, edit int) error {
	a := draftAudience(c)
	n, err := b.audienceCount(a)
	if err != nil {
		return err
	}
	mark := func(on bool, label string) string {
		if on {
			return "✅ " + label
		}
		return label
	}
	rows := [][]Button{
		{{Text: mark(a.Empty(), c.T("broadcast.btn_everyone")), Data: CB(flow, "all")}},
		{{Text: mark(len(a.Kinds) > 0, c.T("broadcast.btn_by_kind")), Data: CB(flow, "a", "kind")}, {Text: mark(len(a.Sectors) > 0, c.T("broadcast.btn_by_sector")), Data: CB(flow, "a", "sector")}},
		{{Text: mark(len(a.Localities) > 0, c.T("broadcast.btn_by_locality")), Data: CB(flow, "a", "loc")}},
	}
	key := "events.aud_screen"
	if flow == "bc" {
		key = "broadcast.aud_screen"
		rows[2] = append(rows[2], Button{Text: mark(len(a.Langs) > 0, c.T("broadcast.btn_by_lang")), Data: CB(flow, "a", "lang")})
		rows = append(rows, []Button{{Text: mark(a.Event != 0, c.T("broadcast.btn_by_event")), Data: CB(flow, "a", "event")}})
	}
	rows = append(rows, []Button{{Text: c.T("broadcast.btn_continue", "N", n), Data: CB(flow, "next")}})
	text := c.T(key, "Audience", b.describeAudience(c, a), "N", n)
	if reach, err := b.audienceReach(a, c.now); err == nil && reach.shown() {
		text += "\n\n" + reach.describe(c.Loc)
	}
	c.Reply(Reply{Text: text, Buttons: rows, Edit: edit})
	return nil
}

func (b *Bot) bcAudienceInput(c *Ctx) error { return b.audienceInput(c, "bc") }

// audienceInput handles the audience builder's buttons and typed locality
// searches for a flow; "next" moves the flow on.
func (b *Bot) audienceInput(c *Ctx, flow string) error {
	if err := requireStaff(c); err != nil {
		return err
	}
	if c.U.Kind == KindMessage {
		// Typed text searches localities.
		q := strings.TrimSpace(c.U.Text)
		if q == "" || len([]rune(q)) > 60 {
			return Refuse("broadcast.loc_ask")
		}
		var rows [][]Button
		sel := draftAudience(c).Localities
		for _, p := range b.places().Search(q, 8) {
			label := p.Label()
			if slices.Contains(sel, p.Code) {
				label = "✅ " + label
			}
			rows = append(rows, []Button{{Text: label, Data: CB(flow, "l", p.Code)}})
		}
		if len(rows) == 0 {
			return Refuse("broadcast.loc_none", "Typed", Esc(q))
		}
		rows = append(rows, []Button{{Text: c.T("broadcast.btn_back_aud"), Data: CB(flow, "menu")}})
		c.Reply(Reply{Text: c.T("broadcast.loc_pick", "Typed", Esc(q)), Buttons: rows})
		return nil
	}
	_, action, args, _ := ParseCB(c.U.Data)
	arg := ""
	if len(args) == 1 {
		arg = args[0]
	}
	switch action {
	case "all":
		for _, k := range []string{"a_k", "a_s", "a_l", "a_g", "a_e"} {
			c.SetDraft(k, "")
		}
		return b.audienceMenu(c, flow, c.U.MsgID)
	case "menu":
		return b.audienceMenu(c, flow, c.U.MsgID)
	case "next":
		n, err := b.audienceCount(draftAudience(c))
		if err != nil {
			return err
		}
		if n == 0 && flow == "bc" {
			return Refuse("broadcast.no_recipients")
		}
		c.SetDraft("aud_done", "1")
		return c.Next()
	case "a":
		if flow != "bc" && (arg == "lang" || arg == "event") {
			return b.r.stale(c)
		}
		return b.audienceSubmenu(c, flow, arg)
	case "g", "e":
		if flow != "bc" {
			return b.r.stale(c)
		}
	}
	switch action {
	case "k", "s", "g":
		valid := map[string][]string{"k": Kinds, "s": Sectors, "g": {"vi", "en"}}[action]
		if !contains(valid, arg) {
			return b.r.stale(c)
		}
		toggleDraft(c, "a_"+action, arg)
		return b.audienceSubmenu(c, flow, map[string]string{"k": "kind", "s": "sector", "g": "lang"}[action])
	case "l":
		if _, ok := b.places().ByCode(arg); !ok {
			return b.r.stale(c)
		}
		toggleDraft(c, "a_l", arg)
		c.Toast(c.T("broadcast.aud_saved"))
	case "e":
		id, err := strconv.ParseUint(arg, 10, 64)
		if err != nil {
			return b.r.stale(c)
		}
		if _, err := eventByID(b.st, id); err != nil {
			return b.r.stale(c)
		}
		if c.Draft("a_e") == arg {
			c.SetDraft("a_e", "")
		} else {
			c.SetDraft("a_e", arg)
		}
	default:
		return b.r.stale(c)
	}
	return b.audienceMenu(c, flow, c.U.MsgID)
}

// bcAudienceSubmenu lists the choices of one filter, edited in place.
func (b *Bot) audienceSubmenu(c *Ctx, flow, which string) error {
	a := draftAudience(c)
	var rows [][]Button
	tick := func(on bool) string {
		if on {
			return "✅ "
		}
		return "◻️ "
	}
	key := "broadcast.pick_" + which
	switch which {
	case "kind":
		for _, k := range Kinds {
			rows = append(rows, []Button{{Text: tick(slices.Contains(a.Kinds, k)) + c.T("kind."+k), Data: CB(flow, "k", k)}})
		}
	case "sector":
		for _, s := range Sectors {
			rows = append(rows, []Button{{Text: tick(slices.Contains(a.Sectors, s)) + c.T("sector."+s), Data: CB(flow, "s", s)}})
		}
	case "lang":
		for _, l := range []string{"vi", "en"} {
			rows = append(rows, []Button{{Text: tick(slices.Contains(a.Langs, l)) + c.T("broadcast.lang_"+l), Data: CB(flow, "g", l)}})
		}
	case "loc":
		// Localities are found by typing a name.
		c.Reply(Reply{Text: c.T("broadcast.loc_ask"), Buttons: [][]Button{{{Text: c.T("broadcast.btn_back_aud"), Data: CB(flow, "menu")}}}, Edit: c.U.MsgID})
		return nil
	case "event":
		var evs []*store.Event
		err := b.st.View(func(tx *store.Tx) error {
			var err error
			evs, _, err = tx.UpcomingEvents(c.Now().Add(-24*time.Hour), 0, 8)
			return err
		})
		if err != nil {
			return err
		}
		if len(evs) == 0 {
			key = "broadcast.pick_event_none"
		}
		for _, e := range evs {
			rows = append(rows, []Button{{Text: tick(a.Event == e.ID) + truncate(e.Title, 40), Data: CB(flow, "e", fmt.Sprint(e.ID))}})
		}
	default:
		return b.r.stale(c)
	}
	rows = append(rows, []Button{{Text: c.T("broadcast.btn_back_aud"), Data: CB(flow, "menu")}})
	c.Reply(Reply{Text: c.T(key), Buttons: rows, Edit: c.U.MsgID})
	return nil
}

// bcPreview shows the announcement exactly as recipients will get it,
// then the recipient count and the choices.
func (b *Bot) bcPreview(c *Ctx) error {
	if err := requireStaff(c); err != nil {
		return err
	}
	a := draftAudience(c)
	n, err := b.audienceCount(a)
	if err != nil {
		return err
	}
	c.Reply(Reply{Text: c.T("broadcast.preview_intro"), Keyboard: c.NavKeyboard()})
	c.Reply(announcementFor(c.Loc, draftEventID(c), c.Draft("text"), c.Draft("photo")))
	c.Reply(Reply{Text: c.T("broadcast.preview_summary", "Audience", b.describeAudience(c, a), "N", n), Buttons: [][]Button{
		{{Text: c.T("broadcast.btn_test"), Data: CB("bc", "test")}},
		{{Text: c.T("broadcast.btn_send_now", "N", n), Data: CB("bc", "now", c.DraftTag())}},
		{{Text: c.T("broadcast.btn_schedule"), Data: CB("bc", "sched")}},
		{{Text: c.T("broadcast.btn_edit_text"), Data: CB("bc", "edit")}, {Text: c.T("broadcast.btn_edit_aud"), Data: CB("bc", "aud")}},
	}})
	return nil
}

func (b *Bot) bcPreviewInput(c *Ctx) error {
	if err := requireStaff(c); err != nil {
		return err
	}
	if c.U.Kind != KindCallback {
		return Refuse("broadcast.use_buttons")
	}
	_, action, args, _ := ParseCB(c.U.Data)
	switch action {
	case "test":
		r := announcementFor(c.Loc, draftEventID(c), c.Draft("text"), c.Draft("photo"))
		c.Reply(r)
		c.Toast(c.T("broadcast.test_sent"))
		return nil
	case "now":
		if ok, err := c.CheckTag(args); !ok {
			return err
		}
		return b.bcConfirm(c, time.Time{})
	case "bigok":
		if ok, err := c.CheckTag(args); !ok {
			return err
		}
		c.SetDraft("big_ok", "1")
		return b.bcConfirm(c, time.Time{})
	case "sched":
		return c.Goto("when")
	case "edit":
		return c.Goto("text")
	case "aud":
		return c.Goto("aud")
	}
	return b.r.stale(c)
}

func (b *Bot) bcAskWhen(c *Ctx) error {
	if err := requireStaff(c); err != nil {
		return err
	}
	c.Reply(Reply{Text: c.T("broadcast.ask_when"), Keyboard: c.NavKeyboard()})
	return nil
}

func (b *Bot) bcWhen(c *Ctx) error {
	if err := requireStaff(c); err != nil {
		return err
	}
	if c.U.Kind == KindCallback {
		_, action, args, _ := ParseCB(c.U.Data)
		big := action == "bigok"
		if big {
			action = "confirm"
		}
		at, err := time.Parse(time.RFC3339, c.Draft("at"))
		if action != "confirm" || err != nil {
			return b.r.stale(c)
		}
		if ok, err := c.CheckTag(args); !ok {
			return err
		}
		if big {
			c.SetDraft("big_ok", "1")
		}
		if !at.After(c.Now()) {
			return Refuse("events.when_past")
		}
		return b.bcConfirm(c, at)
	}
	at, err := ParseWhen(c.U.Text, c.Now())
	if err != nil {
		return Refuse(whenReason(err))
	}
	c.SetDraft("at", at.Format(time.RFC3339))
	n, err := b.audienceCount(draftAudience(c))
	if err != nil {
		return err
	}
	c.Reply(Reply{Text: c.T("broadcast.confirm_schedule", "When", FormatWhen(c.Loc, at), "N", n), Buttons: [][]Button{
		{{Text: c.T("broadcast.btn_confirm_schedule"), Data: CB("bc", "confirm", c.DraftTag())}},
	}})
	return nil
}

// bcConfirm creates the job: the recipients are fixed now. A zero at
// sends at once.
func (b *Bot) bcConfirm(c *Ctx, at time.Time) error {
	text, photo := c.Draft("text"), c.Draft("photo")
	if text == "" && photo == "" {
		return c.Goto("text")
	}
	j := &store.Broadcast{
		Kind: store.JobAnnounce, Author: c.User.ID, Text: text, Photo: photo,
		Audience: draftAudience(c), Event: draftEventID(c), Status: store.JobRunning, Created: c.Now(),
	}
	if !at.IsZero() {
		j.Status, j.ScheduledAt = store.JobScheduled, at
	}
	over := b.confirmOver()
	if c.IsAdmin() && c.Draft("big_ok") == "" {
		// An admin confirms a large announcement with a second press.
		n, err := b.audienceCount(j.Audience)
		if err != nil {
			return err
		}
		if n > over {
			c.Reply(Reply{Text: c.T("trust.bc_confirm_big", "N", n, "Max", over), Buttons: [][]Button{
				{{Text: c.T("trust.btn_approve"), Data: CB("bc", "bigok", c.DraftTag())}},
			}})
			return nil
		}
	}
	c.Do(func(tx *store.Tx) error {
		job := *j
		if err := tx.CreateBroadcast(&job, keepSubscribed); err != nil {
			return err
		}
		if job.Total == 0 {
			return Refuse("broadcast.no_recipients")
		}
		if err := b.takeAnnounce(tx, c); err != nil {
			return err
		}
		if job.Total > over && !c.IsAdmin() {
			return b.holdForAdmin(tx, c, &job)
		}
		if at.IsZero() {
			c.Reply(Reply{Text: c.T("broadcast.queued", "ID", job.ID, "N", job.Total), Keyboard: c.b.MainMenu(c)})
		} else {
			c.Reply(Reply{Text: c.T("broadcast.scheduled", "ID", job.ID, "N", job.Total, "When", FormatWhen(c.Loc, at)), Keyboard: c.b.MainMenu(c)})
			// Cancellable until it starts.
			c.Reply(Reply{Text: c.T("broadcast.scheduled_cancel"), Buttons: [][]Button{{
				{Text: c.T("broadcast.btn_cancel_scheduled", "ID", job.ID), Data: CB("bc", "cancel", strconv.FormatUint(job.ID, 10))},
			}}})
		}
		return nil
	})
	c.End()
	c.AfterCommit(b.jobs.Wake)
	return nil
}

// jobAction pauses, resumes or cancels a job from its progress message.
// Only the job's author or an admin may.
func (b *Bot) jobAction(to string) Handler {
	return func(c *Ctx) error {
		if !c.IsStaff() {
			return Refuse("common.not_allowed")
		}
		_, _, args, _ := ParseCB(c.U.Data)
		if len(args) != 1 {
			return b.r.stale(c)
		}
		id, err := strconv.ParseUint(args[0], 10, 64)
		if err != nil {
			return b.r.stale(c)
		}
		j, err := b.st.Broadcast(id)
		if errors.Is(err, store.ErrNotFound) {
			return b.r.stale(c)
		} else if err != nil {
			return err
		}
		if j.Author != c.User.ID && !c.IsAdmin() {
			return Refuse("common.not_allowed")
		}
		msg := c.U.MsgID
		c.Do(func(tx *store.Tx) error {
			j, err := tx.Broadcast(id)
			if err != nil {
				return err
			}
			ok := false
			switch to {
			case store.JobPaused:
				ok = j.Status == store.JobRunning || j.Status == store.JobScheduled
			case store.JobRunning:
				ok = j.Status == store.JobPaused
			case store.JobCancelled:
				ok = j.Active()
			}
			if !ok {
				return Refuse("broadcast.bad_state")
			}
			if to == store.JobRunning && !j.ScheduledAt.IsZero() && j.ScheduledAt.After(c.Now()) {
				to = store.JobScheduled
			}
			j.Status = to
			if to == store.JobCancelled {
				j.Finished = c.Now()
			}
			if err := tx.PutBroadcast(j); err != nil {
				return err
			}
			if msg != 0 {
				c.Reply(Reply{Text: progressText(c.Loc, j, 0), Buttons: progressButtons(c.Loc, j), Edit: msg})
			}
			c.Toast(c.T("broadcast.state_" + j.Status))
			return nil
		})
		if to == store.JobRunning {
			c.AfterCommit(b.jobs.Wake)
		}
		return nil
	}
}

// unsubscribe is the "stop these announcements" button.
func (b *Bot) unsubscribe(c *Ctx) error {
	c.User.Subscribed = false
	c.Toast(c.T("broadcast.unsubscribed_toast"))
	c.Reply(Reply{Text: c.T("broadcast.unsubscribed"), Buttons: [][]Button{{
		{Text: c.T("settings.sub_on"), Data: CB("settings", "sub", "on")},
	}}})
	return nil
}

// broadcastHistory lists the latest announcements with their reports.
func (b *Bot) broadcastHistory(c *Ctx) error {
	if !c.IsStaff() {
		return Refuse("common.not_allowed")
	}
	var jobs []*store.Broadcast
	err := b.st.View(func(tx *store.Tx) error {
		var err error
		jobs, err = tx.RecentBroadcasts(store.JobAnnounce, 10)
		return err
	})
	if err != nil {
		return err
	}
	if len(jobs) == 0 {
		c.Say("broadcast.history_empty")
		return nil
	}
	var sb strings.Builder
	sb.WriteString(c.T("broadcast.history_title"))
	var rows [][]Button
	for _, j := range jobs {
		author := fmt.Sprint(j.Author)
		if u, err := b.st.User(j.Author); err == nil {
			author = Esc(u.Name())
		}
		when := c.T("broadcast.history_sent", "When", FormatWhen(c.Loc, j.Created))
		switch {
		case j.Status == store.JobScheduled:
			when = c.T("broadcast.history_scheduled", "When", FormatWhen(c.Loc, j.ScheduledAt))
		case !j.Started.IsZero():
			when = c.T("broadcast.history_sent", "When", FormatWhen(c.Loc, j.Started))
		}
		sb.WriteString("\n\n" + c.T("broadcast.history_item", "ID", j.ID, "When", when, "Author", author,
			"Status", c.T("broadcast.state_"+j.Status), "Text", Esc(truncate(plainText(j.Text), 80)), "Total", j.Total))
		if j.Status != store.JobScheduled {
			sb.WriteString("\n" + jobCounts(c.Loc, j))
		}
		if j.Active() && (j.Author == c.User.ID || c.IsAdmin()) && len(rows) < 5 {
			rows = append(rows, []Button{{Text: c.T("broadcast.btn_cancel_job", "ID", j.ID), Data: CB("bc", "cancel", strconv.FormatUint(j.ID, 10))}})
		}
	}
	c.Reply(Reply{Text: sb.String(), Buttons: rows})
	return nil
}

// plainText is an announcement's HTML as plain text: tags dropped,
// entities decoded.
func plainText(s string) string {
	var sb strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>' && in:
			in = false
		case !in:
			sb.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(html.UnescapeString(sb.String())), " ")
}
