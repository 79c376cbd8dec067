package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/qnstartup/trolykhoinghiep/places"
	"github.com/qnstartup/trolykhoinghiep/search"
)

// This file is the eligibility guide ("Tôi được hỗ trợ gì?"): the supports
// documents declare in their front matter, filtered by who asks.

// Who asks, for the guide (Profile.Who).
const (
	WhoStudent  = "student"
	WhoFarmer   = "farmer"
	WhoWoman    = "woman"
	WhoYouth    = "youth"
	WhoCoop     = "coop"     // hợp tác xã, tổ hợp tác
	WhoBusiness = "business" // doanh nghiệp nhỏ, hộ kinh doanh
)

// Stages of the asker's project (Profile.Stage).
const (
	StageIdea       = "idea"
	StagePrototype  = "prototype"
	StageRegistered = "registered" // a registered business, cooperative or household business
)

// Sectors of the asker's project (Profile.Sector).
const (
	SectorAgri     = "agri"     // nông nghiệp, thực phẩm, dược liệu
	SectorTourism  = "tourism"  // du lịch, dịch vụ
	SectorIT       = "it"       // công nghệ thông tin
	SectorIndustry = "industry" // công nghiệp, cơ khí, tự động hóa
	SectorOther    = "other"
)

// Areas the asker works in (Profile.Area): the two halves of today's Đà
// Nẵng city, or elsewhere in Vietnam.
const (
	AreaQuangNam = "quang_nam"
	AreaDaNang   = "da_nang"
	AreaOther    = "other"
)

// Whos, Stages, GuideSectors and Areas list the values in display order.
var (
	Whos         = []string{WhoStudent, WhoFarmer, WhoWoman, WhoYouth, WhoCoop, WhoBusiness}
	Stages       = []string{StageIdea, StagePrototype, StageRegistered}
	GuideSectors = []string{SectorAgri, SectorTourism, SectorIT, SectorIndustry, SectorOther}
	Areas        = []string{AreaQuangNam, AreaDaNang, AreaOther}
)

// Profile is what the guide knows about the asker; "" means not given.
type Profile struct {
	Who, Stage, Sector, Area string
}

// Valid reports whether every given field is a known value.
func (p Profile) Valid() bool {
	ok := func(v string, list []string) bool { return v == "" || slices.Contains(list, v) }
	return ok(p.Who, Whos) && ok(p.Stage, Stages) && ok(p.Sector, GuideSectors) && ok(p.Area, Areas)
}

// Empty reports whether nothing is known.
func (p Profile) Empty() bool { return p == Profile{} }

// Support is one support a document grants, declared in its front matter
// as a [[support]] table. An empty list (Who, Stages, Sectors, Areas)
// means any. Amount "" means the amount is not in the knowledge base.
type Support struct {
	Section    string   `toml:"section"` // heading of the passage stating it
	Title      string   `toml:"title"`
	Amount     string   `toml:"amount"`
	Value      int64    `toml:"value"` // đồng, for ranking; 0 when no sum of money is known
	Who        []string `toml:"who"`
	Stages     []string `toml:"stages"`
	Sectors    []string `toml:"sectors"`
	Areas      []string `toml:"areas"`
	Conditions string   `toml:"conditions"`
	Apply      string   `toml:"apply"`
	Unknown    string   `toml:"unknown"` // what the sources leave open about it

	TitleEN      string `toml:"title_en"`
	AmountEN     string `toml:"amount_en"`
	ConditionsEN string `toml:"conditions_en"`
	ApplyEN      string `toml:"apply_en"`
	UnknownEN    string `toml:"unknown_en"`
}

func (s *Support) validate(d *Doc) error {
	switch {
	case strings.TrimSpace(s.Title) == "":
		return errors.New("support: title is required")
	case s.Value < 0:
		return fmt.Errorf("support %q: negative value", s.Title)
	case s.Value > 0 && s.Amount == "":
		return fmt.Errorf("support %q: a value needs an amount", s.Title)
	}
	if !slices.ContainsFunc(d.Sections, func(x Section) bool { return x.Heading == clean(s.Section) }) {
		return fmt.Errorf("support %q: no section %q", s.Title, s.Section)
	}
	for _, l := range []struct {
		name       string
		vals, want []string
	}{{"who", s.Who, Whos}, {"stages", s.Stages, Stages}, {"sectors", s.Sectors, GuideSectors}, {"areas", s.Areas, Areas}} {
		for _, v := range l.vals {
			if !slices.Contains(l.want, v) {
				return fmt.Errorf("support %q: %s %q: want one of %s", s.Title, l.name, v, strings.Join(l.want, ", "))
			}
		}
	}
	for _, p := range []*string{&s.Section, &s.Title, &s.Amount, &s.Conditions, &s.Apply, &s.Unknown,
		&s.TitleEN, &s.AmountEN, &s.ConditionsEN, &s.ApplyEN, &s.UnknownEN} {
		*p = clean(*p)
	}
	return nil
}

// Benefit is one support that applies to a profile, in the guide's
// language.
type Benefit struct {
	Title, Amount, Conditions, Apply, Unknown string
	Value                                     int64
	Source                                    Source // document, section and validity
	// Maybe lists the profile fields not given on which it depends
	// ("who", "stage", "sector", "area"): it applies only for some values.
	Maybe []string
	// Specific is true when it is meant for the asker's kind of person
	// (not open to everyone).
	Specific bool
}

// Guide is the eligibility guide for one profile.
type Guide struct {
	Profile  Profile
	Lang     string
	Benefits []Benefit // most valuable first
	// Missing lists the profile fields not given ("who", "stage", …).
	Missing []string
	// NoSpecific is true when Who is given and no support in the
	// knowledge base is meant for that kind of person in particular.
	NoSpecific bool
	// Unknown lists, once each, what the sources leave open about the
	// benefits (and their amounts when not known).
	Unknown []string
}

// Guide lists every support of the current documents that applies to p,
// most valuable first: known sums of money by value (highest first), then
// supports without a figure; among equals, supports meant for the asker's
// kind of person, documents in force, then the knowledge base's order. A
// support of a replaced document is left out when its successor is in the
// knowledge base (the successor declares its own). lang "en" chooses the
// English texts where a support has them.
func (kb *KB) Guide(p Profile, lang string) Guide {
	return guideOf(kb.snap.Load().docs, p, lang, kb.now())
}

func guideOf(docs []*Doc, p Profile, lang string, now time.Time) Guide {
	g := Guide{Profile: p, Lang: lang}
	for _, f := range []struct{ name, v string }{{"who", p.Who}, {"stage", p.Stage}, {"sector", p.Sector}, {"area", p.Area}} {
		if f.v == "" {
			g.Missing = append(g.Missing, f.name)
		}
	}
	have := map[string]bool{}
	for _, d := range docs {
		have[numberKey(d.Number)] = true
	}
	type ranked struct {
		Benefit
		inForce bool
		order   int
	}
	var list []ranked
	specific := false
	for _, d := range docs {
		if d.StatusAt(now) == StatusReplaced && d.ReplacedBy != "" && have[numberKey(d.ReplacedBy)] {
			continue
		}
		for _, s := range d.Supports {
			maybe, ok := s.applies(p)
			if !ok {
				continue
			}
			b := Benefit{Title: s.Title, Amount: s.Amount, Conditions: s.Conditions, Apply: s.Apply, Unknown: s.Unknown, Value: s.Value, Maybe: maybe}
			if lang == "en" {
				b.Title = orText(s.TitleEN, s.Title)
				b.Amount = orText(s.AmountEN, s.Amount)
				b.Conditions = orText(s.ConditionsEN, s.Conditions)
				b.Apply = orText(s.ApplyEN, s.Apply)
				b.Unknown = orText(s.UnknownEN, s.Unknown)
			}
			b.Specific = p.Who != "" && len(s.Who) > 0 && len(s.Who) < len(Whos) && slices.Contains(s.Who, p.Who)
			specific = specific || b.Specific
			b.Source = Source{
				Doc: d.Number, Label: d.Label(), Title: d.Title, Section: s.Section, URL: d.URL(),
				ValidTo: d.EffectiveTo.String(), ValidFrom: d.EffectiveFrom.String(), Status: d.StatusAt(now),
				Period: d.Period, ReplacedBy: d.ReplacedBy, Locality: d.Locality,
			}
			list = append(list, ranked{Benefit: b, inForce: b.Source.Status == StatusInForce, order: len(list)})
		}
	}
	slices.SortStableFunc(list, func(a, b ranked) int {
		switch {
		case a.Value != b.Value:
			return cmpDesc(a.Value, b.Value)
		case a.Specific != b.Specific:
			return boolFirst(a.Specific)
		case a.inForce != b.inForce:
			return boolFirst(a.inForce)
		}
		return a.order - b.order
	})
	seen := map[string]bool{}
	for _, r := range list {
		g.Benefits = append(g.Benefits, r.Benefit)
		if u := r.Unknown; u != "" && !seen[u] {
			seen[u] = true
			g.Unknown = append(g.Unknown, u)
		}
	}
	g.NoSpecific = p.Who != "" && !specific
	return g
}

func cmpDesc(a, b int64) int {
	if a > b {
		return -1
	}
	return 1
}

func boolFirst(a bool) int {
	if a {
		return -1
	}
	return 1
}

func orText(en, vi string) string {
	if en != "" {
		return en
	}
	return vi
}

// applies reports whether the support can apply to p, and on which
// fields p leaves open it depends.
func (s *Support) applies(p Profile) (maybe []string, ok bool) {
	for _, f := range []struct {
		name, v string
		list    []string
	}{{"who", p.Who, s.Who}, {"stage", p.Stage, s.Stages}, {"sector", p.Sector, s.Sectors}, {"area", p.Area, s.Areas}} {
		if len(f.list) == 0 {
			continue
		}
		if f.v == "" {
			maybe = append(maybe, f.name)
			continue
		}
		if !slices.Contains(f.list, f.v) {
			return nil, false
		}
	}
	return maybe, true
}

// Fingerprint identifies what the guide shows (benefits, amounts,
// validity): it changes when a document update changes the guide.
func (g Guide) Fingerprint() string {
	h := sha256.New()
	for _, b := range g.Benefits {
		fmt.Fprintf(h, "%s|%s|%s|%s|%d|%s|%s|%s\n", b.Source.Doc, b.Title, b.Amount, b.Conditions, b.Value, b.Source.Status, b.Source.Period, b.Source.ReplacedBy)
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// GuideAfter is the guide as it would be once d is put (added, or
// replacing the document of the same number), leaving kb unchanged: to
// see whom an upload concerns before it is applied.
func (kb *KB) GuideAfter(d *Doc, p Profile, lang string) Guide {
	next := slices.Clone(kb.snap.Load().docs)
	i := slices.IndexFunc(next, func(x *Doc) bool { return numberKey(x.Number) == numberKey(d.Number) })
	if i >= 0 {
		next[i] = d
	} else {
		next = append(next, d)
	}
	return guideOf(next, p, lang, kb.now())
}

// guideWords (folded) make a question an eligibility question: "em là
// sinh viên thì được hỗ trợ gì", "what support can I get".
var guideWords = []string{
	"duoc ho tro gi", "duoc ho tro nhung gi", "ho tro gi cho", "co ho tro gi", "co chinh sach gi",
	"huong chinh sach gi", "huong ho tro gi", "duoc huong gi", "nhan duoc ho tro gi", "xin ho tro gi",
	"chinh sach nao danh cho", "ho tro nao danh cho", "toi duoc gi", "minh duoc gi", "em duoc gi",
	"what support can", "what support is there for", "what help can", "what can i get", "am i eligible",
	"which support", "what benefits",
}

// profileWords (folded, padded with spaces) say who the asker is.
var profileWords = []struct {
	field, value string
	forms        []string
}{
	{"who", WhoStudent, []string{" sinh vien ", " hoc sinh ", " hssv ", " student ", " students "}},
	{"who", WhoFarmer, []string{" nong dan ", " nha nong ", " farmer ", " farmers "}},
	{"who", WhoWoman, []string{" phu nu ", " chi em ", " nu gioi ", " woman ", " women "}},
	{"who", WhoYouth, []string{" thanh nien ", " nguoi tre ", " ban tre ", " young ", " youth "}},
	{"who", WhoCoop, []string{" hop tac xa ", " htx ", " to hop tac ", " cooperative ", " coop "}},
	{"who", WhoBusiness, []string{" doanh nghiep nho ", " cong ty ", " ho kinh doanh ", " doanh nghiep ", " small business ", " company ", " sme "}},
	{"stage", StageIdea, []string{" y tuong ", " idea "}},
	{"stage", StagePrototype, []string{" san pham mau ", " nguyen mau ", " prototype "}},
	{"stage", StageRegistered, []string{" da dang ky kinh doanh ", " da thanh lap ", " da co giay phep ", " registered "}},
	{"sector", SectorAgri, []string{" nong nghiep ", " thuc pham ", " duoc lieu ", " chan nuoi ", " trong trot ", " agriculture ", " food "}},
	{"sector", SectorTourism, []string{" du lich ", " dich vu ", " tourism "}},
	{"sector", SectorIT, []string{" cong nghe thong tin ", " cntt ", " phan mem ", " software "}},
	{"sector", SectorIndustry, []string{" co khi ", " cong nghiep ", " tu dong hoa ", " industry "}},
	{"area", AreaQuangNam, []string{" quang nam ", " tam ky ", " hoi an ", " dien ban ", " duy xuyen ", " thang binh ", " nui thanh ", " que son ", " tra my "}},
	{"area", AreaDaNang, []string{" da nang ", " hai chau ", " son tra ", " lien chieu ", " thanh khe ", " ngu hanh son ", " cam le ", " hoa vang "}},
}

// selfWords (folded) are how askers refer to themselves.
var selfWords = map[string]bool{"toi": true, "em": true, "minh": true, "tui": true, "chau": true, "con": true, "i": true, "me": true, "we": true}

// fillerWords (folded) carry no topic: what is left of an eligibility
// question once they, the guide phrase and the profile words are removed
// must be short, else it asks about something in particular ("tôi đi hội
// chợ ở Thái Lan thì được hỗ trợ gì") and is a policy question.
var fillerWords = map[string]bool{
	"la": true, "thi": true, "co": true, "khong": true, "ko": true, "k": true, "a": true, "vay": true,
	"nhi": true, "nhe": true, "moi": true, "dang": true, "cua": true, "cho": true, "khoi": true, "nghiep": true,
	"muon": true, "lam": true, "o": true, "tai": true, "anh": true, "chi": true, "ban": true, "nguoi": true,
	"nhung": true, "chinh": true, "sach": true, "ho": true, "tro": true, "gi": true, "duoc": true, "nao": true,
	"the": true, "va": true, "voi": true, "hien": true, "nay": true, "huong": true, "nhan": true, "xin": true,
	"danh": true, "nha": true, "oi": true, "ad": true, "chao": true, "hoi": true, "can": true, "get": true,
	"what": true, "support": true, "is": true, "there": true, "for": true, "an": true, "am": true, "as": true,
	"help": true, "which": true, "benefits": true, "eligible": true, "my": true, "our": true, "startup": true,
	"sang": true, "tao": true, "mot": true, "dan": true, "gia": true, "dinh": true, "nhom": true,
	// "nhóm mình 3 đứa", "bọn em", "tỉnh/thành phố có hỗ trợ gì không"
	"dua": true, "bon": true, "chung": true, "tinh": true, "thanh": true, "pho": true, "tp": true,
	"2": true, "3": true, "4": true, "5": true, "hai": true,
}

// placeArea is a locality's folded name (padded with spaces) and the
// guide's area it lies in.
type placeArea struct{ form, area string }

// placeAreas lists every locality of the merged city (places.Default):
// the former districts, towns and cities, and the new wards and communes
// of two syllables or more, each with the area of the former province it
// lies in, so "ở Đại Lộc" or "xã Hà Nha" places the asker in Quảng Nam.
var placeAreas = sync.OnceValue(func() []placeArea {
	l := places.Default()
	areaOf := func(label string) string {
		switch {
		case strings.HasPrefix(label, "Quảng Nam"):
			return AreaQuangNam
		case strings.HasPrefix(label, "Đà Nẵng"):
			return AreaDaNang
		}
		return ""
	}
	var out []placeArea
	for _, p := range l.All() {
		area := areaOf(p.Area)
		if area == "" && len(p.Former) > 0 {
			if d, ok := l.ByCode(p.Former[0]); ok {
				area = areaOf(d.Area)
			}
		}
		if name := search.Fold(p.Name); area != "" && strings.Contains(name, " ") {
			out = append(out, placeArea{" " + name + " ", area})
		}
	}
	return out
})

// ParseProfile recognises an eligibility question ("em là sinh viên thì
// được hỗ trợ gì", "tôi là nông dân có hỗ trợ gì không", "Tôi được hỗ trợ
// gì?") and reads what it says about the asker. It needs the guide phrase,
// the asker (a kind of person or "tôi/em/mình"), and little else: a
// question about a topic ("nuôi ong được hỗ trợ gì", "đi hội chợ ở Thái
// Lan thì được hỗ trợ gì") or an amount ("bao nhiêu") is a policy
// question; ok is false for it.
func ParseProfile(text string) (p Profile, ok bool) {
	f := strings.Map(func(r rune) rune {
		if r == ',' || r == '.' || r == '?' || r == '!' || r == ';' || r == ':' {
			return ' '
		}
		return r
	}, search.Fold(text))
	f = " " + strings.Join(strings.Fields(f), " ") + " "
	asks := false
	for _, w := range guideWords {
		if strings.Contains(f, " "+w+" ") {
			asks = true
			f = strings.Replace(f, " "+w+" ", " ", 1)
			break
		}
	}
	if !asks || strings.Contains(f, " bao nhieu ") || strings.Contains(f, " how much ") {
		return Profile{}, false
	}
	who := false
	for _, pw := range profileWords {
		for _, form := range pw.forms {
			if !strings.Contains(f, form) {
				continue
			}
			f = strings.Replace(f, form, " ", 1)
			switch pw.field {
			case "who":
				who = true
				if p.Who == "" {
					p.Who = pw.value
				}
			case "stage":
				if p.Stage == "" {
					p.Stage = pw.value
				}
			case "sector":
				if p.Sector == "" {
					p.Sector = pw.value
				}
			case "area":
				if p.Area == "" {
					p.Area = pw.value
				}
			}
			break
		}
	}
	if p.Area == "" {
		for _, pa := range placeAreas() {
			if strings.Contains(f, pa.form) {
				p.Area = pa.area
				f = strings.Replace(f, pa.form, " ", 1)
				break
			}
		}
	}
	left := 0
	for _, w := range strings.Fields(f) {
		switch {
		case selfWords[w]:
			who = true
		case !fillerWords[w]:
			left++
		}
	}
	if !who || left > 2 {
		return Profile{}, false
	}
	return p, true
}
