package search

import "testing"

func TestSyllable(t *testing.T) {
	valid := []string{
		"a", "o", "u", "y", "ai", "anh", "em", "yeu", "yen", "uyen",
		"khoi", "nghiep", "nguyen", "truong", "duoc", "khong", "quoc", "quy", "quyen", "quyet",
		"gi", "gia", "giup", "gin", "ghi", "nghe", "ke", "ky", "kieu", "ca", "co", "cu",
		"xoong", "boong", "thuy", "khuya", "huynh", "xuan", "luat", "thue", "nuoc", "ruou",
		"thuo", "nhieu", "nhiu", "lau", "hoa", "hoang", "khoanh", "ngoeo", "tuyp", "phuong",
		"chuyen", "thich", "nhanh", "ech", "uong", "oan", "loan", "vay",
	}
	invalid := []string{
		"", "khoiwr", "nghieep", "nghieepj", "ddaau", "fintech", "zalo", "jav", "www",
		"khoir", "tax", "startup", "ocop", "covid", "ko", "dc", "bn", "kn", "dmst",
		"ca1", "Khoi", "khôi", "ki\u0301", "ngi", "nge", "ghu", "ge", "ce", "ci", "kya",
		"ka", "qa", "quu", "khoong", "doong", "iem", "yem1", "thyen", "gii", "bs", "str",
	}
	for _, s := range valid {
		if !Syllable(s) {
			t.Errorf("Syllable(%q) = false, want true", s)
		}
	}
	for _, s := range invalid {
		if Syllable(s) {
			t.Errorf("Syllable(%q) = true, want false", s)
		}
	}
}

func TestRepairTelex(t *testing.T) {
	tests := []struct {
		in, want string
		weak, ok bool
	}{
		{"khoiwr", "khoi", false, true},
		{"nghieepj", "nghiep", false, true},
		{"ddaauf", "dau", false, true},
		{"dduwowcj", "duoc", false, true},
		{"truwowngf", "truong", false, true},
		{"khoong", "khong", false, true},
		{"xoongf", "xoong", false, true},
		{"nhwng", "nhung", false, true},
		{"tuw", "tu", false, true},
		{"vaays", "vay", false, true},
		{"tax", "ta", true, true},
		{"bus", "bu", true, true},
		{"startup", "", false, false},
		{"fintech", "", false, false},
		{"w", "", false, false},
	}
	for _, tt := range tests {
		got, weak, ok := repairTelex(tt.in)
		if got != tt.want || weak != tt.weak || ok != tt.ok {
			t.Errorf("repairTelex(%q) = %q, %v, %v; want %q, %v, %v", tt.in, got, weak, ok, tt.want, tt.weak, tt.ok)
		}
	}
}

func TestRepairVNI(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"kho6i3", "khoi", true},
		{"nghie65p", "nghiep", true},
		{"d9u7o7c5", "duoc", true},
		{"tru7o7ng2", "truong", true},
		{"covid19", "", false},
		{"qh14", "", false},
		{"2020", "", false},
	}
	for _, tt := range tests {
		got, ok := repairVNI(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("repairVNI(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
