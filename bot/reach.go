package bot

import (
	"time"

	"github.com/qnstartup/trolykhoinghiep/store"
)

// Some channels let the bot write to a user only for a while after the
// user last wrote (Zalo: 7 days, free for the first 48 hours). Such users
// are not failures and have not blocked the bot: they are reached again
// once they write. Announcements, reminders and notices count them apart.

// reach is whether a user can be written to now on their channel.
type reach struct {
	Reachable bool
	Free      bool // within the channel's free part of the window
}

// reach tells whether u can be written to now.
func (b *Bot) reach(u *store.User, now time.Time) reach {
	channel, _ := u.Address()
	ch, ok := b.chans[channel]
	if !ok {
		return reach{}
	}
	caps := ch.Caps()
	if caps.Window <= 0 {
		return reach{Reachable: true, Free: true}
	}
	since := now.Sub(u.LastInbound)
	if u.LastInbound.IsZero() || since > caps.Window {
		return reach{}
	}
	return reach{Reachable: true, Free: caps.FreeWindow <= 0 || since <= caps.FreeWindow}
}

// audienceReach counts an audience by channel: who will be reached, who
// within the free part of a window, and who is outside their channel's
// window.
type audienceReach struct {
	ByChannel map[string]int // reachable, by channel name
	Free      map[string]int // reachable within the free window, channels with one
	Outside   int
	windowed  bool // some configured channel has a window
}

func (b *Bot) audienceReach(a store.Audience, now time.Time) (audienceReach, error) {
	r := audienceReach{ByChannel: map[string]int{}, Free: map[string]int{}}
	for _, ch := range b.chans {
		if ch.Caps().Window > 0 {
			r.windowed = true
		}
	}
	err := b.st.View(func(tx *store.Tx) error {
		return tx.EachInAudience(a, keepSubscribed, func(u *store.User) error {
			channel, _ := u.Address()
			rc := b.reach(u, now)
			switch {
			case !rc.Reachable:
				r.Outside++
			default:
				r.ByChannel[channel]++
				if ch, ok := b.chans[channel]; ok && ch.Caps().Window > 0 && rc.Free {
					r.Free[channel]++
				}
			}
			return nil
		})
	})
	return r, err
}

// shown reports whether the per-channel line says more than the total.
func (r audienceReach) shown() bool { return r.windowed || len(r.ByChannel) > 1 }

func (r audienceReach) describe(loc translator) string {
	return loc.T("channel.reach", map[string]any{
		"Telegram": r.ByChannel[store.Telegram], "Zalo": r.ByChannel[store.Zalo], "ZaloFree": r.Free[store.Zalo], "Outside": r.Outside,
	})
}

// jobCounts is a job's outcome counts for people.
func jobCounts(loc translator, j *store.Broadcast) string {
	s := loc.T("broadcast.counts", map[string]any{"Sent": j.Delivered(), "Failed": j.Failed, "Blocked": j.Blocked, "Skipped": j.Skipped})
	if j.OutsideWindow > 0 {
		s += "\n" + loc.T("channel.outside_window_count", map[string]any{"N": j.OutsideWindow})
	}
	return s
}
