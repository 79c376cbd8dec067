package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qnstartup/trolykhoinghiep/store"
)

const maxEvents = 100

type eventView struct {
	ID                                uint64
	Title, When, Place, Link, Summary string
	DateTime                          string // machine-readable, for <time>
	Cancelled                         bool
}

func (s *Site) eventView(rq *req, e *store.Event) eventView {
	v := eventView{ID: e.ID, Title: e.Title, When: rq.dateTime(e.Start), Place: e.Place,
		Summary: truncate(oneLine(e.Description), 400), DateTime: e.Start.UTC().Format(time.RFC3339),
		Cancelled: e.Status == store.EventCancelled}
	if safeLink(e.Link) {
		v.Link = e.Link
	}
	return v
}

// upcoming is the first n upcoming published events, as shown.
func (s *Site) upcoming(tx *store.Tx, rq *req, n int) ([]eventView, error) {
	evs, _, err := tx.UpcomingEvents(s.opt.Now(), 0, n)
	out := make([]eventView, 0, len(evs))
	for _, e := range evs {
		out = append(out, s.eventView(rq, e))
	}
	return out, err
}

// safeLink accepts only absolute http(s) links.
func safeLink(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// events is "/events": upcoming published events and the calendar feed.
func (s *Site) events(w http.ResponseWriter, rq *req) {
	type body struct {
		Events   []eventView
		Calendar string // absolute webcal-free https URL of the feed
		Join     joinLinks
	}
	var b body
	err := s.opt.Store.View(func(tx *store.Tx) error {
		var err error
		b.Events, err = s.upcoming(tx, rq, maxEvents)
		return err
	})
	if err != nil {
		s.fail(w, rq, err)
		return
	}
	b.Calendar = rq.abs("/events.ics")
	b.Join = s.join(rq, "")
	s.render(w, rq, http.StatusOK, &page{Name: "events", Title: rq.T("web.events.title"), Description: rq.T("web.events.summary"),
		Canonical: rq.abs(rq.link("/events")), Body: b})
}

// calendar is "/events.ics": an iCalendar feed (RFC 5545) of events from
// 30 days ago on, times in UTC.
func (s *Site) calendar(w http.ResponseWriter, rq *req) {
	now := s.opt.Now()
	var evs []*store.Event
	err := s.opt.Store.View(func(tx *store.Tx) error {
		var err error
		evs, _, err = tx.UpcomingEvents(now.Add(-30*24*time.Hour), 0, 500)
		return err
	})
	if err != nil {
		s.fail(w, rq, err)
		return
	}
	host := "localhost" // the feed's events are told apart by ID
	if u, err := url.Parse(rq.base); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	var c icsWriter
	c.line("BEGIN:VCALENDAR")
	c.line("VERSION:2.0")
	c.line("PRODID:-//qnstartup//trolykhoinghiep//VI")
	c.line("CALSCALE:GREGORIAN")
	c.line("METHOD:PUBLISH")
	c.prop("X-WR-CALNAME", rq.T("web.events.calendar_name"))
	c.line("X-WR-TIMEZONE:Asia/Ho_Chi_Minh")
	for _, e := range evs {
		c.line("BEGIN:VEVENT")
		c.line("UID:event-" + strconv.FormatUint(e.ID, 10) + "@" + host)
		stamp := e.Updated
		if stamp.IsZero() {
			stamp = e.Created
		}
		c.line("DTSTAMP:" + icsTime(stamp))
		c.line("DTSTART:" + icsTime(e.Start))
		if e.End.After(e.Start) {
			c.line("DTEND:" + icsTime(e.End))
		}
		c.prop("SUMMARY", e.Title)
		if e.Place != "" {
			c.prop("LOCATION", e.Place)
		}
		desc := e.Description
		if safeLink(e.Link) {
			c.line("URL:" + strings.Map(func(r rune) rune {
				if r < 0x21 || r == 0x7f {
					return -1
				}
				return r
			}, e.Link))
		}
		if desc != "" {
			c.prop("DESCRIPTION", desc)
		}
		if e.Status == store.EventCancelled {
			c.line("STATUS:CANCELLED")
		} else {
			c.line("STATUS:CONFIRMED")
		}
		c.line("END:VEVENT")
	}
	c.line("END:VCALENDAR")
	s.write(w, rq.r, http.StatusOK, "text/calendar; charset=utf-8", "public, max-age=300", []byte(c.b.String()), "")
}

func icsTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// icsWriter writes content lines: text escaped, lines folded at 75 octets
// without splitting a UTF-8 sequence, CRLF line ends.
type icsWriter struct{ b strings.Builder }

func (c *icsWriter) prop(name, text string) { c.line(name + ":" + icsEscape(text)) }

func icsEscape(s string) string {
	s = strings.ToValidUTF8(s, "")
	var b strings.Builder
	for _, r := range strings.ReplaceAll(s, "\r\n", "\n") {
		switch {
		case r == '\\' || r == ';' || r == ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n' || r == '\r':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (c *icsWriter) line(l string) {
	width := 75
	for len(l) > width {
		cut := width
		for cut > 0 && !utf8.RuneStart(l[cut]) {
			cut--
		}
		if cut == 0 {
			cut = width // not UTF-8: cut anywhere rather than loop
		}
		c.b.WriteString(l[:cut])
		c.b.WriteString("\r\n ")
		l = l[cut:]
		width = 74 // the leading space counts
	}
	c.b.WriteString(l)
	c.b.WriteString("\r\n")
}
