package bot_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	. "github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/store"
	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
)

// More idea-bank users.
var (
	mai  = telegramtest.User{ID: 103, FirstName: "Mai", LanguageCode: "vi"}
	binh = telegramtest.User{ID: 104, FirstName: "Bình", Username: "binhcoop", LanguageCode: "vi"}
)

var ideaClock = time.Date(2025, 9, 15, 9, 30, 0, 0, Vietnam)

// stepClock is a test clock that moves one second per update handled, so
// the flood guard sees a person typing, and transcripts stay reproducible.
type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stepClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

func (c *stepClock) jump(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// newIdeaHarness starts the bot with a stepping clock at ideaClock.
func newIdeaHarness(t *testing.T, mods ...func(*Options)) (*harness, *stepClock) {
	clk := &stepClock{t: ideaClock}
	mods = append([]func(*Options){func(o *Options) { o.Now = clk.now }}, mods...)
	return newHarness(t, mods...), clk
}

const (
	samTitle = "Sấy khô sâm Ngọc Linh bằng năng lượng mặt trời"
	samDesc  = "Dùng máy sấy năng lượng mặt trời để sấy sâm và dược liệu cho bà con Nam Trà My, giữ chất lượng và giảm chi phí."
)

// ideaToContact answers the idea flow's steps from /idea up to the
// contact question: title, description, no media, the agriculture sector,
// the place typed as typed and chosen as loc, and the author kind.
func ideaToContact(h *harness, u telegramtest.User, title, desc, typed, loc, kind string) {
	h.t.Helper()
	h.send(u, "/idea")
	h.send(u, title)
	h.send(u, desc)
	h.press(u, "idea:media:done")
	h.press(u, "idea:sector:agri")
	h.send(u, typed)
	h.press(u, "idea:loc:"+loc)
	h.press(u, "idea:kind:"+kind)
}

// submitIdea goes through the submission flow with the fewest answers and
// returns the new idea.
func submitIdea(h *harness, u telegramtest.User, title, desc string, public bool) *store.Idea {
	h.t.Helper()
	ideaToContact(h, u, title, desc, "dai loc", "qn-dailoc", "youth")
	h.send(u, "Bỏ qua")
	if public {
		h.press(u, "idea:vis:pub")
	} else {
		h.press(u, "idea:vis:staff")
	}
	h.press(u, "idea:consent:yes")
	h.press(u, "idea:ok")
	h.expect(u, "Mã ý tưởng")
	var last *store.Idea
	h.st.View(func(tx *store.Tx) error {
		ideas, err := tx.IdeasByAuthor(u.ID)
		if err != nil || len(ideas) == 0 {
			h.t.Fatalf("no idea saved for %s: %v", u.FirstName, err)
		}
		last = ideas[0]
		return nil
	})
	return last
}

func (h *harness) idea(id uint64) *store.Idea {
	h.t.Helper()
	var i *store.Idea
	if err := h.st.View(func(tx *store.Tx) error {
		var err error
		i, err = tx.Idea(id)
		return err
	}); err != nil {
		h.t.Fatalf("idea %d: %v", id, err)
	}
	return i
}

// publishIdea has staff open and publish an idea.
func publishIdea(h *harness, id uint64) {
	h.t.Helper()
	h.send(admin, "/review "+store.IdeaCode(id))
	h.press(admin, "rv:pub:")
	if s := h.idea(id).Status; s != store.IdeaPublished {
		h.t.Fatalf("status after publish: %s", s)
	}
}

// pressData presses a button with exactly this data on the newest bot
// message in u's chat (forged or stale data included) and waits.
func pressData(h *harness, u telegramtest.User, data string) {
	h.t.Helper()
	m := h.last(u)
	h.srv.Press(u, m.ID, data)
	h.idle()
}

func TestIdeaSubmitGolden(t *testing.T) {
	h, _ := newIdeaHarness(t)
	h.send(lan, "💡 Gửi ý tưởng") // the main-menu button
	h.expect(lan, "Bước 1")
	h.send(lan, samTitle)
	h.send(lan, samDesc)
	h.srv.SendPhoto(lan, "photo-1", "")
	h.idle()
	h.srv.SendPhoto(lan, "photo-2", "")
	h.idle()
	h.srv.SendVoice(lan, "voice-1")
	h.idle()
	h.press(lan, "idea:media:done")
	h.press(lan, "idea:sector:agri")
	h.send(lan, "nam tra my")
	h.press(lan, "idea:loc:qn-namtramy")
	h.press(lan, "idea:kind:farmer")
	// Someone else's contact is refused; one's own is taken.
	h.srv.SendRaw(json.RawMessage(`{"update_id":1000100,"message":{"message_id":500,"date":1757900000,"chat":{"id":101,"type":"private"},"from":{"id":101,"first_name":"Lan"},"contact":{"phone_number":"+84900000000","first_name":"X","user_id":555}}}`))
	h.idle()
	h.expect(lan, "số điện thoại của chính bạn")
	h.srv.SendContact(lan, "+84905123456")
	h.idle()
	h.press(lan, "idea:vis:pub")
	h.press(lan, "idea:consent:yes")
	h.expect(lan, "Bạn kiểm tra lại", samTitle, "+84905123456", "Nam Trà My", "Ảnh:</b> 2")
	// Change the title from the review screen: back to review afterwards.
	h.press(lan, "idea:edit:title")
	h.send(lan, samTitle+" (Nam Trà My)")
	h.expect(lan, "Bạn kiểm tra lại", "(Nam Trà My)")
	h.press(lan, "idea:ok")
	h.expect(lan, "YT-000001", "09:30 15/09/2025", "/myideas")
	i := h.idea(1)
	if i.Status != store.IdeaSubmitted || i.Phone != "+84905123456" || len(i.Photos) != 2 || i.Voice != "voice-1" ||
		i.Sector != "agri" || i.Locality != "qn-namtramy" || i.AuthorKind != "farmer" || !i.Public || !i.Consent || i.AuthorID != lan.ID {
		t.Fatalf("saved idea: %+v", i)
	}
	h.golden("idea_submit_vi", lan)
}

func TestIdeaLifecycle(t *testing.T) {
	h, _ := newIdeaHarness(t)
	h.send(tom, "/start")
	h.send(admin, "/start")
	h.send(lan, "/idea")
	h.send(lan, samTitle)
	h.send(lan, samDesc)
	h.srv.SendPhoto(lan, "photo-1", "")
	h.idle()
	h.srv.SendVoice(lan, "voice-1")
	h.idle()
	h.press(lan, "idea:media:done")
	h.press(lan, "idea:sector:agri")
	h.send(lan, "nam tra my")
	h.press(lan, "idea:loc:qn-namtramy")
	h.press(lan, "idea:kind:woman")
	h.srv.SendContact(lan, "+84905123456")
	h.idle()
	h.press(lan, "idea:vis:pub")
	h.press(lan, "idea:consent:yes")
	h.press(lan, "idea:ok")
	h.expect(lan, "YT-000001")
	// Staff hear of the new idea (without the author's phone number).
	if m := h.expect(admin, "Ý tưởng mới", "YT-000001", "/review"); strings.Contains(m.Text, "+84905123456") {
		t.Fatal("phone number in the staff notice")
	}

	// Staff queue: opening takes the idea under review and tells the author.
	h.send(admin, "/review")
	h.expect(admin, "YT-000001", "+84905123456", "Lan Trần")
	h.expect(lan, "YT-000001", "Đang xem xét")
	// The author cannot edit once review started.
	h.send(lan, "/myideas")
	h.press(lan, "my:open:1")
	if strings.Contains(h.last(lan).Text, "my:edit") {
		t.Fatal("edit offered under review")
	}
	pressData(h, lan, "my:edit:1")
	h.expect(lan, "không sửa được")

	// Ask for more information; the author answers; the idea is back in the queue.
	h.press(admin, "rv:t:ask:1")
	h.send(admin, "Chi phí máy sấy dự kiến bao nhiêu?")
	h.expect(lan, "Chi phí máy sấy dự kiến bao nhiêu?")
	if s := h.idea(1).Status; s != store.IdeaInfo {
		t.Fatalf("status after ask: %s", s)
	}
	h.press(lan, "my:reply:1")
	h.send(lan, "Khoảng 30 triệu đồng.")
	h.expect(admin, "Khoảng 30 triệu đồng.")
	if s := h.idea(1).Status; s != store.IdeaSubmitted {
		t.Fatalf("status after reply: %s", s)
	}
	h.send(admin, "/review")
	h.press(admin, "rv:pub:1")
	h.expect(lan, "đã được công bố")

	// Browsing, and search without diacritics and with Telex slips.
	h.send(tom, "/ideas")
	h.expect(tom, samTitle)
	for _, q := range []string{"say kho sam", "saays khoo saam ngocj linh", "nawng luowngj mat troi"} {
		h.press(tom, "bank:q")
		h.send(tom, q)
		h.expect(tom, "YT-000001", samTitle)
	}
	h.press(tom, "bank:o:1")
	card := h.expect(tom, samTitle, "Nam Trà My")
	if strings.Contains(card.Text, "+84905") || strings.Contains(card.Text, "Trần") {
		t.Fatalf("public card reveals the author: %s", card.Text)
	}
	// Support once per user: a double tap counts once; the button then
	// takes it back.
	card = h.last(tom)
	h.srv.Press(tom, card.ID, "bank:sup:1")
	h.srv.Press(tom, card.ID, "bank:sup:1") // the same button, before the card is redrawn
	h.idle()
	if n := h.idea(1).Supporters; n != 1 {
		t.Fatalf("supporters after a double tap: %d", n)
	}
	h.press(tom, "bank:uns:1")
	if n := h.idea(1).Supporters; n != 0 {
		t.Fatalf("supporters after taking it back: %d", n)
	}
	h.press(tom, "bank:sup:1")
	h.press(tom, "bank:fol:1")
	if i := h.idea(1); i.Supporters != 1 || i.Followers != 1 {
		t.Fatalf("supporters %d followers %d", i.Supporters, i.Followers)
	}
	h.send(tom, "/ideas")
	h.press(tom, "bank:l:t:")
	h.expect(tom, "most supported", samTitle)

	// Status change and answer reach the author and the follower.
	h.send(admin, "/review YT-000001")
	h.press(admin, "rv:t:sup:1")
	h.expect(admin, "được hỗ trợ gì?")
	h.send(admin, "Vào vườn ươm của Trung tâm")
	h.expect(admin, "Đã ghi nhận ý tưởng YT-000001 được hỗ trợ")
	h.expect(lan, "được hỗ trợ", "Vào vườn ươm của Trung tâm")
	h.expect(tom, "gets support", "Vào vườn ươm")
	h.press(admin, "rv:t:ans:1")
	h.send(admin, "Ban sẽ hỗ trợ 50% chi phí máy sấy.")
	h.expect(lan, "Ban sẽ hỗ trợ 50%")
	h.expect(tom, "Ban sẽ hỗ trợ 50%")
	h.press(admin, "rv:t:note:1")
	h.send(admin, "Ghi chú nội bộ: ưu tiên vòng 2")
	if m := h.last(lan); strings.Contains(m.Text, "ưu tiên vòng 2") {
		t.Fatal("staff note sent to the author")
	}

	// Collaboration: the author's contact only with the author's consent.
	h.send(binh, "/ideas")
	h.press(binh, "bank:o:1")
	h.press(binh, "bank:col:1")
	h.send(binh, "Tôi là HTX, có thể bao tiêu sâm sấy.")
	h.expect(lan, "Bình (@binhcoop)", "có thể bao tiêu sâm sấy")
	if strings.Contains(h.srv.Transcript(binh.ID), "+84905123456") {
		t.Fatal("phone revealed before consent")
	}
	h.press(lan, "bank:share:")
	h.expect(binh, "+84905123456", "Lan Trần")
	h.press(lan, "bank:share:") // again: sent once
	if n := strings.Count(h.srv.Transcript(binh.ID), "+84905123456"); n != 1 {
		t.Fatalf("contact sent %d times", n)
	}

	// A second idea is declined with a reason.
	second := submitIdea(h, lan, "Tour trải nghiệm làng gốm", "Du lịch cộng đồng ở làng gốm Thanh Hà.", true)
	h.send(admin, "/review "+second.Code)
	h.press(admin, "rv:t:dec:")
	h.send(admin, "Ý tưởng chưa rõ mô hình kinh doanh.")
	h.expect(admin, "Từ chối ý tưởng "+second.Code+"?", "chưa rõ mô hình kinh doanh")
	if i := h.idea(second.ID); i.Status == store.IdeaDeclined {
		t.Fatal("declined before the confirmation")
	}
	h.press(admin, "rv_text:yes:")
	h.expect(admin, "Đã từ chối ý tưởng "+second.Code)
	h.expect(lan, second.Code, "chưa rõ mô hình kinh doanh")
	if i := h.idea(second.ID); i.Status != store.IdeaDeclined || i.Reason == "" {
		t.Fatalf("declined idea: %+v", i)
	}
	// /myideas shows both with status, the history and the staff answer.
	h.send(lan, "/myideas")
	h.expect(lan, "YT-000001", second.Code, "Không được chọn")
	h.press(lan, "my:open:1")
	h.expect(lan, "Ban sẽ hỗ trợ 50%", "Chi phí máy sấy", "+84905123456")

	// Every staff action is in the audit log.
	var actions []string
	h.st.View(func(tx *store.Tx) error {
		es, _ := tx.Audit(1, 50)
		for _, e := range es {
			if e.Actor != admin.ID {
				t.Errorf("audit actor %d", e.Actor)
			}
			actions = append(actions, e.Action)
		}
		return nil
	})
	want := []string{"note", "answer", "status:supported", "publish", "review", "ask_info", "review"}
	if strings.Join(actions, ",") != strings.Join(want, ",") {
		t.Errorf("audit log %v, want %v", actions, want)
	}
	h.press(admin, "rv:audit:1")
	m := h.expect(admin, "hỏi thêm tác giả", "công bố", "chuyển trạng thái: 🌱 Được hỗ trợ", "ghi chú nội bộ")
	for _, en := range []string{"ask_info", "publish", "review", "status:"} {
		if strings.Contains(m.Text, en) {
			t.Errorf("audit log shows %q:\n%s", en, m.Text)
		}
	}

	// Statistics and export.
	h.send(admin, "/stats")
	h.expect(admin, "tổng 2 ý tưởng", "Được hỗ trợ", "Không được chọn", "2025-09")
	h.send(admin, "/export")
	docs := h.srv.CallsTo("sendDocument")
	if len(docs) != 2 {
		t.Fatalf("export sent %d documents", len(docs))
	}
	h.send(lan, "/export")
	h.expect(lan, "không có quyền")
}

func TestIdeaRestartMidSubmission(t *testing.T) {
	h, _ := newIdeaHarness(t)
	h.send(lan, "/idea")
	h.send(lan, samTitle)
	h.send(lan, samDesc)
	h.srv.SendPhoto(lan, "photo-1", "")
	h.idle()
	h.restart()
	h.srv.SendPhoto(lan, "photo-2", "")
	h.idle()
	h.expect(lan, "2/5")
	h.press(lan, "idea:media:done")
	h.expect(lan, "Bước 4")
	h.restart()
	h.press(lan, "idea:sector:it")
	h.send(lan, "hoi an")
	h.press(lan, "idea:loc:qn-hoian")
	h.press(lan, "idea:kind:student")
	h.send(lan, "bo qua")
	h.press(lan, "idea:vis:staff")
	h.press(lan, "idea:consent:no")
	h.expect(lan, samTitle, "Ảnh:</b> 2", "Chỉ cán bộ xem")
	h.restart()
	h.press(lan, "idea:ok")
	h.expect(lan, "YT-000001")
	if i := h.idea(1); len(i.Photos) != 2 || i.Title != samTitle || i.Public {
		t.Fatalf("idea after restarts: %+v", i)
	}
	// A staff-only idea never shows in the bank, even once accepted.
	publishIdea(h, 1)
	h.send(tom, "/ideas")
	if strings.Contains(h.last(tom).Text, samTitle) {
		t.Fatal("staff-only idea listed in the bank")
	}
}

func TestIdeaConcurrentSupport(t *testing.T) {
	h, _ := newIdeaHarness(t)
	i := submitIdea(h, lan, samTitle, samDesc, true)
	publishIdea(h, i.ID)
	for _, u := range []telegramtest.User{tom, mai} {
		h.send(u, "/ideas")
		h.press(u, "bank:o:")
	}
	// Both press at once: the updates arrive in one batch and are handled
	// concurrently (different chats).
	tm, mm := h.last(tom), h.last(mai)
	h.srv.Press(tom, tm.ID, "bank:sup:1")
	h.srv.Press(mai, mm.ID, "bank:sup:1")
	h.idle()
	got := h.idea(i.ID)
	if got.Supporters != 2 {
		t.Fatalf("supporters = %d, want 2", got.Supporters)
	}
	// Each card shows the count as of its own commit: the later one shows 2.
	if a, b := h.last(tom).Text, h.last(mai).Text; !strings.Contains(a+b, "Supporters: 2") && !strings.Contains(a+b, "2 người ủng hộ") {
		t.Fatalf("no card shows both supports:\n%s\n%s", a, b)
	}
}

func TestIdeaForgedCallbacks(t *testing.T) {
	h, _ := newIdeaHarness(t)
	ideaToContact(h, lan, samTitle, samDesc, "tam ky", "qn-tamky", "youth")
	h.srv.SendContact(lan, "+84905123456")
	h.idle()
	h.press(lan, "idea:vis:pub")
	h.press(lan, "idea:consent:yes")
	h.press(lan, "idea:ok")
	h.send(tom, "/start")

	for _, data := range []string{
		"rv:pub:1",            // publish
		"rv:open:1",           // staff card with the phone
		"rv:st:1:supported",   // status change
		"rv:t:dec:1",          // decline
		"rv:audit:1",          // audit log
		"my:open:1",           // the author's view with the phone
		"my:edit:1",           // edit someone else's idea
		"my:wdy:1",            // withdraw someone else's idea
		"bank:o:1",            // not published yet
		"bank:sup:1",          // support an unpublished idea
		"bank:share:1",        // a collaboration request that is not theirs
		"bank:l:x:0:-:-:0",    // malformed listing
		"idea:ok",             // a step of a flow they are not in
		"privacy:del:nothing", // malformed delete
	} {
		pressData(h, tom, data)
	}
	if i := h.idea(1); i.Status != store.IdeaSubmitted || i.Supporters != 0 || i.Title != samTitle {
		t.Fatalf("forged callbacks changed the idea: %+v", i)
	}
	tr := h.srv.Transcript(tom.ID)
	if strings.Contains(tr, "+84905123456") || strings.Contains(tr, samDesc) {
		t.Fatalf("forged callbacks revealed the idea:\n%s", tr)
	}
	if !strings.Contains(tr, "not allowed") {
		t.Fatalf("no refusal:\n%s", tr)
	}
	if st, _ := h.st.User(tom.ID); st.IsStaff() {
		t.Fatal("tom became staff")
	}
	// The author cannot act as staff on their own idea either.
	pressData(h, lan, "rv:pub:1")
	h.expect(lan, "không có quyền")
	if s := h.idea(1).Status; s != store.IdeaSubmitted {
		t.Fatalf("author published their own idea: %s", s)
	}
}

func TestIdeaDeleteMyData(t *testing.T) {
	h, _ := newIdeaHarness(t)
	ideaToContact(h, lan, samTitle, samDesc, "dai loc", "qn-dailoc", "woman")
	h.srv.SendContact(lan, "+84905123456")
	h.idle()
	h.press(lan, "idea:vis:pub")
	h.press(lan, "idea:consent:yes")
	h.press(lan, "idea:ok")
	publishIdea(h, 1)
	hidden := submitIdea(h, lan, "Ý tưởng riêng", "Chỉ cán bộ xem.", false)
	other := submitIdea(h, mai, "Tour làng gốm", "Du lịch cộng đồng.", true)
	publishIdea(h, other.ID)
	h.send(lan, "/ideas")
	h.press(lan, "bank:o:"+itoa(other.ID))
	h.press(lan, "bank:sup:")
	h.press(lan, "bank:fol:")
	h.send(tom, "/ideas")
	h.press(tom, "bank:o:1")
	h.press(tom, "bank:sup:1")

	// Reachable from the settings screen.
	h.send(lan, "/settings")
	h.press(lan, "privacy:ask")
	h.press(lan, "privacy:del:keep")
	h.expect(lan, "Đã xóa dữ liệu cá nhân")

	u := h.user(lan.ID)
	if u.FirstName != "" || u.LastName != "" || u.Username != "" || u.Locality != "" || u.Kind != "" {
		t.Fatalf("user keeps personal data: %+v", u)
	}
	pub := h.idea(1)
	if pub.AuthorID != 0 || pub.Phone != "" || pub.AuthorName != "" || !pub.InBank() || pub.Supporters != 1 {
		t.Fatalf("public idea after delete: %+v", pub)
	}
	if hi := h.idea(hidden.ID); hi.Status != store.IdeaWithdrawn || hi.Title != "" || hi.Phone != "" {
		t.Fatalf("staff-only idea after delete: %+v", hi)
	}
	if o := h.idea(other.ID); o.Supporters != 0 || o.Followers != 0 {
		t.Fatalf("support/follow kept: %+v", o)
	}
	// The public card no longer offers to contact the (deleted) author.
	h.send(tom, "/ideas")
	h.press(tom, "bank:o:1")
	if m := h.last(tom); strings.Contains(m.Text, "Lan") || hasButton(m, "bank:col:") {
		t.Fatalf("anonymised card: %+v", m)
	}
	// Export carries no trace of the deleted author.
	var buf bytes.Buffer
	if err := ExportIdeas(h.st, &buf, "json"); err != nil {
		t.Fatal(err)
	}
	if s := buf.String(); strings.Contains(s, "+84905123456") || strings.Contains(s, "Trần") {
		t.Fatalf("export keeps deleted data:\n%s", s)
	}
	if strings.Contains(h.logs.String(), "+84905123456") {
		t.Fatal("phone number in the logs")
	}
}

func hasButton(m telegramtest.Message, prefix string) bool {
	for _, row := range m.Buttons {
		for _, b := range row {
			if strings.HasPrefix(b.Data, prefix) {
				return true
			}
		}
	}
	return false
}

func itoa(id uint64) string { return strconv.FormatUint(id, 10) }

func TestIdeaLimits(t *testing.T) {
	h, clk := newIdeaHarness(t, func(o *Options) { o.Features.IdeasPerDay = 1 })
	h.send(lan, "/idea")
	h.send(lan, strings.Repeat("a", 121))
	h.expect(lan, "121 ký tự", "120")
	h.send(lan, " \u00a0 \u200b ")
	h.expect(lan, "chỉ có khoảng trắng")
	h.send(lan, strings.Repeat("á", 120))
	h.expect(lan, "Bước 2")
	h.send(lan, strings.Repeat("b", 3001))
	h.expect(lan, "3001 ký tự", "3000")
	h.send(lan, strings.Repeat("b", 3000))
	h.expect(lan, "Bước 3")
	h.send(lan, "/cancel")
	submitIdea(h, lan, samTitle, samDesc, true)
	h.send(lan, "/idea")
	h.expect(lan, "tối đa 1 ý tưởng")
	if h.idea(1).Title != samTitle {
		t.Fatal("first idea not saved")
	}
	// The next day the limit starts again.
	clk.jump(24 * time.Hour)
	h.send(lan, "/idea")
	h.expect(lan, "Bước 1")
}

func TestBankStalePage(t *testing.T) {
	h, _ := newIdeaHarness(t)
	var ids []uint64
	h.st.Update(func(tx *store.Tx) error {
		for n := range 20 {
			i := &store.Idea{AuthorID: mai.ID, Title: "Ý tưởng số " + itoa(uint64(n+1)), Description: "Mô tả", Sector: "it", Locality: "qn-hoian",
				Public: true, Status: store.IdeaPublished, Created: ideaClock.Add(time.Duration(n) * time.Minute), Published: ideaClock.Add(time.Duration(n) * time.Minute)}
			if err := tx.AddIdea(i); err != nil {
				return err
			}
			ids = append(ids, i.ID)
		}
		return nil
	})
	h.send(tom, "/ideas")
	h.press(tom, "bank:l:n:1:")
	h.expect(tom, "page 2", "000012")
	page3 := ""
	for _, row := range h.last(tom).Buttons {
		for _, b := range row {
			if strings.HasPrefix(b.Data, "bank:l:n:2:") {
				page3 = b.Data
			}
		}
	}
	if page3 == "" {
		t.Fatalf("no next page button: %+v", h.last(tom).Buttons)
	}
	// Most ideas leave the bank: the old "next page" now points past the end.
	h.st.Update(func(tx *store.Tx) error {
		for _, id := range ids[:15] {
			i, _ := tx.Idea(id)
			i.Status = store.IdeaWithdrawn
			if err := tx.PutIdea(i); err != nil {
				return err
			}
		}
		return nil
	})
	pressData(h, tom, page3)
	m := h.expect(tom, "page 1", "000020", "000016")
	if strings.Contains(m.Text, "000015") {
		t.Fatalf("withdrawn idea listed: %s", m.Text)
	}
	answers := h.srv.CallsTo("answerCallbackQuery")
	if last := answers[len(answers)-1]; !strings.Contains(last.Params["text"], "list has changed") {
		t.Fatalf("no notice of the change: %+v", last.Params)
	}
	// A card of a withdrawn idea is gone, politely.
	pressData(h, tom, "bank:o:1")
	h.expect(tom, "no longer in the Bank")
	// Filters: sector and locality.
	h.send(tom, "/ideas")
	h.press(tom, "bank:fs:")
	h.press(tom, "bank:l:n:0:agri")
	h.expect(tom, "No matching ideas")
	h.press(tom, "bank:fl")
	h.send(tom, "hoi an")
	h.press(tom, "bank_loc:pick:qn-hoian")
	h.expect(tom, "Hội An", "Agriculture", "No matching ideas") // the filters combine
	h.press(tom, "bank:l:n:0:-:qn-hoian:")                      // drop the sector only
	h.expect(tom, "Hội An", "000020")
}

func TestExportIdeas(t *testing.T) {
	h, _ := newIdeaHarness(t)
	submitIdea(h, lan, samTitle, samDesc+"\nDòng 2, có dấu phẩy và \"ngoặc\".", true)
	var buf bytes.Buffer
	if err := ExportIdeas(h.st, &buf, "csv"); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	if !bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		t.Fatal("CSV lacks the UTF-8 byte-order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader(data[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0][0] != "code" || rows[1][0] != "YT-000001" || rows[1][2] != samTitle || !strings.Contains(rows[1][3], "\"ngoặc\"") {
		t.Fatalf("csv rows: %q", rows)
	}
	if !strings.Contains(strings.Join(rows[0], ","), "CONFIDENTIAL") {
		t.Fatal("phone column not marked confidential")
	}
	buf.Reset()
	if err := ExportIdeas(h.st, &buf, "json"); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Confidential string       `json:"confidential"`
		Ideas        []ExportIdea `json:"ideas"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("json: %v\n%s", err, buf.String())
	}
	if doc.Confidential == "" || len(doc.Ideas) != 1 || doc.Ideas[0].SectorName == "" || doc.Ideas[0].LocalityName != "Đại Lộc" {
		t.Fatalf("json export: %+v", doc)
	}
	if err := ExportIdeas(h.st, &buf, "xml"); err == nil {
		t.Fatal("unknown format accepted")
	}
}

func TestCleanText(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		max      int
		err      string
	}{
		{"  Sấy sâm  ", "Sấy sâm", 120, ""},
		{"", "", 120, "idea.err_empty"},
		{" \t\n\u00a0\u200b\ufeff", "", 120, "idea.err_empty"},
		{strings.Repeat("ệ", 120), strings.Repeat("ệ", 120), 120, ""},
		{strings.Repeat("ệ", 121), "", 120, "idea.err_too_long"},
		{"e\u0323\u0302", "ệ", 1, ""}, // decomposed input counts as one letter
	} {
		got, err := CleanText(tc.in, tc.max)
		var key string
		if ue, ok := err.(*UserError); ok {
			key = ue.Key
		} else if err != nil {
			key = err.Error()
		}
		if got != tc.want || key != tc.err {
			t.Errorf("cleanText(%q, %d) = %q, %q; want %q, %q", tc.in, tc.max, got, key, tc.want, tc.err)
		}
	}
	if got, _ := CleanTitle("Sấy\n  sâm\tNgọc   Linh"); got != "Sấy sâm Ngọc Linh" {
		t.Errorf("cleanTitle = %q", got)
	}
}

func TestIdeaSimilarAndDuplicate(t *testing.T) {
	h, _ := newIdeaHarness(t)
	a := submitIdea(h, lan, samTitle, samDesc, true)
	publishIdea(h, a.ID)
	other := submitIdea(h, mai, "Tour trải nghiệm làng gốm Thanh Hà", "Du lịch cộng đồng ở Hội An.", true)
	publishIdea(h, other.ID)

	// A similar draft: the review screen offers to join the existing idea
	// (only published public ones).
	ideaToContact(h, tom, "May say sam Ngoc Linh nang luong mat troi", "Sấy sâm và dược liệu bằng năng lượng mặt trời.", "tam ky", "qn-tamky", "misc")
	h.send(tom, "Skip")
	h.press(tom, "idea:vis:pub")
	h.press(tom, "idea:consent:no")
	m := h.expect(tom, "Similar ideas", a.Code)
	if strings.Contains(m.Text, other.Code) || !hasButton(m, "idea:join:"+itoa(a.ID)) {
		t.Fatalf("similar ideas: %+v", m)
	}
	// Joining asks first; keeping the draft goes back to it untouched.
	h.press(tom, "idea:join:")
	h.expect(tom, "Join idea <b>"+a.Code, "your draft will be dropped")
	if st := h.state(tom.ID); st.Flow != "idea" {
		t.Fatalf("draft dropped before the answer: %+v", st)
	}
	h.press(tom, "idea:edit:none")
	h.expect(tom, "Similar ideas")
	if i := h.idea(a.ID); i.Supporters != 0 {
		t.Fatalf("joined without confirming: %+v", i)
	}
	h.press(tom, "idea:join:")
	h.press(tom, "idea:joinok:")
	h.expect(tom, "Open the idea you joined")
	if i := h.idea(a.ID); i.Supporters != 1 || i.Followers != 1 {
		t.Fatalf("joined idea: %+v", i)
	}
	if n := len(h.srv.CallsTo("sendMessage")); n == 0 || h.st.CountUsers() == 0 {
		t.Fatal("no activity")
	}
	// Its author is never offered their own idea, and cannot support it.
	ideaToContact(h, lan, "Máy sấy sâm Ngọc Linh năng lượng mặt trời", "Sấy sâm và dược liệu bằng năng lượng mặt trời.", "tam ky", "qn-tamky", "misc")
	h.send(lan, "Bỏ qua")
	h.press(lan, "idea:vis:pub")
	h.press(lan, "idea:consent:no")
	if m := h.expect(lan, "Bạn kiểm tra lại"); strings.Contains(m.Text, a.Code) || hasButton(m, "idea:join:") {
		t.Fatalf("own idea suggested: %s", m.Text)
	}
	h.send(lan, "/ideas")
	h.press(lan, "bank:o:"+itoa(a.ID))
	if m := h.last(lan); hasButton(m, "bank:sup:") {
		t.Fatalf("author offered to support their own idea: %+v", m.Buttons)
	}
	h.srv.Press(lan, h.last(lan).ID, "bank:sup:"+itoa(a.ID)) // a forged press
	h.idle()
	h.expect(lan, "không tự ủng hộ được")
	if i := h.idea(a.ID); i.Supporters != 1 {
		t.Fatalf("self-support counted: %d", i.Supporters)
	}

	// The same idea submitted anyway is merged by staff: supporters move
	// (counted once), followers hear about it.
	dup := submitIdea(h, binh, "Sấy sâm bằng năng lượng mặt trời", "Trùng ý tưởng.", true)
	publishIdea(h, dup.ID)
	for _, u := range []telegramtest.User{tom, mai} {
		h.send(u, "/ideas")
		h.press(u, "bank:o:"+itoa(dup.ID))
		h.press(u, "bank:sup:")
	}
	h.press(mai, "bank:fol:")
	priv := submitIdea(h, mai, "Sấy sâm riêng của Mai", "Không công khai.", false)
	publishIdea(h, priv.ID)
	h.send(admin, "/review "+dup.Code)
	h.press(admin, "rv:t:dup:")
	h.send(admin, dup.Code)
	h.expect(admin, "chính nó")
	// Not into an idea the bank does not show: its followers would hear
	// of it and move to it.
	h.send(admin, priv.Code)
	h.expect(admin, "chưa công khai")
	h.send(admin, a.Code)
	h.expect(binh, "gộp", a.Code)
	h.expect(mai, a.Code)
	if d := h.idea(dup.ID); d.Status != store.IdeaDuplicate || d.DuplicateOf != a.ID || d.Supporters != 0 {
		t.Fatalf("duplicate: %+v", d)
	}
	if i := h.idea(a.ID); i.Supporters != 2 || i.Followers != 2 {
		t.Fatalf("merged into: supporters %d followers %d, want 2 and 2", i.Supporters, i.Followers)
	}
}
