package store_test

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/qnstartup/trolykhoinghiep/store"
)

// MustOpen opens a fresh database in a temporary directory and checks its
// consistency when the test ends.
func MustOpen(tb testing.TB) *store.Store {
	tb.Helper()
	s, err := store.Open(filepath.Join(tb.TempDir(), "bot.db"), store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := s.Check(); err != nil {
			tb.Errorf("check: %v", err)
		}
		s.Close()
	})
	return s
}

var t0 = time.Date(2025, 9, 1, 8, 0, 0, 0, time.UTC)

func addIdea(tb testing.TB, s *store.Store, i *store.Idea) *store.Idea {
	tb.Helper()
	if i.Created.IsZero() {
		i.Created = t0
	}
	if i.Status == "" {
		i.Status = store.IdeaSubmitted
	}
	if err := s.Update(func(tx *store.Tx) error { return tx.AddIdea(i) }); err != nil {
		tb.Fatal(err)
	}
	return i
}

func publish(tb testing.TB, s *store.Store, id uint64, at time.Time) {
	tb.Helper()
	err := s.Update(func(tx *store.Tx) error {
		i, err := tx.Idea(id)
		if err != nil {
			return err
		}
		i.Status, i.Published = store.IdeaPublished, at
		return tx.PutIdea(i)
	})
	if err != nil {
		tb.Fatal(err)
	}
}

func page(tb testing.TB, s *store.Store, q store.ListQuery) ([]string, bool) {
	tb.Helper()
	var codes []string
	var more bool
	err := s.View(func(tx *store.Tx) error {
		ideas, m, err := tx.IdeaPage(q)
		for _, i := range ideas {
			codes = append(codes, i.Code)
		}
		more = m
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return codes, more
}

func TestAddIdea(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		s := MustOpen(t)
		a := addIdea(t, s, &store.Idea{AuthorID: 7, Title: "Sấy khô sâm"})
		b := addIdea(t, s, &store.Idea{AuthorID: 7, Title: "Tour làng gốm"})
		if a.Code != "YT-000001" || b.Code != "YT-000002" {
			t.Fatalf("codes %q %q", a.Code, b.Code)
		}
		s.View(func(tx *store.Tx) error {
			got, err := tx.Idea(b.ID)
			if err != nil || got.Title != "Tour làng gốm" {
				t.Errorf("Idea = %+v, %v", got, err)
			}
			mine, _ := tx.IdeasByAuthor(7)
			if len(mine) != 2 || mine[0].ID != b.ID {
				t.Errorf("IdeasByAuthor newest first: %v", mine)
			}
			if n, _ := tx.CountIdeasSince(7, t0); n != 2 {
				t.Errorf("CountIdeasSince = %d", n)
			}
			if n, _ := tx.CountIdeasSince(7, t0.Add(time.Second)); n != 0 {
				t.Errorf("CountIdeasSince later = %d", n)
			}
			return nil
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := MustOpen(t)
		s.View(func(tx *store.Tx) error {
			if _, err := tx.Idea(42); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("err = %v, want ErrNotFound", err)
			}
			return nil
		})
	})
}

func TestQueue(t *testing.T) {
	s := MustOpen(t)
	a := addIdea(t, s, &store.Idea{Created: t0.Add(2 * time.Hour)})
	b := addIdea(t, s, &store.Idea{Created: t0.Add(time.Hour)})
	addIdea(t, s, &store.Idea{Created: t0, Status: store.IdeaInfo}) // waits for the author
	s.View(func(tx *store.Tx) error {
		q, _ := tx.Queue(0, 10)
		if len(q) != 2 || q[0].ID != b.ID || q[1].ID != a.ID {
			t.Errorf("queue not oldest first: %v", q)
		}
		return nil
	})
	publish(t, s, b.ID, t0)
	s.View(func(tx *store.Tx) error {
		if n := tx.QueueLen(); n != 1 {
			t.Errorf("QueueLen after publish = %d", n)
		}
		return nil
	})
}

func TestIdeaPage(t *testing.T) {
	s := MustOpen(t)
	var ids []uint64
	for n := range 25 {
		sector := []string{"agri", "it"}[n%2]
		i := addIdea(t, s, &store.Idea{Title: fmt.Sprint(n), Sector: sector, Locality: "qn-dailoc", Public: n != 24})
		publish(t, s, i.ID, t0.Add(time.Duration(n)*time.Minute))
		ids = append(ids, i.ID)
	}
	addIdea(t, s, &store.Idea{Title: "unpublished", Public: true})

	got, more := page(t, s, store.ListQuery{Limit: 10})
	if len(got) != 10 || got[0] != "YT-000024" || !more {
		t.Errorf("first page %v more=%v (staff-only YT-000025 must not show)", got, more)
	}
	got, more = page(t, s, store.ListQuery{Limit: 10, Offset: 20})
	if len(got) != 4 || more || got[3] != "YT-000001" {
		t.Errorf("last page %v more=%v", got, more)
	}
	got, _ = page(t, s, store.ListQuery{Limit: 50, Sector: "it"})
	if len(got) != 12 {
		t.Errorf("sector filter: %d ideas, want 12", len(got))
	}
	got, _ = page(t, s, store.ListQuery{Limit: 50, Sector: "it", Locality: "qn-dailoc"})
	if len(got) != 12 {
		t.Errorf("sector+locality filter: %d ideas, want 12", len(got))
	}
	got, _ = page(t, s, store.ListQuery{Limit: 50, Locality: "qn-tamky"})
	if len(got) != 0 {
		t.Errorf("other locality: %v", got)
	}

	// Support moves an idea to the top of "most supported".
	var gen0, gen1 uint64
	s.View(func(tx *store.Tx) error { gen0 = tx.ListGeneration(); return nil })
	err := s.Update(func(tx *store.Tx) error {
		for _, u := range []int64{1, 2, 1} { // the second support by user 1 changes nothing
			if _, err := tx.SetSupport(ids[3], u, true); err != nil {
				return err
			}
		}
		_, err := tx.SetSupport(ids[5], 1, true)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ = page(t, s, store.ListQuery{Sort: store.SortSupported, Limit: 3})
	if len(got) != 3 || got[0] != "YT-000004" || got[1] != "YT-000006" {
		t.Errorf("most supported: %v", got)
	}
	s.View(func(tx *store.Tx) error {
		i, _ := tx.Idea(ids[3])
		if i.Supporters != 2 || !tx.Supports(ids[3], 2) || tx.Supports(ids[3], 3) {
			t.Errorf("supporters = %d", i.Supporters)
		}
		gen1 = tx.ListGeneration()
		return nil
	})
	if gen1 != gen0 {
		t.Errorf("support changed the listing generation")
	}
	// Withdrawing takes it out of every listing.
	s.Update(func(tx *store.Tx) error {
		i, _ := tx.Idea(ids[3])
		i.Status = store.IdeaWithdrawn
		return tx.PutIdea(i)
	})
	got, _ = page(t, s, store.ListQuery{Sort: store.SortSupported, Limit: 1, Sector: "it"})
	if len(got) != 1 || got[0] != "YT-000006" {
		t.Errorf("after withdraw: %v", got)
	}
	s.View(func(tx *store.Tx) error {
		if tx.ListGeneration() == gen1 {
			t.Errorf("withdraw did not change the listing generation")
		}
		return nil
	})
}

func TestMergeIdea(t *testing.T) {
	s := MustOpen(t)
	a := addIdea(t, s, &store.Idea{})
	b := addIdea(t, s, &store.Idea{})
	err := s.Update(func(tx *store.Tx) error {
		for _, m := range []struct {
			id uint64
			u  int64
		}{{a.ID, 1}, {a.ID, 2}, {b.ID, 2}, {b.ID, 3}} {
			if _, err := tx.SetSupport(m.id, m.u, true); err != nil {
				return err
			}
		}
		if _, err := tx.SetFollow(a.ID, 1, true); err != nil {
			return err
		}
		into, err := tx.MergeIdea(a.ID, b.ID)
		if err != nil {
			return err
		}
		if into.Supporters != 3 || into.Followers != 1 {
			t.Errorf("merged: %d supporters, %d followers; want 3, 1", into.Supporters, into.Followers)
		}
		dup, _ := tx.Idea(a.ID)
		if dup.Supporters != 0 || len(tx.Supporters(a.ID)) != 0 {
			t.Errorf("duplicate keeps %d supporters", dup.Supporters)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestForgetUser(t *testing.T) {
	for _, tc := range []struct {
		name        string
		withdrawAll bool
		wantPublic  string // status of the published idea afterwards
	}{
		{"KeepPublic", false, store.IdeaPublished},
		{"WithdrawAll", true, store.IdeaWithdrawn},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := MustOpen(t)
			pub := addIdea(t, s, &store.Idea{AuthorID: 7, AuthorName: "Lan", Phone: "+84905000000", Public: true, Title: "Trà thảo mộc", Consent: true})
			publish(t, s, pub.ID, t0)
			draft := addIdea(t, s, &store.Idea{AuthorID: 7, Phone: "+84905000000", Title: "Bí mật"})
			other := addIdea(t, s, &store.Idea{AuthorID: 8, Public: true})
			publish(t, s, other.ID, t0)
			err := s.Update(func(tx *store.Tx) error {
				if _, err := tx.SetSupport(other.ID, 7, true); err != nil {
					return err
				}
				if _, err := tx.SetFollow(other.ID, 7, true); err != nil {
					return err
				}
				_, err := tx.ForgetUser(7, tc.withdrawAll, t0.Add(time.Hour))
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			s.View(func(tx *store.Tx) error {
				p, _ := tx.Idea(pub.ID)
				if p.AuthorID != 0 || p.Phone != "" || p.AuthorName != "" || p.Consent || !p.Anonymised {
					t.Errorf("published idea keeps personal data: %+v", p)
				}
				if p.Status != tc.wantPublic {
					t.Errorf("published idea status %q, want %q", p.Status, tc.wantPublic)
				}
				if (p.Title == "") != tc.withdrawAll {
					t.Errorf("published idea title %q", p.Title)
				}
				d, _ := tx.Idea(draft.ID)
				if d.Status != store.IdeaWithdrawn || d.Title != "" || d.Phone != "" {
					t.Errorf("unpublished idea not withdrawn and erased: %+v", d)
				}
				if mine, _ := tx.IdeasByAuthor(7); len(mine) != 0 {
					t.Errorf("author index keeps %d ideas", len(mine))
				}
				o, _ := tx.Idea(other.ID)
				if o.Supporters != 0 || o.Followers != 0 || tx.Supports(other.ID, 7) || tx.Follows(other.ID, 7) {
					t.Errorf("support/follow kept: %+v", o)
				}
				return nil
			})
		})
	}
}

// TestForgetUserStaffText: what staff wrote to or about an author leaves
// with the author (history notes, internal notes, audit notes), and a
// staff member who leaves takes their name and ID off the ideas they
// handled. Checked over every record of the file.
func TestForgetUserStaffText(t *testing.T) {
	s := MustOpen(t)
	const secret = "Chị Lan nhà ở thôn 3, gọi 0905 777 888"
	mine := addIdea(t, s, &store.Idea{AuthorID: 7, Public: true, Title: "Rau sạch"})
	handled := addIdea(t, s, &store.Idea{AuthorID: 8, Public: true, Title: "Nước mắm"})
	err := s.Update(func(tx *store.Tx) error {
		for _, id := range []uint64{mine.ID, handled.ID} {
			i, err := tx.Idea(id)
			if err != nil {
				return err
			}
			i.Log(t0, 104, "ask_info", secret)
			i.StaffNotes = append(i.StaffNotes, store.IdeaNote{At: t0, Actor: 104, Name: "Cán bộ Bình", Text: secret})
			i.Answers = append(i.Answers, store.IdeaNote{At: t0, Actor: 104, Name: "Cán bộ Bình", Text: "Cảm ơn bạn."})
			if err := tx.PutIdea(i); err != nil {
				return err
			}
			if err := tx.AddAudit(store.AuditEntry{At: t0, Actor: 104, IdeaID: id, Action: "ask_info", Note: secret}); err != nil {
				return err
			}
		}
		_, err := tx.ForgetUser(7, true, t0.Add(time.Hour))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	count := func(what string) (n int) {
		s.Walk(func(_ string, _, v []byte) error {
			if bytes.Contains(v, []byte(what)) {
				n++
			}
			return nil
		})
		return n
	}
	// The other author's idea keeps its notes: its record and its audit
	// entry.
	if n := count(secret); n != 2 {
		t.Fatalf("the note appears in %d records after the author left, want 2 (the other idea's)", n)
	}
	if err := s.Update(func(tx *store.Tx) error { _, err := tx.ForgetUser(104, false, t0.Add(2*time.Hour)); return err }); err != nil {
		t.Fatal(err)
	}
	if n := count("Cán bộ Bình"); n != 0 {
		t.Errorf("the staff member's name is in %d records after they left", n)
	}
	s.View(func(tx *store.Tx) error {
		i, _ := tx.Idea(handled.ID)
		for _, ns := range [][]store.IdeaNote{i.StaffNotes, i.Answers} {
			for _, n := range ns {
				if n.Actor == 104 {
					t.Errorf("note still by 104: %+v", n)
				}
			}
		}
		for _, h := range i.History {
			if h.Actor == 104 {
				t.Errorf("history still by 104: %+v", h)
			}
		}
		if len(i.Answers) != 1 || i.Answers[0].Text != "Cảm ơn bạn." {
			t.Errorf("the answer itself is gone: %+v", i.Answers)
		}
		return nil
	})
}

func TestParseIdeaCode(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"YT-000123", 123, true},
		{"yt123", 123, true},
		{"  #YT 7", 7, true},
		{"42", 42, true},
		{"YT-", 0, false},
		{"YT-0", 0, false},
		{"abc", 0, false},
		{"YT-12a", 0, false},
		{"", 0, false},
		{"1234567890123", 0, false},
	} {
		got, ok := store.ParseIdeaCode(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseIdeaCode(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestAudit(t *testing.T) {
	s := MustOpen(t)
	s.Update(func(tx *store.Tx) error {
		for n := range 5 {
			tx.AddAudit(store.AuditEntry{At: t0, Actor: 1, IdeaID: uint64(n%2 + 1), Action: fmt.Sprint(n)})
		}
		return nil
	})
	s.View(func(tx *store.Tx) error {
		es, _ := tx.Audit(2, 10)
		if len(es) != 2 || es[0].Action != "3" || es[1].Action != "1" {
			t.Errorf("audit for idea 2: %+v", es)
		}
		es, _ = tx.Audit(0, 3)
		if len(es) != 3 || es[0].Action != "4" {
			t.Errorf("latest audit: %+v", es)
		}
		return nil
	})
}

// TestAddCuratedOncePerQuestion: saving the answer to the same question
// twice keeps one curated answer, the later.
func TestAddCuratedOncePerQuestion(t *testing.T) {
	s := MustOpen(t)
	for _, a := range []string{"Hỗ trợ tối đa 20 triệu.", "Tối đa 20 triệu đồng (NQ 09)."} {
		if err := s.Update(func(tx *store.Tx) error {
			return tx.AddCurated(&store.Curated{Question: "đi hội chợ hà nội được bao nhiêu", Answer: a, QuestionID: 7, Created: t0})
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Update(func(tx *store.Tx) error {
		return tx.AddCurated(&store.Curated{Question: "câu khác", Answer: "Khác.", QuestionID: 8, Created: t0})
	}); err != nil {
		t.Fatal(err)
	}
	cs, err := s.CuratedAnswers()
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].Answer != "Tối đa 20 triệu đồng (NQ 09)." {
		t.Fatalf("curated answers: %+v", cs)
	}
}
