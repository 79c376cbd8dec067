package bot_test

import (
	"bytes"
	"encoding/binary"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	. "github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/locales"
	"github.com/qnstartup/trolykhoinghiep/policy"
	"github.com/qnstartup/trolykhoinghiep/store"
	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
)

// A person seeded with data that identifies them: unusual names, a
// username, phone numbers (one shared as a contact, one typed in a
// question) and marker words in what they write.
type person struct {
	u            telegramtest.User
	contact      string // shared with the contact button
	typed        string // typed in a question, as people write it
	typedDigits  string
	questionWord string // only in their policy question
	noteWord     string // only in their collaboration request
}

var ngoc = person{
	u:       telegramtest.User{ID: 777000111, FirstName: "Xuanmarker", LastName: "Lastmarker", Username: "usermarker_q", LanguageCode: "vi"},
	contact: "+84905111333", typed: "0905 111 222", typedDigits: "0905111222",
	questionWord: "Quokkamarker", noteWord: "Narwhalmarker",
}

// identifiers are the strings that must not be seen where p's data must
// not be: names, username, phone numbers in any formatting, and the ID.
func (p person) identifiers() []string {
	return []string{p.u.FirstName, p.u.LastName, p.u.Username, p.contact, p.contact[3:], p.typed, p.typedDigits, p.typedDigits[1:], strconv.FormatInt(p.u.ID, 10)}
}

// world is a bot with the policy knowledge base, a fake model that
// records its prompts, background work running, and a clock that moves.
type world struct {
	*jobEnv
	llm *fakeLLM
}

func newWorld(t *testing.T) *world {
	t.Helper()
	f := &fakeLLM{}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	clock := &testClock{now: testStart}
	h := startHarness(t, harnessConfig{withPolicy: true, llm: &policy.LLMConfig{
		BaseURL: srv.URL + "/v1", Model: "test", Timeout: 2 * time.Second, MaxRetries: -1,
	}}, func(o *Options) { o.Now = clock.Now })
	return &world{jobEnv: &jobEnv{harness: h, clock: clock, vi: locales.MustLoad().For("vi")}, llm: f}
}

// seed runs every flow that stores something about p: a policy question
// (answered by the model, passed to staff, answered and saved as a
// curated answer), an idea with a shared phone number (published), a
// support, a follow and a collaboration request on Mai's idea, an RSVP,
// and an announcement received. It returns p's published idea.
func (w *world) seed(p person) *store.Idea {
	w.t.Helper()
	u := p.u
	w.send(u, "/start")
	w.send(mai, "/start")
	w.send(tom, "/start")
	w.send(admin, "/start")

	w.send(u, "tham gia ngay hoi khoi nghiep duoc ho tro bao nhieu, goi em "+p.typed+" nhe "+p.questionWord)
	w.waitText(u, "tối đa 8 triệu đồng")
	w.press(u, "ask:fwd:")
	w.waitText(admin, "Câu hỏi mới")
	w.press(admin, "asks:reply:")
	w.send(admin, "Cán bộ trả lời: mỗi đơn vị được hỗ trợ tối đa 8 triệu đồng.")
	w.press(admin, "asks:save:")

	ideaToContact(w.harness, u, samTitle, samDesc+" Liên hệ "+p.typed+".", "dai loc", "qn-dailoc", "youth")
	w.srv.SendContact(u, p.contact)
	w.idle()
	w.press(u, "idea:vis:pub")
	w.press(u, "idea:consent:yes")
	w.press(u, "idea:ok")
	w.expect(u, "Mã ý tưởng")
	var mine *store.Idea
	w.st.View(func(tx *store.Tx) error {
		ideas, _ := tx.IdeasByAuthor(u.ID)
		if len(ideas) > 0 {
			mine = ideas[0]
		}
		return nil
	})
	if mine == nil {
		w.t.Fatalf("no idea saved:\n%s", w.srv.Transcript(u.ID))
	}
	publishIdea(w.harness, mine.ID)

	other := submitIdea(w.harness, mai, "Tour làng gốm Thanh Hà", "Du lịch cộng đồng ở làng gốm, khách tự tay làm gốm cùng nghệ nhân.", true)
	publishIdea(w.harness, other.ID)
	w.send(u, "/ideas")
	w.press(u, "bank:o:"+itoa(other.ID))
	w.press(u, "bank:sup:"+itoa(other.ID))
	w.press(u, "bank:fol:"+itoa(other.ID))
	w.press(u, "bank:col:"+itoa(other.ID))
	w.send(u, "Em muốn hợp tác làm tour "+p.noteWord)
	w.waitText(mai, p.noteWord)

	ev := publishEvent(w.jobEnv, admin, "Ngày hội Khởi nghiệp 2026", "25/3 8h")
	w.send(u, "/events")
	w.press(u, "ev:show:"+num(ev.ID))
	w.press(u, "ev:rsvp:"+num(ev.ID))
	w.expect(u, "1 người sẽ tham dự")

	w.send(admin, "/broadcast")
	w.send(admin, "Thông báo: Ngày hội Khởi nghiệp mở đăng ký gian hàng.")
	w.press(admin, "bc:next")
	w.press(admin, "bc:now")
	w.waitText(u, "mở đăng ký gian hàng")
	return mine
}

// leaks lists where, in every record of every bucket, any of needles
// appears (as text, or for IDs also as 8 big-endian bytes). keep allows a
// record.
func leaks(t *testing.T, st *store.Store, needles []string, ids []int64, keep func(bucket string, k, v []byte) bool) []string {
	t.Helper()
	if n := len(st.Buckets()); n < 25 {
		t.Fatalf("only %d buckets: %v", n, st.Buckets())
	}
	var out []string
	err := st.Walk(func(bucket string, k, v []byte) error {
		if keep != nil && keep(bucket, k, v) {
			return nil
		}
		for _, n := range needles {
			if bytes.Contains(k, []byte(n)) || bytes.Contains(v, []byte(n)) {
				out = append(out, bucket+": "+n+" in "+strconv.Quote(string(v)))
			}
		}
		for _, id := range ids {
			b := binary.BigEndian.AppendUint64(nil, uint64(id))
			if bytes.Contains(k, b) || bytes.Contains(v, b) {
				out = append(out, bucket+": ID bytes in record "+strconv.Quote(string(k)))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// /deletemydata leaves nothing that identifies the user in any bucket:
// only a bare record (language, no name) so the bot can keep talking to
// the chat.
func TestDeleteMyDataEverywhere(t *testing.T) {
	w := newWorld(t)
	mine := w.seed(ngoc)
	needles := append(ngoc.identifiers(), ngoc.questionWord, ngoc.noteWord)
	if got := leaks(t, w.st, needles, []int64{ngoc.u.ID}, nil); len(got) < 8 {
		t.Fatalf("seeding stored too little to test (%d places):\n%s", len(got), strings.Join(got, "\n"))
	}

	w.send(ngoc.u, "/deletemydata")
	w.press(ngoc.u, "privacy:del:keep")
	w.expect(ngoc.u, "Đã xóa dữ liệu cá nhân")
	w.send(tom, "/help") // the next commit removes delivered replies from the outbox

	bare := binary.BigEndian.AppendUint64(nil, uint64(ngoc.u.ID))
	got := leaks(t, w.st, needles, []int64{ngoc.u.ID}, func(bucket string, k, v []byte) bool {
		return bucket == "users" && bytes.Equal(k, bare)
	})
	if len(got) > 0 {
		t.Errorf("after /deletemydata the store still holds:\n%s", strings.Join(got, "\n"))
	}
	u := w.user(ngoc.u.ID)
	if u.FirstName != "" || u.LastName != "" || u.Username != "" || u.Subscribed || u.Kind != "" {
		t.Errorf("bare record keeps data: %+v", u)
	}
	// The public idea stays in the bank, anonymised; the event count
	// and the announcement's totals are unchanged in meaning.
	if i := w.idea(mine.ID); !i.InBank() || i.AuthorID != 0 || i.Phone != "" {
		t.Errorf("public idea after deletion: %+v", i)
	}
	var rsvps int
	w.st.View(func(tx *store.Tx) error {
		evs, _, _ := tx.UpcomingEvents(time.Unix(0, 0), 0, 10)
		for _, e := range evs {
			rsvps += e.RSVPs
		}
		return nil
	})
	if rsvps != 0 {
		t.Errorf("events still count %d RSVPs", rsvps)
	}
}

// The privacy census: after every flow, nothing identifying a person —
// names, username, phone numbers however typed, platform ID — is seen by
// another ordinary user, the logs, /metrics or the model's prompts. The one
// exception is by the person's own act: a collaboration request shows the
// requester's name to the idea's author.
func TestPrivacyCensus(t *testing.T) {
	w := newWorld(t)
	mine := w.seed(ngoc)
	// Tom, an ordinary user, browses the bank and opens Ngọc's idea.
	w.send(tom, "/ideas")
	w.press(tom, "bank:o:"+itoa(mine.ID))
	w.harness.expect(tom, "Sấy khô sâm", "[phone number hidden]")
	w.send(tom, "/events")

	ids := ngoc.identifiers()
	phones := []string{ngoc.contact, ngoc.contact[3:], ngoc.typed, ngoc.typedDigits, ngoc.typedDigits[1:]}
	scan := func(where, text string, needles []string) {
		t.Helper()
		for _, n := range needles {
			if strings.Contains(text, n) {
				t.Errorf("%s shows %q:\n%s", where, n, text)
			}
		}
	}
	for _, u := range []telegramtest.User{tom, mai} {
		for _, m := range w.srv.Messages(u.ID) {
			text := m.Text
			for _, row := range m.Buttons {
				for _, b := range row {
					text += "\n" + b.Text + " " + b.Data + " " + b.URL
				}
			}
			if u.ID == mai.ID && strings.Contains(text, ngoc.noteWord) {
				scan("the collaboration request to its author", text, phones)
				continue
			}
			scan(u.FirstName+"'s chat", text, ids)
		}
	}
	// Staff notices carry the question without the typed number.
	for _, m := range w.srv.Messages(admin.ID) {
		if strings.Contains(m.Text, ngoc.questionWord) {
			scan("the notice to staff", m.Text, []string{ngoc.typed, ngoc.typedDigits})
		}
	}
	scan("the logs", w.logs.String(), ids)
	fams, err := w.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var metrics strings.Builder
	for _, f := range fams {
		metrics.WriteString(f.GetName() + "\n")
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				metrics.WriteString(l.GetName() + "=" + l.GetValue() + "\n")
			}
		}
	}
	scan("/metrics", metrics.String(), ids)
	w.llm.mu.Lock()
	prompts := strings.Join(w.llm.prompts, "\n")
	w.llm.mu.Unlock()
	if !strings.Contains(prompts, "<cau_hoi>") {
		t.Fatalf("the model never wrote an answer:\n%s", prompts)
	}
	scan("the model's prompts", prompts, ids)
}

// TestNoticesHideTypedPhones: a phone number an author typed in a title
// reaches no follower, whatever the notice.
func TestNoticesHideTypedPhones(t *testing.T) {
	h, _ := newIdeaHarness(t)
	i := submitIdea(h, lan, "Rau sạch giao tận nhà, gọi 0905 777 888", "Rau sạch từ vườn nhà ở Đại Lộc.", true)
	publishIdea(h, i.ID)
	id := strconv.FormatUint(i.ID, 10)
	h.send(tom, "/ideas")
	h.press(tom, "bank:o:"+id)
	h.press(tom, "bank:fol:"+id)
	h.send(admin, "/review "+i.Code)
	h.press(admin, "rv:t:sup:"+id)
	h.send(admin, "Vào vườn ươm")
	h.expect(tom, "Vào vườn ươm")
	h.press(lan, "my:open:"+id)
	h.press(lan, "my:wd:"+id)
	h.press(lan, "my:wdy:"+id)
	h.expect(tom, i.Code)
	if tr := h.srv.Transcript(tom.ID); strings.Contains(tr, "777 888") || strings.Contains(tr, "777888") {
		t.Fatalf("a follower saw the number:\n%s", tr)
	}
}
