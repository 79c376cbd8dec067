package bot_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// An update whose entities reach past its text is skipped; the bot goes on.
func TestMalformedEntitySkipped(t *testing.T) {
	h := newHarness(t)
	raw := fmt.Sprintf(`{"update_id":0,"message":{"message_id":5,"date":1,"from":{"id":%d,"is_bot":false,"first_name":"Lan"},"chat":{"id":%d,"type":"private"},"text":"/x","entities":[{"type":"bot_command","offset":0,"length":40}]}}`, lan.ID, lan.ID)
	h.srv.SendRaw(json.RawMessage(raw))
	h.send(lan, "/help")
	h.expect(lan, "Hướng dẫn")
	if !strings.Contains(h.logs.String(), "malformed update") {
		t.Fatalf("not logged:\n%s", h.logs.String())
	}
}
