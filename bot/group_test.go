package bot_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	. "github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/store"
)

const groupID = -1001234567890

// groupMsg queues a message from u in a group chat.
func groupMsg(h *harness, from int64, name, text string) {
	h.t.Helper()
	ent := ""
	if strings.HasPrefix(text, "/") {
		n := len(strings.Fields(text)[0])
		ent = fmt.Sprintf(`,"entities":[{"type":"bot_command","offset":0,"length":%d}]`, n)
	}
	raw := fmt.Sprintf(`{"message":{"message_id":%d,"date":1700000000,"from":{"id":%d,"is_bot":false,"first_name":%q},"chat":{"id":%d,"type":"supergroup","title":"HTX"},"text":%q%s}}`,
		len(text)+int(from%1000), from, name, groupID, text, ent)
	h.srv.SendRaw(json.RawMessage(raw))
	h.idle()
}

// The bot talks only in private chats: in a group, /myideas (with the
// author's phone number), /export and /idea get one polite line with a
// button to open a private chat, and nothing else; the group is not a
// user, and being added to it is only recorded.
func TestGroupChatsGetOneLine(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.ChatLinks = map[string]string{"telegram": "https://t.me/trolykn_bot"} })
	submitIdea(h, lan, "Máy sấy nông sản", samDesc, true)
	h.st.Update(func(tx *store.Tx) error {
		ideas, err := tx.IdeasByAuthor(lan.ID)
		if err != nil || len(ideas) == 0 {
			return err
		}
		ideas[0].Phone = "+84905123456"
		return tx.PutIdea(ideas[0])
	})
	// Added to the group.
	h.srv.SendRaw(json.RawMessage(fmt.Sprintf(`{"my_chat_member":{"chat":{"id":%d,"type":"supergroup","title":"HTX"},"from":{"id":%d,"is_bot":false,"first_name":"Lan"},"date":1700000000,"old_chat_member":{"user":{"id":1,"is_bot":true,"first_name":"Bot"},"status":"left"},"new_chat_member":{"user":{"id":1,"is_bot":true,"first_name":"Bot"},"status":"member"}}}`, groupID, lan.ID)))
	h.idle()
	groupMsg(h, lan.ID, "Lan", "/myideas")
	groupMsg(h, admin.ID, "Hà", "/export")
	groupMsg(h, tom.ID, "Tom", "/idea")
	groupMsg(h, tom.ID, "Tom", "Máy sấy cà phê")
	msgs := h.srv.Messages(groupID)
	if len(msgs) != 1 {
		t.Fatalf("the group got %d messages, want one line:\n%s", len(msgs), h.srv.Transcript(groupID))
	}
	if !strings.Contains(msgs[0].Text, "trò chuyện riêng") || len(msgs[0].Buttons) != 1 || msgs[0].Buttons[0][0].URL != "https://t.me/trolykn_bot" {
		t.Fatalf("group line: %+v", msgs[0])
	}
	tr := h.srv.Transcript(groupID)
	for _, leak := range []string{"905123456", "Máy sấy nông sản", ".csv"} {
		if strings.Contains(tr, leak) {
			t.Fatalf("the group saw %q:\n%s", leak, tr)
		}
	}
	// /idea in the group started no wizard for Tom.
	h.st.View(func(tx *store.Tx) error {
		st, err := tx.State(tom.ID)
		if err == nil && st.Flow != "" {
			t.Errorf("a group message started a flow: %+v", st)
		}
		if _, err := tx.User(groupID); err == nil {
			t.Error("the group was stored as a user")
		}
		return nil
	})
}
