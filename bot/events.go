package bot

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/qnstartup/trolykhoinghiep/sheet"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// The events module: staff create events with /newevent (title, time in
// Vietnam time, place, description, link, audience, optional photo; review
// and publish), edit or cancel them later (their RSVPs are told); everyone
// browses upcoming events with /events, says "I will attend", and adds an
// event to a calendar (.ics file or Google Calendar link).

const (
	eventsPerPage = 5
	eventLength   = 2 * time.Hour // calendars get this length when an event has no end
	maxTitle      = 150
	maxPlace      = 200
	maxDesc       = 2000
	maxLink       = 300
)

func (b *Bot) eventsModule() Module {
	return Module{
		Name: "ev",
		Commands: []Command{
			{Name: "events", Handler: func(c *Ctx) error { return b.listEvents(c, 0, 0) }},
			{Name: "newevent", Role: store.RoleStaff, Handler: func(c *Ctx) error { return c.Start("ev") }, Flow: "ev"},
		},
		Menu: []MenuItem{{Key: "menu.events", Handler: func(c *Ctx) error { return b.listEvents(c, 0, 0) }}},
		Actions: map[string]Handler{
			"list":     b.eventsPage,
			"show":     b.showEvent,
			"rsvp":     b.rsvp,
			"ics":      b.sendICS,
			"edit":     b.editEvent,
			"cancel":   b.cancelEventAsk,
			"cancelok": b.cancelEvent,
			"announce": b.announceEvent,
			"att":      b.attendees,
			"attcsv":   b.attendeesCSV,
		},
		Flows: []*Flow{
			{
				Name:   "ev",
				Review: "review",
				Title:  "flow.title_ev",
				Steps: []Step{
					{Name: "title", Prompt: b.evAsk("title"), Input: b.evInput("title")},
					{Name: "when", Prompt: b.evAsk("when"), Input: b.evInput("when")},
					{Name: "place", Prompt: b.evAsk("place"), Input: b.evInput("place")},
					{Name: "desc", Prompt: b.evAsk("desc"), Input: b.evInput("desc")},
					{Name: "link", Prompt: b.evAsk("link"), Input: b.evInput("link")},
					{Name: "aud", Prompt: func(c *Ctx) error {
						if err := requireStaff(c); err != nil {
							return err
						}
						return b.audienceMenu(c, "ev", 0)
					}, Input: func(c *Ctx) error { return b.audienceInput(c, "ev") }},
					{Name: "photo", Prompt: b.evAsk("photo"), Input: b.evInput("photo")},
					{Name: "review", Prompt: b.evReview, Input: b.evPublish},
				},
			},
			{
				Name: "eve",
				Steps: []Step{
					{Name: "field", Prompt: b.eveAskField, Input: b.eveField},
					{Name: "value", Prompt: b.eveAskValue, Input: b.eveValue},
				},
			},
		},
	}
}

// eventEnd is when an event ends: its end time, or eventLength after the
// start when none was given.
func eventEnd(e *store.Event) time.Time {
	if e.End.After(e.Start) {
		return e.End
	}
	return e.Start.Add(eventLength)
}

// eventByID reads one event.
func eventByID(st *store.Store, id uint64) (*store.Event, error) {
	var e *store.Event
	err := st.View(func(tx *store.Tx) error {
		var err error
		e, err = tx.Event(id)
		return err
	})
	return e, err
}

// cbID reads the numeric argument of a button.
func cbID(c *Ctx) (uint64, bool) {
	_, _, args, _ := ParseCB(c.U.Data)
	if len(args) < 1 {
		return 0, false
	}
	id, err := strconv.ParseUint(args[0], 10, 64)
	return id, err == nil
}

// evFields are the fields typed in the /newevent flow and editable later.
var evFields = []string{"title", "when", "place", "desc", "link", "photo"}

// evAsk prompts for a field; optional ones get a "skip" button.
func (b *Bot) evAsk(field string) Handler {
	return func(c *Ctx) error {
		if err := requireStaff(c); err != nil {
			return err
		}
		r := Reply{Text: c.T("events.ask_" + field), Keyboard: c.NavKeyboard()}
		c.Reply(r)
		if field == "link" || field == "photo" {
			c.Reply(Reply{Text: c.T("events.optional"), Buttons: [][]Button{{{Text: c.T("common.skip"), Data: CB(c.State.Flow, "skip")}}}})
		}
		return nil
	}
}

// parseField validates a typed (or sent) value of a field; the result is
// kept in the flow's draft as a string.
func (b *Bot) parseField(c *Ctx, field string) (string, error) {
	if c.U.Kind == KindCallback {
		_, action, _, _ := ParseCB(c.U.Data)
		if action == "skip" && (field == "link" || field == "photo") {
			return "", nil
		}
		return "", errStale
	}
	text := strings.TrimSpace(c.U.Text)
	limit := map[string]int{"title": maxTitle, "place": maxPlace, "desc": maxDesc, "link": maxLink}[field]
	if n := len([]rune(text)); limit > 0 && n > limit {
		return "", Refuse("common.too_long", "Len", n, "Max", limit)
	}
	switch field {
	case "photo":
		if c.U.Photo == "" {
			return "", Refuse("events.photo_needed")
		}
		return c.U.Photo, nil
	case "when":
		at, end, err := ParseWhenSpan(text, c.Now())
		if err != nil {
			return "", Refuse(whenReason(err))
		}
		v := at.Format(time.RFC3339)
		if !end.IsZero() {
			v += "/" + end.Format(time.RFC3339)
		}
		return v, nil
	case "link":
		u, err := url.Parse(text)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(text, " \n") {
			return "", Refuse("events.link_bad")
		}
		return text, nil
	case "title":
		if len([]rune(text)) < 3 {
			return "", Refuse("events.title_short")
		}
	}
	if text == "" {
		return "", Refuse("common.empty")
	}
	return text, nil
}

var errStale = errors.New("stale button")

func (b *Bot) evInput(field string) Handler {
	return func(c *Ctx) error {
		if err := requireStaff(c); err != nil {
			return err
		}
		v, err := b.parseField(c, field)
		if errors.Is(err, errStale) {
			return b.r.stale(c)
		}
		if err != nil {
			return err
		}
		if field == "when" {
			start, end := splitWhen(v)
			c.SetDraft("when", start.Format(time.RFC3339))
			c.SetDraft("end", "")
			if !end.IsZero() {
				c.SetDraft("end", end.Format(time.RFC3339))
			}
			// Say how the date was read, so a wrong guess is caught now.
			c.Reply(Reply{Text: c.T("events.when_echo", "When", FormatSpan(c.Loc, start, end))})
		} else {
			c.SetDraft(field, v)
		}
		if f := b.r.flows[c.State.Flow]; c.reviewing(f) {
			return c.Goto(f.Review)
		}
		return c.Next()
	}
}

// splitWhen reads a "start[/end]" value made by parseField.
func splitWhen(v string) (start, end time.Time) {
	s, e, _ := strings.Cut(v, "/")
	start, _ = time.Parse(time.RFC3339, s)
	if e != "" {
		end, _ = time.Parse(time.RFC3339, e)
	}
	return start.UTC(), end.UTC()
}

// draftEvent builds an event from the /newevent draft.
func draftEvent(c *Ctx) *store.Event {
	start, _ := time.Parse(time.RFC3339, c.Draft("when"))
	end, _ := time.Parse(time.RFC3339, c.Draft("end"))
	a := draftAudience(c)
	a.Langs, a.Event = nil, 0
	return &store.Event{
		Title: c.Draft("title"), Start: start.UTC(), End: end.UTC(), Place: c.Draft("place"), Description: c.Draft("desc"),
		Link: c.Draft("link"), Photo: c.Draft("photo"), Audience: a, Status: store.EventDraft, CreatedBy: c.User.ID,
	}
}

// eventCard is an event as users see it (HTML).
func (b *Bot) eventCard(loc translator, e *store.Event) string {
	var sb strings.Builder
	sb.WriteString("<b>📅 " + Esc(e.Title) + "</b>")
	sb.WriteString("\n🕗 " + FormatSpan(loc, e.Start, e.End))
	if e.Place != "" {
		sb.WriteString("\n📍 " + Esc(e.Place))
	}
	if e.Description != "" {
		sb.WriteString("\n\n" + Esc(e.Description))
	}
	if e.Link != "" {
		sb.WriteString("\n\n🔗 " + Esc(e.Link))
	}
	if e.Status == store.EventCancelled {
		sb.WriteString("\n\n" + loc.T("events.is_cancelled"))
	} else if e.Status == store.EventPublished {
		sb.WriteString("\n\n" + loc.T("events.attending", map[string]any{"Count": e.RSVPs}))
	}
	return sb.String()
}

func (b *Bot) evReview(c *Ctx) error {
	if err := requireStaff(c); err != nil {
		return err
	}
	e := draftEvent(c)
	c.Reply(Reply{Text: c.T("events.review_intro"), Keyboard: c.NavKeyboard()})
	if e.Photo != "" {
		c.Reply(Reply{Photo: e.Photo, Text: ""})
	}
	aud := b.describeAudience(c, e.Audience)
	c.Reply(Reply{Text: b.eventCard(c.Loc, e) + "\n\n" + c.T("events.review_audience", "Audience", aud), Buttons: [][]Button{
		{{Text: c.T("events.btn_publish"), Data: CB("ev", "publish", c.DraftTag())}},
	}})
	return nil
}

func (b *Bot) evPublish(c *Ctx) error {
	if err := requireStaff(c); err != nil {
		return err
	}
	if c.U.Kind != KindCallback {
		return Refuse("broadcast.use_buttons")
	}
	_, action, args, _ := ParseCB(c.U.Data)
	if action != "publish" {
		return b.r.stale(c)
	}
	if ok, err := c.CheckTag(args); !ok {
		return err
	}
	e := draftEvent(c)
	if e.Title == "" || e.Start.IsZero() {
		return c.Start("ev")
	}
	if !e.Start.After(c.Now()) {
		return Refuse("events.when_past")
	}
	e.Status = store.EventPublished
	c.Do(func(tx *store.Tx) error {
		ev := *e
		if err := tx.CreateEvent(&ev, c.Now()); err != nil {
			return err
		}
		id := fmt.Sprint(ev.ID)
		c.Reply(Reply{Text: c.T("events.published", "ID", ev.ID, "Title", Esc(ev.Title)), Keyboard: c.b.MainMenu(c), Buttons: nil})
		c.Reply(Reply{Text: c.T("events.published_next"), Buttons: [][]Button{
			{{Text: c.T("events.btn_announce"), Data: CB("ev", "announce", id)}},
			{{Text: c.T("events.btn_view"), Data: CB("ev", "show", id)}},
		}})
		return nil
	})
	c.End()
	return nil
}

// listEvents shows a page of upcoming events (edited in place when edit is
// a message ID).
func (b *Bot) listEvents(c *Ctx, page, edit int) error {
	var evs []*store.Event
	total := 0
	err := b.st.View(func(tx *store.Tx) error {
		var err error
		evs, total, err = tx.UpcomingEvents(c.Now(), page*eventsPerPage, eventsPerPage)
		return err
	})
	if err != nil {
		return err
	}
	if total == 0 {
		c.Reply(Reply{Text: c.T("events.none"), Edit: edit})
		return nil
	}
	pages := (total + eventsPerPage - 1) / eventsPerPage
	if page >= pages {
		return b.listEvents(c, pages-1, edit)
	}
	var sb strings.Builder
	sb.WriteString(c.T("events.list_title", "Page", page+1, "Pages", pages))
	var rows [][]Button
	for i, e := range evs {
		n := page*eventsPerPage + i + 1
		sb.WriteString(fmt.Sprintf("\n\n%d. <b>%s</b>\n🕗 %s", n, Esc(e.Title), FormatWhen(c.Loc, e.Start)))
		if e.Place != "" {
			sb.WriteString("\n📍 " + Esc(e.Place))
		}
		sb.WriteString("\n" + c.T("events.attending", "Count", e.RSVPs))
		rows = append(rows, []Button{{Text: fmt.Sprintf("%d. %s", n, truncate(e.Title, 40)), Data: CB("ev", "show", fmt.Sprint(e.ID))}})
	}
	var nav []Button
	if page > 0 {
		nav = append(nav, Button{Text: c.T("events.btn_prev"), Data: CB("ev", "list", strconv.Itoa(page-1))})
	}
	if page+1 < pages {
		nav = append(nav, Button{Text: c.T("events.btn_next"), Data: CB("ev", "list", strconv.Itoa(page+1))})
	}
	if len(nav) > 0 {
		rows = append(rows, nav)
	}
	c.Reply(Reply{Text: sb.String(), Buttons: rows, Edit: edit})
	return nil
}

func (b *Bot) eventsPage(c *Ctx) error {
	_, _, args, _ := ParseCB(c.U.Data)
	if len(args) != 1 {
		return b.r.stale(c)
	}
	p, err := strconv.Atoi(args[0])
	if err != nil || p < 0 || p > 10000 {
		return b.r.stale(c)
	}
	return b.listEvents(c, p, c.U.MsgID)
}

// eventButtons are the buttons under an event card: RSVP, calendar, and
// for staff edit and cancel.
func (b *Bot) eventButtons(c *Ctx, e *store.Event, going bool) [][]Button {
	id := fmt.Sprint(e.ID)
	if e.Status != store.EventPublished {
		return nil
	}
	rsvp := c.T("events.btn_rsvp", "N", e.RSVPs)
	if going {
		rsvp = c.T("events.btn_rsvp_on", "N", e.RSVPs)
	}
	rows := [][]Button{
		{{Text: rsvp, Data: CB("ev", "rsvp", id)}},
		{{Text: c.T("events.btn_ics"), Data: CB("ev", "ics", id)}, {Text: c.T("events.btn_gcal"), URL: googleCalendarURL(e)}},
	}
	if e.Link != "" {
		rows = append(rows, []Button{{Text: c.T("events.btn_link"), URL: e.Link}})
	}
	if c.IsStaff() {
		rows = append(rows, []Button{
			{Text: c.T("events.btn_edit"), Data: CB("ev", "edit", id)},
			{Text: c.T("events.btn_cancel_event"), Data: CB("ev", "cancel", id)},
		}, []Button{{Text: c.T("events.btn_attendees", "N", e.RSVPs), Data: CB("ev", "att", id)}})
	}
	return rows
}

// loadEvent reads the event a button names; a missing one is a stale
// button.
func (b *Bot) loadEvent(c *Ctx) (*store.Event, bool) {
	id, ok := cbID(c)
	if !ok {
		return nil, false
	}
	e, err := eventByID(b.st, id)
	if err != nil {
		return nil, false
	}
	return e, true
}

func (b *Bot) showEvent(c *Ctx) error {
	e, ok := b.loadEvent(c)
	if !ok || (e.Status != store.EventPublished && !c.IsStaff()) {
		return b.r.stale(c)
	}
	going := false
	b.st.View(func(tx *store.Tx) error { going = tx.HasRSVP(e.ID, c.User.ID); return nil })
	if e.Photo != "" {
		c.Reply(Reply{Photo: e.Photo})
	}
	c.Reply(Reply{Text: b.eventCard(c.Loc, e), Buttons: b.eventButtons(c, e, going)})
	return nil
}

func (b *Bot) rsvp(c *Ctx) error {
	e, ok := b.loadEvent(c)
	if !ok {
		return b.r.stale(c)
	}
	if e.Status != store.EventPublished || !e.Start.After(c.Now()) {
		return Refuse("events.rsvp_closed")
	}
	msg := c.U.MsgID
	c.Do(func(tx *store.Tx) error {
		going, err := tx.ToggleRSVP(e.ID, c.User.ID, c.Now())
		if err != nil {
			return err
		}
		cur, err := tx.Event(e.ID)
		if err != nil {
			return err
		}
		if going {
			c.Toast(c.T("events.rsvp_on"))
		} else {
			c.Toast(c.T("events.rsvp_off"))
		}
		c.Reply(Reply{Text: b.eventCard(c.Loc, cur), Buttons: b.eventButtons(c, cur, going), Edit: msg})
		return nil
	})
	return nil
}

func (b *Bot) sendICS(c *Ctx) error {
	e, ok := b.loadEvent(c)
	if !ok || e.Status == store.EventDraft {
		return b.r.stale(c)
	}
	c.Reply(Reply{Text: c.T("events.ics_caption", "Title", Esc(e.Title)), Document: &Document{Name: fmt.Sprintf("su-kien-%d.ics", e.ID), Data: ICS(e, c.Now())}})
	return nil
}

// ICS is an iCalendar (RFC 5545) file with one event and a reminder an
// hour before.
func ICS(e *store.Event, now time.Time) []byte {
	const stamp = "20060102T150405Z"
	var lines []string
	add := func(l string) { lines = append(lines, foldICS(l)) }
	add("BEGIN:VCALENDAR")
	add("VERSION:2.0")
	add("PRODID:-//QN Startup//Tro ly Khoi nghiep//VI")
	add("CALSCALE:GREGORIAN")
	add("METHOD:PUBLISH")
	add("BEGIN:VEVENT")
	add(fmt.Sprintf("UID:event-%d@trolykhoinghiep", e.ID))
	add("DTSTAMP:" + now.UTC().Format(stamp))
	add("DTSTART:" + e.Start.UTC().Format(stamp))
	add("DTEND:" + eventEnd(e).UTC().Format(stamp))
	add("SUMMARY:" + escICS(e.Title))
	if e.Place != "" {
		add("LOCATION:" + escICS(e.Place))
	}
	desc := e.Description
	if e.Link != "" {
		desc = strings.TrimSpace(desc + "\n" + e.Link)
		add("URL:" + e.Link)
	}
	if desc != "" {
		add("DESCRIPTION:" + escICS(desc))
	}
	status := "CONFIRMED"
	if e.Status == store.EventCancelled {
		status = "CANCELLED"
	}
	add("STATUS:" + status)
	add(fmt.Sprintf("SEQUENCE:%d", e.Updated.Unix()-e.Created.Unix()))
	add("BEGIN:VALARM")
	add("ACTION:DISPLAY")
	add("DESCRIPTION:" + escICS(e.Title))
	add("TRIGGER:-PT1H")
	add("END:VALARM")
	add("END:VEVENT")
	add("END:VCALENDAR")
	return []byte(strings.Join(lines, "\r\n") + "\r\n")
}

func escICS(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`).Replace(s)
}

// foldICS breaks a content line into 75-octet pieces without splitting a
// UTF-8 character.
func foldICS(l string) string {
	if len(l) <= 75 {
		return l
	}
	var sb strings.Builder
	n := 0
	for _, r := range l {
		w := len(string(r))
		if n+w > 75 {
			sb.WriteString("\r\n ")
			n = 1
		}
		sb.WriteRune(r)
		n += w
	}
	return sb.String()
}

// googleCalendarURL opens Google Calendar's "add event" page.
func googleCalendarURL(e *store.Event) string {
	const stamp = "20060102T150405Z"
	v := url.Values{}
	v.Set("action", "TEMPLATE")
	v.Set("text", e.Title)
	v.Set("dates", e.Start.UTC().Format(stamp)+"/"+eventEnd(e).UTC().Format(stamp))
	v.Set("ctz", "Asia/Ho_Chi_Minh")
	if e.Place != "" {
		v.Set("location", e.Place)
	}
	details := truncate(e.Description, 600)
	if e.Link != "" {
		details = strings.TrimSpace(details + "\n" + e.Link)
	}
	if details != "" {
		v.Set("details", details)
	}
	return "https://calendar.google.com/calendar/render?" + v.Encode()
}

// startAt enters a flow at a step with a prepared draft.
func startAt(c *Ctx, flow, step string, draft map[string]string) error {
	c.State.Flow, c.State.Draft, c.State.Updated = flow, draft, c.Now()
	return c.Goto(step)
}

// editEvent starts editing an event (staff).
func (b *Bot) editEvent(c *Ctx) error {
	if !c.IsStaff() {
		return Refuse("common.not_allowed")
	}
	e, ok := b.loadEvent(c)
	if !ok || e.Status != store.EventPublished {
		return b.r.stale(c)
	}
	return startAt(c, "eve", "field", map[string]string{"id": fmt.Sprint(e.ID)})
}

func (b *Bot) eveAskField(c *Ctx) error {
	if err := requireStaff(c); err != nil {
		return err
	}
	var rows [][]Button
	var row []Button
	for _, f := range evFields {
		row = append(row, Button{Text: c.T("events.field_" + f), Data: CB("eve", "f", f)})
		if len(row) == 2 {
			rows = append(rows, row)
			row = nil
		}
	}
	c.Reply(Reply{Text: c.T("events.edit_which"), Buttons: rows})
	return nil
}

func (b *Bot) eveField(c *Ctx) error {
	if err := requireStaff(c); err != nil {
		return err
	}
	if c.U.Kind != KindCallback {
		return Refuse("broadcast.use_buttons")
	}
	_, action, args, _ := ParseCB(c.U.Data)
	if action != "f" || len(args) != 1 || !contains(evFields, args[0]) {
		return b.r.stale(c)
	}
	c.SetDraft("field", args[0])
	return c.Next()
}

func (b *Bot) eveAskValue(c *Ctx) error {
	return b.evAsk(c.Draft("field"))(c)
}

// eveValue saves the new value and tells the event's RSVPs.
func (b *Bot) eveValue(c *Ctx) error {
	if err := requireStaff(c); err != nil {
		return err
	}
	field := c.Draft("field")
	id, err := strconv.ParseUint(c.Draft("id"), 10, 64)
	if err != nil || !contains(evFields, field) {
		c.End()
		return b.r.stale(c)
	}
	v, err := b.parseField(c, field)
	if errors.Is(err, errStale) {
		return b.r.stale(c)
	}
	if err != nil {
		return err
	}
	c.Do(func(tx *store.Tx) error {
		e, err := tx.Event(id)
		if err != nil {
			return err
		}
		if e.Status != store.EventPublished {
			return Refuse("events.not_editable")
		}
		switch field {
		case "title":
			e.Title = v
		case "when":
			e.Start, e.End = splitWhen(v)
		case "place":
			e.Place = v
		case "desc":
			e.Description = v
		case "link":
			e.Link = v
		case "photo":
			e.Photo = v
		}
		if err := tx.PutEvent(e, c.Now()); err != nil {
			return err
		}
		n, err := notifyRSVPs(tx, e, store.JobEventChanged, field, c.User.ID, c.Now())
		if err != nil {
			return err
		}
		c.Reply(Reply{Text: c.T("events.edited", "Title", Esc(e.Title), "N", n), Keyboard: c.b.MainMenu(c)})
		return nil
	})
	c.End()
	c.AfterCommit(b.jobs.Wake)
	return nil
}

// keepReachable is who gets notices about events they will attend.
func keepReachable(u *store.User) bool { return !u.Inactive }

// notifyRSVPs queues a notice to an event's RSVPs and returns how many
// will get it.
func notifyRSVPs(tx *store.Tx, e *store.Event, kind, detail string, author int64, now time.Time) (int, error) {
	j := &store.Broadcast{
		Kind: kind, Author: author, Event: e.ID, Detail: detail, Audience: store.Audience{Event: e.ID},
		Status: store.JobRunning, Created: now,
	}
	if err := tx.CreateBroadcast(j, keepReachable); err != nil {
		return 0, err
	}
	return j.Total, nil
}

// eventNotice is the message an event's RSVPs get: a reminder, a change
// or a cancellation.
func (b *Bot) eventNotice(loc translator, e *store.Event, kind, detail string) Reply {
	var head string
	switch kind {
	case store.JobReminder:
		head = loc.T("events.remind_" + detail)
	case store.JobEventChanged:
		head = loc.T("events.changed", map[string]any{"Field": loc.T("events.field_" + detail)})
	case store.JobEventCancelled:
		head = loc.T("events.cancelled_notice")
	}
	r := Reply{Text: head + "\n\n" + b.eventCard(loc, e)}
	if kind != store.JobEventCancelled {
		id := fmt.Sprint(e.ID)
		r.Buttons = [][]Button{{
			{Text: loc.T("events.btn_ics"), Data: CB("ev", "ics", id)},
			{Text: loc.T("events.btn_gcal"), URL: googleCalendarURL(e)},
		}}
	}
	return r
}

func (b *Bot) cancelEventAsk(c *Ctx) error {
	if !c.IsStaff() {
		return Refuse("common.not_allowed")
	}
	e, ok := b.loadEvent(c)
	if !ok || e.Status != store.EventPublished {
		return b.r.stale(c)
	}
	c.Reply(Reply{Text: c.T("events.cancel_confirm", "Title", Esc(e.Title), "N", e.RSVPs), Buttons: [][]Button{{
		{Text: c.T("events.btn_cancel_yes"), Data: CB("ev", "cancelok", fmt.Sprint(e.ID))},
	}}})
	return nil
}

func (b *Bot) cancelEvent(c *Ctx) error {
	if !c.IsStaff() {
		return Refuse("common.not_allowed")
	}
	id, ok := cbID(c)
	if !ok {
		return b.r.stale(c)
	}
	c.Do(func(tx *store.Tx) error {
		e, err := tx.Event(id)
		if errors.Is(err, store.ErrNotFound) {
			return Refuse("common.stale_button")
		} else if err != nil {
			return err
		}
		if e.Status != store.EventPublished {
			return Refuse("events.not_editable")
		}
		e.Status = store.EventCancelled
		if err := tx.PutEvent(e, c.Now()); err != nil {
			return err
		}
		n, err := notifyRSVPs(tx, e, store.JobEventCancelled, "", c.User.ID, c.Now())
		if err != nil {
			return err
		}
		c.Reply(Reply{Text: c.T("events.cancelled", "Title", Esc(e.Title), "N", n)})
		return nil
	})
	c.AfterCommit(b.jobs.Wake)
	return nil
}

// announceEvent starts an announcement of an event to its audience, at
// the preview step.
func (b *Bot) announceEvent(c *Ctx) error {
	if !c.IsStaff() {
		return Refuse("common.not_allowed")
	}
	e, ok := b.loadEvent(c)
	if !ok || e.Status != store.EventPublished {
		return b.r.stale(c)
	}
	d := map[string]string{
		"text": b.eventCard(c.Loc, &store.Event{Title: e.Title, Start: e.Start, Place: e.Place, Description: e.Description, Link: e.Link}) +
			"\n\n" + c.T("events.announce_footer"),
		"photo": e.Photo, "aud_done": "1", "ev": fmt.Sprint(e.ID),
		"a_k": strings.Join(e.Audience.Kinds, ","), "a_s": strings.Join(e.Audience.Sectors, ","), "a_l": strings.Join(e.Audience.Localities, ","),
	}
	for k, v := range d {
		if v == "" {
			delete(d, k)
		}
	}
	return startAt(c, "bc", "preview", d)
}

// attendee is one person who will attend an event, as staff see them.
type attendee struct {
	Name, Kind, Locality, Lang string
}

// eventAttendees lists who will attend an event, for staff.
func (b *Bot) eventAttendees(c *Ctx) (*store.Event, []attendee, error) {
	if !c.IsStaff() {
		return nil, nil, Refuse("common.not_allowed")
	}
	e, ok := b.loadEvent(c)
	if !ok {
		return nil, nil, b.r.stale(c)
	}
	var out []attendee
	err := b.st.View(func(tx *store.Tx) error {
		return tx.EachRSVP(e.ID, func(id int64) error {
			u, err := tx.User(id)
			if err != nil {
				return nil // a user record that is gone
			}
			a := attendee{Name: u.Name(), Lang: u.Lang}
			if u.Kind != "" {
				a.Kind = c.T("kind." + u.Kind)
			}
			if u.Locality != "" {
				a.Locality = b.places().Name(u.Locality)
			}
			out = append(out, a)
			return nil
		})
	})
	return e, out, err
}

// attendees shows staff the list of people who will attend.
func (b *Bot) attendees(c *Ctx) error {
	e, list, err := b.eventAttendees(c)
	if err != nil {
		return err
	}
	var sb strings.Builder
	sb.WriteString(c.T("events.attendees_title", "Title", Esc(e.Title), "N", len(list)))
	if len(list) == 0 {
		sb.WriteString("\n" + c.T("events.attendees_none"))
	}
	for n, a := range list {
		if n == 50 {
			sb.WriteString("\n" + c.T("events.attendees_more", "N", len(list)-n))
			break
		}
		line := fmt.Sprintf("\n%d. %s", n+1, Esc(a.Name))
		if a.Kind != "" {
			line += " · " + a.Kind
		}
		if a.Locality != "" {
			line += " · 📍 " + Esc(a.Locality)
		}
		sb.WriteString(line)
	}
	r := Reply{Text: sb.String()}
	if len(list) > 0 {
		r.Buttons = [][]Button{{{Text: c.T("events.btn_attendees_csv"), Data: CB("ev", "attcsv", fmt.Sprint(e.ID))}}}
	}
	c.Reply(r)
	return nil
}

// attendeesCSV sends staff the attendee list as a CSV file: names, kind
// and locality as the users gave them, never platform IDs.
func (b *Bot) attendeesCSV(c *Ctx) error {
	e, list, err := b.eventAttendees(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff") // spreadsheet programs read the file as UTF-8
	w := csv.NewWriter(&buf)
	w.Write([]string{c.T("events.csv_no"), c.T("events.csv_name"), c.T("events.csv_kind"), c.T("events.csv_locality"), c.T("events.csv_lang")})
	for n, a := range list {
		w.Write(sheet.Row([]string{strconv.Itoa(n + 1), a.Name, a.Kind, a.Locality, a.Lang}))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("attendees csv: %w", err)
	}
	name := fmt.Sprintf("nguoi-tham-du-su-kien-%d-%s.csv", e.ID, c.Now().In(Vietnam).Format("20060102-1504"))
	c.Reply(Reply{Text: c.T("events.attendees_caption", "Title", Esc(e.Title), "N", len(list)), Document: &Document{Name: name, Data: buf.Bytes()}})
	return nil
}
