package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/locales"
	"github.com/qnstartup/trolykhoinghiep/store"
	"github.com/qnstartup/trolykhoinghiep/web"
)

// now is the fixed clock of every test.
var now = time.Date(2025, 10, 15, 3, 0, 0, 0, time.UTC)

// quiet is a channel that sends nothing: the bot here only searches.
type quiet struct{}

func (quiet) Name() string                                         { return "quiet" }
func (quiet) Caps() bot.Caps                                       { return bot.Caps{MaxText: 4096} }
func (quiet) Send(context.Context, string, bot.Reply) (int, error) { return 1, nil }
func (quiet) AnswerCallback(context.Context, string, string) error { return nil }
func (quiet) Typing(context.Context, string) error                 { return nil }

// secrets are the personal data seeded into the store that no public
// page or export may ever contain.
var secrets = []string{
	"0905123456", "+84 905 123 456", "lan_farmer", "771234567", "0912000111", "minh_dev",
	"990000000001", "Trần Thị Lan Hương", "Nguyễn", "ghi chú nội bộ kín", "ý kiến thẩm định riêng", "hung_hidden",
	"Cán bộ Hùng", "trùng lặp", "nước mắm", "Ý tưởng chờ duyệt",
	// Typed in a public idea's description and in a staff answer.
	"0935 111 222", "0935111222", "0905.999.888", "0905999888",
}

type fixture struct {
	st   *store.Store
	site *web.Site
	h    http.Handler
	ids  map[string]uint64
}

func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	st, err := store.Open(filepath.Join(tb.TempDir(), "bot.db"), store.Options{NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	f := &fixture{st: st, ids: map[string]uint64{}}
	f.seed(tb)
	f.site = newSite(tb, st, "https://ytuong.example.vn")
	f.h = f.site
	return f
}

func newSite(tb testing.TB, st *store.Store, public string) *web.Site {
	tb.Helper()
	loc := locales.MustLoad()
	b, err := bot.New(bot.Options{Store: st, Channels: []bot.Channel{quiet{}}, Locales: loc, Now: func() time.Time { return now }})
	if err != nil {
		tb.Fatal(err)
	}
	site, err := web.New(web.Options{
		Store: st, Ideas: b, Locales: loc,
		PublicURL: public, TelegramBot: "qn_khoinghiep_bot", ZaloOA: "1234567890123456789",
		Now: func() time.Time { return now },
	})
	if err != nil {
		tb.Fatal(err)
	}
	return site
}

func (f *fixture) seed(tb testing.TB) {
	tb.Helper()
	day := func(d int) time.Time { return now.AddDate(0, 0, -d) }
	users := []*store.User{
		{ID: 771234567, FirstName: "Lan", LastName: "Trần Thị Lan Hương", Username: "lan_farmer", ShowName: true, Kind: "farmer"},
		{ID: 990000000001, FirstName: "Minh", LastName: "Nguyễn", Username: "minh_dev", Kind: "student"},
		{ID: 42, FirstName: "0912000111", Username: "hung_hidden", ShowName: true, Kind: "youth"},
	}
	type seedIdea struct {
		key string
		i   store.Idea
	}
	ideas := []seedIdea{
		{"dryer", store.Idea{AuthorID: 771234567, AuthorName: "Lan Trần Thị Lan Hương", Phone: "0905123456", Title: "Máy sấy nông sản bằng năng lượng mặt trời",
			Description: "Máy sấy chuối, sắn và ớt cho hộ nông dân ở Đại Lộc.\nDùng tấm pin mặt trời, giá rẻ.", Sector: "agri", Locality: "qn-dailoc", AuthorKind: "farmer",
			Public: true, Consent: true, Status: store.IdeaPublished, Created: day(40), Published: day(38), Supporters: 0,
			StaffNotes: []store.IdeaNote{{At: day(39), Actor: 5, Text: "ghi chú nội bộ kín"}},
			History:    []store.IdeaEvent{{At: day(40), Actor: 771234567, Action: "submitted"}, {At: day(39), Actor: 5, Action: "ask_info", Note: "ý kiến thẩm định riêng"}, {At: day(38), Actor: 5, Action: "status:published"}}}},
		{"tour", store.Idea{AuthorID: 990000000001, Phone: "+84 905 123 456", Title: "Tour trải nghiệm làng rau Trà Quế", Description: "Du khách tự tay trồng rau, học nấu ăn cùng nông dân Hội An. Đặt chỗ: 0935 111 222.",
			Sector: "tourism", Locality: "qn-hoian", AuthorKind: "student", Public: true, Status: store.IdeaSupported, Created: day(70), Published: day(65)}},
		{"app", store.Idea{AuthorID: 42, Title: "Ứng dụng quản lý hợp tác xã", Description: "=HYPERLINK(\"http://evil.example\",\"bấm\") sổ sách, kho, đơn hàng cho HTX.",
			Sector: "it", Locality: "qn-tamky", AuthorKind: "youth", Public: true, Status: store.IdeaProgramme, Created: day(100), Published: day(95),
			Answers: []store.IdeaNote{{At: day(20), Actor: 5, Name: "Cán bộ Hùng", Text: "Ý tưởng được giới thiệu vào chương trình ươm tạo 2025. Nhóm đã liên hệ anh qua số 0905.999.888."}}}},
		{"private", store.Idea{AuthorID: 771234567, Title: "Ý tưởng riêng tư về nước mắm", Description: "Không công khai.", Sector: "ocop", Locality: "qn-hoian", AuthorKind: "farmer", Public: false, Status: store.IdeaPublished, Created: day(10), Published: day(9)}},
		{"submitted", store.Idea{AuthorID: 771234567, Title: "Ý tưởng chờ duyệt", Description: "Chưa duyệt.", Sector: "agri", Public: true, Status: store.IdeaSubmitted, Created: day(2)}},
		{"declined", store.Idea{AuthorID: 42, Title: "Ý tưởng bị từ chối", Description: "Không phù hợp.", Sector: "it", Public: true, Status: store.IdeaDeclined, Reason: "trùng lặp", Created: day(30)}},
		{"withdrawn", store.Idea{Title: "", Description: "", Sector: "agri", Public: true, Status: store.IdeaWithdrawn, Anonymised: true, Created: day(50)}},
		{"dup", store.Idea{AuthorID: 990000000001, Title: "Máy sấy ớt", Description: "Giống máy sấy nông sản.", Sector: "agri", Public: true, Status: store.IdeaDuplicate, Created: day(12)}},
	}
	err := f.st.Update(func(tx *store.Tx) error {
		for _, u := range users {
			u.Created, u.LastSeen = day(100), day(1)
			if err := tx.PutUser(u); err != nil {
				return err
			}
		}
		for _, s := range ideas {
			i := s.i
			if err := tx.AddIdea(&i); err != nil {
				return err
			}
			f.ids[s.key] = i.ID
		}
		dup, err := tx.Idea(f.ids["dup"])
		if err != nil {
			return err
		}
		dup.DuplicateOf = f.ids["dryer"]
		if err := tx.PutIdea(dup); err != nil {
			return err
		}
		for u := int64(1); u <= 3; u++ {
			if _, err := tx.SetSupport(f.ids["dryer"], u, true); err != nil {
				return err
			}
		}
		if _, err := tx.SetSupport(f.ids["tour"], 7, true); err != nil {
			return err
		}
		events := []store.Event{
			{Title: "TechFest Quảng Nam 2025", Start: time.Date(2025, 11, 8, 1, 30, 0, 0, time.UTC), End: time.Date(2025, 11, 9, 10, 0, 0, 0, time.UTC), Place: "Trung tâm Hội nghị, 02 Hùng Vương; Tam Kỳ",
				Description: "Ngày hội khởi nghiệp đổi mới sáng tạo: gian hàng, kết nối nhà đầu tư, cuộc thi gọi vốn dành cho các nhóm khởi nghiệp trẻ của Quảng Nam và Đà Nẵng.\nĐăng ký trước, miễn phí.",
				Link:        "https://techfest.example.vn/2025", Status: store.EventPublished},
			{Title: "Hội chợ OCOP", Start: time.Date(2025, 10, 20, 0, 0, 0, 0, time.UTC), Place: "Hội An", Link: "javascript:alert(1)", Status: store.EventPublished},
			{Title: "Lớp tập huấn đã hủy", Start: time.Date(2025, 10, 25, 7, 0, 0, 0, time.UTC), Status: store.EventCancelled},
			{Title: "Bản nháp", Start: time.Date(2025, 10, 26, 7, 0, 0, 0, time.UTC), Status: store.EventDraft},
		}
		for n := range events {
			if err := tx.CreateEvent(&events[n], day(5)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

type response struct {
	status int
	header http.Header
	body   string
}

func get(tb testing.TB, h http.Handler, target string, hdr ...string) response {
	tb.Helper()
	r := httptest.NewRequest(http.MethodGet, target, nil)
	r.RemoteAddr = "203.0.113.7:5555"
	for n := 0; n+1 < len(hdr); n += 2 {
		r.Header.Set(hdr[n], hdr[n+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	b, _ := io.ReadAll(w.Result().Body)
	return response{status: w.Code, header: w.Header(), body: string(b)}
}

func code(id uint64) string { return fmt.Sprintf("YT-%06d", id) }

func localesT() *locales.Bundle { return locales.MustLoad() }

func searcherOf(tb testing.TB, f *fixture) web.Searcher {
	b, err := bot.New(bot.Options{Store: f.st, Channels: []bot.Channel{quiet{}}, Locales: localesT(), Now: func() time.Time { return now }})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
