package bot_test

import (
	"path/filepath"
	"testing"

	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
)

// The bot starts on a database written by the release before schema 2: the
// reply that was waiting in its outbox is delivered, and a user of that
// release carries on with their idea.
func TestStartsOnSchema1Database(t *testing.T) {
	h := startHarness(t, harnessConfig{fromDB: filepath.Join("..", "store", "testdata", "schema1.db")})
	old := telegramtest.User{ID: 111, FirstName: "Lan", LanguageCode: "vi"}
	h.waitText(old, "Tin nhắn chờ gửi")
	h.send(old, "/myideas")
	h.expect(old, "Máy sấy nông sản")
}
