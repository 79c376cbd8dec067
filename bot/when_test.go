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

func TestParseWhenWords(t *testing.T) {
	// Now: Wednesday 2/12/2026 10:00 in Vietnam.
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, Vietnam)
	if now.Weekday() != time.Wednesday {
		t.Fatalf("test clock is a %s", now.Weekday())
	}
	vn := func(m time.Month, d, h, min int) time.Time {
		return time.Date(2026, m, d, h, min, 0, 0, Vietnam).UTC()
	}
	tests := []struct {
		in       string
		want     time.Time
		end      time.Time // zero: no end typed
		err      error
		wantNote string
	}{
		{in: "thứ 7 8h", want: vn(12, 5, 8, 0)},
		{in: "thứ 7 tuần sau 8h", want: vn(12, 12, 8, 0)},
		{in: "thu 7 tuan sau 8h", want: vn(12, 12, 8, 0)},
		{in: "thứ bảy tuần sau 8h", want: vn(12, 12, 8, 0)},
		{in: "sáng thứ bảy tuần sau 8 giờ", want: vn(12, 12, 8, 0)},
		{in: "8h sáng thứ bảy tuần tới", want: vn(12, 12, 8, 0)},
		{in: "thứ hai tuần sau 14h", want: vn(12, 7, 14, 0)},
		{in: "thứ sáu 9h", want: vn(12, 4, 9, 0)},
		{in: "thứ tư tuần sau 9h", want: vn(12, 9, 9, 0)},
		{in: "thứ tư 9h", want: vn(12, 9, 9, 0)}, // today's 9h has passed
		{in: "thứ tư 15h", want: vn(12, 2, 15, 0)},
		{in: "chủ nhật 7h", want: vn(12, 6, 7, 0)},
		{in: "chủ nhật tuần sau 7h", want: vn(12, 13, 7, 0)},
		{in: "CN tuần này 7h", want: vn(12, 6, 7, 0)},
		{in: "thứ năm tuần này 8h", want: vn(12, 3, 8, 0)},
		{in: "thứ hai tuần này 8h", err: ErrWhenPast},
		{in: "chiều thứ 6 3 giờ", want: vn(12, 4, 15, 0)},
		{in: "tối mai 7 giờ", want: vn(12, 3, 19, 0)},
		{in: "mai 8 giờ 30", want: vn(12, 3, 8, 30)},
		{in: "mai 8 giờ rưỡi", want: vn(12, 3, 8, 30)},
		{in: "cuối tháng 14h", want: vn(12, 31, 14, 0)},
		{in: "cuối tuần 9h", want: vn(12, 5, 9, 0)},
		{in: "ngày 12 tháng 12 8h", want: vn(12, 12, 8, 0)},
		{in: "12 tháng 12 năm 2026 lúc 8h", want: vn(12, 12, 8, 0)},
		{in: "thứ 7 tuần sau 8h-11h", want: vn(12, 12, 8, 0), end: vn(12, 12, 11, 0)},
		{in: "12/12 8h đến 11h30", want: vn(12, 12, 8, 0), end: vn(12, 12, 11, 30)},
		{in: "từ 8h tới 11h thứ bảy tuần sau", want: vn(12, 12, 8, 0), end: vn(12, 12, 11, 0)},
		{in: "12/12 2h - 4h chiều", want: vn(12, 12, 14, 0), end: vn(12, 12, 16, 0)},
		{in: "thứ 7 tối 7h", want: vn(12, 5, 19, 0)},
		{in: "12/12 15h - 14h", err: ErrWhenBad},
		{in: "tuần sau 8h", err: ErrWhenNoDate},
		{in: "thứ bảy tuần sau", err: ErrWhenNoTime},
	}
	for _, tt := range tests {
		got, end, err := ParseWhenSpan(tt.in, now.UTC())
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("ParseWhenSpan(%q) = %v, %v; want error %v", tt.in, got.In(Vietnam), err, tt.err)
			}
			continue
		}
		if err != nil || !got.Equal(tt.want) || !end.Equal(tt.end) {
			t.Errorf("ParseWhenSpan(%q) = %v – %v, %v; want %v – %v", tt.in, got.In(Vietnam), end.In(Vietnam), err, tt.want.In(Vietnam), tt.end.In(Vietnam))
		}
	}
}
