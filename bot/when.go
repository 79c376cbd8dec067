package bot

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	_ "time/tzdata" // Asia/Ho_Chi_Minh even where the system has no zone files

	"golang.org/x/text/unicode/norm"
)

// Vietnam is the time zone dates are typed and shown in.
var Vietnam = loadVietnam()

func loadVietnam() *time.Location {
	if loc, err := time.LoadLocation("Asia/Ho_Chi_Minh"); err == nil {
		return loc
	}
	return time.FixedZone("ICT", 7*3600)
}

// Errors of ParseWhen; each has a message "events.when_<reason>".
var (
	ErrWhenNoDate = errors.New("no date")
	ErrWhenNoTime = errors.New("no time")
	ErrWhenBad    = errors.New("not a valid date or time")
	ErrWhenPast   = errors.New("in the past")
)

var (
	whenDate  = regexp.MustCompile(`(^|[^\d])(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{2,4}))?([^\d]|$)`)
	whenClock = regexp.MustCompile(`(^|[^\d])(\d{1,2})\s*(?:h|g|gio|:)\s*(\d{1,2})?\s*(?:p|phut)?(?:\s*(am|pm|sang|trua|chieu|toi|dem))?([^\da-z]|$)`)
	whenAMPM  = regexp.MustCompile(`(^|[^\d])(\d{1,2})\s*(am|pm)([^\da-z]|$)`)
	whenDay   = regexp.MustCompile(`(?:^|\s)(?:thu|t)\s*([2-7])(?:\s|$)|(?:^|\s)(chu nhat|cn)(?:\s|$)`)
)

// foldWhen lower-cases s and removes Vietnamese diacritics, keeping
// digits and punctuation.
func foldWhen(s string) string {
	var sb strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ' || r == 'Đ':
			sb.WriteByte('d')
		default:
			sb.WriteRune(unicode.ToLower(r))
		}
	}
	return strings.Join(strings.Fields(sb.String()), " ")
}

// ParseWhen reads a date and time typed naturally in Vietnam time —
// "25/3 8h", "25/3/2026 14:30", "8h30 25/03", "mai 8h", "thứ 7 9h",
// "2h chiều 5/4" — and returns it in UTC. A date without a year is the next
// such date (this year, or next year when it is well past). Times in the
// past are refused with ErrWhenPast.
func ParseWhen(s string, now time.Time) (time.Time, error) {
	f := foldWhen(s)
	if f == "" {
		return time.Time{}, ErrWhenNoDate
	}
	today := now.In(Vietnam)
	y, m, d := today.Date()
	var day time.Time
	yearGiven := false
	rest := f
	switch {
	case whenDate.MatchString(f):
		g := whenDate.FindStringSubmatch(f)
		dd, _ := strconv.Atoi(g[2])
		mm, _ := strconv.Atoi(g[3])
		yy := y
		if g[4] != "" {
			yearGiven = true
			yy, _ = strconv.Atoi(g[4])
			if yy < 100 {
				yy += 2000
			}
		}
		if mm < 1 || mm > 12 || dd < 1 || dd > 31 {
			return time.Time{}, ErrWhenBad
		}
		day = time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, Vietnam)
		if day.Day() != dd { // 31/4 became 1/5
			return time.Time{}, ErrWhenBad
		}
		ix := whenDate.FindStringSubmatchIndex(f)
		rest = f[:ix[4]] + " " + f[ix[10]:] // keep what is around the date
	case hasWord(f, "ngay kia", "mot", "ngay mot"):
		day = time.Date(y, m, d+2, 0, 0, 0, 0, Vietnam)
	case hasWord(f, "mai", "ngay mai"):
		day = time.Date(y, m, d+1, 0, 0, 0, 0, Vietnam)
	case hasWord(f, "nay", "hom nay", "today"):
		day = time.Date(y, m, d, 0, 0, 0, 0, Vietnam)
	case hasWord(f, "tomorrow"):
		day = time.Date(y, m, d+1, 0, 0, 0, 0, Vietnam)
	case whenDay.MatchString(f):
		g := whenDay.FindStringSubmatch(f)
		want := time.Sunday
		if g[1] != "" {
			n, _ := strconv.Atoi(g[1])
			want = time.Weekday(n - 1) // "thứ 2" is Monday
		}
		ahead := (int(want) - int(today.Weekday()) + 7) % 7
		day = time.Date(y, m, d+ahead, 0, 0, 0, 0, Vietnam)
		rest = whenDay.ReplaceAllString(f, " ")
	default:
		return time.Time{}, ErrWhenNoDate
	}
	hour, min, ok, err := parseClock(rest)
	if err != nil {
		return time.Time{}, err
	}
	if !ok {
		return time.Time{}, ErrWhenNoTime
	}
	at := time.Date(day.Year(), day.Month(), day.Day(), hour, min, 0, 0, Vietnam)
	if whenDay.MatchString(f) && !whenDate.MatchString(f) && !at.After(now) {
		at = at.AddDate(0, 0, 7) // this weekday has passed: next week's
	}
	if !at.After(now) {
		if !yearGiven && whenDate.MatchString(f) && now.Sub(at) > 31*24*time.Hour {
			at = at.AddDate(1, 0, 0)
		} else {
			return time.Time{}, ErrWhenPast
		}
	}
	return at.UTC(), nil
}

func hasWord(f string, words ...string) bool {
	for _, w := range words {
		if f == w || strings.HasPrefix(f, w+" ") || strings.HasSuffix(f, " "+w) || strings.Contains(f, " "+w+" ") {
			return true
		}
	}
	return false
}

// parseClock finds a time of day: "8h", "8h30", "14:30", "8 giờ", "2h
// chiều", "8pm".
func parseClock(s string) (hour, min int, ok bool, err error) {
	var suffix string
	if g := whenClock.FindStringSubmatch(s); g != nil {
		hour, _ = strconv.Atoi(g[2])
		if g[3] != "" {
			min, _ = strconv.Atoi(g[3])
		}
		suffix = g[4]
	} else if g := whenAMPM.FindStringSubmatch(s); g != nil {
		hour, _ = strconv.Atoi(g[2])
		suffix = g[3]
	} else {
		return 0, 0, false, nil
	}
	if suffix == "" {
		for _, w := range []string{"sang", "trua", "chieu", "toi", "dem"} {
			if hasWord(s, w) {
				suffix = w
			}
		}
	}
	switch suffix {
	case "pm", "chieu", "toi":
		if hour < 12 {
			hour += 12
		}
	case "am", "sang":
		if hour == 12 {
			hour = 0
		}
	case "dem":
		if hour >= 7 && hour < 12 {
			hour += 12
		}
	}
	if hour > 23 || min > 59 {
		return 0, 0, false, ErrWhenBad
	}
	return hour, min, true, nil
}

// whenReason is the message key explaining a ParseWhen error.
func whenReason(err error) string {
	switch {
	case errors.Is(err, ErrWhenNoTime):
		return "events.when_no_time"
	case errors.Is(err, ErrWhenPast):
		return "events.when_past"
	case errors.Is(err, ErrWhenBad):
		return "events.when_bad"
	}
	return "events.when_no_date"
}

// weekdayKeys name the days of the week ("events.wd0" is Sunday).
var weekdayKeys = [...]string{"events.wd0", "events.wd1", "events.wd2", "events.wd3", "events.wd4", "events.wd5", "events.wd6"}

// FormatWhen shows a time in Vietnam time: "08:00, Thứ Tư 25/03/2026".
func FormatWhen(loc interface {
	T(string, ...map[string]any) string
}, t time.Time) string {
	v := t.In(Vietnam)
	return v.Format("15:04") + ", " + loc.T(weekdayKeys[v.Weekday()]) + " " + v.Format("02/01/2006")
}
