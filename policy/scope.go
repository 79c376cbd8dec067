package policy

import (
	"strings"
	"unicode"

	"github.com/qnstartup/trolykhoinghiep/search"
)

// The knowledge base covers Quảng Nam, Đà Nẵng and national documents. A
// question that names another province or city asks about that place's own
// policies, which we do not have; it is refused unless the passage found
// itself talks about that place.

// homePlaces are folded names that put a question back in scope.
var homePlaces = []string{
	"quang nam", "da nang", "tam ky", "hoi an", "dien ban", "duy xuyen", "que son", "nui thanh",
	"thang binh", "phu ninh", "hiep duc", "tien phuoc", "bac tra my", "nam tra my", "tra my",
	"nam giang", "dong giang", "tay giang", "phuoc son", "nong son", "dai loc", "chu lai",
	"hai chau", "hoang sa", "quangnam", "danang",
}

// otherPlaces are folded names of the other provinces and centrally run
// cities (before and after the 2025 reorganisation) and a few neighbours.
var otherPlaces = map[string]string{
	"ha noi": "Hà Nội", "hanoi": "Hà Nội", "ho chi minh": "TP Hồ Chí Minh", "hcm": "TP Hồ Chí Minh",
	"tphcm": "TP Hồ Chí Minh", "sai gon": "TP Hồ Chí Minh", "saigon": "TP Hồ Chí Minh",
	"thu duc": "TP Hồ Chí Minh", "hai phong": "Hải Phòng", "can tho": "Cần Thơ", "an giang": "An Giang",
	"vung tau": "Bà Rịa – Vũng Tàu", "ba ria": "Bà Rịa – Vũng Tàu", "bac lieu": "Bạc Liêu",
	"bac giang": "Bắc Giang", "bac kan": "Bắc Kạn", "bac ninh": "Bắc Ninh", "ben tre": "Bến Tre",
	"binh dinh": "Bình Định", "binh duong": "Bình Dương", "binh phuoc": "Bình Phước",
	"binh thuan": "Bình Thuận", "ca mau": "Cà Mau", "cao bang": "Cao Bằng", "dak lak": "Đắk Lắk",
	"dac lac": "Đắk Lắk", "dak nong": "Đắk Nông", "dien bien": "Điện Biên", "dong nai": "Đồng Nai",
	"bien hoa": "Đồng Nai", "dong thap": "Đồng Tháp", "gia lai": "Gia Lai", "ha giang": "Hà Giang",
	"ha nam": "Hà Nam", "ha tinh": "Hà Tĩnh", "hai duong": "Hải Dương", "hau giang": "Hậu Giang",
	"hoa binh": "Hòa Bình", "hung yen": "Hưng Yên", "khanh hoa": "Khánh Hòa", "nha trang": "Khánh Hòa",
	"kien giang": "Kiên Giang", "kon tum": "Kon Tum", "lai chau": "Lai Châu", "lam dong": "Lâm Đồng",
	"da lat": "Lâm Đồng", "lang son": "Lạng Sơn", "lao cai": "Lào Cai", "long an": "Long An",
	"nam dinh": "Nam Định", "nghe an": "Nghệ An", "ninh binh": "Ninh Bình", "ninh thuan": "Ninh Thuận",
	"phu tho": "Phú Thọ", "phu yen": "Phú Yên", "quang binh": "Quảng Bình", "quang ngai": "Quảng Ngãi",
	"quang ninh": "Quảng Ninh", "quang tri": "Quảng Trị", "soc trang": "Sóc Trăng", "son la": "Sơn La",
	"tay ninh": "Tây Ninh", "thai binh": "Thái Bình", "thai nguyen": "Thái Nguyên",
	"thanh hoa": "Thanh Hóa", "thua thien hue": "Huế", "thanh pho hue": "Huế", "tp hue": "Huế", "hue": "Huế",
	"tien giang": "Tiền Giang", "tra vinh": "Trà Vinh", "tuyen quang": "Tuyên Quang",
	"vinh long": "Vĩnh Long", "vinh phuc": "Vĩnh Phúc", "yen bai": "Yên Bái",
	"singapore": "Singapore", "thai lan": "Thái Lan", "thailand": "Thái Lan",
	"trung quoc": "Trung Quốc", "han quoc": "Hàn Quốc", "nhat ban": "Nhật Bản",
}

// padFold folds s and joins its words with single spaces, padded, so that
// names can be found with strings.Contains(" name "). Runes other than
// letters and digits become spaces before folding, which keeps search.Fold
// on its fast path.
func padFold(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte(' ')
	for _, r := range s {
		if notWordRune(r) && !unicode.Is(unicode.Mn, r) {
			b.WriteByte(' ')
		} else {
			b.WriteRune(r)
		}
	}
	b.WriteByte(' ')
	return " " + strings.Join(strings.Fields(search.Fold(b.String())), " ") + " "
}

// foreignPlace returns the folded name of another place the question
// names (the longest, if several), unless it also names a home place.
func foreignPlace(folded string) string {
	words := strings.Fields(folded)
	found := ""
	for i := range words {
		for n := 1; n <= 3 && i+n <= len(words); n++ {
			name := strings.Join(words[i:i+n], " ")
			if homeSet[name] {
				return ""
			}
			if _, ok := otherPlaces[name]; ok && len(name) > len(found) {
				found = name
			}
		}
	}
	return found
}

var homeSet = func() map[string]bool {
	m := map[string]bool{}
	for _, p := range homePlaces {
		m[p] = true
	}
	return m
}()

// travelWords (folded) before a place make it a destination ("đi hội chợ ở
// Thái Lan", "tham gia triển lãm tại Hà Nội"): the question is still about
// our support for going there.
var travelWords = []string{"di", "tham gia", "tham du", "du", "sang", "ra", "attend", "join", "travel"}

var placeNouns = map[string]bool{"tp": true, "tinh": true, "thanh": true, "pho": true, "thu": true, "do": true, "nuoc": true}

// destination reports whether place is named after a travel word and a
// locative ("ở", "tại", "sang", "ra", "đến", "in", "to").
func destination(folded, place string) bool {
	i := strings.Index(folded, " "+place+" ")
	if i < 0 {
		return false
	}
	before := strings.Fields(folded[:i])
	// Skip "TP", "tỉnh", "thủ đô", "nước": "ở TP.HCM", "sang nước Thái Lan".
	for len(before) > 0 && placeNouns[before[len(before)-1]] {
		before = before[:len(before)-1]
	}
	if len(before) == 0 {
		return false
	}
	switch before[len(before)-1] {
	case "o", "tai", "sang", "ra", "den", "toi", "in", "to":
	default:
		return false
	}
	head := " " + strings.Join(before[:len(before)-1], " ") + " "
	for _, w := range travelWords {
		if strings.Contains(head, " "+w+" ") {
			return true
		}
	}
	return false
}

// withoutPlace removes the words of a folded place name (and a "TP",
// "tỉnh" or "nước" before it) from text, so that a travel destination does
// not weigh on the search.
func withoutPlace(text, place string) string {
	words := strings.FieldsFunc(text, notWordRune)
	folded := make([]string, len(words))
	for i, w := range words {
		folded[i] = search.Fold(w)
	}
	pw := strings.Fields(place)
	for i := 0; i+len(pw) <= len(words); i++ {
		match := true
		for j, p := range pw {
			if folded[i+j] != p {
				match = false
				break
			}
		}
		if !match {
			continue
		}
		start := i
		for start > 0 && placeNouns[folded[start-1]] {
			start--
		}
		out := append(append([]string{}, words[:start]...), words[i+len(pw):]...)
		return strings.Join(out, " ")
	}
	return text
}

// danangPlaces are the home places of Đà Nẵng (the others are Quảng Nam's).
var danangPlaces = map[string]bool{"da nang": true, "danang": true, "hai chau": true, "hoang sa": true}

// homeLocality returns "Quảng Nam" or "Đà Nẵng" when the question names
// places of only one of them, else "".
func homeLocality(folded string) string {
	words := strings.Fields(folded)
	qn, dn := false, false
	for i := range words {
		for n := 1; n <= 3 && i+n <= len(words); n++ {
			name := strings.Join(words[i:i+n], " ")
			if homeSet[name] {
				if danangPlaces[name] {
					dn = true
				} else {
					qn = true
				}
			}
		}
	}
	switch {
	case qn && !dn:
		return "Quảng Nam"
	case dn && !qn:
		return "Đà Nẵng"
	}
	return ""
}

// unknownName returns the first name in the question (two or more
// consecutive capitalised words, such as "Shark Tank" or "Hòa Lạc") that the
// knowledge base never mentions, or "". Such a question is probably about
// something we do not cover, so it needs a closer match to be answered.
func (s *snapshot) unknownName(text string) string {
	words := strings.FieldsFunc(text, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(",.;:!?()\"“”'", r) })
	for i := 0; i < len(words); {
		j := i
		for j < len(words) && startsUpper(words[j]) {
			j++
		}
		if j-i >= 2 {
			name := strings.Join(words[i:j], " ")
			f := padFold(name)
			if foreignPlace(f) == "" && homeLocality(f) == "" && !foreignName(f) && !s.knownEnglish(name) {
				for _, t := range search.Analyze(name) {
					if strings.Contains(t, "_") && !s.known(t) {
						return name
					}
				}
			}
		}
		i = max(j, i+1)
	}
	return ""
}

func startsUpper(w string) bool {
	for _, r := range w {
		return unicode.IsUpper(r)
	}
	return false
}
