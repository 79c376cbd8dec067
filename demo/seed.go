package demo

import (
	"strconv"
	"time"

	"github.com/qnstartup/trolykhoinghiep/store"
)

// Seed fills an empty demo database with a living bank: three published
// ideas from three authors (one supported by the others), an upcoming
// event, and a question waiting for staff. It does nothing on a database
// that has ideas already.
func Seed(st *store.Store, now time.Time) error {
	return st.Update(func(tx *store.Tx) error {
		empty := true
		tx.EachUser(func(u *store.User) error {
			if u.ID >= 2001 && u.ID <= 2003 {
				empty = false
			}
			return nil
		})
		if !empty {
			return nil
		}
		authors := []*store.User{
			{ID: 2001, FirstName: "Hoa", Lang: "vi", Kind: "farmer", Locality: "qn-dailoc", Subscribed: true},
			{ID: 2002, FirstName: "Minh", Lang: "vi", Kind: "student", Locality: "qn-tamky", Subscribed: true},
			{ID: 2003, FirstName: "HTX Bến Giằng", Lang: "vi", Kind: "coop", Locality: "qn-namgiang", Subscribed: true},
		}
		for _, u := range authors {
			u.Channel, u.Ref = store.Telegram, strconv.FormatInt(u.ID, 10)
			u.Created, u.LastSeen = now.Add(-72*time.Hour), now.Add(-24*time.Hour)
			if err := tx.PutUser(u); err != nil {
				return err
			}
		}
		ideas := []*store.Idea{
			{AuthorID: 2001, AuthorName: "Hoa", Title: "Máy sấy nông sản bằng năng lượng mặt trời",
				Description: "Máy sấy chuối, mít và ớt cho hộ nông dân Đại Lộc, dùng tấm pin mặt trời và quạt nhỏ; giảm hư hỏng sau thu hoạch.",
				Sector:      "agri", Locality: "qn-dailoc", AuthorKind: "farmer", Supporters: 2},
			{AuthorID: 2002, AuthorName: "Minh", Title: "Ứng dụng đặt tour homestay Hội An – Tam Kỳ",
				Description: "Kết nối du khách với các homestay nhỏ ven biển, thanh toán qua ví điện tử, hướng dẫn viên là sinh viên địa phương.",
				Sector:      "tourism", Locality: "qn-tamky", AuthorKind: "student"},
			{AuthorID: 2003, AuthorName: "HTX Bến Giằng", Title: "Trà sâm Ngọc Linh túi lọc đạt OCOP",
				Description: "Hợp tác xã chế biến lá sâm thành trà túi lọc, bao bì truy xuất nguồn gốc, hướng tới OCOP 4 sao.",
				Sector:      "agri", Locality: "qn-namgiang", AuthorKind: "coop", Supporters: 1},
		}
		for i, idea := range ideas {
			at := now.Add(-time.Duration(48-i*12) * time.Hour)
			idea.Public, idea.Status, idea.Created, idea.Published = true, store.IdeaPublished, at, at.Add(2*time.Hour)
			idea.History = []store.IdeaEvent{{At: at, Actor: idea.AuthorID, Action: "submitted"}, {At: at.Add(2 * time.Hour), Actor: Staff.TelegramID, Action: "status:" + store.IdeaPublished}}
			if err := tx.AddIdea(idea); err != nil {
				return err
			}
		}
		start := time.Date(now.Year(), now.Month(), now.Day(), 1, 0, 0, 0, time.UTC).AddDate(0, 0, 10) // 08:00 in Đà Nẵng
		ev := &store.Event{Title: "Ngày hội Khởi nghiệp Quảng Nam – Đà Nẵng", Start: start, End: start.Add(4 * time.Hour),
			Place: "Trung tâm Hội nghị tỉnh, Tam Kỳ", Description: "Gian hàng trưng bày, kết nối nhà đầu tư và tư vấn chính sách hỗ trợ.",
			Status: store.EventPublished, CreatedBy: Staff.TelegramID}
		if err := tx.CreateEvent(ev, now); err != nil {
			return err
		}
		return tx.AddQuestion(&store.Question{UserID: 2002, Text: "Sinh viên mở công ty công nghệ có được miễn thuế năm đầu không?", Lang: "vi",
			Refused: true, Status: store.QuestionForwarded, Created: now.Add(-3 * time.Hour)})
	})
}
