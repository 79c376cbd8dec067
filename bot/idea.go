package bot

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/qnstartup/trolykhoinghiep/store"
)

// The idea module: /idea and the main-menu button start a guided
// submission (title, description, photos and voice, sector, locality, who
// the author is, phone, visibility, consent), ending on a review screen
// that shows similar ideas already in the bank. The idea is saved only on
// confirmation; the receipt with its code is sent after the commit.

// defaultIdeasPerDay applies when Features.IdeasPerDay is not set.
const defaultIdeasPerDay = 5

func (b *Bot) ideaModule() Module {
	return Module{
		Name: "idea",
		Commands: []Command{
			{Name: "idea", Handler: b.ideaStart, Flow: "idea"},
		},
		Menu: []MenuItem{{Key: "menu.idea", Handler: b.ideaStart, Flow: "idea"}},
		Flows: []*Flow{{
			Name:   "idea",
			Review: "review",
			Title:  "flow.title_idea",
			Steps: []Step{
				{Name: "title", Prompt: b.ideaAskTitle, Input: b.ideaTitle},
				{Name: "desc", Prompt: b.ideaAskDesc, Input: b.ideaDesc},
				{Name: "media", Prompt: b.ideaAskMedia, Input: b.ideaMedia},
				{Name: "sector", Prompt: b.ideaAskSector, Input: b.ideaSector},
				{Name: "loc", Prompt: b.ideaAskLoc, Input: b.ideaLoc},
				{Name: "kind", Prompt: b.ideaAskKind, Input: b.ideaKind},
				{Name: "phone", Prompt: b.ideaAskPhone, Input: b.ideaPhone},
				{Name: "vis", Prompt: b.ideaAskVis, Input: b.ideaVis},
				{Name: "consent", Prompt: b.ideaAskConsent, Input: b.ideaConsent},
				{Name: "review", Prompt: b.ideaReview, Input: b.ideaReviewInput},
			},
		}},
	}
}

func (b *Bot) ideasPerDay() int {
	if n := b.opt.Features.IdeasPerDay; n > 0 {
		return n
	}
	return defaultIdeasPerDay
}

// dayStart is midnight of t's day in Vietnam.
func dayStart(t time.Time) time.Time {
	t = t.In(Vietnam)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, Vietnam)
}

// fmtTime formats a time for users, in Vietnam's time zone.
func fmtTime(t time.Time) string { return t.In(Vietnam).Format("15:04 02/01/2006") }

func (b *Bot) ideaStart(c *Ctx) error {
	var n int
	err := b.st.View(func(tx *store.Tx) error {
		var err error
		n, err = tx.CountIdeasSince(c.User.ID, dayStart(c.Now()))
		return err
	})
	if err != nil {
		return err
	}
	if n >= b.ideasPerDay() {
		return Refuse("idea.err_limit", "Max", b.ideasPerDay())
	}
	c.Reply(Reply{Text: c.T("idea.intro")})
	return c.Start("idea")
}

// advance moves on after a valid answer: back to the review screen when
// the user came from there to change one field, else to the next step.
func advance(c *Ctx) error {
	if c.Draft("rev") == "1" {
		return c.Goto("review")
	}
	return c.Next()
}

// cleanText validates free text: trimmed, not empty, at most max
// characters. It returns a UserError explaining what to do.
func cleanText(s string, max int) (string, error) {
	s = strings.TrimFunc(norm.NFC.String(s), func(r rune) bool {
		return unicode.IsSpace(r) || r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff'
	})
	if s == "" {
		return "", Refuse("idea.err_empty")
	}
	if n := utf8.RuneCountInString(s); n > max {
		return "", Refuse("idea.err_too_long", "Len", n, "Max", max)
	}
	return s, nil
}

// cleanTitle is cleanText for a one-line title.
func cleanTitle(s string) (string, error) {
	s, err := cleanText(s, store.MaxIdeaTitle)
	if err != nil {
		return "", err
	}
	return strings.Join(strings.Fields(s), " "), nil
}

func cbArgs(c *Ctx) (action string, args []string) {
	_, action, args, _ = ParseCB(c.U.Data)
	return action, args
}

func parseID(s string) (uint64, bool) {
	id, err := strconv.ParseUint(s, 10, 64)
	return id, err == nil && id > 0
}

// textInput is the text of a message step; a button press or media where
// text is expected is refused.
func textInput(c *Ctx) (string, error) {
	if c.U.Kind == KindCallback {
		return "", Refuse("common.stale_button")
	}
	if c.U.Text == "" && (c.U.Photo != "" || c.U.Voice != "" || c.U.Document != nil || c.U.Contact != nil) {
		return "", Refuse("idea.err_text_expected")
	}
	return c.U.Text, nil
}

func (b *Bot) ideaAskTitle(c *Ctx) error {
	c.Reply(Reply{Text: c.T("idea.ask_title", "Max", store.MaxIdeaTitle), Keyboard: c.NavKeyboard()})
	return nil
}

func (b *Bot) ideaTitle(c *Ctx) error {
	t, err := textInput(c)
	if err != nil {
		return err
	}
	t, err = cleanTitle(t)
	if err != nil {
		return err
	}
	c.SetDraft("title", t)
	return advance(c)
}

func (b *Bot) ideaAskDesc(c *Ctx) error {
	c.Reply(Reply{Text: c.T("idea.ask_desc", "Max", store.MaxIdeaDescription), Keyboard: c.NavKeyboard()})
	return nil
}

func (b *Bot) ideaDesc(c *Ctx) error {
	if c.U.Kind == KindMessage && c.U.Photo != "" && c.U.Text != "" {
		// A photo with a caption: the caption is the description.
		addPhoto(c, c.U.Photo)
	}
	t, err := textInput(c)
	if err != nil {
		return err
	}
	t, err = cleanText(t, store.MaxIdeaDescription)
	if err != nil {
		return err
	}
	c.SetDraft("desc", t)
	return advance(c)
}

func draftPhotos(c *Ctx) []string {
	if p := c.Draft("photos"); p != "" {
		return strings.Split(p, "\n")
	}
	return nil
}

func addPhoto(c *Ctx, id string) bool {
	ps := draftPhotos(c)
	if len(ps) >= store.MaxIdeaPhotos || contains(ps, id) {
		return false
	}
	c.SetDraft("photos", strings.Join(append(ps, id), "\n"))
	return true
}

func (b *Bot) ideaAskMedia(c *Ctx) error {
	rows := [][]Button{{{Text: c.T("idea.btn_media_done"), Data: CB("idea", "media", "done")}}}
	if c.Draft("photos") != "" || c.Draft("voice") != "" {
		rows = append(rows, []Button{{Text: c.T("idea.btn_media_clear"), Data: CB("idea", "media", "clear")}})
	}
	c.Reply(Reply{Text: c.T("idea.ask_media", "Max", store.MaxIdeaPhotos), Buttons: rows})
	return nil
}

func (b *Bot) ideaMedia(c *Ctx) error {
	if c.U.Kind == KindCallback {
		action, args := cbArgs(c)
		if action != "media" || len(args) != 1 {
			return b.r.stale(c)
		}
		switch args[0] {
		case "done":
			return advance(c)
		case "clear":
			c.SetDraft("photos", "")
			c.SetDraft("voice", "")
			c.Toast(c.T("idea.media_cleared"))
			return b.ideaAskMedia(c)
		}
		return b.r.stale(c)
	}
	switch {
	case c.U.Photo != "":
		if !addPhoto(c, c.U.Photo) {
			return Refuse("idea.err_photos", "Max", store.MaxIdeaPhotos)
		}
		c.Reply(Reply{Text: c.T("idea.photo_ok", "N", len(draftPhotos(c)), "Max", store.MaxIdeaPhotos), Buttons: [][]Button{{{Text: c.T("idea.btn_media_done"), Data: CB("idea", "media", "done")}}}})
		return nil
	case c.U.Voice != "":
		c.SetDraft("voice", c.U.Voice)
		c.Reply(Reply{Text: c.T("idea.voice_ok"), Buttons: [][]Button{{{Text: c.T("idea.btn_media_done"), Data: CB("idea", "media", "done")}}}})
		return nil
	case isSkip(c, c.U.Text):
		return advance(c)
	}
	return Refuse("idea.err_media")
}

// isSkip reports whether typed text means "skip" or "done" in either language.
func isSkip(c *Ctx, text string) bool {
	f := foldLabel(text)
	if f == "" {
		return false
	}
	for _, lang := range []string{"vi", "en"} {
		loc := c.b.i18n.For(lang)
		for _, k := range []string{"common.skip", "idea.btn_media_done", "idea.btn_skip_phone"} {
			if f == foldLabel(loc.T(k)) {
				return true
			}
		}
	}
	return false
}

func (b *Bot) ideaAskSector(c *Ctx) error {
	var rows [][]Button
	for _, s := range Sectors {
		mark := ""
		if c.Draft("sector") == s {
			mark = "✅ "
		}
		rows = append(rows, []Button{{Text: mark + c.T("sector."+s), Data: CB("idea", "sector", s)}})
	}
	c.Reply(Reply{Text: c.T("idea.ask_sector"), Buttons: rows})
	return nil
}

func (b *Bot) ideaSector(c *Ctx) error {
	action, args := cbArgs(c)
	if c.U.Kind != KindCallback {
		return Refuse("idea.err_pick")
	}
	if action != "sector" || len(args) != 1 || !contains(Sectors, args[0]) {
		return b.r.stale(c)
	}
	c.SetDraft("sector", args[0])
	return advance(c)
}

func (b *Bot) ideaAskLoc(c *Ctx) error {
	var rows [][]Button
	if l := c.User.Locality; l != "" {
		rows = append(rows, []Button{{Text: "📍 " + b.places().Name(l), Data: CB("idea", "loc", "mine")}})
	}
	c.Reply(Reply{Text: c.T("idea.ask_loc"), Buttons: rows, Keyboard: keyboardIf(rows == nil, c)})
	return nil
}

// keyboardIf is the flow's back/cancel keyboard when a message carries no
// inline buttons (a message has one or the other).
func keyboardIf(ok bool, c *Ctx) *Keyboard {
	if ok {
		return c.NavKeyboard()
	}
	return nil
}

func (b *Bot) ideaLoc(c *Ctx) error {
	if c.U.Kind == KindCallback {
		action, args := cbArgs(c)
		if action != "loc" || len(args) != 1 {
			return b.r.stale(c)
		}
		code := args[0]
		switch code {
		case "mine":
			code = c.User.Locality
		case "typed":
			code = c.Draft("typed")
		default:
			if _, ok := b.places().ByCode(code); !ok {
				return b.r.stale(c)
			}
		}
		if code == "" {
			return b.r.stale(c)
		}
		c.SetDraft("loc", code)
		c.SetDraft("typed", "")
		return advance(c)
	}
	q, err := textInput(c)
	if err != nil {
		return err
	}
	q, err = cleanText(q, 60)
	if err != nil {
		return err
	}
	c.SetDraft("typed", q)
	b.offerPlaces(c, q, "idea", "loc")
	return nil
}

func (b *Bot) ideaAskKind(c *Ctx) error {
	var rows [][]Button
	for _, k := range Kinds {
		mark := ""
		if c.Draft("kind") == k || (c.Draft("kind") == "" && c.User.Kind == k) {
			mark = "✅ "
		}
		rows = append(rows, []Button{{Text: mark + c.T("kind."+k), Data: CB("idea", "kind", k)}})
	}
	c.Reply(Reply{Text: c.T("idea.ask_kind"), Buttons: rows})
	return nil
}

func (b *Bot) ideaKind(c *Ctx) error {
	if c.U.Kind != KindCallback {
		return Refuse("idea.err_pick")
	}
	action, args := cbArgs(c)
	if action != "kind" || len(args) != 1 || !contains(Kinds, args[0]) {
		return b.r.stale(c)
	}
	c.SetDraft("kind", args[0])
	return advance(c)
}

func (b *Bot) ideaAskPhone(c *Ctx) error {
	kb := c.NavKeyboard(
		[]KeyButton{{Text: c.T("idea.btn_share_phone"), RequestContact: true}},
		[]KeyButton{{Text: c.T("idea.btn_skip_phone")}},
	)
	c.Reply(Reply{Text: c.T("idea.ask_phone"), Keyboard: kb})
	return nil
}

func (b *Bot) ideaPhone(c *Ctx) error {
	u := c.U
	switch {
	case u.Kind == KindMessage && u.Contact != nil:
		// Only the user's own number, shared with the button.
		if u.Contact.UserID != c.User.ID {
			return Refuse("idea.err_phone_other")
		}
		p := strings.TrimSpace(u.Contact.Phone)
		if p == "" || len(p) > 20 {
			return Refuse("idea.err_phone_other")
		}
		c.SetDraft("phone", p)
		c.Reply(Reply{Text: c.T("idea.phone_ok"), Keyboard: c.NavKeyboard()})
	case u.Kind == KindMessage && isSkip(c, u.Text):
		c.SetDraft("phone", "")
		c.Reply(Reply{Text: c.T("idea.phone_skipped"), Keyboard: c.NavKeyboard()})
	case u.Kind == KindMessage && u.Text != "":
		// A typed number: a cooperative's office, a family member's phone.
		p, ok := parsePhone(u.Text)
		if !ok {
			return Refuse("idea.err_phone")
		}
		c.SetDraft("phone", p)
		c.Reply(Reply{Text: c.T("idea.phone_typed_ok", "Phone", Esc(p)), Keyboard: c.NavKeyboard()})
	default:
		return Refuse("idea.err_phone")
	}
	return advance(c)
}

// parsePhone reads a typed Vietnamese phone number — "0905 123 456",
// "+84 905 123 456", "0235.3812.345", "(0235) 3812345" — and returns it
// as +84… . A number is 0 and 9 or 10 more digits (mobiles have 10 digits
// in all, landlines 11), or +84 and 9 or 10 digits.
func parsePhone(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 24 {
		return "", false
	}
	var digits strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == '+' && i == 0:
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')':
		default:
			return "", false
		}
	}
	d := digits.String()
	switch {
	case strings.HasPrefix(s, "+"):
		if !strings.HasPrefix(d, "84") {
			return "", false
		}
		d = d[2:]
	case strings.HasPrefix(d, "84") && (len(d) == 11 || len(d) == 12):
		d = d[2:]
	case strings.HasPrefix(d, "0"):
		d = d[1:]
	default:
		return "", false
	}
	if len(d) < 9 || len(d) > 10 || d[0] == '0' {
		return "", false
	}
	return "+84" + d, true
}

func (b *Bot) ideaAskVis(c *Ctx) error {
	c.Reply(Reply{Text: c.T("idea.ask_vis"), Buttons: [][]Button{
		{{Text: c.T("idea.vis_public"), Data: CB("idea", "vis", "pub")}},
		{{Text: c.T("idea.vis_staff"), Data: CB("idea", "vis", "staff")}},
	}})
	return nil
}

func (b *Bot) ideaVis(c *Ctx) error {
	if c.U.Kind != KindCallback {
		return Refuse("idea.err_pick")
	}
	action, args := cbArgs(c)
	if action != "vis" || len(args) != 1 || (args[0] != "pub" && args[0] != "staff") {
		return b.r.stale(c)
	}
	c.SetDraft("public", map[string]string{"pub": "1", "staff": "0"}[args[0]])
	return advance(c)
}

func (b *Bot) ideaAskConsent(c *Ctx) error {
	c.Reply(Reply{Text: c.T("idea.ask_consent"), Buttons: [][]Button{{
		{Text: c.T("common.yes"), Data: CB("idea", "consent", "yes")},
		{Text: c.T("common.no"), Data: CB("idea", "consent", "no")},
	}}})
	return nil
}

func (b *Bot) ideaConsent(c *Ctx) error {
	if c.U.Kind != KindCallback {
		return Refuse("idea.err_pick")
	}
	action, args := cbArgs(c)
	if action != "consent" || len(args) != 1 || (args[0] != "yes" && args[0] != "no") {
		return b.r.stale(c)
	}
	c.SetDraft("consent", map[string]string{"yes": "1", "no": "0"}[args[0]])
	return advance(c)
}

// ideaFields are the fields the review screen can change, with their steps.
var ideaFields = []struct{ field, step string }{
	{"title", "title"}, {"desc", "desc"}, {"media", "media"}, {"sector", "sector"}, {"loc", "loc"},
	{"kind", "kind"}, {"phone", "phone"}, {"vis", "vis"}, {"consent", "consent"},
}

// draftIdea builds the idea the draft describes (without ID or status).
func draftIdea(c *Ctx) *store.Idea {
	kind := c.Draft("kind")
	return &store.Idea{
		Title: c.Draft("title"), Description: c.Draft("desc"), Photos: draftPhotos(c), Voice: c.Draft("voice"),
		Sector: c.Draft("sector"), Locality: c.Draft("loc"), AuthorKind: kind, Phone: c.Draft("phone"),
		Public: c.Draft("public") == "1", Consent: c.Draft("consent") == "1",
	}
}

// draftComplete reports which step still lacks an answer ("" when none).
func draftComplete(c *Ctx) string {
	for _, f := range []struct{ key, step string }{
		{"title", "title"}, {"desc", "desc"}, {"sector", "sector"}, {"loc", "loc"}, {"kind", "kind"}, {"public", "vis"}, {"consent", "consent"},
	} {
		if c.Draft(f.key) == "" {
			return f.step
		}
	}
	return ""
}

func yesNo(c *Ctx, v bool) string {
	if v {
		return c.T("common.yes")
	}
	return c.T("common.no")
}

func (b *Bot) ideaReview(c *Ctx) error {
	if step := draftComplete(c); step != "" {
		// A field is missing (an older draft): ask for it first.
		c.SetDraft("rev", "1")
		return c.Goto(step)
	}
	c.SetDraft("rev", "1")
	i := draftIdea(c)
	phone := c.T("idea.phone_none")
	if i.Phone != "" {
		phone = Esc(i.Phone)
	}
	vis := c.T("idea.vis_staff")
	if i.Public {
		vis = c.T("idea.vis_public")
	}
	var sb strings.Builder
	sb.WriteString(c.T("idea.review",
		"Title", Esc(i.Title), "Desc", Esc(truncate(i.Description, 1500)),
		"Photos", len(i.Photos), "Voice", yesNo(c, i.Voice != ""),
		"Sector", c.T("sector."+i.Sector), "Locality", Esc(b.places().Name(i.Locality)),
		"Kind", c.T("kind."+i.AuthorKind), "Phone", phone, "Visibility", vis, "Consent", yesNo(c, i.Consent)))
	var rows [][]Button
	var row []Button
	for _, f := range ideaFields {
		row = append(row, Button{Text: c.T("idea.edit_" + f.field), Data: CB("idea", "edit", f.field)})
		if len(row) == 3 {
			rows = append(rows, row)
			row = nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	editing, _ := parseID(c.Draft("edit"))
	similar := b.similarIdeas(i.Title+"\n"+i.Description, editing, c.User.ID, 3)
	if len(similar) > 0 {
		sb.WriteString("\n\n" + c.T("idea.similar_intro"))
		for _, s := range similar {
			sb.WriteString("\n" + c.T("idea.similar_line", "Code", s.Code, "Title", Esc(truncate(s.Title, 80)), "N", s.Supporters))
			rows = append(rows, []Button{{Text: c.T("idea.btn_join", "Code", s.Code), Data: CB("idea", "join", strconv.FormatUint(s.ID, 10))}})
		}
	}
	confirm := "idea.btn_confirm"
	if editing != 0 {
		confirm = "idea.btn_save"
	}
	if i.Public {
		rows = append(rows, []Button{showNameButton(c, "idea")})
	}
	rows = append(rows, []Button{{Text: c.T(confirm), Data: CB("idea", "ok", c.DraftTag())}})
	c.Reply(Reply{Text: sb.String(), Buttons: rows})
	return nil
}

func (b *Bot) ideaReviewInput(c *Ctx) error {
	if c.U.Kind != KindCallback {
		return Refuse("idea.err_review")
	}
	action, args := cbArgs(c)
	switch action {
	case "edit":
		if len(args) != 1 {
			return b.r.stale(c)
		}
		for _, f := range ideaFields {
			if f.field == args[0] {
				return c.Goto(f.step)
			}
		}
		if args[0] == "none" { // back to the review screen, nothing changed
			return c.Goto("review")
		}
		return b.r.stale(c)
	case "join":
		if len(args) != 1 {
			return b.r.stale(c)
		}
		id, ok := parseID(args[0])
		if !ok {
			return b.r.stale(c)
		}
		return b.ideaJoinAsk(c, id)
	case "joinok":
		if len(args) != 2 {
			return b.r.stale(c)
		}
		id, ok := parseID(args[0])
		if !ok {
			return b.r.stale(c)
		}
		if ok, err := c.CheckTag(args[1:]); !ok {
			return err
		}
		return b.ideaJoin(c, id)
	case "ok":
		if ok, err := c.CheckTag(args); !ok {
			return err
		}
		return b.ideaConfirm(c)
	case "name":
		if !setShowName(c, args) {
			return b.r.stale(c)
		}
		return c.Goto("review")
	}
	return b.r.stale(c)
}

// ideaJoinAsk asks before the draft is dropped for an existing idea.
func (b *Bot) ideaJoinAsk(c *Ctx, id uint64) error {
	var code, title string
	err := b.st.View(func(tx *store.Tx) error {
		i, err := tx.Idea(id)
		if err != nil || !i.InBank() {
			return Refuse("bank.gone")
		}
		if i.AuthorID == c.User.ID {
			return Refuse("bank.err_own_idea")
		}
		code, title = i.Code, i.Title
		return nil
	})
	if err != nil {
		return err
	}
	c.Reply(Reply{Text: c.T("idea.join_confirm", "Code", code, "Title", Esc(title)), Buttons: [][]Button{
		{{Text: c.T("idea.btn_join_yes", "Code", code), Data: CB("idea", "joinok", strconv.FormatUint(id, 10), c.DraftTag())}},
		{{Text: c.T("idea.btn_join_no"), Data: CB("idea", "edit", "none")}},
	}})
	return nil
}

// ideaJoin drops the draft and supports and follows an existing idea.
func (b *Bot) ideaJoin(c *Ctx, id uint64) error {
	var code string
	err := b.st.View(func(tx *store.Tx) error {
		i, err := tx.Idea(id)
		if err != nil || !i.InBank() {
			return Refuse("bank.gone")
		}
		code = i.Code
		return nil
	})
	if err != nil {
		return err
	}
	user := c.User.ID
	c.End()
	c.Reply(Reply{Text: c.T("idea.joined", "Code", code), Keyboard: b.MainMenu(c)})
	c.Reply(Reply{Text: c.T("idea.joined_open"), Buttons: [][]Button{{{Text: c.T("bank.btn_open", "Code", code), Data: CB("bank", "o", strconv.FormatUint(id, 10))}}}})
	c.Do(func(tx *store.Tx) error {
		i, err := tx.Idea(id)
		if err != nil || !i.InBank() {
			return Refuse("bank.gone")
		}
		if i.AuthorID == user {
			return Refuse("bank.err_own_idea")
		}
		if _, err := tx.SetSupport(id, user, true); err != nil {
			return err
		}
		_, err = tx.SetFollow(id, user, true)
		return err
	})
	return nil
}

func (b *Bot) ideaConfirm(c *Ctx) error {
	if step := draftComplete(c); step != "" {
		return c.Goto(step)
	}
	d := draftIdea(c)
	now, user, name := c.Now(), c.User.ID, c.User.Name()
	limit, since := b.ideasPerDay(), dayStart(c.Now())
	staff, err := b.st.Staff()
	if err != nil {
		return err
	}
	if editID, ok := parseID(c.Draft("edit")); ok {
		c.Do(func(tx *store.Tx) error {
			i, err := tx.Idea(editID)
			if errors.Is(err, store.ErrNotFound) || (err == nil && i.AuthorID != user) {
				return Refuse("common.not_allowed")
			}
			if err != nil {
				return err
			}
			if !i.Editable() {
				return Refuse("my.err_not_editable", "Status", c.T("idea.status."+i.Status))
			}
			i.Title, i.Description, i.Photos, i.Voice = d.Title, d.Description, d.Photos, d.Voice
			i.Sector, i.Locality, i.AuthorKind, i.Phone, i.Public, i.Consent = d.Sector, d.Locality, d.AuthorKind, d.Phone, d.Public, d.Consent
			if i.Status == store.IdeaInfo {
				i.Status = store.IdeaSubmitted // back in the review queue
			}
			i.Log(now, user, "edited", "")
			if err := tx.PutIdea(i); err != nil {
				return err
			}
			c.Reply(Reply{Text: c.T("idea.saved", "Code", i.Code, "Time", fmtTime(now)), Keyboard: b.MainMenu(c)})
			return nil
		})
		c.End()
		return nil
	}
	c.Do(func(tx *store.Tx) error {
		n, err := tx.CountIdeasSince(user, since)
		if err != nil {
			return err
		}
		if n >= limit {
			return Refuse("idea.err_limit", "Max", limit)
		}
		i := *d
		i.AuthorID, i.AuthorName, i.Status, i.Created = user, name, store.IdeaSubmitted, now
		i.Log(now, user, "submitted", "")
		if err := tx.AddIdea(&i); err != nil {
			return err
		}
		c.Reply(Reply{Text: c.T("idea.receipt", "Code", i.Code, "Time", fmtTime(now)), Keyboard: b.MainMenu(c)})
		// Tell the staff a new idea is waiting (they may also just open /review).
		for _, s := range staff {
			if s.Inactive || s.ID == user {
				continue
			}
			c.SendTo(s.ID, Reply{
				Text:    c.TFor(s, "review.new_idea", "Code", i.Code, "Title", Esc(i.Title)),
				Buttons: [][]Button{{{Text: c.TFor(s, "review.btn_open_new"), Data: CB("rv", "open", strconv.FormatUint(i.ID, 10))}}},
				Silent:  true,
			})
		}
		return nil
	})
	c.End()
	return nil
}

// editIdea opens the review screen of an existing idea for its author.
func (b *Bot) editIdea(c *Ctx, i *store.Idea) error {
	c.State.Flow, c.State.Step, c.State.Updated, c.State.Paused = "idea", "", c.Now(), false
	c.State.Draft = map[string]string{
		"_n": "e" + c.b.nonce(), "edit": strconv.FormatUint(i.ID, 10), "title": i.Title, "desc": i.Description,
		"photos": strings.Join(i.Photos, "\n"), "voice": i.Voice, "sector": i.Sector, "loc": i.Locality,
		"kind": i.AuthorKind, "phone": i.Phone, "public": map[bool]string{true: "1", false: "0"}[i.Public],
		"consent": map[bool]string{true: "1", false: "0"}[i.Consent],
	}
	for k, v := range c.State.Draft {
		if v == "" {
			delete(c.State.Draft, k)
		}
	}
	c.Reply(Reply{Text: c.T("idea.editing", "Code", i.Code), Keyboard: c.NavKeyboard()})
	return c.Goto("review")
}

// statusLabel is the translated status of an idea.
func statusLabel(c *Ctx, status string) string { return c.T("idea.status." + status) }
