package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"

	"github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// chart is one server-drawn SVG chart with its numbers as a table.
type chart struct {
	ID, Title, Caption string
	Vertical           bool // columns (months) rather than bars
	Width, Height      int
	Bars               []bar
	Rows               []bar // the table: every row, also those left out of the drawing
	Empty              bool
}

type bar struct {
	Label, Short, Value string
	N                   int
	// Geometry in SVG user units.
	X, Y, W, H, TX, TY, VX, VY int
}

const (
	chartWidth = 320
	barHeight  = 18
	barGap     = 8
	labelWidth = 118
	maxBars    = 12
)

func shortLabel(s string, n int) string { return truncate(s, n) }

// hbars lays out horizontal bars: label, bar, value.
func hbars(rq *req, id, title string, rows []bar) chart {
	c := chart{ID: id, Title: title, Width: chartWidth, Rows: rows, Empty: true}
	for _, r := range rows {
		if r.N > 0 {
			c.Empty = false
		}
	}
	drawn := rows
	if len(drawn) > maxBars {
		drawn = drawn[:maxBars]
		c.Caption = rq.T("web.stats.top_n", "N", maxBars)
	}
	top := 1
	for _, r := range drawn {
		top = max(top, r.N)
	}
	span := chartWidth - labelWidth - 40
	for n, r := range drawn {
		y := n * (barHeight + barGap)
		r.Short = shortLabel(r.Label, 20)
		r.X, r.Y, r.H = labelWidth, y, barHeight
		r.W = max(1, r.N*span/top)
		if r.N == 0 {
			r.W = 0
		}
		r.TX, r.TY = 0, y+13
		r.VX, r.VY = labelWidth+r.W+4, y+13
		c.Bars = append(c.Bars, r)
	}
	c.Height = max(1, len(drawn)*(barHeight+barGap))
	return c
}

// columns lays out vertical columns with labels under them.
func columns(id, title string, rows []bar) chart {
	c := chart{ID: id, Title: title, Width: chartWidth, Height: 150, Vertical: true, Rows: rows, Empty: true}
	top := 1
	for _, r := range rows {
		top = max(top, r.N)
		if r.N > 0 {
			c.Empty = false
		}
	}
	if len(rows) == 0 {
		return c
	}
	slot := chartWidth / len(rows)
	for n, r := range rows {
		h := r.N * 100 / top
		if r.N > 0 {
			h = max(h, 1)
		}
		r.X, r.W = n*slot+3, slot-6
		r.Y, r.H = 115-h, h
		r.TX, r.TY = n*slot+slot/2, 132
		r.VX, r.VY = n*slot+slot/2, 115-h-4
		c.Bars = append(c.Bars, r)
	}
	return c
}

// stats is "/stats": ideas per month, by sector, by locality, and the
// status funnel, drawn as SVG on the server.
func (s *Site) stats(w http.ResponseWriter, rq *req) {
	var st store.PublicStats
	s.opt.Store.View(func(tx *store.Tx) error { st = tx.PublicStats(); return nil })
	mk := func(label string, n int) bar { return bar{Label: label, N: n, Value: rq.num(n)} }

	// Ideas per month: the last 12 months, this one included.
	now := s.opt.Now().In(bot.Vietnam)
	var months []bar
	for k := 11; k >= 0; k-- {
		m := now.AddDate(0, -k, 1-now.Day())
		key := m.Format("2006-01")
		b := mk(rq.T("web.stats.month", "Month", int(m.Month()), "Year", m.Year()), st.ByMonth[key])
		b.Short = strconv.Itoa(int(m.Month()))
		months = append(months, b)
	}
	monthChart := columns("months", rq.T("web.stats.by_month"), months)
	for n := range monthChart.Bars {
		monthChart.Bars[n].Short = months[n].Short
	}
	monthChart.Caption = rq.T("web.stats.months_range", "From", now.AddDate(0, -11, 1-now.Day()).Format("1/2006"), "To", now.Format("1/2006"))

	var sectors []bar
	for _, c := range s.opt.Sectors {
		sectors = append(sectors, mk(label(rq.T("sector."+c)), st.BySector[c]))
	}
	byCount := func(x, y bar) int {
		if c := cmp.Compare(y.N, x.N); c != 0 {
			return c
		}
		return cmp.Compare(x.Label, y.Label)
	}
	slices.SortStableFunc(sectors, byCount)

	var locs []bar
	for c, n := range st.ByLocality {
		locs = append(locs, mk(s.locality(c), n))
	}
	slices.SortFunc(locs, byCount)

	total := 0
	for _, n := range st.All {
		total += n
	}
	funnel := []bar{
		mk(rq.T("web.stats.f_submitted"), total),
		mk(rq.T("web.stats.f_reviewed"), total-st.All[store.IdeaSubmitted]),
		mk(rq.T("web.stats.f_published"), st.All[store.IdeaPublished]+st.All[store.IdeaSupported]+st.All[store.IdeaProgramme]),
		mk(rq.T("web.stats.f_supported"), st.All[store.IdeaSupported]+st.All[store.IdeaProgramme]),
		mk(rq.T("web.stats.f_programme"), st.All[store.IdeaProgramme]),
	}
	type body struct {
		Ideas, Supports string
		Charts          []chart
	}
	b := body{Ideas: rq.num(st.Ideas), Supports: rq.num(st.Supports), Charts: []chart{
		monthChart,
		hbars(rq, "sectors", rq.T("web.stats.by_sector"), sectors),
		hbars(rq, "localities", rq.T("web.stats.by_locality"), locs),
		hbars(rq, "funnel", rq.T("web.stats.funnel"), funnel),
	}}
	b.Charts[3].Caption = rq.T("web.stats.funnel_note")
	s.render(w, rq, http.StatusOK, &page{Name: "stats", Title: rq.T("web.stats.title"), Description: rq.T("web.stats.summary"),
		Canonical: rq.abs(rq.link("/stats")), Body: b})
}
