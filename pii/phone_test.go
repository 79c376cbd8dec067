package pii

import "testing"

func TestRedactPhones(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		// Mobiles as typed.
		{"gọi 0905123456 nhé", "gọi [p] nhé"},
		{"gọi 0905 123 456 nhé", "gọi [p] nhé"},
		{"0905.123.456", "[p]"},
		{"0905-123-456", "[p]"},
		{"+84 905 123 456", "[p]"},
		{"+84905123456", "[p]"},
		{"84905123456", "[p]"},
		{"(+84) 905-123-456", "[p]"},
		{"(84) 905 123 456", "[p]"},
		{"sđt:0378 123 456.", "sđt:[p]."},
		{"0905\u00a0123\u00a0456", "[p]"},
		{"Zalo 0 9 0 5 1 2 3 4 5 6", "Zalo [p]"},
		// Landlines with their area code.
		{"0235 3812 345", "[p]"},
		{"(0235) 3812 345", "[p]"},
		{"(0236) 3 812 345", "[p]"},
		{"024 3825 1234", "[p]"},
		{"028.3829.1234", "[p]"},
		{"+84 236 3812 345", "[p]"},
		// Two numbers.
		{"0905123456 hoặc 0235 3812 345", "[p] hoặc [p]"},
		// Not phone numbers.
		{"", ""},
		{"hỗ trợ 50 triệu đồng", "hỗ trợ 50 triệu đồng"},
		{"1.500.000 đồng", "1.500.000 đồng"},
		{"ngày 12/05/2024", "ngày 12/05/2024"},
		{"mã YT-000123", "mã YT-000123"},
		{"CCCD 012345678901", "CCCD 012345678901"}, // 12 digits: an ID, not a phone
		{"số 09051234567890", "số 09051234567890"}, // glued to more digits
		{"0905 123", "0905 123"},                   // too short
		{"0105123456", "0105123456"},               // no such prefix
		{"Nghị định 80/2021/NĐ-CP", "Nghị định 80/2021/NĐ-CP"},
		{"0905  123  456", "0905  123  456"}, // two spaces: not one number
	} {
		if got := RedactPhones(tc.in, "[p]"); got != tc.want {
			t.Errorf("RedactPhones(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got, want := ContainsPhone(tc.in), tc.in != tc.want; got != want {
			t.Errorf("ContainsPhone(%q) = %v, want %v", tc.in, got, want)
		}
	}
}

func TestDigits(t *testing.T) {
	if got := Digits("(+84) 905-123-456"); got != "84905123456" {
		t.Errorf("Digits = %q", got)
	}
}

func FuzzFindPhones(f *testing.F) {
	f.Add("gọi 0905 123 456")
	f.Add("(+84) 905-123-456 (0236) 3 812 345")
	f.Fuzz(func(t *testing.T, s string) {
		for _, sp := range FindPhones(s) {
			if n := len(Digits(s[sp[0]:sp[1]])); n < 9 || n > 12 {
				t.Errorf("%q: span %q has %d digits", s, s[sp[0]:sp[1]], n)
			}
		}
		if out := RedactPhones(s, "·"); len(out) > len(s)+len(FindPhones(s))*len("·") {
			t.Errorf("redaction grew the text: %q → %q", s, out)
		}
	})
}
