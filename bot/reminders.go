package bot

import (
	"context"
	"time"

	"github.com/qnstartup/trolykhoinghiep/store"
)

// The reminders module: a day and an hour before an event, everyone who
// will attend gets a reminder. Reminders are kept in the store by due
// time; the scheduler takes a due reminder out in the same transaction that
// creates its delivery job, so a reminder is never sent twice, even across
// restarts. A reminder found after its event has started is dropped.

// reminderEvery is how often the scheduler looks for due reminders.
const reminderEvery = 30 * time.Second

func (b *Bot) remindersModule() Module {
	return Module{
		Name: "rem",
		Background: func(ctx context.Context) {
			t := time.NewTicker(reminderEvery)
			defer t.Stop()
			for {
				if _, err := b.RemindTick(); err != nil {
					b.log.Error("reminders", "err", err)
				}
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		},
	}
}

// RemindTick turns every due reminder into a delivery job and returns how
// many it queued. The background scheduler calls it; tests call it with a
// controlled clock.
func (b *Bot) RemindTick() (int, error) {
	now := b.now()
	queued := 0
	for {
		var due []store.Reminder
		b.st.View(func(tx *store.Tx) error {
			due = tx.DueReminders(now, 100)
			return nil
		})
		if len(due) == 0 {
			break
		}
		for _, r := range due {
			err := b.st.Update(func(tx *store.Tx) error {
				taken, err := tx.TakeReminder(r)
				if err != nil || !taken {
					return err
				}
				e, err := tx.Event(r.Event)
				if err != nil || e.Status != store.EventPublished || !e.Start.After(now) {
					return nil // gone, cancelled or already started: nothing to remind
				}
				n, err := notifyRSVPs(tx, e, store.JobReminder, r.Kind, 0, now)
				if err == nil && n > 0 {
					queued++
				}
				return err
			})
			if err != nil {
				return queued, err
			}
		}
	}
	if queued > 0 && b.jobs != nil {
		b.jobs.Wake()
	}
	return queued, nil
}
