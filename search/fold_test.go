package search

import "testing"

func TestFold(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"ASCII unchanged", "ho tro bao nhieu", "ho tro bao nhieu"},
		{"ASCII upper", "HO TRO", "ho tro"},
		{"NFC", "Khởi nghiệp đổi mới sáng tạo", "khoi nghiep doi moi sang tao"},
		{"NFD", "Kho\u031b\u0309i nghie\u0302\u0323p", "khoi nghiep"},
		{"composite", "kh\u01a1\u0309i ngh\u00ea\u0323p", "khoi nghep"},
		{"d stroke", "Đà Nẵng đó", "da nang do"},
		{"eth look-alike", "\u00d0\u00e0 N\u1eb5ng \u00f0\u00f3", "da nang do"},
		{"African D", "\u0189\u0256", "dd"},
		{"upper accented", "QUẢNG NAM ĐẤT MỞ", "quang nam dat mo"},
		{"tone placement", "hòa hoà thủy thuỷ", "hoa hoa thuy thuy"},
		{"punctuation kept", "09/2020/NQ-HĐND, 23,54 tỷ!", "09/2020/nq-hdnd, 23,54 ty!"},
		{"other scripts", "Привет 你好 Ωμέγα", "привет 你好 ωμεγα"},
		{"invalid UTF-8", "a\xffb", "a\ufffdb"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Fold(tt.in); got != tt.want {
				t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got := Fold(Fold(tt.in)); got != Fold(tt.in) {
				t.Errorf("Fold not idempotent on %q: %q", tt.in, got)
			}
		})
	}
}

// TestFoldTableMatchesDefinition checks the precomputed per-rune table
// against the slow definition on whole Vietnamese strings in every
// normalisation form.
func TestFoldTableMatchesDefinition(t *testing.T) {
	for _, s := range []string{
		"Trợ lý Khởi nghiệp Quảng Nam – ngày hội khởi nghiệp đổi mới sáng tạo",
		"ẤẦẨẪẬĂẮẰẲẴẶÊẾỀỂỄỆÔỐỒỔỖỘƠỚỜỞỠỢƯỨỪỬỮỰÝỲỶỸỴĐ",
		"ấầẩẫậắằẳẵặếềểễệốồổỗộớờởỡợứừửữựýỳỷỹỵđ",
		"Ñandú Øre Æsir straße İstanbul",
	} {
		if got, want := Fold(s), slowFold(s); got != want {
			t.Errorf("Fold(%q) = %q, definition gives %q", s, got, want)
		}
	}
}

// TestFoldInertPunctuation checks the fast path for General Punctuation
// against the definition.
func TestFoldInertPunctuation(t *testing.T) {
	for r := rune(0x2000); r <= 0x206F; r++ {
		s := "Khởi nghiệp " + string(r) + " Đà Nẵng"
		if got, want := Fold(s), slowFold(s); got != want {
			t.Errorf("U+%04X: Fold = %q, definition = %q", r, got, want)
		}
	}
}
