package bot

import (
	"time"

	"github.com/qnstartup/trolykhoinghiep/pii"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// Trust helpers: phone numbers typed in free text are hidden wherever the
// text is shown to someone other than its writer (public idea cards,
// notices to staff), and daily caps count per day in Vietnam's time zone.

// hidePhones replaces typed phone numbers in s with a placeholder in the
// reader's language. s is plain text (escape after).
func hidePhones(c *Ctx, s string) string {
	return pii.RedactPhones(s, c.T("trust.phone_hidden"))
}

// hidePhonesFor is hidePhones in another user's language.
func hidePhonesFor(c *Ctx, u *store.User, s string) string {
	return pii.RedactPhones(s, c.TFor(u, "trust.phone_hidden"))
}

// capDay is the day of t in Vietnam, as days since 1970: the key of
// daily caps.
func capDay(t time.Time) int64 {
	d := dayStart(t)
	_, off := d.Zone()
	return (d.Unix() + int64(off)) / 86400
}
