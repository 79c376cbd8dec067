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
	whenMonth = regexp.MustCompile(`(^|[^\d])(\d{1,2})\s+thang\s+(\d{1,2})(?:\s+(?:nam\s+)?(\d{4}))?([^\d]|$)`)
	whenClock = regexp.MustCompile(`(^|[^\d])(\d{1,2})\s*(?:h|g|gio|:)\s*(\d{1,2}|ruoi)?\s*(?:p|phut)?(?:\s*(am|pm|sang|trua|chieu|toi|dem))?([^\da-z]|$)`)
	whenAMPM  = regexp.MustCompile(`(^|[^\d])(\d{1,2})\s*(am|pm)([^\da-z]|$)`)
	whenDay   = regexp.MustCompile(`(?:^|\s)(?:thu|t)\s*([2-7])(?:\s|$)|(?:^|\s)(chu nhat|cn)(?:\s|$)`)
	whenWeek  = regexp.MustCompile(`(?:^|\s)tuan\s+(sau|toi|nay|next)(?:\s|$)`)
	whenDayWd = regexp.MustCompile(`\bthu (hai|ba|tu|nam|sau|bay)\b`)
	dayNumber = map[string]string{"hai": "2", "ba": "3", "tu": "4", "nam": "5", "sau": "6", "bay": "7"}
	// whenRange finds "8h - 11h", "8h đến 11h30", "từ 8h tới 11h": a clock,
	// a separator, and the start of another clock.
	whenRange = regexp.MustCompile(`(\d{1,2}\s*(?:h|g|gio|:)\s*(?:\d{1,2}|ruoi)?\s*(?:p|phut)?(?:\s*(?:sang|trua|chieu|toi|dem|am|pm))?|\d{1,2}\s*(?:am|pm))\s*(?:-|–|den|toi|to)\s*(\d{1,2}\s*(?:h|g|gio|:|am|pm))`)
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
// "thứ bảy tuần sau 8h", "sáng chủ nhật 8 giờ 30", "2h chiều 5/4",
// "cuối tháng 14h", "12 tháng 12 8h" — and returns it in UTC. A date
// without a year is the next such date (this year, or next year when it is
// well past); a weekday alone is the next one, and "tuần sau/tuần tới"
// means that day of next week (weeks start on Monday). Times in the past
// are refused with ErrWhenPast.
func ParseWhen(s string, now time.Time) (time.Time, error) {
	at, _, err := ParseWhenSpan(s, now)
	return at, err
}

// ParseWhenSpan is ParseWhen that also reads an end time typed after the
// start — "thứ 7 8h-11h", "25/3 8h đến 11h30" — and returns it (zero when
// none was typed). An end before the start is refused with ErrWhenBad.
func ParseWhenSpan(s string, now time.Time) (start, end time.Time, err error) {
	f := whenDayWd.ReplaceAllStringFunc(foldWhen(s), func(w string) string {
		return "thu " + dayNumber[strings.TrimPrefix(w, "thu ")]
	})
	if f == "" {
		return time.Time{}, time.Time{}, ErrWhenNoDate
	}
	endText := ""
	if ix := whenRange.FindStringSubmatchIndex(f); ix != nil {
		endText = f[ix[4]:]
		f = strings.TrimSpace(f[:ix[3]] + " " + endClockRest(f[ix[4]:]))
	}
	start, err = parseWhenOne(f, now)
	if err != nil || endText == "" {
		return start, time.Time{}, err
	}
	hour, min, ok, err := parseClock(endText)
	if err != nil || !ok {
		return time.Time{}, time.Time{}, ErrWhenBad
	}
	v := start.In(Vietnam)
	startPlain := !hasClockSuffix(f) && !hasWord(f, "sang", "trua", "chieu", "toi", "dem")
	switch {
	case !hasClockSuffix(endText) && hour < 12 && hour+12 > v.Hour() && hour <= v.Hour():
		hour += 12 // "2h chiều - 4h": 4h is 16h
	case startPlain && hour >= 12 && v.Hour() < 12 && v.Hour()+12 < hour:
		v = v.Add(12 * time.Hour) // "2h - 4h chiều": 2h is 14h
		start = v.UTC()
	}
	end = time.Date(v.Year(), v.Month(), v.Day(), hour, min, 0, 0, Vietnam)
	if !end.After(v) {
		return time.Time{}, time.Time{}, ErrWhenBad
	}
	return start, end.UTC(), nil
}

// endClockRest drops the end time from the text after a range separator,
// keeping whatever follows it (a date or a day written after the times).
func endClockRest(s string) string {
	if ix := whenClock.FindStringSubmatchIndex(s); ix != nil {
		return s[ix[10]:]
	}
	if ix := whenAMPM.FindStringSubmatchIndex(s); ix != nil {
		return s[ix[8]:]
	}
	return s
}

func hasClockSuffix(s string) bool {
	g := whenClock.FindStringSubmatch(s)
	return g != nil && g[4] != ""
}

func parseWhenOne(f string, now time.Time) (time.Time, error) {
	today := now.In(Vietnam)
	y, m, d := today.Date()
	var day time.Time
	yearGiven, dated, weekday := false, false, false
	rest := f
	weeks := -1 // "tuần sau": 1, "tuần này": 0, not said: -1
	if g := whenWeek.FindStringSubmatch(rest); g != nil {
		weeks = 1
		if g[1] == "nay" {
			weeks = 0
		}
		rest = whenWeek.ReplaceAllString(rest, " ")
	}
	dateRe := whenDate
	if !whenDate.MatchString(rest) {
		dateRe = whenMonth
	}
	switch {
	case dateRe.MatchString(rest):
		g := dateRe.FindStringSubmatch(rest)
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
		ix := dateRe.FindStringSubmatchIndex(rest)
		rest = rest[:ix[4]] + " " + rest[ix[10]:] // keep what is around the date
		dated = true
	case hasWord(rest, "cuoi thang"):
		day = time.Date(y, m+1, 0, 0, 0, 0, 0, Vietnam) // the month's last day
		rest = strings.Replace(rest, "cuoi thang", " ", 1)
		dated = true
	case hasWord(rest, "ngay kia", "mot", "ngay mot"):
		day = time.Date(y, m, d+2, 0, 0, 0, 0, Vietnam)
	case hasWord(rest, "mai", "ngay mai"):
		day = time.Date(y, m, d+1, 0, 0, 0, 0, Vietnam)
	case hasWord(rest, "nay", "hom nay", "today"):
		day = time.Date(y, m, d, 0, 0, 0, 0, Vietnam)
	case hasWord(rest, "tomorrow"):
		day = time.Date(y, m, d+1, 0, 0, 0, 0, Vietnam)
	case whenDay.MatchString(rest) || hasWord(rest, "cuoi tuan"):
		want := time.Saturday // "cuối tuần"
		if g := whenDay.FindStringSubmatch(rest); g != nil {
			want = time.Sunday
			if g[1] != "" {
				n, _ := strconv.Atoi(g[1])
				want = time.Weekday(n - 1) // "thứ 2" is Monday
			}
		}
		rest = strings.Replace(whenDay.ReplaceAllString(rest, " "), "cuoi tuan", " ", 1)
		if weeks >= 0 {
			// That day of this or next week, weeks running Monday to Sunday.
			monday := d - (int(today.Weekday())+6)%7
			day = time.Date(y, m, monday+7*weeks+(int(want)+6)%7, 0, 0, 0, 0, Vietnam)
			dated = true
		} else {
			ahead := (int(want) - int(today.Weekday()) + 7) % 7
			day = time.Date(y, m, d+ahead, 0, 0, 0, 0, Vietnam)
			weekday = true
		}
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
	if weekday && !at.After(now) {
		at = at.AddDate(0, 0, 7) // this weekday has passed: next week's
	}
	if !at.After(now) {
		if !yearGiven && dated && now.Sub(at) > 31*24*time.Hour {
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
		switch g[3] {
		case "":
		case "ruoi":
			min = 30
		default:
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

// FormatSpan shows a start and an optional end in Vietnam time: "Thứ
// Bảy 12/12/2026, 08:00" or "Thứ Bảy 12/12/2026, 08:00–11:00".
func FormatSpan(loc interface {
	T(string, ...map[string]any) string
}, start, end time.Time) string {
	v := start.In(Vietnam)
	s := loc.T(weekdayKeys[v.Weekday()]) + " " + v.Format("02/01/2006") + ", " + v.Format("15:04")
	if end.After(start) {
		e := end.In(Vietnam)
		if e.YearDay() == v.YearDay() && e.Year() == v.Year() {
			s += "–" + e.Format("15:04")
		} else {
			s += " – " + loc.T(weekdayKeys[e.Weekday()]) + " " + e.Format("02/01/2006") + ", " + e.Format("15:04")
		}
	}
	return s
}

// FormatWhen shows a time in Vietnam time: "08:00, Thứ Tư 25/03/2026".
func FormatWhen(loc interface {
	T(string, ...map[string]any) string
}, t time.Time) string {
	v := t.In(Vietnam)
	return v.Format("15:04") + ", " + loc.T(weekdayKeys[v.Weekday()]) + " " + v.Format("02/01/2006")
}
