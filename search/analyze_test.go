package search

import (
	"slices"
	"strings"
	"testing"
)

func TestAnalyzeExact(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"bigrams", "Hỗ trợ khởi nghiệp", []string{"ho", "tro", "ho_tro", "khoi", "tro_khoi", "nghiep", "khoi_nghiep"}},
		{"clause break", "hỗ trợ, khởi nghiệp", []string{"ho", "tro", "ho_tro", "khoi", "nghiep", "khoi_nghiep"}},
		{"sentence break", "Hỗ trợ. Khởi nghiệp!", []string{"ho", "tro", "ho_tro", "khoi", "nghiep", "khoi_nghiep"}},
		{"no diacritics", "ho tro", []string{"ho", "tro", "ho_tro"}},
		{"NFD input", "Kho\u031b\u0309i nghie\u0302\u0323p", []string{"khoi", "nghiep", "khoi_nghiep"}},
		{"Telex", "khoiwr nghieepj", []string{"khoi", "nghiep", "khoi_nghiep"}},
		{"VNI", "kho6i3 nghie65p", []string{"khoi", "nghiep", "khoi_nghiep"}},
		{"abbreviation", "KN", []string{"khoi", "nghiep", "khoi_nghiep"}},
		{"abbreviation with d stroke", "ĐMST", []string{"doi", "moi", "doi_moi", "sang", "moi_sang", "tao", "sang_tao"}},
		{"KH&CN", "Sở KH&CN", []string{"so", "khoa", "so_khoa", "hoc", "khoa_hoc", "cong", "hoc_cong", "nghe", "cong_nghe"}},
		{"teencode", "ko dc", []string{"khong", "duoc", "khong_duoc"}},
		{"English", "startup loan", []string{"khoi", "nghiep", "khoi_nghiep", "vay", "loan", "nghiep_vay"}},
		{"English phrase", "how much", []string{"bao", "nhieu", "bao_nhieu"}},
		{"English function word dropped", "support for students", []string{"ho", "tro", "ho_tro", "sinh", "tro_sinh", "vien", "sinh_vien"}},
		{"document number", "09/2020/NQ-HĐND", []string{"9", "2020", "9_2020", "nghi", "2020_nghi", "quyet", "nghi_quyet", "hoi", "quyet_hoi", "dong", "hoi_dong", "nhan", "dong_nhan", "dan", "nhan_dan"}},
		{"leading zeros", "NQ 9/2020 và 09", []string{"nghi", "quyet", "nghi_quyet", "9", "quyet_9", "2020", "9_2020", "va", "2020_va", "9", "va_9"}},
		{"thousands", "20.000 phụ nữ", []string{"20000", "phu", "20000_phu", "nu", "phu_nu"}},
		{"decimal", "23,54 tỷ", []string{"23", "54", "23_54", "ty", "54_ty"}},
		{"percent", "51%", []string{"51", "phan", "51_phan", "tram", "phan_tram"}},
		{"number then k", "500k", []string{"500", "nghin", "500_nghin"}},
		{"markdown emphasis", "**8 triệu** đồng", []string{"8", "trieu", "8_trieu", "dong", "trieu_dong"}},
		{"empty", "", nil},
		{"punctuation only", "?!...", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Analyze(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("Analyze(%q)\n got  %q\n want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestAnalyzeContains(t *testing.T) {
	tests := []struct {
		name, in  string
		has, hasn []string
	}{
		{"bn as bao nhieu", "hỗ trợ bn tiền", []string{"bao_nhieu", "nhieu_tien", "bn"}, []string{"ban"}},
		{"bn at the end", "được hỗ trợ bn", []string{"bao_nhieu"}, nil},
		{"bn as ban", "bn ơi cho hỏi", []string{"ban", "ban_oi", "bn"}, []string{"bao"}},
		{"ambiguous keeps original", "DN nhỏ", []string{"doanh_nghiep", "dn"}, nil},
		{"loan alone is Vietnamese", "loan tin", []string{"loan", "loan_tin"}, []string{"vay"}},
		{"that is Vietnamese", "thật không", []string{"that", "that_khong"}, nil},
		{"tax weak repair keeps original", "tax", []string{"thue"}, []string{"ta"}},
		{"weak Telex repair keeps original", "tos", []string{"to", "tos"}, nil},
		{"strong Telex repair", "ddaauf tuw", []string{"dau_tu"}, []string{"ddaauf"}},
		{"mixed letters and digits split", "QH14 covid19", []string{"quoc_hoi", "14", "covid", "19"}, nil},
		{"connector keeps clause", "2021-2025", []string{"2021_2025"}, nil},
		{"spaced dash breaks clause", "2021 - 2025", []string{"2021", "2025"}, []string{"2021_2025"}},
		{"url", "khoinghiep.quangnam.gov.vn", []string{"khoinghiep", "quangnam", "gov", "vn"}, nil},
		{"English question", "Which decision set up the student startup support programme?",
			[]string{"quyet_dinh", "thanh_lap", "sinh_vien", "khoi_nghiep", "ho_tro", "chuong_trinh"},
			[]string{"which", "hich"}},
		{"paragraph break", "hỗ trợ\n\nkhởi nghiệp", []string{"tro", "khoi"}, []string{"tro_khoi"}},
		{"line break is a space", "hỗ trợ\nkhởi nghiệp", []string{"tro_khoi"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Analyze(tt.in)
			for _, w := range tt.has {
				if !slices.Contains(got, w) {
					t.Errorf("Analyze(%q) = %q, missing %q", tt.in, got, w)
				}
			}
			for _, w := range tt.hasn {
				if slices.Contains(got, w) {
					t.Errorf("Analyze(%q) = %q, should not contain %q", tt.in, got, w)
				}
			}
		})
	}
}

// TestAnalyzeDiacriticsInvariant: the same words typed with, without and
// with Telex residue give the same syllables.
func TestAnalyzeDiacriticsInvariant(t *testing.T) {
	want := Analyze("Tham gia ngày hội khởi nghiệp được hỗ trợ bao nhiêu tiền")
	for _, in := range []string{
		"tham gia ngay hoi khoi nghiep duoc ho tro bao nhieu tien",
		"THAM GIA NGÀY HỘI KHỞI NGHIỆP ĐƯỢC HỖ TRỢ BAO NHIÊU TIỀN",
		"thaam gia ngayf hooij khoiwr nghieepj dduwowcj hooxx trowj bao nhieeu tieefn",
	} {
		if got := Analyze(in); !slices.Equal(got, want) {
			t.Errorf("Analyze(%q)\n got  %q\n want %q", in, got, want)
		}
	}
}

// TestExpansionKeys guards the tables: a key that is a Vietnamese syllable
// would rewrite ordinary text unless it keeps the original or needs English
// context; values must be folded syllables or numbers.
func TestExpansionKeys(t *testing.T) {
	for _, table := range []map[string]expansion{abbreviations, teencode, english} {
		for k, e := range table {
			if k != Fold(k) {
				t.Errorf("key %q is not folded", k)
			}
			if !strings.Contains(k, " ") && Syllable(k) && !e.keep && !e.enCtx {
				t.Errorf("key %q is a Vietnamese syllable: add keep or enCtx", k)
			}
			for _, w := range strings.Fields(e.to) {
				if !Syllable(w) {
					t.Errorf("key %q: value word %q is not a syllable", k, w)
				}
			}
		}
	}
}
