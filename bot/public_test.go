package bot_test

import (
	"testing"

	"github.com/qnstartup/trolykhoinghiep/store"
)

// The web site's links open the chat at an idea: Telegram's start payload
// idea_<code>, or the code typed on its own.
func TestWebLinksOpenIdea(t *testing.T) {
	h, _ := newIdeaHarness(t)
	h.st.Update(func(tx *store.Tx) error {
		return tx.AddIdea(&store.Idea{AuthorID: mai.ID, Title: "Máy sấy nông sản", Description: "Sấy chuối", Sector: "agri", Locality: "qn-dailoc",
			AuthorKind: "farmer", Public: true, Consent: true, Status: store.IdeaPublished, Created: ideaClock, Published: ideaClock})
	})
	h.send(tom, "/start idea_YT-000001")
	h.expect(tom, "Máy sấy nông sản", "YT-000001")
	if m := h.last(tom); len(m.Buttons) == 0 || m.Buttons[0][0].Data != "bank:sup:1" {
		t.Errorf("card buttons: %+v", m.Buttons)
	}
	h.send(lan, "yt 1")
	h.expect(lan, "Máy sấy nông sản")
	h.send(tom, "/start idea_YT-000999")
	h.expect(tom, "no longer in the Bank")
}

func TestShowNameToggle(t *testing.T) {
	h := newHarness(t)
	h.send(lan, "/settings")
	h.expect(lan, "Hiện tên tôi trên web: đang tắt")
	h.press(lan, "settings:name:on")
	if !h.user(lan.ID).ShowName {
		t.Fatal("ShowName not set")
	}
	h.expect(lan, "Hiện tên tôi trên web: đang bật")
	h.press(lan, "settings:name:off")
	if h.user(lan.ID).ShowName {
		t.Fatal("ShowName still set")
	}
}
