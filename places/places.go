package places

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"os"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

//go:embed places.tsv
var embedded []byte

// Place is one locality.
type Place struct {
	Code string // ASCII, fits in callback data
	Name string // Vietnamese name with diacritics
	Kind string // former_city, former_town, former_district, ward, commune, special_zone
	Area string // e.g. "Quảng Nam (cũ)"
	// Former lists the codes of the former districts a ward or commune
	// lies in, so the old district's name still finds it.
	Former []string
	key    string // folded name, without "phường"/"xã"
	joined string // key without spaces ("dienban" finds "Điện Bàn")
}

// Label is the name with its area, for lists.
func (p Place) Label() string {
	if p.Area == "" {
		return p.Name
	}
	return p.Name + " – " + p.Area
}

// List is a set of places.
type List struct {
	all    []Place
	byCode map[string]int
}

// Default is the embedded list.
func Default() *List {
	l, err := Parse(embedded)
	if err != nil {
		panic(err) // the embedded file is checked by tests
	}
	return l
}

// Load reads a places file (see Parse) from disk.
func Load(path string) (*List, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(data)
}

// Parse reads a tab-separated file: code, name, kind, area; # comments.
func Parse(data []byte) (*List, error) {
	l := &List{byCode: map[string]int{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 3 {
			return nil, fmt.Errorf("places line %d: want code, name, kind", n)
		}
		p := Place{Code: f[0], Name: f[1], Kind: f[2]}
		if len(f) > 3 {
			p.Area = f[3]
		}
		if len(f) > 4 && f[4] != "" {
			p.Former = strings.Split(f[4], ",")
		}
		if len(p.Code) > 24 || !ascii(p.Code) {
			return nil, fmt.Errorf("places line %d: code %q must be ASCII, at most 24 bytes", n, p.Code)
		}
		if _, dup := l.byCode[p.Code]; dup {
			return nil, fmt.Errorf("places line %d: duplicate code %q", n, p.Code)
		}
		p.key = stripKind(fold(p.Name))
		p.joined = strings.ReplaceAll(p.key, " ", "")
		l.byCode[p.Code] = len(l.all)
		l.all = append(l.all, p)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for _, p := range l.all {
		for _, f := range p.Former {
			if _, ok := l.byCode[f]; !ok || f == p.Code {
				return nil, fmt.Errorf("places: %s: former district %q is not in the list", p.Code, f)
			}
		}
	}
	return l, nil
}

// kindWords are the words that name a unit's kind, dropped when matching.
var kindWords = []string{"huyen ", "thi xa ", "thi tran ", "thanh pho ", "tp ", "quan ", "xa ", "phuong ", "dac khu "}

func stripKind(k string) string {
	for _, pre := range kindWords {
		if rest, ok := strings.CutPrefix(k, pre); ok && rest != "" {
			return rest
		}
	}
	return k
}

// In reports whether the place is the former district code or lies in it.
func (p Place) In(code string) bool {
	if p.Code == code {
		return true
	}
	for _, f := range p.Former {
		if f == code {
			return true
		}
	}
	return false
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return s != ""
}

// All lists every place in file order.
func (l *List) All() []Place { return l.all }

// ByCode finds a place.
func (l *List) ByCode(code string) (Place, bool) {
	i, ok := l.byCode[code]
	if !ok {
		return Place{}, false
	}
	return l.all[i], true
}

// Name is the place's name for a code, or the code itself (a name the user
// typed is stored as is).
func (l *List) Name(code string) string {
	if p, ok := l.ByCode(code); ok {
		return p.Name
	}
	return code
}

// Search finds places whose name matches typed text, diacritics optional:
// exact matches first, then prefix, then substring, then the wards and
// communes of a former district whose name matches exactly.
func (l *List) Search(q string, n int) []Place {
	k := stripKind(fold(q))
	if k == "" || n <= 0 {
		return nil
	}
	joined := strings.ReplaceAll(k, " ", "")
	// Ranks 0–3 are kept apart so the first n can be taken in order without
	// sorting; each keeps the list's order.
	var hits [4][]int
	for i := range l.all {
		p := &l.all[i]
		switch {
		case p.key == k:
			hits[0] = append(hits[0], i)
		case strings.HasPrefix(p.key, k):
			hits[1] = append(hits[1], i)
		case strings.Contains(p.key, k) || strings.Contains(p.joined, joined):
			hits[2] = append(hits[2], i)
		default:
			for _, f := range p.Former {
				if j, ok := l.byCode[f]; ok && l.all[j].key == k {
					hits[3] = append(hits[3], i)
					break
				}
			}
		}
	}
	var out []Place
	for _, rank := range hits {
		for _, i := range rank {
			if len(out) == n {
				return out
			}
			out = append(out, l.all[i])
		}
	}
	return out
}

func fold(s string) string {
	var sb strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(strings.TrimSpace(s))) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ' || r == 'ð':
			sb.WriteByte('d')
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			sb.WriteRune(r)
		default:
			sb.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(sb.String()), " ")
}
