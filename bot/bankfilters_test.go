package bot_test

import (
	"strings"
	"testing"

	"github.com/qnstartup/trolykhoinghiep/store"
)

// The idea bank: sector, locality and search combine, each filter has its
// own remove button, and a card opened from the results goes back to them
// or searches again with the same filters.
func TestBankFiltersCombine(t *testing.T) {
	h, _ := newIdeaHarness(t)
	a := submitIdea(h, lan, "Sấy sâm Ngọc Linh bằng năng lượng mặt trời", "Máy sấy cho bà con trồng sâm.", true)
	b := submitIdea(h, mai, "Sấy chuối xuất khẩu", "Chuối sấy dẻo cho hợp tác xã.", true)
	c := submitIdea(h, binh, "Tour trải nghiệm sấy cà phê", "Du khách tự sấy và rang cà phê.", true)
	h.st.Update(func(tx *store.Tx) error {
		for id, f := range map[uint64]func(*store.Idea){
			b.ID: func(i *store.Idea) { i.Locality = "qn-tamky" },
			c.ID: func(i *store.Idea) { i.Sector = "tourism" },
		} {
			i, err := tx.Idea(id)
			if err != nil {
				return err
			}
			f(i)
			if err := tx.PutIdea(i); err != nil {
				return err
			}
		}
		return nil
	})
	for _, i := range []*store.Idea{a, b, c} {
		publishIdea(h, i.ID)
	}
	// listed checks which ideas the newest listing shows.
	listed := func(want ...*store.Idea) string {
		t.Helper()
		m := h.last(tom)
		for _, i := range []*store.Idea{a, b, c} {
			in := false
			for _, w := range want {
				in = in || w.ID == i.ID
			}
			if strings.Contains(m.Text, i.Code) != in {
				t.Fatalf("listing shows %s: %v, want %v:\n%s", i.Code, !in, in, m.Text)
			}
		}
		return m.Text
	}

	h.send(tom, "/ideas")
	h.press(tom, "bank:q:")
	h.send(tom, "say")
	if text := listed(a, b, c); !strings.Contains(text, "🔎 «say»") {
		t.Fatalf("search not shown as a filter:\n%s", text)
	}
	// Sector narrows the search.
	h.press(tom, "bank:fs:")
	h.press(tom, "bank:l:n:0:agri:-:")
	listed(a, b)
	// Locality narrows both.
	h.press(tom, "bank:fl:")
	h.send(tom, "dai loc")
	h.press(tom, "bank_loc:pick:qn-dailoc")
	listed(a)
	h.expect(tom, "🔎 «say»", "Agriculture", "Đại Lộc", "✖️ Drop the words", "✖️ Drop the sector", "✖️ Drop the locality")
	// Each filter comes off on its own: the sector here.
	h.press(tom, "bank:l:n:0:-:qn-dailoc:")
	listed(a, c)

	// A card from the results: support, then back to the same results.
	h.press(tom, "bank:o:"+itoa(c.ID)+":")
	h.expect(tom, c.Code, "⬅️ Back to the list", "🔎 Search again")
	h.press(tom, "bank:sup:")
	h.expect(tom, "⬅️ Back to the list")
	if n := h.idea(c.ID).Supporters; n != 1 {
		t.Fatalf("supporters: %d", n)
	}
	h.press(tom, "bank:l:")
	listed(a, c)
	h.expect(tom, "🔎 «say»", "Đại Lộc")

	// Search again keeps the locality.
	h.press(tom, "bank:o:"+itoa(a.ID)+":")
	h.press(tom, "bank:q:")
	h.send(tom, "ca phe")
	listed(c)
	h.expect(tom, "🔎 «ca phe»", "Đại Lộc")
	// Dropping the search leaves the locality listing.
	m := h.last(tom)
	var drop string
	for _, row := range m.Buttons {
		for _, bt := range row {
			if strings.HasPrefix(bt.Text, "✖️ Drop the words") {
				drop = bt.Data
			}
		}
	}
	if drop == "" {
		t.Fatalf("no button to drop the search: %+v", m.Buttons)
	}
	pressData(h, tom, drop)
	listed(a, c)
	if strings.Contains(h.last(tom).Text, "🔎") {
		t.Fatalf("search still applied:\n%s", h.last(tom).Text)
	}

	// A search with nothing under the filters offers to search everywhere.
	h.press(tom, "bank:q:")
	h.send(tom, "chuoi")
	h.expect(tom, "No ideas found", "Search again", "Search every sector and locality")
	h.press(tom, "bank:l:n:0:-:-:")
	listed(b)
}
