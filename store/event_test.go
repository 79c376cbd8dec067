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
