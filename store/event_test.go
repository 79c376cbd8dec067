package store

import (
	"testing"
	"time"
)

func TestReminders(t *testing.T) {
	s := MustOpen(t)
	now := time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)
	start := now.Add(30 * time.Hour)
	var id uint64
	if err := s.Update(func(tx *Tx) error {
		e := &Event{Title: "TechFest", Start: start, Status: EventPublished}
		err := tx.CreateEvent(e, now)
		id = e.ID
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got := s.Reminders(); len(got) != 2 || !got[0].Due.Equal(start.Add(-24*time.Hour)) || got[0].Kind != RemindDay {
		t.Fatalf("reminders = %+v", got)
	}

	t.Run("moved with the start", func(t *testing.T) {
		start = start.Add(time.Hour)
		s.Update(func(tx *Tx) error {
			e, _ := tx.Event(id)
			e.Start = start
			return tx.PutEvent(e, now)
		})
		got := s.Reminders()
		if len(got) != 2 || !got[1].Due.Equal(start.Add(-time.Hour)) {
			t.Fatalf("reminders = %+v", got)
		}
	})

	t.Run("taken once", func(t *testing.T) {
		var due []Reminder
		s.View(func(tx *Tx) error { due = tx.DueReminders(start.Add(-23*time.Hour), 10); return nil })
		if len(due) != 1 {
			t.Fatalf("due = %+v", due)
		}
		for i, want := range []bool{true, false} {
			var took bool
			s.Update(func(tx *Tx) error {
				var err error
				took, err = tx.TakeReminder(due[0])
				return err
			})
			if took != want {
				t.Fatalf("take #%d = %v, want %v", i+1, took, want)
			}
		}
	})

	t.Run("cancelled event has none", func(t *testing.T) {
		s.Update(func(tx *Tx) error {
			e, _ := tx.Event(id)
			e.Status = EventCancelled
			return tx.PutEvent(e, now)
		})
		if got := s.Reminders(); len(got) != 0 {
			t.Fatalf("reminders = %+v", got)
		}
		s.View(func(tx *Tx) error {
			if evs, n, _ := tx.UpcomingEvents(now, 0, 10); n != 0 || len(evs) != 0 {
				t.Fatalf("cancelled event listed")
			}
			return nil
		})
	})
}

func TestBroadcastRecipients(t *testing.T) {
	s := MustOpen(t)
	s.Update(func(tx *Tx) error {
		for i := int64(1); i <= 6; i++ {
			u := &User{ID: i, Kind: "farmer", Subscribed: i != 3, Interests: []string{"agri"}}
			if i%2 == 0 {
				u.Kind, u.Interests = "youth", []string{"it", "ocop"}
			}
			tx.PutUser(u)
		}
		tx.CreateEvent(&Event{Title: "x", Start: time.Now().Add(time.Hour), Status: EventPublished}, time.Now())
		tx.ToggleRSVP(1, 5, time.Now())
		tx.ToggleRSVP(1, 6, time.Now())
		return nil
	})
	sub := func(u *User) bool { return u.Subscribed }
	for _, tt := range []struct {
		name string
		a    Audience
		want int
	}{
		{"everyone subscribed", Audience{}, 5},
		{"kind", Audience{Kinds: []string{"youth"}}, 3},
		{"sector any of", Audience{Sectors: []string{"ocop", "tourism"}}, 3},
		{"kind and sector", Audience{Kinds: []string{"farmer"}, Sectors: []string{"agri"}}, 2},
		{"RSVPs", Audience{Event: 1}, 2},
		{"RSVPs and kind", Audience{Event: 1, Kinds: []string{"farmer"}}, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var j Broadcast
			j.Audience, j.Status = tt.a, JobRunning
			if err := s.Update(func(tx *Tx) error { return tx.CreateBroadcast(&j, sub) }); err != nil {
				t.Fatal(err)
			}
			if j.Total != tt.want {
				t.Fatalf("total = %d, want %d", j.Total, tt.want)
			}
			s.View(func(tx *Tx) error {
				rs := tx.Recipients(j.ID, 0, 100)
				if len(rs) != tt.want {
					t.Fatalf("recipients = %+v", rs)
				}
				for i, r := range rs {
					if r.Index != i || r.Outcome != OutPending || r.User == 3 {
						t.Fatalf("recipient %+v", r)
					}
				}
				return nil
			})
		})
	}
}

// TestUpcomingEventsRunning: an event begun and still running is listed
// (a fair of several days until its end; one without an end until the
// end of its day in Vietnam), one over is not; counts agree.
func TestUpcomingEventsRunning(t *testing.T) {
	s := MustOpen(t)
	now := time.Date(2026, 3, 10, 3, 0, 0, 0, time.UTC) // 10:00 in Vietnam
	evs := []*Event{
		{Title: "Hội chợ OCOP 3 ngày", Start: now.Add(-26 * time.Hour), End: now.Add(46 * time.Hour), Status: EventPublished},
		{Title: "Hội thảo sáng nay", Start: now.Add(-2 * time.Hour), Status: EventPublished},
		{Title: "Hôm qua", Start: now.Add(-20 * time.Hour), Status: EventPublished},
		{Title: "Đã xong", Start: now.Add(-5 * time.Hour), End: now.Add(-time.Hour), Status: EventPublished},
		{Title: "Tuần sau", Start: now.Add(7 * 24 * time.Hour), Status: EventPublished},
	}
	if err := s.Update(func(tx *Tx) error {
		for _, e := range evs {
			if err := tx.CreateEvent(e, now.Add(-30*24*time.Hour)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	s.View(func(tx *Tx) error {
		got, n, err := tx.UpcomingEvents(now, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, e := range got {
			titles = append(titles, e.Title)
		}
		want := []string{"Hội chợ OCOP 3 ngày", "Hội thảo sáng nay", "Tuần sau"}
		if n != 3 || len(titles) != 3 || titles[0] != want[0] || titles[1] != want[1] || titles[2] != want[2] {
			t.Fatalf("listed %q (n=%d), want %q", titles, n, want)
		}
		if page, n, _ := tx.UpcomingEvents(now, 2, 10); n != 3 || len(page) != 1 || page[0].Title != "Tuần sau" {
			t.Fatalf("skipping 2: %d of %d", len(page), n)
		}
		return nil
	})
}
