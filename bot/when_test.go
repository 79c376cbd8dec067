package bot

import (
	"errors"
	"testing"
	"time"
)

func TestParseWhen(t *testing.T) {
	// Now: Tuesday 10/3/2026 10:00 in Vietnam.
	now := time.Date(2026, 3, 10, 10, 0, 0, 0, Vietnam)
	vn := func(y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, Vietnam).UTC()
	}
	tests := []struct {
		in   string
		want time.Time
		err  error
	}{
		{"25/3 8h", vn(2026, 3, 25, 8, 0), nil},
		{"25/3 8h30", vn(2026, 3, 25, 8, 30), nil},
		{"25/3/2026 14:30", vn(2026, 3, 25, 14, 30), nil},
		{"25-03-26 14h", vn(2026, 3, 25, 14, 0), nil},
		{"8h30 25/03", vn(2026, 3, 25, 8, 30), nil},
		{"ngày 25/3 lúc 8 giờ 30", vn(2026, 3, 25, 8, 30), nil},
		{"2h chiều 5/4", vn(2026, 4, 5, 14, 0), nil},
		{"5/4 7h tối", vn(2026, 4, 5, 19, 0), nil},
		{"5/4 8pm", vn(2026, 4, 5, 20, 0), nil},
		{"5/4 8 am", vn(2026, 4, 5, 8, 0), nil},
		{"mai 8h", vn(2026, 3, 11, 8, 0), nil},
		{"ngày mai 14:00", vn(2026, 3, 11, 14, 0), nil},
		{"hôm nay 15h", vn(2026, 3, 10, 15, 0), nil},
		{"thứ 7 9h", vn(2026, 3, 14, 9, 0), nil},
		{"T7 9h", vn(2026, 3, 14, 9, 0), nil},
		{"thu 3 9h", vn(2026, 3, 17, 9, 0), nil}, // today's 9h has passed
		{"thứ 3 15h", vn(2026, 3, 10, 15, 0), nil},
		{"chủ nhật 7h sáng", vn(2026, 3, 15, 7, 0), nil},
		{"10/1 8h", vn(2027, 1, 10, 8, 0), nil}, // well past: next year
		{"9/3 8h", time.Time{}, ErrWhenPast},    // yesterday
		{"hôm nay 9h", time.Time{}, ErrWhenPast},
		{"1/1/2025 8h", time.Time{}, ErrWhenPast},
		{"25/3", time.Time{}, ErrWhenNoTime},
		{"8h", time.Time{}, ErrWhenNoDate},
		{"", time.Time{}, ErrWhenNoDate},
		{"sắp tới", time.Time{}, ErrWhenNoDate},
		{"31/4 8h", time.Time{}, ErrWhenBad},
		{"25/13 8h", time.Time{}, ErrWhenBad},
		{"25/3 25h", time.Time{}, ErrWhenBad},
		{"25/3 8h75", time.Time{}, ErrWhenBad},
	}
	for _, tt := range tests {
		got, err := ParseWhen(tt.in, now.UTC())
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("ParseWhen(%q) = %v, %v; want error %v", tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("ParseWhen(%q) = %v, %v; want %v", tt.in, got.In(Vietnam), err, tt.want.In(Vietnam))
		}
		if got.Location() != time.UTC {
			t.Errorf("ParseWhen(%q) not in UTC", tt.in)
		}
	}
}

func TestVietnamZone(t *testing.T) {
	_, off := time.Date(2026, 1, 1, 0, 0, 0, 0, Vietnam).Zone()
	if off != 7*3600 {
		t.Fatalf("Vietnam offset = %d, want 25200", off)
	}
}
