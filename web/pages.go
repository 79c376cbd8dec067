package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/qnstartup/trolykhoinghiep/store"
)

// Listing and search bounds.
const (
	pageSize     = 20
	maxPage      = 500  // deeper pages: 404 (the sitemap lists every idea)
	maxQuery     = 100  // runes of a search query kept
	maxHits      = 1000 // search results considered
	homeIdeas    = 5
	summaryRunes = 180
)

// card is an idea in a list.
type card struct {
	Code, URL, Title, Summary, Sector, Locality, Status, Published string
	Supporters                                                     int
	SupportText                                                    string
}

func (s *Site) card(rq *req, i *store.IdeaCard) card {
	return card{
		Code: i.Code, URL: rq.link("/ideas/" + i.Code), Title: rq.public(i.Title),
		Summary:     truncate(oneLine(rq.public(i.Description)), summaryRunes),
		Sector:      label(rq.T("sector." + i.Sector)),
		Locality:    s.locality(i.Locality),
		Status:      label(rq.T("idea.status." + i.Status)),
		Published:   rq.date(cardPublished(i)),
		Supporters:  i.Supporters,
		SupportText: rq.T("web.card.supports", "N", rq.num(i.Supporters)),
	}
}

func (s *Site) locality(code string) string {
	if code == "" {
		return ""
	}
	return s.opt.Places.Name(code)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func cardPublished(i *store.IdeaCard) time.Time {
	if !i.Published.IsZero() {
		return i.Published
	}
	return i.Created
}

func published(i *store.Idea) time.Time {
	if !i.Published.IsZero() {
		return i.Published
	}
	return i.Created
}

// home is "/": what the bank is, live figures, newest and most supported
// ideas, upcoming events, how to take part.
func (s *Site) home(w http.ResponseWriter, rq *req) {
	type body struct {
		Ideas, Supports, Localities, Sectors string
		Newest, Top                          []card
		Events                               []eventView
		Join                                 joinLinks
	}
	var b body
	err := s.opt.Store.View(func(tx *store.Tx) error {
		st := tx.PublicStats()
		b.Ideas, b.Supports = rq.num(st.Ideas), rq.num(st.Supports)
		b.Localities, b.Sectors = rq.num(len(st.ByLocality)), rq.num(len(st.BySector))
		for _, o := range []struct {
			sort string
			dst  *[]card
		}{{store.SortNewest, &b.Newest}, {store.SortSupported, &b.Top}} {
			var ids []uint64
			tx.PublicIDs(store.PublicQuery{Sort: o.sort}, false, func(id, _ uint64) bool {
				ids = append(ids, id)
				return len(ids) < homeIdeas
			})
			ideas, err := tx.PublicCards(ids)
			if err != nil {
				return err
			}
			for _, i := range ideas {
				*o.dst = append(*o.dst, s.card(rq, i))
			}
		}
		var err error
		b.Events, err = s.upcoming(tx, rq, 3)
		return err
	})
	if err != nil {
		s.fail(w, rq, err)
		return
	}
	b.Join = s.join(rq, "")
	s.render(w, rq, http.StatusOK, &page{Name: "home", Title: rq.T("web.home.title"), Description: rq.T("web.home.summary"),
		Canonical: rq.abs(rq.link("/")), OG: true, OGType: "website", Body: b})
}

func (s *Site) fail(w http.ResponseWriter, rq *req, err error) {
	s.log.Error("web: page", "path", rq.r.URL.Path, "err", err)
	s.errorPage(w, rq, http.StatusInternalServerError)
}

// joinLinks open the chat, at an idea when one is given.
type joinLinks struct {
	Telegram, Zalo, Code           string
	TelegramLabel, ZaloLabel, Hint string
	None                           string // shown when no chat is configured
}

func (s *Site) join(rq *req, code string) joinLinks {
	j := joinLinks{Code: code, TelegramLabel: rq.T("web.join.telegram"), ZaloLabel: rq.T("web.join.zalo"), None: rq.T("web.join.none")}
	if code != "" {
		j.TelegramLabel, j.ZaloLabel = rq.T("web.join.telegram_idea"), rq.T("web.join.zalo_idea")
	}
	if s.opt.TelegramBot != "" {
		j.Telegram = "https://t.me/" + s.opt.TelegramBot
		if code != "" {
			j.Telegram += "?start=idea_" + code
		}
	}
	if z := s.opt.ZaloOA; z != "" {
		if strings.HasPrefix(z, "https://") {
			j.Zalo = z
		} else {
			j.Zalo = "https://zalo.me/" + url.PathEscape(z)
		}
		if code != "" {
			j.Hint = rq.T("web.join.zalo_hint", "Code", code)
		}
	}
	return j
}

// option is one choice of a filter.
type option struct {
	Value, Label string
	Selected     bool
}

type listBody struct {
	Q, Sector, Locality, Status, Sort string
	Sectors, Localities, Statuses     []option
	Sorts                             []option
	Ideas                             []card
	Total                             string
	More                              bool // the search stopped at maxHits
	PageNo, Pages                     int
	Prev, Next                        string
	Filtered                          bool
	Clear                             string
	Join                              joinLinks
}

// ideas is "/ideas": search, filters that combine, sort, pages.
func (s *Site) ideas(w http.ResponseWriter, rq *req) {
	b := listBody{
		Q:        cleanQuery(rq.q.Get("q")),
		Sector:   rq.q.Get("sector"),
		Locality: rq.q.Get("locality"),
		Status:   rq.q.Get("status"),
		Sort:     rq.q.Get("sort"),
		PageNo:   1,
	}
	if p := rq.q.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > maxPage {
			s.errorPage(w, rq, http.StatusNotFound)
			return
		}
		b.PageNo = n
	}
	if !slices.Contains(s.opt.Sectors, b.Sector) {
		b.Sector = ""
	}
	if !slices.Contains(store.BankStatuses, b.Status) {
		b.Status = ""
	}
	sorts := []string{"newest", "supported"}
	if b.Q != "" {
		sorts = []string{"relevance", "newest", "supported"}
	}
	if !slices.Contains(sorts, b.Sort) {
		b.Sort = sorts[0]
	}
	if b.Q != "" {
		if ok, wait := s.limits.allow(clientIP(rq.r, s.opt.ClientIPHeader)); !ok {
			secs := int(wait.Seconds() + 0.999)
			w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
			s.errorPage(w, rq, http.StatusTooManyRequests)
			return
		}
	}
	var stats store.PublicStats
	s.opt.Store.View(func(tx *store.Tx) error { stats = tx.PublicStats(); return nil })
	if _, ok := stats.ByLocality[b.Locality]; !ok {
		if _, known := s.opt.Places.ByCode(b.Locality); !known {
			b.Locality = ""
		}
	}
	q := store.PublicQuery{Sector: b.Sector, Locality: b.Locality, Status: b.Status, Sort: store.SortNewest}
	if b.Sort == "supported" {
		q.Sort = store.SortSupported
	}
	offset := (b.PageNo - 1) * pageSize
	var total int
	var ids []uint64
	if b.Q != "" {
		// Searched outside any read transaction: the index opens its own,
		// and nested read transactions can deadlock with a writer.
		hits, err := s.search(b.Q, q, b.Sort == "relevance")
		if err != nil {
			s.fail(w, rq, err)
			return
		}
		total, b.More = len(hits), len(hits) >= maxHits
		if offset < len(hits) {
			ids = hits[offset:min(len(hits), offset+pageSize)]
		}
	}
	err := s.opt.Store.View(func(tx *store.Tx) error {
		if b.Q == "" {
			total = tx.PublicCount(q)
			ids = tx.PublicPageIDs(q, offset, pageSize)
		}
		ideas, err := tx.PublicCards(ids)
		for _, i := range ideas {
			b.Ideas = append(b.Ideas, s.card(rq, i))
		}
		return err
	})
	if err != nil {
		s.fail(w, rq, err)
		return
	}
	b.Pages = max(1, (total+pageSize-1)/pageSize)
	if b.PageNo > b.Pages {
		s.errorPage(w, rq, http.StatusNotFound)
		return
	}
	b.Total = rq.num(total)
	pageLink := func(n int) string {
		sort := b.Sort
		if sort == sorts[0] {
			sort = ""
		}
		p := ""
		if n > 1 {
			p = strconv.Itoa(n)
		}
		return rq.link("/ideas", "q", b.Q, "sector", b.Sector, "locality", b.Locality, "status", b.Status, "sort", sort, "page", p)
	}
	if b.PageNo > 1 {
		b.Prev = pageLink(b.PageNo - 1)
	}
	if b.PageNo < b.Pages {
		b.Next = pageLink(b.PageNo + 1)
	}
	b.Filtered = b.Q != "" || b.Sector != "" || b.Locality != "" || b.Status != ""
	b.Clear = rq.link("/ideas")
	for _, c := range s.opt.Sectors {
		b.Sectors = append(b.Sectors, option{c, label(rq.T("sector." + c)), c == b.Sector})
	}
	locs := make([]string, 0, len(stats.ByLocality))
	for c := range stats.ByLocality {
		locs = append(locs, c)
	}
	if b.Locality != "" && !slices.Contains(locs, b.Locality) {
		locs = append(locs, b.Locality)
	}
	slices.SortFunc(locs, func(x, y string) int { return strings.Compare(s.locality(x), s.locality(y)) })
	for _, c := range locs {
		b.Localities = append(b.Localities, option{c, s.locality(c), c == b.Locality})
	}
	for _, c := range store.BankStatuses {
		b.Statuses = append(b.Statuses, option{c, label(rq.T("idea.status." + c)), c == b.Status})
	}
	for _, c := range sorts {
		b.Sorts = append(b.Sorts, option{c, rq.T("web.ideas.sort_" + c), c == b.Sort})
	}
	b.Join = s.join(rq, "")
	title := rq.T("web.ideas.title")
	if b.Q != "" {
		title = rq.T("web.ideas.title_q", "Query", b.Q)
	}
	if b.PageNo > 1 {
		title += " – " + rq.T("web.ideas.page_n", "N", b.PageNo)
	}
	s.render(w, rq, http.StatusOK, &page{Name: "ideas", Title: title, Description: rq.T("web.ideas.summary"),
		Canonical: rq.abs(pageLink(b.PageNo)), NoIndex: b.Q != "", Body: b})
}

// cleanQuery keeps the first maxQuery runes of valid, printable text.
func cleanQuery(q string) string {
	q = strings.ToValidUTF8(q, "")
	q = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, q)
	q = oneLine(q)
	if utf8.RuneCountInString(q) > maxQuery {
		q = strings.TrimSpace(string([]rune(q)[:maxQuery]))
	}
	return q
}

// bitset is a set of idea IDs.
type bitset []uint64

func (b *bitset) add(id uint64) {
	w := int(id / 64)
	if w >= len(*b) {
		*b = append(*b, make([]uint64, w+1-len(*b))...)
	}
	(*b)[w] |= 1 << (id % 64)
}

func (b bitset) has(id uint64) bool {
	w := int(id / 64)
	return w < len(b) && b[w]&(1<<(id%64)) != 0
}

// search ranks ideas matching text within the filters of q, best first,
// or in q's order when byRelevance is false.
func (s *Site) search(text string, q store.PublicQuery, byRelevance bool) ([]uint64, error) {
	var allow func(uint64) bool
	var ordered []uint64 // the filtered ideas in q's order, walked once
	filtered := q.Sector != "" || q.Locality != "" || q.Status != ""
	if filtered {
		var in bitset
		s.opt.Store.View(func(tx *store.Tx) error {
			tx.PublicIDs(q, false, func(id, _ uint64) bool {
				in.add(id)
				if !byRelevance {
					ordered = append(ordered, id)
				}
				return true
			})
			return nil
		})
		if len(in) == 0 {
			return nil, nil
		}
		allow = in.has
	}
	hits, err := s.opt.Ideas.SearchIdeas(text, maxHits, allow)
	if err != nil || byRelevance || len(hits) == 0 {
		return hits, err
	}
	var found bitset
	for _, id := range hits {
		found.add(id)
	}
	out := make([]uint64, 0, len(hits))
	keep := func(id, _ uint64) bool {
		if found.has(id) {
			out = append(out, id)
		}
		return len(out) < len(hits)
	}
	if filtered {
		for _, id := range ordered {
			if !keep(id, 0) {
				break
			}
		}
	} else {
		s.opt.Store.View(func(tx *store.Tx) error { tx.PublicIDs(q, false, keep); return nil })
	}
	return out, nil
}

// ideaView is an idea's own page: only what the public may see.
type ideaView struct {
	card
	Description []string // paragraphs
	Kind        string
	Author      string // first name, or "" for anonymous
	History     []historyItem
	Answers     []historyItem
	Join        joinLinks
	Share       string // absolute URL
}

type historyItem struct{ Date, Text string }

// idea is "/ideas/YT-000123".
func (s *Site) idea(w http.ResponseWriter, rq *req, code string) {
	id, ok := store.ParseIdeaCode(code)
	if !ok || strings.Contains(code, "/") {
		s.errorPage(w, rq, http.StatusNotFound)
		return
	}
	var v ideaView
	var redirect string
	gone := false
	err := s.opt.Store.View(func(tx *store.Tx) error {
		i, err := tx.Idea(id)
		if errors.Is(err, store.ErrNotFound) {
			gone = true
			return nil
		}
		if err != nil {
			return err
		}
		if i.Status == store.IdeaDuplicate && i.DuplicateOf != 0 && i.Public {
			// A public idea merged into another leads to it; a private
			// one stays unknown, as if it did not exist.
			if t, err := tx.Idea(i.DuplicateOf); err == nil && t.InBank() {
				redirect = "/ideas/" + t.Code
				return nil
			}
		}
		if !i.InBank() {
			gone = true
			return nil
		}
		if code != i.Code {
			redirect = "/ideas/" + i.Code
			return nil
		}
		v = s.ideaView(rq, tx, i)
		return nil
	})
	switch {
	case err != nil:
		s.fail(w, rq, err)
	case redirect != "":
		w.Header().Set("Cache-Control", "public, max-age=300")
		http.Redirect(w, rq.r, rq.link(redirect), http.StatusMovedPermanently)
	case gone:
		s.errorPage(w, rq, http.StatusNotFound)
	default:
		desc := truncate(oneLine(strings.Join(v.Description, " ")), 200)
		s.render(w, rq, http.StatusOK, &page{Name: "idea", Title: v.Title + " (" + v.Code + ")", Description: desc,
			Canonical: v.Share, OG: true, OGType: "article", Body: v})
	}
}

func (s *Site) ideaView(rq *req, tx *store.Tx, i *store.Idea) ideaView {
	v := ideaView{card: s.card(rq, &store.IdeaCard{ID: i.ID, Code: i.Code, Title: i.Title, Description: i.Description, Sector: i.Sector,
		Locality: i.Locality, Status: i.Status, Supporters: i.Supporters, Created: i.Created, Published: i.Published}), Kind: label(rq.T("kind." + i.AuthorKind)), Join: s.join(rq, i.Code)}
	if i.AuthorKind == "" {
		v.Kind = ""
	}
	v.Share = rq.abs(rq.link("/ideas/" + i.Code))
	for _, p := range strings.Split(strings.ReplaceAll(rq.public(i.Description), "\r", ""), "\n") {
		if p = strings.TrimSpace(p); p != "" {
			v.Description = append(v.Description, p)
		}
	}
	v.Author = authorName(tx, i)
	for _, h := range i.History {
		var text string
		switch h.Action {
		case "submitted":
			text = rq.T("web.idea.hist_submitted")
		case "status:" + store.IdeaPublished, "status:" + store.IdeaSupported, "status:" + store.IdeaProgramme:
			text = label(rq.T("idea.status." + strings.TrimPrefix(h.Action, "status:")))
		case "answer":
			text = rq.T("web.idea.hist_answer")
		default:
			continue
		}
		v.History = append(v.History, historyItem{rq.date(h.At), text})
	}
	for _, a := range i.Answers {
		v.Answers = append(v.Answers, historyItem{rq.date(a.At), rq.public(a.Text)})
	}
	return v
}

// authorName is the author's first name when they chose to be named on
// the site and still have an account; "" (anonymous) otherwise. A name
// that looks like a phone number, a handle or a link is never shown.
func authorName(tx *store.Tx, i *store.Idea) string {
	if i.AuthorID == 0 || i.Anonymised {
		return ""
	}
	u, err := tx.User(i.AuthorID)
	if err != nil || !u.ShowName {
		return ""
	}
	name := oneLine(u.FirstName)
	if name == "" || utf8.RuneCountInString(name) > 40 || strings.ContainsAny(name, "0123456789@/:.") {
		return ""
	}
	return name
}
