package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

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
					ix.Add(i.ID, i.Title, i.Description)
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
			s.ix.Add(i.ID, i.Title, i.Description)
			return nil
		})
		s.seq = last
		return err
	})
	return s.ix, err
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
// author to join instead. Search failures only hide the suggestions.
func (b *Bot) similarIdeas(text string, exclude uint64, k int) []*store.Idea {
	ix, err := b.ideas.sync(b.st)
	if err != nil {
		b.log.Warn("similar ideas", "err", err)
		return nil
	}
	hits := ix.Search(text, k, func(id uint64) bool { return id != exclude })
	var out []*store.Idea
	b.st.View(func(tx *store.Tx) error {
		for _, h := range hits {
			if h.Coverage < 0.3 {
				continue
			}
			if i, err := tx.Idea(h.ID); err == nil && i.InBank() {
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
			"fol":   b.bankFollow,
			"media": b.bankMedia,
			"col":   b.bankCollab,
			"share": b.bankShare,
			"fs":    b.bankFilterSector,
			"fl":    func(c *Ctx) error { return c.Start("bank_loc") },
			"q":     func(c *Ctx) error { return c.Start("bank_search") },
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

// bankQuery is one listing: order, filters, page, and the listing
// generation it was built from (to recognise a stale page).
type bankQuery struct {
	Sort     string
	Sector   string
	Locality string
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

func (q bankQuery) cb() string {
	return CB("bank", "l", q.Sort, strconv.Itoa(q.Page), orDash(q.Sector), orDash(q.Locality), strconv.FormatUint(q.Gen, 36))
}

func (b *Bot) bankListAction(c *Ctx) error {
	_, args := cbArgs(c)
	if len(args) != 5 {
		return b.r.stale(c)
	}
	q := bankQuery{Sort: args[0], Sector: undash(args[2]), Locality: undash(args[3])}
	page, err := strconv.Atoi(args[1])
	gen, err2 := strconv.ParseUint(args[4], 36, 64)
	if err != nil || err2 != nil || page < 0 || (q.Sort != store.SortNewest && q.Sort != store.SortSupported) ||
		(q.Sector != "" && !contains(Sectors, q.Sector)) || len(q.Locality) > 24 {
		return b.r.stale(c)
	}
	q.Page, q.Gen = page, gen
	return b.bankList(c, q, true)
}

// bankList shows a page of the bank; edit redraws the pressed message. A
// page built before ideas entered or left the bank is redrawn from the
// current data with a note; a page past the end falls back to the last.
func (b *Bot) bankList(c *Ctx, q bankQuery, edit bool) error {
	var ideas []*store.Idea
	var more bool
	var gen uint64
	err := b.st.View(func(tx *store.Tx) error {
		gen = tx.ListGeneration()
		for {
			var err error
			ideas, more, err = tx.IdeaPage(store.ListQuery{Sort: q.Sort, Sector: q.Sector, Locality: q.Locality, Offset: q.Page * bankPage, Limit: bankPage})
			if err != nil || len(ideas) > 0 || q.Page == 0 {
				return err
			}
			q.Page-- // the page emptied: show the one before
		}
	})
	if err != nil {
		return err
	}
	if edit && q.Gen != gen {
		c.Toast(c.T("bank.list_changed"))
	}
	q.Gen = gen
	var sb strings.Builder
	filters := []string{}
	if q.Sector != "" {
		filters = append(filters, c.T("sector."+q.Sector))
	}
	if q.Locality != "" {
		filters = append(filters, "📍 "+Esc(b.places().Name(q.Locality)))
	}
	order := c.T("bank.sort_new")
	if q.Sort == store.SortSupported {
		order = c.T("bank.sort_top")
	}
	sb.WriteString(c.T("bank.list_title", "Order", order, "Page", q.Page+1))
	if len(filters) > 0 {
		sb.WriteString("\n" + c.T("bank.filters", "Filters", strings.Join(filters, " · ")))
	}
	var rows [][]Button
	var row []Button
	if len(ideas) == 0 {
		sb.WriteString("\n\n" + c.T("bank.empty"))
	}
	for n, i := range ideas {
		num := q.Page*bankPage + n + 1
		sb.WriteString(fmt.Sprintf("\n\n<b>%d.</b> %s", num, c.T("bank.list_line", "Title", Esc(truncate(hidePhones(c, i.Title), 90)), "Code", i.Code, "N", i.Supporters, "Sector", c.T("sector."+i.Sector), "Locality", Esc(b.places().Name(i.Locality)))))
		row = append(row, Button{Text: strconv.Itoa(num), Data: CB("bank", "o", strconv.FormatUint(i.ID, 10))})
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
	rows = append(rows, []Button{
		{Text: orderBtn, Data: other.cb()},
		{Text: c.T("bank.btn_search"), Data: CB("bank", "q")},
	})
	filterRow := []Button{
		{Text: c.T("bank.btn_sector"), Data: CB("bank", "fs", q.Sort)},
		{Text: c.T("bank.btn_loc"), Data: CB("bank", "fl")},
	}
	if q.Sector != "" || q.Locality != "" {
		all := bankQuery{Sort: q.Sort, Gen: gen}
		filterRow = append(filterRow, Button{Text: c.T("bank.btn_all"), Data: all.cb()})
	}
	rows = append(rows, filterRow)
	r := Reply{Text: sb.String(), Buttons: rows}
	if edit && c.U.MsgID != 0 {
		r.Edit = c.U.MsgID
	}
	c.Reply(r)
	return nil
}

func (b *Bot) bankFilterSector(c *Ctx) error {
	_, args := cbArgs(c)
	sort := store.SortNewest
	if len(args) == 1 && args[0] == store.SortSupported {
		sort = store.SortSupported
	}
	var gen uint64
	b.st.View(func(tx *store.Tx) error { gen = tx.ListGeneration(); return nil })
	var rows [][]Button
	for _, s := range Sectors {
		q := bankQuery{Sort: sort, Sector: s, Gen: gen}
		rows = append(rows, []Button{{Text: c.T("sector." + s), Data: q.cb()}})
	}
	rows = append(rows, []Button{{Text: c.T("bank.btn_all"), Data: bankQuery{Sort: sort, Gen: gen}.cb()}})
	c.Reply(Reply{Text: c.T("bank.pick_sector"), Buttons: rows, Edit: c.U.MsgID})
	return nil
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
		c.End()
		c.Reply(Reply{Text: c.T("bank.loc_set", "Locality", Esc(b.places().Name(args[0]))), Keyboard: b.MainMenu(c)})
		return b.bankList(c, bankQuery{Sort: store.SortNewest, Locality: args[0]}, false)
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

func (b *Bot) bankAskQuery(c *Ctx) error {
	c.Reply(Reply{Text: c.T("bank.ask_query"), Keyboard: c.NavKeyboard()})
	return nil
}

func (b *Bot) bankSearch(c *Ctx) error {
	q, err := textInput(c)
	if err != nil {
		return err
	}
	q, err = cleanText(q, 200)
	if err != nil {
		return err
	}
	ideas, err := b.searchIdeas(q, 10, 0)
	if err != nil {
		return err
	}
	c.End()
	if len(ideas) == 0 {
		c.Reply(Reply{Text: c.T("bank.search_none", "Query", Esc(q)), Keyboard: b.MainMenu(c)})
		return nil
	}
	var sb strings.Builder
	sb.WriteString(c.T("bank.search_title", "Query", Esc(q), "N", len(ideas)))
	var rows [][]Button
	var row []Button
	for n, i := range ideas {
		sb.WriteString(fmt.Sprintf("\n\n<b>%d.</b> %s", n+1, c.T("bank.list_line", "Title", Esc(truncate(hidePhones(c, i.Title), 90)), "Code", i.Code, "N", i.Supporters, "Sector", c.T("sector."+i.Sector), "Locality", Esc(b.places().Name(i.Locality)))))
		row = append(row, Button{Text: strconv.Itoa(n + 1), Data: CB("bank", "o", strconv.FormatUint(i.ID, 10))})
		if len(row) == 5 {
			rows = append(rows, row)
			row = nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	c.Reply(Reply{Text: c.T("bank.search_done"), Keyboard: b.MainMenu(c)})
	c.Reply(Reply{Text: sb.String(), Buttons: rows})
	return nil
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

func (b *Bot) cardButtons(c *Ctx, tx *store.Tx, i *store.Idea) [][]Button {
	id := strconv.FormatUint(i.ID, 10)
	var rows [][]Button
	if i.InBank() {
		sup := Button{Text: c.T("bank.btn_support", "N", i.Supporters), Data: CB("bank", "sup", id)}
		if tx.Supports(i.ID, c.User.ID) {
			sup.Text = c.T("bank.btn_supported", "N", i.Supporters)
		}
		fol := Button{Text: c.T("bank.btn_follow"), Data: CB("bank", "fol", id)}
		if tx.Follows(i.ID, c.User.ID) {
			fol.Text = c.T("bank.btn_unfollow")
		}
		rows = append(rows, []Button{sup, fol})
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
	return rows
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
		c.Reply(Reply{Text: b.cardText(c, i), Buttons: b.cardButtons(c, tx, i)})
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

// bankToggle flips a support or follow and redraws the card in place.
func (b *Bot) bankToggle(c *Ctx, follow bool) error {
	id, ok := ideaArg(c)
	if !ok {
		return b.r.stale(c)
	}
	user, msg := c.User.ID, c.U.MsgID
	c.Do(func(tx *store.Tx) error {
		i, err := tx.Idea(id)
		if errors.Is(err, store.ErrNotFound) || (err == nil && !i.InBank()) {
			return Refuse("bank.gone")
		}
		if err != nil {
			return err
		}
		var on bool
		if follow {
			on = !tx.Follows(id, user)
			i, err = tx.SetFollow(id, user, on)
			c.Toast(c.T(map[bool]string{true: "bank.followed", false: "bank.unfollowed"}[on]))
		} else {
			on = !tx.Supports(id, user)
			i, err = tx.SetSupport(id, user, on)
			c.Toast(c.T(map[bool]string{true: "bank.supported", false: "bank.unsupported"}[on], "N", i.Supporters))
		}
		if err != nil {
			return err
		}
		r := Reply{Text: b.cardText(c, i), Buttons: b.cardButtons(c, tx, i)}
		if msg != 0 {
			r.Edit = msg
		}
		c.Reply(r)
		return nil
	})
	return nil
}

func (b *Bot) bankSupport(c *Ctx) error { return b.bankToggle(c, false) }
func (b *Bot) bankFollow(c *Ctx) error  { return b.bankToggle(c, true) }

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
		c.SendTo(requester.ID, Reply{Text: c.TFor(requester, "bank.shared_to_requester", "Code", i.Code, "Title", Esc(i.Title), "Contact", contact)})
		c.Toast(c.T("bank.shared"))
		c.Reply(Reply{Text: c.T("bank.shared")})
		return nil
	})
	return nil
}
