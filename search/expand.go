package search

import "strings"

// Expansion tables: abbreviations, teencode and English words, applied to
// folded tokens by Analyze. Keys are folded (đ → d, lower case); values are
// folded syllables separated by spaces. An empty value drops the token
// (English function words that carry no meaning for search and would
// otherwise be "repaired" as Telex: "for" → o).
//
// Rules for adding an entry:
//   - a key that is also a Vietnamese syllable would change ordinary text;
//     only add it with flag enCtx (applied only next to another English word);
//   - a key with more than one common reading gets keep (the original token
//     stays as an extra term) or a context rule in expandContext.

type expansion struct {
	to    string
	keep  bool // keep the original token as an extra term
	en    bool // an English word: makes its clause "English context"
	enCtx bool // apply only when the clause has another English word
	chat  bool // also common in Vietnamese chat ("hotline", "startup")
}

// abbreviations of administrative and startup vocabulary.
var abbreviations = map[string]expansion{
	"kn":     {to: "khoi nghiep"},
	"knst":   {to: "khoi nghiep sang tao"},
	"kndmst": {to: "khoi nghiep doi moi sang tao"},
	"dmst":   {to: "doi moi sang tao"},
	"htx":    {to: "hop tac xa"},
	"thtx":   {to: "to hop tac"},
	"dn":     {to: "doanh nghiep", keep: true},
	"dnnvv":  {to: "doanh nghiep nho va vua"},
	"dnkn":   {to: "doanh nghiep khoi nghiep"},
	"sv":     {to: "sinh vien"},
	"hs":     {to: "hoc sinh", keep: true},
	"hssv":   {to: "hoc sinh sinh vien"},
	"gv":     {to: "giao vien", keep: true},
	"nq":     {to: "nghi quyet"},
	"qd":     {to: "quyet dinh"},
	"tt":     {to: "thong tu", keep: true},
	"nd":     {to: "nghi dinh", keep: true},
	"ct":     {to: "chi thi", keep: true},
	"ttg":    {to: "thu tuong"},
	"cp":     {to: "chinh phu", keep: true},
	"qh":     {to: "quoc hoi"},
	"ubtvqh": {to: "uy ban thuong vu quoc hoi"},
	"ubnd":   {to: "uy ban nhan dan"},
	"hdnd":   {to: "hoi dong nhan dan"},
	"khcn":   {to: "khoa hoc cong nghe"},
	"kh cn":  {to: "khoa hoc cong nghe"},
	"btc":    {to: "bo tai chinh", keep: true},
	"bnn":    {to: "bo nong nghiep", keep: true},
	"tp":     {to: "thanh pho"},
	"tphcm":  {to: "thanh pho ho chi minh"},
	"hcm":    {to: "ho chi minh"},
	"cty":    {to: "cong ty"},
	"kcn":    {to: "khu cong nghiep"},
	"cnnt":   {to: "cong nghiep nong thon"},
	"cntt":   {to: "cong nghe thong tin"},
	"tmdt":   {to: "thuong mai dien tu"},
	"sx":     {to: "san xuat"},
	"kd":     {to: "kinh doanh", keep: true},
	"sxkd":   {to: "san xuat kinh doanh"},
	"nsnn":   {to: "ngan sach nha nuoc"},
	"shtt":   {to: "so huu tri tue"},
	"ldtbxh": {to: "lao dong thuong binh xa hoi"},
	"tncs":   {to: "thanh nien cong san"},
	"lhpn":   {to: "lien hiep phu nu"},
	"vnd":    {to: "dong"},
}

// teencode: chat spellings of common words.
var teencode = map[string]expansion{
	"ko":     {to: "khong"},
	"k0":     {to: "khong"},
	"kh":     {to: "khong", keep: true},
	"hok":    {to: "khong"},
	"khg":    {to: "khong"},
	"kg":     {to: "khong", keep: true}, // also kilogram
	"dc":     {to: "duoc"},
	"dk":     {to: "duoc", keep: true}, // also điều kiện, đăng ký
	"j":      {to: "gi"},
	"vs":     {to: "voi"},
	"ntn":    {to: "nhu the nao"},
	"mn":     {to: "moi nguoi", keep: true},
	"mng":    {to: "moi nguoi"},
	"ng":     {to: "nguoi", keep: true},
	"nc":     {to: "nuoc", keep: true},
	"bt":     {to: "biet", keep: true},
	"wa":     {to: "qua"},
	"hnay":   {to: "hom nay"},
	"hqua":   {to: "hom qua"},
	"lm":     {to: "lam"},
	"ns":     {to: "noi", keep: true},
	"trc":    {to: "truoc"},
	"ms":     {to: "moi", keep: true},
	"thik":   {to: "thich"},
	"bik":    {to: "biet"},
	"nhiu":   {to: "nhieu", keep: true}, // also nhíu
	"bjo":    {to: "bay gio"},
	"bh":     {to: "bao gio", keep: true},
	"bnhieu": {to: "bao nhieu"},
	"bnh":    {to: "bao nhieu"},
}

// english words and phrases. Phrases (two tokens) are matched first.
var english = map[string]expansion{
	"startup": {to: "khoi nghiep", en: true}, "startups": {to: "khoi nghiep", en: true},
	"start up": {to: "khoi nghiep", en: true},
	"loan":     {to: "vay", en: true, enCtx: true, keep: true}, "loans": {to: "vay", en: true},
	"farmer": {to: "nong dan", en: true}, "farmers": {to: "nong dan", en: true},
	"student": {to: "sinh vien", en: true}, "students": {to: "sinh vien", en: true},
	"pupil": {to: "hoc sinh", en: true}, "pupils": {to: "hoc sinh", en: true},
	"woman": {to: "phu nu", en: true}, "women": {to: "phu nu", en: true}, "female": {to: "phu nu", en: true},
	"youth": {to: "thanh nien", en: true}, "young": {to: "tre", en: true},
	"support": {to: "ho tro", en: true}, "supports": {to: "ho tro", en: true}, "supported": {to: "ho tro", en: true},
	"assistance": {to: "ho tro", en: true}, "subsidy": {to: "ho tro", en: true}, "grant": {to: "ho tro", en: true},
	"resolution": {to: "nghi quyet", en: true},
	"decision":   {to: "quyet dinh", en: true},
	"decree":     {to: "nghi dinh", en: true},
	"circular":   {to: "thong tu", en: true},
	"directive":  {to: "chi thi", en: true},
	"law":        {to: "luat", en: true},
	"plan":       {to: "ke hoach", en: true}, "plans": {to: "ke hoach", en: true},
	"project": {to: "de an", en: true}, "scheme": {to: "de an", en: true},
	"program": {to: "chuong trinh", en: true}, "programme": {to: "chuong trinh", en: true},
	"province": {to: "tinh", en: true}, "provincial": {to: "tinh", en: true},
	"city":    {to: "thanh pho", en: true},
	"commune": {to: "xa", en: true}, "communes": {to: "xa", en: true}, "ward": {to: "phuong", en: true},
	"district": {to: "huyen", en: true}, "districts": {to: "huyen", en: true},
	"booth": {to: "gian hang", en: true}, "booths": {to: "gian hang", en: true}, "stall": {to: "gian hang", en: true},
	"festival": {to: "ngay hoi", en: true}, "fair": {to: "hoi cho", en: true},
	"event": {to: "su kien", en: true}, "events": {to: "su kien", en: true},
	"exhibition": {to: "trien lam", en: true},
	"attend":     {to: "tham gia", en: true}, "join": {to: "tham gia", en: true}, "participate": {to: "tham gia", en: true},
	"receive": {to: "nhan", en: true}, "get": {to: "nhan", en: true},
	"fund": {to: "quy", en: true}, "funding": {to: "kinh phi", en: true}, "budget": {to: "ngan sach", en: true},
	"money": {to: "tien", en: true}, "cost": {to: "chi phi", en: true}, "costs": {to: "chi phi", en: true},
	"business": {to: "doanh nghiep", en: true}, "businesses": {to: "doanh nghiep", en: true},
	"enterprise": {to: "doanh nghiep", en: true}, "enterprises": {to: "doanh nghiep", en: true},
	"company": {to: "doanh nghiep", en: true}, "companies": {to: "doanh nghiep", en: true},
	"sme": {to: "doanh nghiep nho va vua", en: true}, "smes": {to: "doanh nghiep nho va vua", en: true},
	"cooperative": {to: "hop tac xa", en: true}, "cooperatives": {to: "hop tac xa", en: true},
	"innovation": {to: "doi moi sang tao", en: true}, "innovative": {to: "doi moi sang tao", en: true},
	"creative":  {to: "sang tao", en: true},
	"ecosystem": {to: "he sinh thai", en: true},
	"idea":      {to: "y tuong", en: true}, "ideas": {to: "y tuong", en: true},
	"product": {to: "san pham", en: true}, "products": {to: "san pham", en: true},
	"star": {to: "sao", en: true}, "stars": {to: "sao", en: true},
	"certificate": {to: "giay chung nhan", en: true},
	"tax":         {to: "thue", en: true},
	"interest":    {to: "lai", en: true}, "free": {to: "mien phi", en: true},
	"how much": {to: "bao nhieu", en: true}, "how many": {to: "bao nhieu", en: true},
	"amount": {to: "muc", en: true}, "maximum": {to: "toi da", en: true}, "max": {to: "toi da", en: true},
	"minimum": {to: "toi thieu", en: true},
	"who":     {to: "ai", en: true}, "where": {to: "o dau", en: true}, "why": {to: "tai sao", en: true},
	"total": {to: "tong", en: true}, "area": {to: "dien tich", en: true},
	"number": {to: "so", en: true}, "date": {to: "ngay", en: true},
	"year": {to: "nam", en: true}, "years": {to: "nam", en: true},
	"month": {to: "thang", en: true}, "months": {to: "thang", en: true},
	"level": {to: "cap", en: true}, "unit": {to: "don vi", en: true}, "units": {to: "don vi", en: true},
	"set up": {to: "thanh lap", en: true}, "establish": {to: "thanh lap", en: true}, "established": {to: "thanh lap", en: true},
	"approve": {to: "phe duyet", en: true}, "approved": {to: "phe duyet", en: true},
	"issue": {to: "ban hanh", en: true}, "issued": {to: "ban hanh", en: true},
	"period": {to: "giai doan", en: true},
	"merge":  {to: "sap nhap", en: true}, "merged": {to: "sap nhap", en: true}, "merger": {to: "sap nhap", en: true},
	"reorganisation": {to: "sap xep", en: true}, "reorganization": {to: "sap xep", en: true},
	"mountainous": {to: "mien nui", en: true}, "rural": {to: "nong thon", en: true},
	"industrial": {to: "cong nghiep", en: true}, "agriculture": {to: "nong nghiep", en: true},
	"science": {to: "khoa hoc", en: true}, "technology": {to: "cong nghe", en: true},
	"digital": {to: "so", en: true}, "transformation": {to: "chuyen doi", en: true},
	"incubator": {to: "uom tao", en: true}, "investor": {to: "nha dau tu", en: true}, "investors": {to: "nha dau tu", en: true},
	"investment": {to: "dau tu", en: true}, "invest": {to: "dau tu", en: true}, "capital": {to: "von", en: true},
	"prize": {to: "giai", en: true}, "award": {to: "giai", en: true},
	"contest": {to: "cuoc thi", en: true}, "competition": {to: "cuoc thi", en: true},
	"slogan":   {to: "khau hieu", en: true},
	"chairman": {to: "chu tich", en: true}, "chair": {to: "chu tich", en: true}, "head": {to: "truong", en: true},
	"committee": {to: "uy ban", en: true}, "council": {to: "hoi dong", en: true}, "board": {to: "ban", en: true},
	"national": {to: "quoc gia", en: true}, "prime minister": {to: "thu tuong", en: true},
	"southeast asia": {to: "dong nam a", en: true},
	"abroad":         {to: "nuoc ngoai", en: true}, "domestic": {to: "trong nuoc", en: true}, "foreign": {to: "nuoc ngoai", en: true},
	"intellectual property": {to: "so huu tri tue", en: true},
	"trademark":             {to: "nhan hieu", en: true}, "brand": {to: "thuong hieu", en: true},
	"valid": {to: "hieu luc", en: true}, "effective": {to: "hieu luc", en: true},
	"expire": {to: "het han", en: true}, "expired": {to: "het han", en: true}, "expiry": {to: "het han", en: true},
	"condition": {to: "dieu kien", en: true}, "conditions": {to: "dieu kien", en: true},
	"eligible": {to: "dieu kien", en: true}, "criteria": {to: "tieu chi", en: true},
	"register": {to: "dang ky", en: true}, "registration": {to: "dang ky", en: true}, "apply": {to: "dang ky", en: true},
	"procedure": {to: "thu tuc", en: true}, "procedures": {to: "thu tuc", en: true},
	"household": {to: "ho gia dinh", en: true}, "fish sauce": {to: "nuoc mam", en: true},
	"points": {to: "diem", en: true}, "score": {to: "diem", en: true},
	"percent": {to: "phan tram", en: true}, "million": {to: "trieu", en: true}, "billion": {to: "ty", en: true},
	"thousand": {to: "nghin", en: true},
	"each":     {to: "moi", en: true}, "per": {to: "moi", en: true},
	"new": {to: "moi", en: true}, "old": {to: "cu", en: true},
	"under": {to: "theo", en: true}, "according": {to: "theo", en: true},
	"after": {to: "sau", en: true}, "before": {to: "truoc", en: true},
	"training": {to: "dao tao", en: true}, "course": {to: "khoa hoc", en: true},
	"market": {to: "thi truong", en: true}, "online": {to: "truc tuyen", en: true, keep: true},
	// Everyday English in Vietnamese chat ("hotline sở", "center nào",
	// "demo day"): the words the documents use.
	"hotline": {to: "dien thoai", en: true, chat: true}, "phone": {to: "dien thoai", en: true, chat: true},
	"contact": {to: "lien he", en: true, chat: true}, "center": {to: "trung tam", en: true, chat: true}, "centre": {to: "trung tam", en: true, chat: true},
	"app": {to: "phan mem", en: true, chat: true}, "apps": {to: "phan mem", en: true, chat: true},
	"website": {to: "cong thong tin", en: true, chat: true}, "web": {to: "cong thong tin", en: true, chat: true},
	"demo day": {to: "su kien goi von", en: true, chat: true}, "pitching": {to: "goi von", en: true, chat: true},
	"mentor": {to: "tu van", en: true, chat: true}, "mentors": {to: "tu van", en: true, chat: true},
	"office": {to: "van phong", en: true, chat: true}, "team": {to: "nhom", en: true, chat: true},
	// Function words: dropped.
	"is": {en: true}, "are": {en: true}, "was": {en: true}, "were": {en: true}, "be": {en: true, enCtx: true},
	"been": {en: true}, "of": {en: true}, "for": {en: true}, "with": {en: true}, "from": {en: true},
	"what": {en: true}, "which": {en: true}, "does": {en: true}, "did": {en: true}, "have": {en: true},
	"has": {en: true}, "had": {en: true}, "will": {en: true}, "would": {en: true}, "should": {en: true},
	"could": {en: true}, "and": {en: true}, "or": {en: true}, "into": {en: true}, "about": {en: true},
	"that": {en: true, enCtx: true}, "this": {en: true}, "these": {en: true}, "those": {en: true}, "there": {en: true},
	"their": {en: true}, "they": {en: true}, "them": {en: true, enCtx: true}, "its": {en: true}, "you": {en: true},
	"your": {en: true}, "my": {en: true, enCtx: true}, "our": {en: true}, "we": {en: true}, "she": {en: true},
	"his": {en: true}, "her": {en: true}, "how": {en: true}, "when": {en: true}, "by": {en: true},
	"as": {en: true}, "if": {en: true}, "any": {en: true}, "some": {en: true}, "all": {en: true},
	"much": {en: true}, "many": {en: true}, "please": {en: true},
	"out": {en: true}, "than": {en: true, enCtx: true}, "then": {en: true, enCtx: true}, "also": {en: true}, "just": {en: true},
	"only": {en: true}, "whose": {en: true}, "whom": {en: true},
}

// banFollowers follow "bn" when it means bạn ("bn ơi", "bn có biết").
var banFollowers = map[string]bool{
	"oi": true, "co": true, "la": true, "lam": true, "biet": true, "bt": true, "giup": true, "cho": true,
	"hoi": true, "muon": true, "can": true, "dang": true, "da": true, "se": true, "nhe": true, "nha": true,
	"a": true, "xem": true, "hieu": true, "tra": true, "noi": true, "thu": true, "vui": true, "ten": true,
	"ko": true, "k": true, "khong": true, "minh": true, "toi": true, "ay": true, "nay": true, "do": true,
}

// expansions merges the tables; phraseFirst holds the first word of every
// two-word key.
var expansions, phraseFirst = func() (map[string]expansion, map[string]bool) {
	all := make(map[string]expansion, len(abbreviations)+len(teencode)+len(english))
	first := make(map[string]bool)
	for _, table := range []map[string]expansion{abbreviations, teencode, english} {
		for k, e := range table {
			if _, dup := all[k]; dup {
				panic("search: duplicate expansion key " + k)
			}
			all[k] = e
			if i := strings.IndexByte(k, ' '); i >= 0 {
				first[k[:i]] = true
			}
		}
	}
	return all, first
}()

// lookupExpansion returns the table entry for a folded token or phrase.
func lookupExpansion(key string) (expansion, bool) {
	e, ok := expansions[key]
	return e, ok
}

// EnglishWord reports whether a folded word is a key of the English table
// ("startup", "loan", "tax", "what").
func EnglishWord(w string) bool {
	_, ok := english[w]
	return ok
}

// ChatEnglish reports whether a folded word is an English word that
// Vietnamese chat uses as its own ("hotline", "center", "app"),
// which says little about the language of a question.
func ChatEnglish(w string) bool {
	return english[w].chat
}

// Shorthand reports whether a folded word is a Vietnamese abbreviation or
// teencode the analyser expands ("ubnd", "htx", "ko", "dc").
func Shorthand(w string) bool {
	_, a := abbreviations[w]
	_, t := teencode[w]
	return a || t
}
