package bot

import (
	"strings"

	"github.com/qnstartup/trolykhoinghiep/store"
)

// Read access to the idea bank for the public web site.

// SearchIdeas returns the IDs of up to limit published public ideas
// matching query, best first, with the same diacritics- and
// Telex-tolerant search as /ideas in the chat. allow, if not nil, filters
// candidates before ranking; it runs under the index's read lock and must
// not search. The index first catches up with the store, so an idea
// published a moment ago is found.
func (b *Bot) SearchIdeas(query string, limit int, allow func(id uint64) bool) ([]uint64, error) {
	ix, err := b.ideas.sync(b.st)
	if err != nil {
		return nil, err
	}
	hits := ix.Search(query, limit, allow)
	ids := make([]uint64, len(hits))
	for n, h := range hits {
		ids[n] = h.ID
	}
	return ids, nil
}

// showNameButton toggles whether the user's first name is shown on the
// web pages of their public ideas (off by default: "Ẩn danh").
func showNameButton(c *Ctx, module string) Button {
	if c.User.ShowName {
		return Button{Text: c.T("showname.btn_on"), Data: CB(module, "name", "off")}
	}
	return Button{Text: c.T("showname.btn_off"), Data: CB(module, "name", "on")}
}

// setShowName applies a showNameButton press; false for a malformed one.
func setShowName(c *Ctx, args []string) bool {
	if len(args) != 1 || (args[0] != "on" && args[0] != "off") {
		return false
	}
	c.User.ShowName = args[0] == "on"
	if c.User.ShowName {
		c.Toast(c.T("showname.on"))
	} else {
		c.Toast(c.T("showname.off"))
	}
	return true
}

func (b *Bot) settingsName(c *Ctx) error {
	_, _, args, _ := ParseCB(c.U.Data)
	if !setShowName(c, args) {
		return b.r.stale(c)
	}
	return b.refresh(c)
}

// The web site's "open the chat at this idea" links: Telegram's
// /start idea_YT-000123, or the code typed on its own (Zalo has no start
// payload), opens the idea's card with its support, follow and
// collaboration buttons.

// ideaPayload reads a start payload "idea_YT-000123".
func ideaPayload(p string) (uint64, bool) {
	code, ok := strings.CutPrefix(p, "idea_")
	if !ok {
		return 0, false
	}
	return store.ParseIdeaCode(code)
}

// typedIdeaCode reads a message that is only an idea code ("YT-000123",
// "yt 123"); bare numbers are questions, not codes.
func typedIdeaCode(text string) (uint64, bool) {
	t := strings.TrimSpace(text)
	if len(t) < 3 || len(t) > 16 || !strings.EqualFold(t[:2], "yt") {
		return 0, false
	}
	return store.ParseIdeaCode(t)
}

// openIdeaCard shows a bank idea's card, or says it is not (or no longer)
// public.
func (b *Bot) openIdeaCard(c *Ctx, id uint64) error {
	return b.st.View(func(tx *store.Tx) error {
		i, err := b.bankIdea(c, tx, id)
		if err != nil {
			return err
		}
		c.Reply(Reply{Text: b.cardText(c, i), Buttons: b.cardButtons(c, tx, i, nil)})
		return nil
	})
}
