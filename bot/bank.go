package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/qnstartup/trolykhoinghiep/pii"
	"github.com/qnstartup/trolykhoinghiep/search"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// The bank module: /ideas browses published public ideas (newest or most
// supported, by sector and locality, full-text search), opens an idea's
// card, and lets users support, follow, and ask to collaborate.

// bankPage is how many ideas a listing page shows.
const bankPage = 8

// ideaSearch is the in-memory full-text index of the ideas in the bank. It
// follows the store's change log, so it catches up before every search
// with whatever was committed since.
type ideaSearch struct {
	mu  sync.Mutex
	ix  *search.Index
	seq uint64
}

// addIdea indexes a public idea's words, without the phone numbers typed
// in it: the public search must not find an idea by its author's number.
func addIdea(ix *search.Index, i *store.Idea) {
	ix.Add(i.ID, pii.RedactPhones(i.Title, " "), pii.RedactPhones(i.Description, " "))
}

// sync brings the index up to date with the store (building it on first use).
func (s *ideaSearch) sync(st *store.Store) (*search.Index, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ix == nil {
		ix := search.NewIndex()
		var seq uint64
		err := st.View(func(tx *store.Tx) error {
			seq = tx.IdeaChangeSeq()
			return tx.EachIdea(func(i *store.Idea) error {
				if i.InBank() {
					addIdea(ix, i)
				}
				return nil
			})
		})
		if err != nil {
			return nil, fmt.Errorf("build idea index: %w", err)
		}
		s.ix, s.seq = ix, seq
		return ix, nil
	}
	err := st.View(func(tx *store.Tx) error {
		if tx.IdeaChangeSeq() == s.seq {
			return nil
		}
		last, err := tx.IdeaChanges(s.seq, func(id uint64) error {
			i, err := tx.Idea(id)
			if err != nil || !i.InBank() {
				s.ix.Remove(id)
				return nil
			}
			addIdea(s.ix, i)
			return nil
		})
		s.seq = last
		return err
	})
	return s.ix, err
}

// pruneChanges deletes the change log the index has caught up with (all
// of it before the index is built: a build reads every idea).
func (s *ideaSearch) pruneChanges(st *store.Store) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return st.Update(func(tx *store.Tx) error {
		upTo := s.seq
		if s.ix == nil {
			upTo = tx.IdeaChangeSeq()
		}
		_, err := tx.PruneIdeaChanges(upTo, 10000)
		return err
	})
}

// searchIdeas returns up to k published public ideas matching q, best first.
func (b *Bot) searchIdeas(q string, k int, exclude uint64) ([]*store.Idea, error) {
	ix, err := b.ideas.sync(b.st)
	if err != nil {
		return nil, err
	}
	hits := ix.Search(q, k, func(id uint64) bool { return id != exclude })
	var out []*store.Idea
	err = b.st.View(func(tx *store.Tx) error {
		for _, h := range hits {
			i, err := tx.Idea(h.ID)
			if err != nil || !i.InBank() {
				continue // changed since the index last caught up
			}
			out = append(out, i)
		}
		return nil
	})
	return out, err
}

// similarIdeas finds published public ideas close to a draft, for its
// author to join instead; the author's own ideas are not suggested.
// Search failures only hide the suggestions.
func (b *Bot) similarIdeas(text string, exclude uint64, author int64, k int) []*store.Idea {
	ix, err := b.ideas.sync(b.st)
	if err != nil {
		b.log.Warn("similar ideas", "err", err)
		return nil
	}
	hits := ix.Search(text, k+4, func(id uint64) bool { return id != exclude })
	var out []*store.Idea
	b.st.View(func(tx *store.Tx) error {
		for _, h := range hits {
			if h.Coverage < 0.3 || len(out) == k {
				continue
			}
			if i, err := tx.Idea(h.ID); err == nil && i.InBank() && (author == 0 || i.AuthorID != author) {
				out = append(out, i)
			}
		}
		return nil
	})
	return out
}

func (b *Bot) bankModule() Module {
	return Module{
		Name: "bank",
		Commands: []Command{
			{Name: "ideas", Handler: func(c *Ctx) error { return b.bankList(c, bankQuery{Sort: store.SortNewest}, false) }},
		},
		Menu: []MenuItem{{Key: "menu.bank", Handler: func(c *Ctx) error { return b.bankList(c, bankQuery{Sort: store.SortNewest}, false) }}},
		Actions: map[string]Handler{
			"l":     b.bankListAction,
			"o":     b.bankOpen,
			"sup":   b.bankSupport,
			"uns":   b.bankUnsupport,
			"fol":   b.bankFollow,
			"unf":   b.bankUnfollow,
			"media": b.bankMedia,
			"col":   startsFlow(b.bankCollab),
			"share": b.bankShare,
			"fs":    b.bankFilterSector,
			"fl":    startsFlow(b.bankFilterLoc),
			"q":     startsFlow(b.bankSearchStart),
		},
		Flows: []*Flow{
			{Name: "bank_search", Steps: []Step{{Name: "query", Prompt: b.bankAskQuery, Input: b.bankSearch}}},
			{Name: "bank_loc", Steps: []Step{{Name: "query", Prompt: b.bankAskLoc, Input: b.bankLoc}}},
			{Name: "collab", Steps: []Step{{Name: "note", Prompt: b.collabAsk, Input: b.collabNote}}},
		},
		Background: func(ctx context.Context) {
			if _, err := b.ideas.sync(b.st); err != nil {
				b.log.Error("idea index", "err", err)
			}
		},
	}
}

// bankQuery is one listing: order, filters (sector, locality and the
// user's last search, which combine), page, and the listing generation it
// was built from (to recognise a stale page).
type bankQuery struct {
	Sort     string
	Sector   string
	Locality string
	Search   bool // filter by the user's last search (User.BankSearch)
	Page     int
	Gen      uint64
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func undash(s string) string {
	if s == "-" {
		return ""
	}
	return s
}

// args are the query as callback arguments.
func (q bankQuery) args() []string {
	s := "0"
	if q.Search {
		s = "1"
	}
	return []string{q.Sort, strconv.Itoa(q.Page), orDash(q.Sector), orDash(q.Locality), strconv.FormatUint(q.Gen, 36), s}
}

func (q bankQuery) cb() string { return CB(append([]string{"bank", "l"}, q.args()...)...) }

// filtered reports whether any filter is on.
func (q bankQuery) filtered() bool { return q.Sector != "" || q.Locality != "" || q.Search }

// parseBankQuery reads a query from callback arguments (5 without the
// search flag, from older buttons, or 6).
func parseBankQuery(args []string) (bankQuery, bool) {
	if len(args) != 5 && len(args) != 6 {
		return bankQuery{}, false
	}
	q := bankQuery{Sort: args[0], Sector: undash(args[2]), Locality: undash(args[3])}
	page, err := strconv.Atoi(args[1])
	gen, err2 := strconv.ParseUint(args[4], 36, 64)
	if err != nil || err2 != nil || page < 0 || (q.Sort != store.SortNewest && q.Sort != store.SortSupported) ||
		(q.Sector != "" && !contains(Sectors, q.Sector)) || len(q.Locality) > 24 {
		return bankQuery{}, false
	}
	if len(args) == 6 {
		if args[5] != "0" && args[5] != "1" {
			return bankQuery{}, false
		}
		q.Search = args[5] == "1"
	}
	q.Page, q.Gen = page, gen
	return q, true
}

func (b *Bot) bankListAction(c *Ctx) error {
	_, args := cbArgs(c)
	q, ok := parseBankQuery(args)
	if !ok {
		return b.r.stale(c)
	}
	return b.bankList(c, q, true)
}

// bankPageOf reads one page of a listing: from the sorted index, or, with
// the search filter, from the search results narrowed by the other filters.
func (b *Bot) bankPageOf(c *Ctx, q *bankQuery) (ideas []*store.Idea, more bool, err error) {
	if q.Search && c.User.BankSearch != "" {
		hits, err := b.searchIdeas(c.User.BankSearch, 200, 0)
		if err != nil {
			return nil, false, err
		}
		var all []*store.Idea
		for _, i := range hits {
			if (q.Sector == "" || i.Sector == q.Sector) && (q.Locality == "" || i.Locality == q.Locality || b.within(i.Locality, q.Locality)) {
				all = append(all, i)
			}
		}
		b.st.View(func(tx *store.Tx) error { q.Gen = tx.ListGeneration(); return nil })
		for q.Page > 0 && q.Page*bankPage >= len(all) {
			q.Page-- // the page emptied: show the one before
		}
		from := q.Page * bankPage
		to := min(from+bankPage, len(all))
		return all[from:to], to < len(all), nil
	}
	q.Search = false
	err = b.st.View(func(tx *store.Tx) error {
		q.Gen = tx.ListGeneration()
		for {
			var err error
			ideas, more, err = tx.IdeaPage(store.ListQuery{Sort: q.Sort, Sector: q.Sector, Locality: q.Locality, Offset: q.Page * bankPage, Limit: bankPage})
			if err != nil || len(ideas) > 0 || q.Page == 0 {
				return err
			}
			q.Page-- // the page emptied: show the one before
		}
	})
	return ideas, more, err
}

// bankList shows a page of the bank; edit redraws the pressed message. A
// page built before ideas entered or left the bank is redrawn from the
// current data with a note; a page past the end falls back to the last.
// Each filter on shows a button that removes just it.
func (b *Bot) bankList(c *Ctx, q bankQuery, edit bool) error {
	old := q.Gen
	ideas, more, err := b.bankPageOf(c, &q)
	if err != nil {
		return err
	}
	if edit && old != q.Gen {
		c.Toast(c.T("bank.list_changed"))
	}
	var sb strings.Builder
	var filters []string
	var remove []Button
	if q.Search {
		label := "🔎 «" + Esc(truncate(c.User.BankSearch, 40)) + "»"
		filters = append(filters, label)
		p := q
		p.Search, p.Page = false, 0
		remove = append(remove, Button{Text: "✖️ " + c.T("bank.filter_search"), Data: p.cb()})
	}
	if q.Sector != "" {
		filters = append(filters, c.T("sector."+q.Sector))
		p := q
		p.Sector, p.Page = "", 0
		remove = append(remove, Button{Text: "✖️ " + c.T("bank.filter_sector"), Data: p.cb()})
	}
	if q.Locality != "" {
		filters = append(filters, "📍 "+Esc(b.places().Name(q.Locality)))
		p := q
		p.Locality, p.Page = "", 0
		remove = append(remove, Button{Text: "✖️ " + c.T("bank.filter_loc"), Data: p.cb()})
	}
	order := c.T("bank.sort_new")
	if q.Search {
		order = c.T("bank.sort_match")
	} else if q.Sort == store.SortSupported {
		order = c.T("bank.sort_top")
	}
	sb.WriteString(c.T("bank.list_title", "Order", order, "Page", q.Page+1))
	if len(filters) > 0 {
		sb.WriteString("\n" + c.T("bank.filters", "Filters", strings.Join(filters, " · ")))
	}
	var rows [][]Button
	var row []Button
	if len(ideas) == 0 {
		key := "bank.empty"
		if q.filtered() {
			key = "bank.empty_filtered"
		}
		sb.WriteString("\n\n" + c.T(key))
	}
	for n, i := range ideas {
		num := q.Page*bankPage + n + 1
		sb.WriteString(fmt.Sprintf("\n\n<b>%d.</b> %s", num, c.T("bank.list_line", "Title", Esc(truncate(hidePhones(c, i.Title), 90)), "Code", i.Code, "N", i.Supporters, "Sector", c.T("sector."+i.Sector), "Locality", Esc(b.places().Name(i.Locality)))))
		row = append(row, Button{Text: strconv.Itoa(num), Data: CB(append([]string{"bank", "o", strconv.FormatUint(i.ID, 10)}, q.args()...)...)})
		if len(row) == 4 {
			rows = append(rows, row)
			row = nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	var nav []Button
	if q.Page > 0 {
		p := q
		p.Page--
		nav = append(nav, Button{Text: c.T("bank.btn_prev"), Data: p.cb()})
	}
	if more {
		p := q
		p.Page++
		nav = append(nav, Button{Text: c.T("bank.btn_next"), Data: p.cb()})
	}
	if len(nav) > 0 {
		rows = append(rows, nav)
	}
	var tools []Button
	if !q.Search {
		other := q
		other.Page = 0
		if q.Sort == store.SortSupported {
			other.Sort = store.SortNewest
		} else {
			other.Sort = store.SortSupported
		}
		orderBtn := c.T("bank.btn_sort_top")
		if other.Sort == store.SortNewest {
			orderBtn = c.T("bank.btn_sort_new")
		}
		tools = append(tools, Button{Text: orderBtn, Data: other.cb()})
	}
	tools = append(tools, Button{Text: c.T("bank.btn_search"), Data: q.searchCB()})
	rows = append(rows, tools, []Button{
		{Text: c.T("bank.btn_sector"), Data: CB("bank", "fs", q.Sort, orDash(q.Locality), q.args()[5])},
		{Text: c.T("bank.btn_loc"), Data: CB("bank", "fl", q.Sort, orDash(q.Sector), q.args()[5])},
	})
	if len(remove) > 0 {
		rows = append(rows, remove)
	}
	r := Reply{Text: sb.String(), Buttons: rows}
	if edit && c.U.MsgID != 0 {
		r.Edit = c.U.MsgID
	}
	c.Reply(r)
	return nil
}

// searchCB starts a search keeping the listing's other filters.
func (q bankQuery) searchCB() string {
	return CB("bank", "q", q.Sort, orDash(q.Sector), orDash(q.Locality))
}

// filterArgs reads the order, one filter and the search flag that the
// sector and locality buttons carry.
func filterArgs(c *Ctx) (sort, other string, search bool) {
	_, args := cbArgs(c)
	sort = store.SortNewest
	if len(args) >= 1 && args[0] == store.SortSupported {
		sort = store.SortSupported
	}
	if len(args) >= 2 && len(args[1]) <= 24 {
		other = undash(args[1])
	}
	search = len(args) >= 3 && args[2] == "1"
	return sort, other, search
}

func (b *Bot) bankFilterSector(c *Ctx) error {
	sort, loc, search := filterArgs(c)
	var gen uint64
	b.st.View(func(tx *store.Tx) error { gen = tx.ListGeneration(); return nil })
	var rows [][]Button
	for _, s := range Sectors {
		q := bankQuery{Sort: sort, Sector: s, Locality: loc, Search: search, Gen: gen}
		rows = append(rows, []Button{{Text: c.T("sector." + s), Data: q.cb()}})
	}
	rows = append(rows, []Button{{Text: c.T("bank.btn_any_sector"), Data: bankQuery{Sort: sort, Locality: loc, Search: search, Gen: gen}.cb()}})
	c.Reply(Reply{Text: c.T("bank.pick_sector"), Buttons: rows, Edit: c.U.MsgID})
	return nil
}

// bankFilterLoc asks for a locality, keeping the other filters.
func (b *Bot) bankFilterLoc(c *Ctx) error {
	sort, sector, search := filterArgs(c)
	if sector != "" && !contains(Sectors, sector) {
		return b.r.stale(c)
	}
	c.State.Flow, c.State.Step, c.State.Paused = "bank_loc", "", false
	c.State.Draft = map[string]string{"sort": sort, "sector": sector}
	if search {
		c.State.Draft["search"] = "1"
	}
	return c.Goto("query")
}

// draftBankQuery is the listing a bank flow was started from.
func draftBankQuery(c *Ctx) bankQuery {
	q := bankQuery{Sort: store.SortNewest, Search: c.Draft("search") == "1"}
	if c.Draft("sort") == store.SortSupported {
		q.Sort = store.SortSupported
	}
	if s := c.Draft("sector"); contains(Sectors, s) {
		q.Sector = s
	}
	if l := c.Draft("loc"); l != "" {
		if _, ok := c.b.places().ByCode(l); ok {
			q.Locality = l
		}
	}
	return q
}

func (b *Bot) bankAskLoc(c *Ctx) error {
	c.Reply(Reply{Text: c.T("bank.ask_loc"), Keyboard: c.NavKeyboard()})
	return nil
}

func (b *Bot) bankLoc(c *Ctx) error {
	if c.U.Kind == KindCallback {
		action, args := cbArgs(c)
		if action != "pick" || len(args) != 1 {
			return b.r.stale(c)
		}
		if _, ok := b.places().ByCode(args[0]); !ok {
			return b.r.stale(c)
		}
		q := draftBankQuery(c)
		q.Locality = args[0]
		c.End()
		c.Reply(Reply{Text: c.T("bank.loc_set", "Locality", Esc(b.places().Name(args[0]))), Keyboard: b.MainMenu(c)})
		return b.bankList(c, q, false)
	}
	q, err := textInput(c)
	if err != nil {
		return err
	}
	q, err = cleanText(q, 60)
	if err != nil {
		return err
	}
	var rows [][]Button
	for _, p := range b.places().Search(q, 6) {
		rows = append(rows, []Button{{Text: p.Label(), Data: CB("bank_loc", "pick", p.Code)}})
	}
	if len(rows) == 0 {
		return Refuse("bank.loc_none", "Typed", Esc(q))
	}
	c.Reply(Reply{Text: c.T("settings.loc_pick", "Typed", Esc(q)), Buttons: rows})
	return nil
}

// bankSearchStart asks for words to search for, keeping the listing's
// sector and locality filters.
func (b *Bot) bankSearchStart(c *Ctx) error {
	_, args := cbArgs(c)
	c.State.Flow, c.State.Step, c.State.Paused = "bank_search", "", false
	c.State.Draft = map[string]string{}
	if len(args) == 3 {
		c.State.Draft["sort"], c.State.Draft["sector"], c.State.Draft["loc"] = args[0], undash(args[1]), undash(args[2])
	}
	return c.Goto("query")
}

func (b *Bot) bankAskQuery(c *Ctx) error {
	c.Reply(Reply{Text: c.T("bank.ask_query"), Keyboard: c.NavKeyboard()})
	return nil
}

// bankSearch runs a search: its results are a listing with the search as
// one more filter, so sector and locality narrow it and each can be
// removed.
func (b *Bot) bankSearch(c *Ctx) error {
	text, err := textInput(c)
	if err != nil {
		return err
	}
	text, err = cleanText(text, 200)
	if err != nil {
		return err
	}
	q := draftBankQuery(c)
	q.Search = true
	c.End()
	c.User.BankSearch = text
	ideas, _, err := b.bankPageOf(c, &q)
	if err != nil {
		return err
	}
	if len(ideas) == 0 {
		rows := [][]Button{{{Text: c.T("bank.btn_search_again"), Data: q.searchCB()}}}
		if q.Sector != "" || q.Locality != "" {
			all := bankQuery{Sort: q.Sort, Search: true, Gen: q.Gen}
			rows = append(rows, []Button{{Text: c.T("bank.btn_search_everywhere"), Data: all.cb()}})
		}
		c.Reply(Reply{Text: c.T("bank.search_none", "Query", Esc(text)), Keyboard: b.MainMenu(c)})
		c.Reply(Reply{Text: c.T("bank.search_next"), Buttons: rows})
		return nil
	}
	c.Reply(Reply{Text: c.T("bank.search_done"), Keyboard: b.MainMenu(c)})
	return b.bankList(c, q, false)
}

// ideaArg reads the idea ID argument of a button.
func ideaArg(c *Ctx) (uint64, bool) {
	_, args := cbArgs(c)
	if len(args) < 1 {
		return 0, false
	}
	return parseID(args[0])
}

// bankIdea loads an idea a user may see in the bank: published and
// public, or their own, or any for staff.
func (b *Bot) bankIdea(c *Ctx, tx *store.Tx, id uint64) (*store.Idea, error) {
	i, err := tx.Idea(id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, Refuse("bank.gone")
	}
	if err != nil {
		return nil, err
	}
	if !i.InBank() && !c.IsStaff() && (i.AuthorID == 0 || i.AuthorID != c.User.ID) {
		return nil, Refuse("bank.gone")
	}
	return i, nil
}

// cardText is an idea as the public sees it: never the phone number or
// the author's name, nor a phone number typed in its text.
func (b *Bot) cardText(c *Ctx, i *store.Idea) string {
	return c.T("bank.card",
		"Title", Esc(hidePhones(c, i.Title)), "Code", i.Code, "Summary", Esc(truncate(hidePhones(c, i.Description), 400)),
		"Sector", c.T("sector."+i.Sector), "Locality", Esc(b.places().Name(i.Locality)),
		"Kind", c.T("kind."+i.AuthorKind), "N", i.Supporters, "Status", statusLabel(c, i.Status))
}

// cardBack is the listing a card was opened from, read from the button's
// arguments after the idea ID (nil: not from a listing).
func cardBack(c *Ctx) *bankQuery {
	_, args := cbArgs(c)
	if len(args) < 2 {
		return nil
	}
	q, ok := parseBankQuery(args[1:])
	if !ok {
		return nil
	}
	return &q
}

// cardButtons are an idea card's buttons; back, when the card was opened
// from a listing, adds "back to the results" and keeps the listing on the
// card's own buttons.
func (b *Bot) cardButtons(c *Ctx, tx *store.Tx, i *store.Idea, back *bankQuery) [][]Button {
	id := strconv.FormatUint(i.ID, 10)
	data := func(action string) string {
		parts := []string{"bank", action, id}
		if back != nil {
			parts = append(parts, back.args()...)
		}
		return CB(parts...)
	}
	var rows [][]Button
	if i.InBank() {
		var row []Button
		if i.AuthorID != c.User.ID { // authors do not support their own idea
			// Each button says what it does ("sup" / "uns"), so a double
			// tap does not undo itself.
			sup := Button{Text: c.T("bank.btn_support", "N", i.Supporters), Data: data("sup")}
			if tx.Supports(i.ID, c.User.ID) {
				sup = Button{Text: c.T("bank.btn_supported", "N", i.Supporters), Data: data("uns")}
			}
			row = append(row, sup)
		}
		fol := Button{Text: c.T("bank.btn_follow"), Data: data("fol")}
		if tx.Follows(i.ID, c.User.ID) {
			fol = Button{Text: c.T("bank.btn_unfollow"), Data: data("unf")}
		}
		rows = append(rows, append(row, fol))
		if i.Consent && i.AuthorID != 0 && i.AuthorID != c.User.ID {
			rows = append(rows, []Button{{Text: c.T("bank.btn_collab"), Data: CB("bank", "col", id)}})
		}
	}
	if len(i.Photos) > 0 || i.Voice != "" {
		rows = append(rows, []Button{{Text: c.T("bank.btn_media", "N", len(i.Photos)), Data: CB("bank", "media", id)}})
	}
	if c.IsStaff() {
		rows = append(rows, []Button{{Text: c.T("review.btn_manage"), Data: CB("rv", "open", id)}})
	}
	nav := []Button{{Text: c.T("bank.btn_search_again"), Data: bankQuery{Sort: store.SortNewest}.searchCB()}}
	if back != nil {
		nav = []Button{{Text: c.T("bank.btn_back_results"), Data: back.cb()}, {Text: c.T("bank.btn_search_again"), Data: back.searchCB()}}
	}
	return append(rows, nav)
}

func (b *Bot) bankOpen(c *Ctx) error {
	id, ok := ideaArg(c)
	if !ok {
		return b.r.stale(c)
	}
	return b.st.View(func(tx *store.Tx) error {
		i, err := b.bankIdea(c, tx, id)
		if err != nil {
			return err
		}
		c.Reply(Reply{Text: b.cardText(c, i), Buttons: b.cardButtons(c, tx, i, cardBack(c))})
		return nil
	})
}

func (b *Bot) bankMedia(c *Ctx) error {
	id, ok := ideaArg(c)
	if !ok {
		return b.r.stale(c)
	}
	return b.st.View(func(tx *store.Tx) error {
		i, err := b.bankIdea(c, tx, id)
		if err != nil {
			return err
		}
		for _, p := range i.Photos {
			c.Reply(Reply{Photo: p, Text: i.Code})
		}
		if i.Voice != "" {
			c.Reply(Reply{Voice: i.Voice, Text: i.Code})
		}
		return nil
	})
}

// bankMark sets a support or follow (on) or takes it back, and redraws
// the card in place: setting what is already set changes nothing.
func (b *Bot) bankMark(c *Ctx, follow, on bool) error {
	id, ok := ideaArg(c)
	if !ok {
		return b.r.stale(c)
	}
	user, msg, back := c.User.ID, c.U.MsgID, cardBack(c)
	c.Do(func(tx *store.Tx) error {
		i, err := tx.Idea(id)
		if errors.Is(err, store.ErrNotFound) || (err == nil && !i.InBank()) {
			return Refuse("bank.gone")
		}
		if err != nil {
			return err
		}
		if follow {
			i, err = tx.SetFollow(id, user, on)
			c.Toast(c.T(map[bool]string{true: "bank.followed", false: "bank.unfollowed"}[on]))
		} else {
			if i.AuthorID == user && on {
				return Refuse("bank.err_own_support")
			}
			i, err = tx.SetSupport(id, user, on)
			c.Toast(c.T(map[bool]string{true: "bank.supported", false: "bank.unsupported"}[on], "N", i.Supporters))
		}
		if err != nil {
			return err
		}
		r := Reply{Text: b.cardText(c, i), Buttons: b.cardButtons(c, tx, i, back)}
		if msg != 0 {
			r.Edit = msg
		}
		c.Reply(r)
		return nil
	})
	return nil
}

func (b *Bot) bankSupport(c *Ctx) error   { return b.bankMark(c, false, true) }
func (b *Bot) bankUnsupport(c *Ctx) error { return b.bankMark(c, false, false) }
func (b *Bot) bankFollow(c *Ctx) error    { return b.bankMark(c, true, true) }
func (b *Bot) bankUnfollow(c *Ctx) error  { return b.bankMark(c, true, false) }

// collabTarget checks that a user may ask to collaborate on an idea.
func (b *Bot) collabTarget(c *Ctx, tx *store.Tx, id uint64) (*store.Idea, error) {
	i, err := tx.Idea(id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !i.InBank()) {
		return nil, Refuse("bank.gone")
	}
	if err != nil {
		return nil, err
	}
	if !i.Consent || i.AuthorID == 0 {
		return nil, Refuse("bank.err_no_contact")
	}
	if i.AuthorID == c.User.ID {
		return nil, Refuse("bank.err_own_idea")
	}
	return i, nil
}

func (b *Bot) bankCollab(c *Ctx) error {
	id, ok := ideaArg(c)
	if !ok {
		return b.r.stale(c)
	}
	err := b.st.View(func(tx *store.Tx) error {
		_, err := b.collabTarget(c, tx, id)
		return err
	})
	if err != nil {
		return err
	}
	if err := checkCap(b.st, store.QuotaCollab, c.User.ID, c.Now(), b.collabCap(), "trust.collab_cap"); err != nil {
		return err
	}
	c.State.Flow, c.State.Draft = "collab", map[string]string{"idea": strconv.FormatUint(id, 10)}
	return c.Goto("note")
}

func (b *Bot) collabAsk(c *Ctx) error {
	c.Reply(Reply{Text: c.T("bank.collab_ask"), Keyboard: c.NavKeyboard()})
	return nil
}

func (b *Bot) collabNote(c *Ctx) error {
	id, ok := parseID(c.Draft("idea"))
	if !ok {
		c.End()
		return b.r.stale(c)
	}
	note, err := textInput(c)
	if err != nil {
		return err
	}
	note, err = cleanText(note, 1000)
	if err != nil {
		return err
	}
	from := c.User
	now := c.Now()
	c.End()
	c.Reply(Reply{Text: c.T("bank.collab_sent"), Keyboard: b.MainMenu(c)})
	c.Do(func(tx *store.Tx) error {
		i, err := b.collabTarget(c, tx, id)
		if err != nil {
			return err
		}
		author, err := tx.User(i.AuthorID)
		if err != nil {
			return Refuse("bank.err_no_contact")
		}
		if err := takeCap(tx, store.QuotaCollab, from.ID, now, b.collabCap(), "trust.collab_cap"); err != nil {
			return err
		}
		r := &store.Collab{IdeaID: id, From: from.ID, Author: i.AuthorID, Note: note, At: now}
		if err := tx.AddCollab(r); err != nil {
			return err
		}
		name := Esc(from.Name())
		if from.Username != "" {
			name += " (@" + Esc(from.Username) + ")"
		}
		c.SendTo(author.ID, Reply{
			Text:    c.TFor(author, "bank.collab_to_author", "Name", name, "Code", i.Code, "Title", Esc(i.Title), "Note", Esc(note)),
			Buttons: [][]Button{{{Text: c.TFor(author, "bank.btn_share"), Data: CB("bank", "share", strconv.FormatUint(r.ID, 10))}}},
		})
		return nil
	})
	return nil
}

// bankShare: the author agrees to give their contact to a requester.
func (b *Bot) bankShare(c *Ctx) error {
	rid, ok := ideaArg(c)
	if !ok {
		return b.r.stale(c)
	}
	me := c.User
	c.Do(func(tx *store.Tx) error {
		r, err := tx.Collab(rid)
		if errors.Is(err, store.ErrNotFound) {
			return Refuse("bank.gone")
		}
		if err != nil {
			return err
		}
		i, err := tx.Idea(r.IdeaID)
		if err != nil {
			return Refuse("bank.gone")
		}
		if r.Author != me.ID || i.AuthorID != me.ID {
			return Refuse("common.not_allowed")
		}
		if !r.Shared { // a second press (or the button again later) sends nothing more
			requester, err := tx.User(r.From)
			if err != nil {
				return Refuse("bank.gone")
			}
			contact := Esc(me.Name())
			if me.Username != "" {
				contact += " – @" + Esc(me.Username)
			}
			if i.Phone != "" {
				contact += " – " + Esc(i.Phone)
			}
			r.Shared = true
			if err := tx.PutCollab(r); err != nil {
				return err
			}
			c.SendTo(requester.ID, Reply{Text: c.TFor(requester, "bank.shared_to_requester", "Code", i.Code, "Title", Esc(hidePhonesFor(c, requester, i.Title)), "Contact", contact)})
		}
		c.Toast(c.T("bank.shared"))
		c.Reply(Reply{Text: c.T("bank.shared")})
		return nil
	})
	return nil
}
