package policy

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/qnstartup/trolykhoinghiep/search"
)

// This file works out what a question is about beyond its words: its
// language, the support tier a named place falls in, the topics and names
// the chosen passage must cover, and the years it asks about.

// englishHints are English function words that do not occur in Vietnamese.
var englishHints = map[string]bool{
	"the": true, "what": true, "how": true, "which": true, "who": true, "when": true, "where": true,
	"is": true, "are": true, "does": true, "do": true, "did": true, "was": true, "were": true, "can": true,
	"of": true, "for": true, "to": true, "in": true, "an": true, "and": true, "much": true, "many": true,
	"there": true, "get": true, "my": true, "i": true, "we": true, "our": true, "it": true, "any": true,
	"from": true, "with": true, "at": true, "by": true, "under": true, "about": true, "still": true,
}

// Support tiers of the event support (NQ 09/2020), by where the event is.
const (
	tierHome     = "trên địa bàn tỉnh"
	tierDomestic = "trong nước"
	tierASEAN    = "khu vực Đông Nam Á"
	tierAbroad   = "quốc tế ngoài Đông Nam Á"
)

// aseanPlaces (folded) are the ASEAN members and their English names.
var aseanPlaces = map[string]bool{
	"thai lan": true, "thailand": true, "singapore": true, "malaysia": true, "indonesia": true,
	"philippines": true, "philippin": true, "campuchia": true, "cambodia": true, "laos": true,
	"myanmar": true, "brunei": true, "dong nam a": true, "southeast asia": true, "asean": true,
	"vientiane": true, "bangkok": true, "kuala lumpur": true, "jakarta": true, "manila": true,
	"phnom penh": true, "yangon": true, "bali": true, "timor leste": true, "dong timor": true,
}

// abroadPlaces (folded) are countries and regions outside Southeast Asia.
var abroadPlaces = map[string]string{
	"nhat ban": "Nhật Bản", "japan": "Nhật Bản", "han quoc": "Hàn Quốc", "korea": "Hàn Quốc",
	"trung quoc": "Trung Quốc", "china": "Trung Quốc", "hoa ky": "Hoa Kỳ", "usa": "Hoa Kỳ",
	"america": "Hoa Kỳ", "chau au": "châu Âu", "europe": "châu Âu", "australia": "Úc",
	"india": "Ấn Độ", "dai loan": "Đài Loan", "taiwan": "Đài Loan",
	"germany": "Đức", "france": "Pháp", "canada": "Canada", "dubai": "Dubai", "uae": "UAE",
	"tokyo": "Nhật Bản", "osaka": "Nhật Bản", "seoul": "Hàn Quốc", "busan": "Hàn Quốc",
	"beijing": "Trung Quốc", "shanghai": "Trung Quốc", "shenzhen": "Trung Quốc", "hong kong": "Hồng Kông",
	"paris": "Pháp", "berlin": "Đức", "london": "Anh", "england": "Anh", "britain": "Anh", "uk": "Anh",
	"united states": "Hoa Kỳ", "silicon valley": "Hoa Kỳ", "new york": "Hoa Kỳ", "san francisco": "Hoa Kỳ",
	"sydney": "Úc", "melbourne": "Úc", "israel": "Israel", "netherlands": "Hà Lan", "italy": "Ý",
}

// foreignName reports whether a folded name is made of the names of
// foreign countries and cities above ("vientiane laos").
func foreignName(f string) bool {
	words := strings.Fields(f)
	for i := 0; i < len(words); {
		n := 0
		for k := min(3, len(words)-i); k >= 1; k-- {
			name := strings.Join(words[i:i+k], " ")
			if aseanPlaces[name] || abroadPlaces[name] != "" {
				n = k
				break
			}
		}
		if n == 0 {
			return false
		}
		i += n
	}
	return len(words) > 0
}

// accentedAbroad are names whose folded form is also an ordinary word
// ("an do" is "đề án đó"): matched with diacritics, lower case.
var accentedAbroad = map[string]string{"anh quốc": "Anh", "ấn độ": "Ấn Độ"}

// wordAbroad are names that are ordinary words even with their diacritics
// ("mỹ nghệ", "thẩm mỹ", "pháp luật", "giải pháp", "đạo đức"): they name
// the country only after a word of place or travel (placeBeforeAccented).
var wordAbroad = map[string]string{"mỹ": "Hoa Kỳ", "úc": "Úc", "đức": "Đức", "pháp": "Pháp"}

// placeBeforeAccented (lower case) are words a country's name follows;
// placeBefore are the same folded, for text typed without diacritics.
var placeBeforeAccented = map[string]bool{"ở": true, "tại": true, "sang": true, "qua": true, "đi": true, "đến": true, "tới": true, "về": true, "nước": true, "bên": true}

var placeBefore = func() map[string]bool {
	m := make(map[string]bool, len(placeBeforeAccented))
	for w := range placeBeforeAccented {
		m[search.Fold(w)] = true
	}
	return m
}()

// placeTier returns the support tier of the place the question names as
// the location of an event, and the place, or "", "".
func placeTier(qi *question) (tier, place string) {
	words := strings.Fields(qi.folded)
	for i := range words {
		for n := 3; n >= 1; n-- {
			if i+n > len(words) {
				continue
			}
			name := strings.Join(words[i:i+n], " ")
			switch {
			case aseanPlaces[name]:
				return tierASEAN, name
			case abroadPlaces[name] != "":
				return tierAbroad, abroadPlaces[name]
			}
		}
	}
	low := " " + strings.Join(strings.FieldsFunc(strings.ToLower(qi.text), notWordRune), " ") + " "
	if strings.Contains(low, " lào ") {
		return tierASEAN, "Lào"
	}
	for i := 1; i+1 < len(words); i++ {
		// Without diacritics "an do" is Ấn Độ only after a word of place
		// or travel ("o an do", "sang an do"); "de an do" is "đề án đó".
		if words[i] == "an" && words[i+1] == "do" && placeBefore[words[i-1]] {
			return tierAbroad, "Ấn Độ"
		}
	}
	for k, v := range accentedAbroad {
		if strings.Contains(low, " "+k+" ") {
			return tierAbroad, v
		}
	}
	lw := strings.Fields(low)
	for i := 1; i < len(lw); i++ {
		// "ở Mỹ", "sang Pháp", not "mỹ nghệ", "pháp luật", "giải pháp".
		if v := wordAbroad[lw[i]]; v != "" && placeBeforeAccented[lw[i-1]] {
			return tierAbroad, v
		}
	}
	if qi.place != "" {
		if _, ok := otherPlaces[qi.place]; ok && !aseanPlaces[qi.place] && abroadPlaces[qi.place] == "" {
			return tierDomestic, otherPlaces[qi.place]
		}
	}
	if qi.home != "" && eventWords(qi.folded) {
		if p := domesticPlace(words); p != "" {
			// "a demo day in Ho Chi Minh City: how much can Quảng Nam
			// cover?": the event is elsewhere in the country.
			return tierDomestic, p
		}
		return tierHome, qi.home
	}
	return "", ""
}

// domesticPlace returns another province or city of Vietnam among the
// folded words (the home places aside), or "".
func domesticPlace(words []string) string {
	for i := range words {
		for n := 3; n >= 1; n-- {
			if i+n > len(words) {
				continue
			}
			name := strings.Join(words[i:i+n], " ")
			if p, ok := otherPlaces[name]; ok && !aseanPlaces[name] && abroadPlaces[name] == "" {
				return p
			}
		}
	}
	return ""
}

func eventWords(folded string) bool {
	for _, w := range []string{" ngay hoi ", " su kien ", " hoi cho ", " trien lam ", " techfest ", " demo day ", " event ", " events ", " fair ", " fairs ", " festival ", " exhibition ", " expo "} {
		if strings.Contains(folded, w) {
			return true
		}
	}
	return false
}

// A topic is something a question may ask about that the chosen passage
// must itself mention: a named bank, a tax, insurance, another fund. ask
// lists forms in the question (folded, padded by spaces, unless accented:
// then lower-case with diacritics); cover lists forms one of which the
// passage must contain (same convention).
type topic struct {
	name       string // shown in "không có thông tin về …"
	nameEN     string
	ask, cover []string
	doc        bool // the document's title and aliases count as the passage's
}

var topics = []topic{
	{name: "ngân hàng và lãi suất ngân hàng", nameEN: "banks and bank interest rates",
		ask: []string{" ngan hang ", " bank ", " banks ", "ngân hàng"}, cover: []string{" ngan hang "}},
	{name: "ưu đãi, miễn giảm thuế", nameEN: "tax incentives",
		ask:   []string{"miễn thuế", "ưu đãi thuế", "giảm thuế", "thuế thu nhập", "thuế giá trị", "thuế gtgt", "thuế vat", " mien thue ", " uu dai thue ", " giam thue ", " thue thu nhap ", " tax incentive", " tax incentives ", " tax exemption ", " tax holiday ", " vat "},
		cover: []string{"miễn thuế", "ưu đãi thuế", "giảm thuế", "thuế thu nhập"}},
	{name: "bảo hiểm", nameEN: "insurance", ask: []string{" bao hiem ", " insurance "}, cover: []string{" bao hiem "}},
	{name: "thị thực (visa)", nameEN: "visas", ask: []string{" visa ", " thi thuc ", " ho chieu ", " passport "}, cover: []string{" visa ", " thi thuc "}},
	{name: "giá cả thị trường", nameEN: "market prices", ask: []string{"giá lúa", "giá vàng", "giá cả", "giá heo", "giá cà phê", " gia lua ", " gia vang ", " price ", " prices "}, cover: []string{"giá cả", " price "}},
	{name: "vốn điều lệ tối thiểu", nameEN: "minimum charter capital", ask: []string{" von dieu le toi thieu ", " minimum capital "}, cover: []string{" von dieu le toi thieu "}},
	{name: "lệ phí đăng ký kinh doanh", nameEN: "business registration fees", ask: []string{" le phi ", " mat phi ", " phi dang ky ", " registration fee "}, cover: []string{" le phi ", " phi dang ky "}},
	{name: "khuyến công", nameEN: "the industry extension programme", ask: []string{" khuyen cong "}, cover: []string{" khuyen cong "}},
	{name: "khuyến nông", nameEN: "the agricultural extension programme", ask: []string{" khuyen nong "}, cover: []string{" khuyen nong "}},
	{name: "Quỹ Đổi mới công nghệ quốc gia", nameEN: "the National Technology Innovation Fund", ask: []string{" quy doi moi cong nghe "}, cover: []string{" quy doi moi cong nghe "}},
	{name: "Quỹ Phát triển khoa học và công nghệ quốc gia", nameEN: "the National Foundation for Science and Technology Development", ask: []string{" quy phat trien khoa hoc ", " nafosted "}, cover: []string{" quy phat trien khoa hoc ", " nafosted "}},
	{name: "đăng ký kết hôn", nameEN: "marriage registration", ask: []string{" ket hon "}, cover: []string{" ket hon "}},
	{name: "vay vốn và lãi suất", nameEN: "loans and interest rates",
		ask: []string{" vay von ", " cho vay ", " lai suat ", " lai bao nhieu ", " loan ", " loans ", " interest rate "}, cover: []string{" vay ", " lai suat ", " loan "}},
	{name: "học bổng", nameEN: "scholarships", ask: []string{" hoc bong ", " scholarship ", " scholarships "}, cover: []string{" hoc bong ", " scholarship "}},
	{name: "thuế", nameEN: "taxes", ask: []string{"thuế tiêu thụ", "thuế suất", "thuế môn bài", " thue tieu thu ", " thue suat ", " thue mon bai ", " excise ",
		"đóng thuế", "nộp thuế", "khai thuế", "thuế khoán", "tiền thuế", " dong thue ", " nop thue ", " khai thue ", " thue khoan ", " pay tax ", " taxes "},
		cover: []string{"thuế", " tax "}},
	{name: "bản quyền tác giả", nameEN: "copyright", ask: []string{" ban quyen ", " copyright "}, cover: []string{" ban quyen ", " copyright "}},
	{name: "giấy phép lao động", nameEN: "work permits", ask: []string{" giay phep lao dong ", " work permit ", " work permits "}, cover: []string{" giay phep lao dong ", " work permit "}},
	{name: "mã số mã vạch", nameEN: "barcodes", ask: []string{" ma vach ", " barcode ", " barcodes "}, cover: []string{" ma vach ", " barcode "}},
	{name: "doanh nghiệp công nghệ cao", nameEN: "high-tech enterprises", ask: []string{" cong nghe cao ", " high tech ", " hi tech "}, cover: []string{" cong nghe cao ", " high tech "}},
	{name: "OCOP", nameEN: "OCOP", ask: []string{" ocop "}, cover: []string{" ocop "}, doc: true},
	{name: "Hội Phụ nữ", nameEN: "the Women's Union", ask: []string{" hoi phu nu ", " hoi lien hiep phu nu ", " women s union "}, cover: []string{" phu nu ", " women "}},
	{name: "đoàn thanh niên", nameEN: "the Youth Union", ask: []string{" doan thanh nien ", " youth union "}, cover: []string{" doan thanh nien ", " youth union "}},
}

// askedTopics returns the topics the question asks about, with an
// organisation it names ("báo Tuổi Trẻ", "đại học Đà Nẵng").
func askedTopics(folded, lower string) []*topic {
	var out []*topic
	for i := range topics {
		if containsAny(folded, lower, topics[i].ask) {
			out = append(out, &topics[i])
		}
	}
	if t := orgTopic(lower); t != nil {
		out = append(out, t)
	}
	if t := lawTopic(folded, lower); t != nil {
		out = append(out, t)
	}
	return out
}

// orgHeads (lower case, with diacritics) start the name of an
// organisation; the words after them name which one.
var orgHeads = []string{" báo ", " đại học ", " trường đại học ", " tập đoàn ", " công ty ", " tổng công ty "}

// orgStop (folded) are words after an organisation head that do not name
// one: pronouns, function and question words.
var orgStop = map[string]bool{
	"em": true, "minh": true, "toi": true, "tui": true, "cua": true, "co": true, "thi": true, "la": true,
	"duoc": true, "nao": true, "gi": true, "khong": true, "ko": true, "va": true, "voi": true, "o": true,
	"tai": true, "nha": true, "anh": true, "chi": true, "ban": true, "se": true, "da": true, "dang": true,
	"can": true, "muon": true, "nay": true, "do": true, "moi": true, "cu": true, "nho": true, "lon": true,
	"khoi": true, "nghiep": true, "startup": true, "ho": true, "tro": true, "dung": true,
}

// orgTopic returns a topic for an organisation the question names: the
// passage must name it too ("giải thưởng của báo Tuổi Trẻ" is not answered
// from a national contest's prizes).
func orgTopic(lower string) *topic {
	for _, h := range orgHeads {
		i := strings.Index(lower, h)
		if i < 0 {
			continue
		}
		rest := strings.Fields(lower[i+len(h):])
		var name []string
		for _, w := range rest {
			if orgStop[search.Fold(w)] || len(name) == 2 {
				break
			}
			name = append(name, w)
		}
		if len(name) == 0 {
			continue
		}
		full := strings.TrimSpace(h) + " " + strings.Join(name, " ")
		f := padFold(full)
		return &topic{name: full, nameEN: full, ask: []string{f}, cover: []string{f}}
	}
	return nil
}

// containsAny matches forms against the folded or, for forms with
// diacritics, the lower-case text.
func containsAny(folded, lower string, forms []string) bool {
	for _, f := range forms {
		if hasNonASCII(f) {
			if strings.Contains(lower, f) {
				return true
			}
		} else if strings.Contains(folded, f) {
			return true
		}
	}
	return false
}

func hasNonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] > 0x7f {
			return true
		}
	}
	return false
}

// lowerText is text in lower case with words joined by single spaces,
// padded: the form accented topic and name forms are matched against.
func lowerText(s string) string {
	return " " + strings.Join(strings.FieldsFunc(strings.ToLower(s), notWordRune), " ") + " "
}

// notNames are capitalised words that are not names of things the
// knowledge base might lack: English question words and place words.
var notNames = map[string]bool{
	"vietnam": true, "vietnamese": true, "viet": true, "nam": true, "southeast": true, "asia": true, "asean": true,
	"quang": true, "da": true, "nang": true, "thailand": true, "singapore": true, "malaysia": true,
	"indonesia": true, "philippines": true, "cambodia": true, "laos": true, "myanmar": true,
	"brunei": true, "japan": true, "korea": true, "china": true, "europe": true, "america": true,
	"australia": true, "india": true, "taiwan": true, "germany": true, "france": true, "canada": true,
	"usa": true, "ok": true, "ad": true, "admin": true, "covid": true, "ocop": true, "vnd": true,
}

// unknownEntity returns a name in the question that the knowledge base
// never mentions and that cannot be a Vietnamese word: a brand or acronym
// such as "Agribank", "BIDV" or "NAFOSTED". Its absence from every
// passage means the question is about something we do not cover.
func (s *snapshot) unknownEntity(text string) string {
	words := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	vi := questionLang(text) == "vi"
	for i, w := range words {
		if len([]rune(w)) < 3 || hasNonASCII(w) {
			continue
		}
		if !startsUpper(w) {
			// A lower-case word in a Vietnamese question that is no
			// Vietnamese syllable, no word the analyser knows and not in
			// the knowledge base: a brand ("techcombank", "shopee").
			f := search.Fold(w)
			if vi && len(f) >= 5 && !search.Syllable(f) && !s.known(f) && !s.nearKnown(f) && !notNames[f] && !englishHints[f] && !strings.ContainsAny(w, "0123456789") {
				if _, ok := lookupWord(f); !ok {
					return w
				}
			}
			continue
		}
		allCaps := strings.ToUpper(w) == w
		f := search.Fold(w)
		if notNames[f] || englishHints[f] || s.known(f) || s.knownEnglish(w) || foreignName(f) || otherPlaces[f] != "" || strings.ContainsAny(w, "0123456789") {
			continue
		}
		if _, ok := lookupWord(f); ok {
			continue // an abbreviation or English word the analyser knows
		}
		if allCaps || (i > 0 && !search.Syllable(f)) || strings.HasSuffix(f, "bank") {
			return w
		}
	}
	return ""
}

// respell replaces the words of a question that the knowledge base does
// not know but knows with one letter fewer ("techfestt", "ocopp"),
// so that the question rules see the known word. Only ASCII words of five
// letters or more that are no syllable and no word the analyser expands
// are respelt, in a Vietnamese question.
func (s *snapshot) respell(text string) string {
	if questionLang(text) != "vi" {
		return text // English words are not the Vietnamese index's
	}
	words := strings.Fields(text)
	changed := false
	for i, w := range words {
		core := strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
		f := strings.ToLower(core)
		if len(f) < 5 || hasNonASCII(f) || strings.ContainsFunc(f, func(r rune) bool { return !unicode.IsLetter(r) }) ||
			search.Syllable(f) || s.known(f) {
			continue
		}
		if _, ok := lookupWord(f); ok {
			continue
		}
		for j := range len(f) {
			if k := f[:j] + f[j+1:]; s.df.count(k) > 0 {
				words[i] = strings.Replace(w, core, k, 1)
				changed = true
				break
			}
		}
	}
	if !changed {
		return text
	}
	return strings.Join(words, " ")
}

// nearKnown reports whether a word is a known word of five letters or more
// cut short or lengthened by one letter ("techfes" for "techfest",
// "techfesst"): a typo, not a brand.
func (s *snapshot) nearKnown(f string) bool {
	if len(f) >= 6 {
		// One letter too many anywhere: "techfesst", "khoinghiepp".
		for i := range len(f) {
			if s.known(f[:i] + f[i+1:]) {
				return true
			}
		}
	}
	for _, m := range []map[string][2]int32{s.df.uni, s.vocab.uni} {
		for k := range m {
			if len(k) >= 5 && (strings.HasPrefix(k, f) || strings.HasPrefix(f, k)) && len(k)-len(f) <= 1 && len(f)-len(k) <= 1 {
				return true
			}
		}
	}
	return false
}

// lookupWord reports whether the analyser expands w (an abbreviation,
// teencode or English word).
func lookupWord(w string) (string, bool) {
	ts := search.Analyze(w)
	if len(ts) == 1 && ts[0] == w {
		return "", false
	}
	return strings.Join(ts, " "), len(ts) > 0
}

// questionYears returns the years (2010–2039) the question names on their
// own, not as part of a document number or a range.
func questionYears(text string) []string {
	var out []string
	rs := []rune(text)
	for i := 0; i+4 <= len(rs); i++ {
		if (i > 0 && (unicode.IsDigit(rs[i-1]) || rs[i-1] == '/' || rs[i-1] == '-' || rs[i-1] == '–')) ||
			(i+4 < len(rs) && (unicode.IsDigit(rs[i+4]) || rs[i+4] == '/' || rs[i+4] == '-' || rs[i+4] == '–')) {
			continue
		}
		y := string(rs[i : i+4])
		if y >= "2010" && y <= "2039" && strings.Trim(y, "0123456789") == "" {
			out = append(out, y)
		}
	}
	return out
}

// missingMarks (lower case) say that a figure or detail is not in the
// knowledge base.
var missingMarks = []string{
	"chưa có trong cơ sở dữ liệu", "chưa có số liệu", "chưa có mức", "không có trong nguồn",
	"chưa có dữ liệu", "chưa có trong nguồn", "không có số liệu", "chưa tìm thấy", "không tìm thấy",
	"not in our database", "not in the database", "no figure is", "not found in",
}

func saysMissing(text string) bool {
	low := strings.ToLower(text)
	for _, m := range missingMarks {
		if strings.Contains(low, m) {
			return true
		}
	}
	return false
}

// askedBonus multiplies the condensing score of a unit holding the kind of
// thing the question asks for (a figure, a date, a person, a place).
const askedBonus = 1.6

var (
	amountRe = regexp.MustCompile(`\d[\d.,]*\s*(%|triệu|tỷ|nghìn|điểm|tháng|năm|sao|dự án|doanh nghiệp|sản phẩm|gian hàng|đơn vị|phụ nữ|million|billion|points|months|years|projects|products|booths|units)|\d+[.,]\d+|\d{2,}`)
	dateRe   = regexp.MustCompile(`\b\d{1,2}/\d{1,2}(/\d{4})?\b|\bnăm \d{4}\b|\b(19|20)\d{2}\b`)
	personRe = regexp.MustCompile(`\b(ông|bà|Mr|Ms)\s+\p{Lu}|\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+`)
	placeRe  = regexp.MustCompile(`\.gov\.vn|\b(tại|ở|nộp|at|in)\s+\p{Lu}|Trung tâm|Sở `)
	docNoRe  = regexp.MustCompile(`\d+/(\d{4}/)?[\p{Lu}Đ]{2,}|\d+-[\p{Lu}Đ]{2,}/[\p{Lu}Đ]{2,}|\b(Quyết định|Nghị quyết|Nghị định|Thông tư|Chỉ thị|Kế hoạch|Decision|Resolution|Decree|Circular) (số )?\d+`)
	issuerRe = regexp.MustCompile(`\b(HĐND|UBND|Hội đồng nhân dân|Ủy ban nhân dân|Thủ tướng|Chính phủ|Quốc hội|Bộ [\p{Lu}]|Sở [\p{Lu}]|Tỉnh ủy|Ban Thường vụ|People's Council|People's Committee|Prime Minister|Ministry)`)
)

// asked returns a test for units holding what the question asks for, or
// nil when the kind is not clear, and the bonus of a unit passing it.
func (qi *question) asked() (func(string) bool, float64) {
	want, specific := qi.askedKind()
	if want == nil {
		return nil, 1
	}
	if nums := numberRe.FindAllString(qi.folded, -1); len(nums) > 0 {
		// A figure the question itself gives ("OCOP 5 sao …") is not an
		// answer: test the unit without it.
		inner := want
		want = func(t string) bool {
			return inner(numberRe.ReplaceAllStringFunc(t, func(n string) string {
				if slices.Contains(nums, n) {
					return ""
				}
				return n
			}))
		}
	}
	if specific {
		return want, specificBonus
	}
	return want, askedBonus
}

// specificBonus replaces askedBonus for a question asking for one
// document's number or for the person who did something ("ai ký …").
const specificBonus = 3

// askedKind returns the test of asked and whether the kind is specific.
func (qi *question) askedKind() (func(string) bool, bool) {
	f := qi.folded
	has := func(ws ...string) bool {
		for _, w := range ws {
			if strings.Contains(f, " "+w+" ") {
				return true
			}
		}
		return false
	}
	switch {
	case has("ai", "who", "nguoi nao", "do ai") || (has("chu tich", "truong ban") && !has("may", "bao nhieu", "how many")):
		// "có mấy phó chủ tịch" counts the office holders: a figure.
		if v := askedVerb(f); v != "" {
			// "ai ký …", "người ký … là ai": the person who did that.
			return func(t string) bool {
				return personRe.MatchString(t) && strings.Contains(padFold(t), " "+v+" ")
			}, true
		}
		return personRe.MatchString, false
	case has("co quan nao", "don vi nao", "ai ban hanh", "cap nao ban hanh", "which body", "which authority"):
		return issuerRe.MatchString, false
	case has("quyet dinh nao", "nghi quyet nao", "nghi dinh nao", "thong tu nao", "chi thi nao", "van ban nao", "ke hoach nao", "so hieu", "which decision", "which resolution", "which decree"),
		askedDocRe.MatchString(f):
		return docNoRe.MatchString, true
	case has("ngay nao", "khi nao", "bao gio", "nam nao", "when", "what date", "thang nao", "hieu luc tu", "tu ngay",
		"thang may", "ngay may", "nam may", "hoi nao", "luc nao", "thoi diem nao", "thoi gian nao", "ngay bao nhieu", "what year", "which year"):
		return dateRe.MatchString, false
	case has("bao nhieu", "may", "nhieu", "how much", "how many", "muc", "toi da", "bao lau", "phan tram", "how long", "so luong"):
		return amountRe.MatchString, false
	case has("o dau", "where", "noi nao", "nop", "dang ky o", "website", "trang web", "cong thong tin"):
		return placeRe.MatchString, false
	}
	return nil, false
}

// askedDocRe (on folded text) matches a question asking for a document's
// number in words the plain forms miss: "tờ trình số mấy", "theo công văn
// nào", "thông báo số bao nhiêu", "which two older decisions", "which
// Party resolution", "which document".
var askedDocRe = regexp.MustCompile(` (to trinh|cong van|thong bao|bao cao( tham tra)?|quyet dinh|nghi quyet|chi thi|ke hoach|van ban|thong tu|nghi dinh) (so )?(may|nao|bao nhieu) | which (\pL+ ){0,3}(decisions?|resolutions?|decrees?|documents?|letters?|circulars?|directives?|notices?|plans?) `)

// askedVerb returns the (folded) verb of a "who" question that says what
// the person did: "ai ký …" → "ky", "người ký … là ai" → "ky"; or "".
func askedVerb(folded string) string {
	ws := strings.Fields(folded)
	for i, w := range ws {
		if i+1 >= len(ws) {
			break
		}
		if (w == "ai" && i+1 < len(ws)) || (w == "nguoi" && strings.Contains(folded, " la ai ")) {
			if v := ws[i+1]; actionVerbs[v] {
				return v
			}
		}
	}
	return ""
}

// actionVerbs (folded) are what a "who" question asks a person did.
var actionVerbs = map[string]bool{"ky": true, "chu": true, "dung": true, "phu": true, "cap": true, "danh": true, "phe": true}

// yesNoRe matches a Vietnamese yes/no question: "… có|được <predicate>
// không|ko|k|hok|chưa?".
var yesNoRe = regexp.MustCompile(`(?:^| )(co|duoc) (.+) (khong|ko|k|hok|hong|chua)$`)

// negations (folded, padded) make a sentence deny rather than state.
var negations = []string{" khong ", " chua ", " chang ", " ko "}

// yesNoLead starts the answer to a yes/no question ("Nghị quyết 09 có hỗ
// trợ gian hàng ở siêu thị không?") with "Có." when the unit it
// leads with states every word of the asked predicate and denies nothing;
// otherwise, and for an answer that already starts with Có/Không, it
// leaves the text as it is: the passage does not decide, so no guess.
func yesNoLead(qi *question, lead, text string) string {
	if qi.lang != "vi" || lead == "" || containsAny(qi.folded, qi.lower, validityForms) {
		return text
	}
	m := yesNoRe.FindStringSubmatch(strings.TrimSpace(qi.folded))
	if m == nil {
		return text
	}
	for _, w := range []string{"Có", "Không", "Được", "Chưa"} {
		if strings.HasPrefix(text, w+" ") || strings.HasPrefix(text, w+".") || strings.HasPrefix(text, w+",") {
			return text
		}
	}
	lf := padFold(lead)
	for _, n := range negations {
		if strings.Contains(lf, n) {
			return text
		}
	}
	n := 0
	for _, w := range strings.Fields(m[2]) {
		if len(w) < 2 || questionWords[w] || w == "co" || w == "duoc" {
			continue
		}
		if !strings.Contains(lf, " "+w+" ") {
			return text // the unit does not state what is asked
		}
		n++
	}
	if n < 2 {
		return text
	}
	// "Có." answers "có … không" and "được … không" alike ("Đà Nẵng được
	// vinh danh … không?" is not asking for permission).
	return "Có. " + text
}

// Re-ranking factors for time words and the merger (see rerank).
const (
	replacedFactor    = 0.6  // a replaced document whose successor is known
	successorBoost    = 1.25 // a document the knowledge base names as a successor
	ownValidityFactor = 0.6  // a document's "Còn hiệu lực không" when the merger is asked about
)

// currentForms (folded, padded) ask about the present.
var currentForms = []string{" moi nhat ", " hien nay ", " hien tai ", " bay gio ", " gio ", " nam nay ", " 2026 ",
	" now ", " current ", " currently ", " latest ", " today "}

// currentWords reports a question about the present: the forms above, or
// "còn … không" (còn áp dụng không, còn không).
func currentWords(folded string) bool {
	for _, f := range currentForms {
		if strings.Contains(folded, f) {
			return true
		}
	}
	if i := strings.Index(folded, " con "); i >= 0 && strings.Contains(folded[i:], " khong ") {
		return true
	}
	return newScheme(folded)
}

// mergerForms are ways of naming the 2025 merger.
var mergerForms = []string{" sap nhap ", " hop nhat ", " sau 1/7/2025 ", " sau ngay 1/7 ", " merger ", " merged "}

// validityForms ask whether a document still applies.
var validityForms = []string{" con hieu luc ", " het hieu luc ", " con ap dung ", " con dung duoc ", " con duoc ap dung ",
	" still valid ", " still in force ", " still apply ", " expired "}

// validityLead starts the answer to a yes/no question about validity
// ("… còn hiệu lực không?") with the answer the source's status gives:
// "Không." for a replaced document or an ended period, "Có." for one in
// force within its period; unknown statuses get no lead. An answer that
// already starts with Có/Không/Được is left alone.
func validityLead(qi *question, s Source, text, lang string) string {
	if !containsAny(qi.folded, qi.lower, validityForms) {
		return text
	}
	for _, w := range []string{"Có", "Không", "Được", "Yes", "No"} {
		if strings.HasPrefix(text, w+" ") || strings.HasPrefix(text, w+".") || strings.HasPrefix(text, w+",") || strings.HasPrefix(text, w+":") {
			return text
		}
	}
	var lead string
	_, orientation := splitPeriod(s.Period)
	switch {
	case s.Status == StatusPeriodEnded && orientation != "":
		// "2018–2020, định hướng đến năm 2030": the period ended, the
		// orientation is not known to have; no "Không".
		return text
	case s.Status == StatusReplaced && lang == "en":
		lead = "No: it has been replaced."
	case s.Status == StatusReplaced:
		lead = "Không, đã có văn bản kế nhiệm."
	case s.Status == StatusPeriodEnded && lang == "en":
		lead = "No: its period has ended."
	case s.Status == StatusPeriodEnded:
		lead = "Không, giai đoạn áp dụng đã kết thúc."
	case s.Status == StatusInForce && s.Period != "" && lang == "en":
		lead = "Yes."
	case s.Status == StatusInForce && s.Period != "":
		lead = "Có."
	default:
		return text
	}
	return lead + " " + text
}
