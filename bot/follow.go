package bot

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"

	"github.com/qnstartup/trolykhoinghiep/locales"
	"github.com/qnstartup/trolykhoinghiep/policy"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// The follow module: "🔔 Theo dõi văn bản này" under an answer follows its
// first source. When staff upload a document with /kb, every follower of
// it — or of a document whose successor it is — gets one short notice,
// queued in the same transaction that stores the upload, so it is sent
// once even across a crash. The same notice offers the support guide
// again to users whose list the upload changes (hotro.go).

// maxFollows bounds the documents one user follows.
const maxFollows = 20

func (b *Bot) followModule() Module {
	return Module{
		Name: "fol",
		Actions: map[string]Handler{
			"add": b.followAdd,
			"del": b.followDel,
		},
	}
}

// docTag is a short ASCII tag of a document number for callback data
// (numbers carry Vietnamese letters).
func docTag(number string) string {
	h := sha256.Sum256([]byte(number))
	return hex.EncodeToString(h[:5])
}

func followButton(loc *locales.Localizer, q *store.Question) []Button {
	return []Button{{Text: loc.T("follow.btn"), Data: CB("fol", "add", strconv.FormatUint(q.ID, 10))}}
}

func (b *Bot) followAdd(c *Ctx) error {
	_, _, args, _ := ParseCB(c.U.Data)
	if len(args) != 1 {
		return b.r.stale(c)
	}
	var doc string
	err := b.st.View(func(tx *store.Tx) error {
		q, err := ownQuestion(tx, c, args[0])
		if err != nil {
			return err
		}
		if q.Refused || len(q.Docs) == 0 {
			return Refuse("common.stale_button")
		}
		doc = q.Docs[0]
		return nil
	})
	if err != nil {
		return err
	}
	u := c.User
	switch {
	case slices.Contains(u.Follows, doc):
		c.Reply(Reply{Text: c.T("follow.already", "Doc", Esc(b.docLabel(doc)))})
		return nil
	case len(u.Follows) >= maxFollows:
		return Refuse("follow.too_many", "Max", maxFollows)
	}
	u.Follows = append(u.Follows, doc)
	c.Reply(Reply{Text: c.T("follow.added", "Doc", Esc(b.docLabel(doc))), Buttons: [][]Button{unfollowButton(c.Loc, doc)}})
	return nil
}

// docLabel is how a document is named to users: its number as its own
// text writes it (policy.Doc.Label), or the number as stored when the
// knowledge base does not have it.
func (b *Bot) docLabel(number string) string {
	if p := b.opt.Features.Policy; p != nil {
		if d := p.KB().Doc(number); d != nil {
			return d.Label()
		}
	}
	return number
}

func unfollowButton(loc *locales.Localizer, doc string) []Button {
	return []Button{{Text: loc.T("follow.btn_stop"), Data: CB("fol", "del", docTag(doc))}}
}

func (b *Bot) followDel(c *Ctx) error {
	_, _, args, _ := ParseCB(c.U.Data)
	if len(args) != 1 {
		return b.r.stale(c)
	}
	u := c.User
	i := slices.IndexFunc(u.Follows, func(d string) bool { return docTag(d) == args[0] })
	if i < 0 {
		return b.r.stale(c)
	}
	doc := u.Follows[i]
	u.Follows = slices.Delete(u.Follows, i, i+1)
	c.Reply(Reply{Text: c.T("follow.removed", "Doc", Esc(b.docLabel(doc)))})
	return nil
}

// kbNotices queues, inside the upload's transaction, one notice to each
// user the uploaded document d concerns: followers of d (updated or now
// replaced), followers of a document d succeeds (they follow d from now
// on), and users with a saved guide that d changes. The staff member who
// uploaded is told like anyone else.
func (b *Bot) kbNotices(tx *store.Tx, c *Ctx, kb *policy.KB, d *policy.Doc) error {
	// Documents d succeeds: the knowledge base links them by replaced_by.
	succeeds := map[string]bool{}
	for _, x := range kb.Docs() {
		if x.ReplacedBy != "" && sameNumber(x.ReplacedBy, d.Number) && !sameNumber(x.Number, d.Number) {
			succeeds[x.Number] = true
		}
	}
	guides := map[policy.Profile]map[string]string{} // profile → lang → fingerprint after
	var changed []*store.User
	var replies []Reply
	err := tx.EachUser(func(u *store.User) error {
		if u.Inactive {
			return nil
		}
		loc := b.i18n.For(u.Lang)
		var text string
		var rows [][]Button
		for _, f := range u.Follows {
			switch {
			case sameNumber(f, d.Number):
				if d.Status == policy.StatusReplaced && d.ReplacedBy != "" {
					text = loc.T("follow.replaced", map[string]any{"Doc": Esc(d.Label()), "New": Esc(b.docLabel(d.ReplacedBy))})
				} else {
					src := policy.Source{Doc: d.Number, Label: d.Label(), Status: d.StatusAt(c.Now()), Period: d.Period, ReplacedBy: d.ReplacedBy,
						ValidTo: d.EffectiveTo.String(), ValidFrom: d.EffectiveFrom.String(), Locality: d.Locality}
					text = loc.T("follow.updated", map[string]any{"Doc": Esc(d.Label()), "Validity": Esc(policy.Validity(src, loc))})
				}
				rows = append(rows, unfollowButton(loc, f))
			case succeeds[f]:
				text = loc.T("follow.successor", map[string]any{"Doc": Esc(b.docLabel(f)), "New": Esc(d.Label()), "Title": Esc(d.Title)})
				if !slices.ContainsFunc(u.Follows, func(x string) bool { return sameNumber(x, d.Number) }) {
					u.Follows = append(u.Follows, d.Number)
				}
				rows = append(rows, unfollowButton(loc, d.Number))
			default:
				continue
			}
			break
		}
		if p := hotroProfile(u); u.GuideSeen != "" && !p.Empty() {
			fp, ok := guides[p][u.Lang]
			if !ok {
				fp = kb.GuideAfter(d, p, u.Lang).Fingerprint()
				if guides[p] == nil {
					guides[p] = map[string]string{}
				}
				guides[p][u.Lang] = fp
			}
			if fp != u.GuideSeen {
				u.GuideSeen = fp // offered: not again for the same list
				if text != "" {
					text += "\n\n"
				}
				text += loc.T("hotro.kb_changed")
				rows = append(rows, []Button{{Text: loc.T("hotro.btn_show"), Data: CB("hotro", "show")}})
			}
		}
		if text == "" {
			return nil
		}
		changed = append(changed, u)
		replies = append(replies, Reply{ChatID: u.ID, Text: text, Buttons: rows})
		return nil
	})
	if err != nil {
		return err
	}
	for _, u := range changed {
		if u.ID == c.User.ID {
			// The uploader's record is written by the commit itself.
			c.User.Follows, c.User.GuideSeen = u.Follows, u.GuideSeen
			continue
		}
		if err := tx.PutUser(u); err != nil {
			return err
		}
	}
	for _, r := range replies {
		c.SendTo(r.ChatID, r)
	}
	return nil
}

func sameNumber(a, b string) bool { return foldLabel(a) == foldLabel(b) }
