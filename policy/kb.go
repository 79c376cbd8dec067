package policy

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"golang.org/x/text/unicode/norm"

	"github.com/qnstartup/trolykhoinghiep/search"
)

//go:embed kb/*.md
var embedded embed.FS

// MaxDocSize is the largest document Parse accepts, in bytes.
const MaxDocSize = 256 << 10

// Status says whether a document still applies.
type Status string

// The statuses a document may declare.
const (
	StatusInForce     Status = "in_force"     // applies today
	StatusPeriodEnded Status = "period_ended" // its period (e.g. 2021–2025) is over
	StatusReplaced    Status = "replaced"     // a successor (ReplacedBy) took over
	StatusUnknown     Status = "unknown"      // the sources do not say
	StatusInfo        Status = "info"         // not a legal text: figures, events, contacts
)

func (s Status) valid() bool {
	switch s {
	case StatusInForce, StatusPeriodEnded, StatusReplaced, StatusUnknown, StatusInfo:
		return true
	}
	return false
}

// Date is a calendar date that may be known only to the month or the year
// (Month or Day zero). The zero Date means "not given".
type Date struct {
	Year, Month, Day int
}

// IsZero reports whether the date is not given.
func (d Date) IsZero() bool { return d.Year == 0 }

// String formats the date as YYYY-MM-DD, YYYY-MM or YYYY ("" when zero).
func (d Date) String() string {
	switch {
	case d.Year == 0:
		return ""
	case d.Month == 0:
		return fmt.Sprintf("%04d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Display formats the date the Vietnamese way: 2/11/2020, 7/2025 or 2025.
func (d Date) Display() string {
	switch {
	case d.Year == 0:
		return ""
	case d.Month == 0:
		return strconv.Itoa(d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%d/%d", d.Month, d.Year)
	}
	return fmt.Sprintf("%d/%d/%d", d.Day, d.Month, d.Year)
}

// End is the last instant the date covers (end of the day, month or year).
func (d Date) End() time.Time {
	switch {
	case d.Month == 0:
		return time.Date(d.Year+1, 1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond)
	case d.Day == 0:
		return time.Date(d.Year, time.Month(d.Month)+1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond)
	}
	return time.Date(d.Year, time.Month(d.Month), d.Day+1, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond)
}

// ParseDate reads YYYY, YYYY-MM or YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, nil
	}
	parts := strings.Split(s, "-")
	if len(parts) > 3 {
		return Date{}, fmt.Errorf("date %q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || (i == 0 && len(p) != 4) || (i > 0 && len(p) != 2) {
			return Date{}, fmt.Errorf("date %q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
		}
		n[i] = v
	}
	d := Date{Year: n[0], Month: n[1], Day: n[2]}
	if d.Year < 1900 || d.Year > 2200 || (len(parts) > 1 && (d.Month < 1 || d.Month > 12)) {
		return Date{}, fmt.Errorf("date %q: out of range", s)
	}
	if len(parts) == 3 {
		t := time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
		if t.Day() != d.Day || d.Day < 1 {
			return Date{}, fmt.Errorf("date %q: no such day", s)
		}
	}
	return d, nil
}

// UnmarshalTOML accepts a string ("2020-11-02", "2025-07", "2025") or a
// TOML local date.
func (d *Date) UnmarshalTOML(v any) error {
	switch x := v.(type) {
	case string:
		p, err := ParseDate(x)
		if err != nil {
			return err
		}
		*d = p
	case time.Time:
		*d = Date{Year: x.Year(), Month: int(x.Month()), Day: x.Day()}
	case int64:
		return d.UnmarshalTOML(strconv.FormatInt(x, 10))
	default:
		return fmt.Errorf("date: unexpected %T", v)
	}
	return nil
}

// Doc is one knowledge-base document: a legal text, or a topic without a
// number (an event, a set of figures, contact points).
type Doc struct {
	Name          string // file name it was loaded from
	Number        string // số hiệu exactly as written, or a descriptive label
	Title         string
	Issuer        string
	Issued        Date
	EffectiveFrom Date
	EffectiveTo   Date
	Period        string // e.g. "2021–2025"
	Status        Status
	ReplacedBy    string
	Locality      string // "Quảng Nam", "Đà Nẵng", "Toàn quốc"
	Aliases       []string
	Sources       []string
	Sections      []Section
	// Supports are the supports the document grants, for the eligibility
	// guide (guide.go).
	Supports []Support
}

// Section is one passage: a "## heading" and the text under it.
type Section struct {
	Heading  string
	Text     string // plain text, keyword comments removed
	Keywords string // from "<!-- từ khóa: … -->": indexed, never shown
	// English is the English rendering of Text (after a "### en" line),
	// used to answer questions asked in English; "" when there is none.
	English string
}

// URL is the document's first source, or "".
func (d *Doc) URL() string {
	if len(d.Sources) > 0 {
		return d.Sources[0]
	}
	return ""
}

// StatusAt is the status on a given day: a document declared in force whose
// effective_to has passed counts as period_ended.
func (d *Doc) StatusAt(t time.Time) Status {
	if d.Status == StatusInForce && !d.EffectiveTo.IsZero() && t.After(d.EffectiveTo.End()) {
		return StatusPeriodEnded
	}
	return d.Status
}

type frontMatter struct {
	Number        string    `toml:"number"`
	Title         string    `toml:"title"`
	Issuer        string    `toml:"issuer"`
	Issued        Date      `toml:"issued"`
	EffectiveFrom Date      `toml:"effective_from"`
	EffectiveTo   Date      `toml:"effective_to"`
	Period        string    `toml:"period"`
	Status        Status    `toml:"status"`
	ReplacedBy    string    `toml:"replaced_by"`
	Locality      string    `toml:"locality"`
	Aliases       []string  `toml:"aliases"`
	Sources       []string  `toml:"sources"`
	Supports      []Support `toml:"support"`
}

// Errors returned by Parse (wrapped with the file name and detail).
var (
	ErrTooLarge    = errors.New("document too large")
	ErrNotUTF8     = errors.New("document is not valid UTF-8")
	ErrFrontMatter = errors.New("bad front matter")
	ErrNoSections  = errors.New("document has no section")
)

// Parse reads one Markdown document: TOML front matter between "+++" lines,
// then "## heading" sections. It fails on documents over MaxDocSize, invalid
// UTF-8, unknown or missing front-matter fields (number, title and status are
// required), an unknown status, bad dates or URLs, and documents without a
// non-empty section.
func Parse(name string, data []byte) (*Doc, error) {
	if len(data) > MaxDocSize {
		return nil, fmt.Errorf("%s: %w (%d bytes, max %d)", name, ErrTooLarge, len(data), MaxDocSize)
	}
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("%s: %w", name, ErrNotUTF8)
	}
	text := norm.NFC.String(string(data))
	text = strings.TrimPrefix(text, "\ufeff")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	if !strings.HasPrefix(text, "+++\n") {
		return nil, fmt.Errorf("%s: %w: must start with a +++ line", name, ErrFrontMatter)
	}
	rest := text[len("+++\n"):]
	end := strings.Index(rest, "\n+++")
	if end < 0 || (len(rest) > end+4 && rest[end+4] != '\n') {
		return nil, fmt.Errorf("%s: %w: no closing +++ line", name, ErrFrontMatter)
	}
	head, body := rest[:end], rest[min(len(rest), end+5):]

	var fm frontMatter
	md, err := toml.Decode(head, &fm)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", name, ErrFrontMatter, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("%s: %w: unknown field %q", name, ErrFrontMatter, und[0].String())
	}
	d := &Doc{
		Name: name, Number: clean(fm.Number), Title: clean(fm.Title), Issuer: clean(fm.Issuer),
		Issued: fm.Issued, EffectiveFrom: fm.EffectiveFrom, EffectiveTo: fm.EffectiveTo,
		Period: clean(fm.Period), Status: fm.Status, ReplacedBy: clean(fm.ReplacedBy),
		Locality: clean(fm.Locality),
	}
	if err := d.validate(fm); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", name, ErrFrontMatter, err)
	}
	d.Sections = parseSections(body)
	if len(d.Sections) == 0 {
		return nil, fmt.Errorf("%s: %w", name, ErrNoSections)
	}
	for _, s := range fm.Supports {
		if err := s.validate(d); err != nil {
			return nil, fmt.Errorf("%s: %w: %v", name, ErrFrontMatter, err)
		}
		d.Supports = append(d.Supports, s)
	}
	return d, nil
}

func (d *Doc) validate(fm frontMatter) error {
	switch {
	case d.Number == "":
		return errors.New("number is required")
	case d.Title == "":
		return errors.New("title is required")
	case fm.Status == "":
		return errors.New("status is required")
	case !d.Status.valid():
		return fmt.Errorf("status %q: want in_force, period_ended, replaced, unknown or info", d.Status)
	case d.Status == StatusReplaced && d.ReplacedBy == "":
		return errors.New("status replaced needs replaced_by")
	case len(d.Number) > 200 || len(d.Title) > 1000:
		return errors.New("number or title too long")
	}
	if !d.EffectiveFrom.IsZero() && !d.EffectiveTo.IsZero() && d.EffectiveTo.End().Before(d.EffectiveFrom.End()) {
		return errors.New("effective_to is before effective_from")
	}
	for _, a := range fm.Aliases {
		if a = clean(a); a != "" {
			d.Aliases = append(d.Aliases, a)
		}
	}
	for _, u := range fm.Sources {
		u = strings.TrimSpace(u)
		if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") || strings.ContainsAny(u, " \n\t") {
			return fmt.Errorf("source %q is not an http(s) URL", u)
		}
		d.Sources = append(d.Sources, u)
	}
	return nil
}

func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

const keywordsLabel = "từ khóa:"

// englishMarker starts a section's English rendering.
const englishMarker = "### en"

// parseSections splits the body on "## " lines. Text before the first one
// (other than a "# " title) becomes a section headed "Tổng quan".
func parseSections(body string) []Section {
	var out []Section
	heading := "Tổng quan"
	var buf, en []string
	inEN := false
	flush := func() {
		text, kw := splitKeywords(strings.Join(buf, "\n"))
		text = strings.TrimSpace(text)
		eng, _ := splitKeywords(strings.Join(en, "\n"))
		if text != "" {
			out = append(out, Section{Heading: heading, Text: text, Keywords: kw, English: strings.TrimSpace(eng)})
		}
		buf, en, inEN = buf[:0], en[:0], false
	}
	for line := range strings.SplitSeq(body, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "## "):
			flush()
			heading = clean(strings.TrimLeft(trimmed, "# "))
		case strings.EqualFold(trimmed, englishMarker):
			inEN = true
		case inEN:
			en = append(en, strings.TrimRight(line, " \t"))
		case strings.HasPrefix(trimmed, "# "):
			// document title line: the front matter's title is used
		case strings.HasPrefix(trimmed, "#"):
			buf = append(buf, strings.TrimSpace(strings.TrimLeft(trimmed, "#")))
		default:
			buf = append(buf, strings.TrimRight(line, " \t"))
		}
	}
	flush()
	return out
}

// splitKeywords removes HTML comments from text; those starting with
// "từ khóa:" (or "keywords:") are returned as index keywords.
func splitKeywords(text string) (string, string) {
	var kws []string
	var b strings.Builder
	for {
		i := strings.Index(text, "<!--")
		if i < 0 {
			b.WriteString(text)
			break
		}
		b.WriteString(text[:i])
		j := strings.Index(text[i:], "-->")
		if j < 0 {
			break // unterminated comment: drop the rest
		}
		c := strings.TrimSpace(text[i+4 : i+j])
		low := strings.ToLower(c)
		for _, label := range []string{keywordsLabel, "từ khoá:", "keywords:"} {
			if strings.HasPrefix(low, label) {
				kws = append(kws, strings.TrimSpace(c[len(label):]))
				break
			}
		}
		text = text[i+j+3:]
	}
	// Collapse blank lines left by removed comments.
	lines := strings.Split(b.String(), "\n")
	out := lines[:0]
	for _, l := range lines {
		if strings.TrimSpace(l) == "" && len(out) > 0 && strings.TrimSpace(out[len(out)-1]) == "" {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n"), strings.Join(kws, ", ")
}

// KB is the knowledge base: documents and the search index over their
// passages. Readers never block: Put and Overlay build a new snapshot and
// swap it in atomically.
type KB struct {
	mu   sync.Mutex // serialises writers
	snap atomic.Pointer[snapshot]
	// Now is the clock used for validity; nil means time.Now.
	Now func() time.Time
}

// LoadEmbedded parses the documents compiled into the binary.
func LoadEmbedded() (*KB, error) {
	docs, err := parseFS(embedded, "kb")
	if err != nil {
		return nil, err
	}
	return NewKB(docs)
}

// NewKB builds a knowledge base from parsed documents. Two documents with the
// same number are an error.
func NewKB(docs []*Doc) (*KB, error) {
	seen := map[string]string{}
	for _, d := range docs {
		k := numberKey(d.Number)
		if prev, ok := seen[k]; ok {
			return nil, fmt.Errorf("%s and %s: same number %q", prev, d.Name, d.Number)
		}
		seen[k] = d.Name
	}
	kb := &KB{}
	kb.store(buildSnapshot(docs))
	return kb, nil
}

func parseFS(fsys fs.FS, dir string) ([]*Doc, error) {
	names, err := fs.Glob(fsys, dir+"/*.md")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var docs []*Doc
	for _, n := range names {
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", n, err)
		}
		d, err := Parse(filepath.Base(n), data)
		if err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	return docs, nil
}

func numberKey(n string) string { return strings.Join(strings.Fields(search.Fold(n)), " ") }

// Docs returns the documents, sorted by file name. The slice is a copy; the
// documents must not be modified.
func (kb *KB) Docs() []*Doc { return slices.Clone(kb.snap.Load().docs) }

// Doc returns the document with the given number (compared without
// diacritics or case), or nil.
func (kb *KB) Doc(number string) *Doc {
	s := kb.snap.Load()
	if i, ok := s.byNumber[numberKey(number)]; ok {
		return s.docs[i]
	}
	return nil
}

// Overlay loads every *.md file of dir (the KB_DIR directory) over the
// current documents: a document with the same number replaces the old one,
// others are added. Nothing changes if any file fails to parse.
func (kb *KB) Overlay(dir string) error {
	docs, err := parseFS(os.DirFS(dir), ".")
	if err != nil {
		return fmt.Errorf("overlay %s: %w", dir, err)
	}
	kb.replace(docs)
	return nil
}

// Put adds or replaces (by number) one document, as uploaded by staff. It
// takes effect for the next question; questions being answered keep the
// previous snapshot.
func (kb *KB) Put(name string, data []byte) error {
	d, err := Parse(name, data)
	if err != nil {
		return err
	}
	kb.replace([]*Doc{d})
	return nil
}

func (kb *KB) replace(docs []*Doc) {
	kb.mu.Lock()
	defer kb.mu.Unlock()
	cur := kb.snap.Load()
	next := slices.Clone(cur.docs)
	byNum := map[string]int{}
	for i, d := range next {
		byNum[numberKey(d.Number)] = i
	}
	for _, d := range docs {
		if i, ok := byNum[numberKey(d.Number)]; ok {
			next[i] = d
			continue
		}
		byNum[numberKey(d.Number)] = len(next)
		next = append(next, d)
	}
	kb.store(buildSnapshot(next))
}

// store publishes a snapshot and analyses its passages in the background
// (answers are the same before and after; only the first use of a passage
// is faster once it is done).
func (kb *KB) store(s *snapshot) {
	kb.snap.Store(s)
	go s.warm()
}

func (kb *KB) now() time.Time {
	if kb.Now != nil {
		return kb.Now()
	}
	return time.Now()
}

// Marshal writes a document back in the knowledge-base format (front matter
// and sections), for export and round-trip tests.
func (d *Doc) Marshal() []byte {
	var b bytes.Buffer
	b.WriteString("+++\n")
	kv := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "%s = %s\n", k, tomlQuote(v))
		}
	}
	kv("number", d.Number)
	kv("title", d.Title)
	kv("issuer", d.Issuer)
	kv("issued", d.Issued.String())
	kv("effective_from", d.EffectiveFrom.String())
	kv("effective_to", d.EffectiveTo.String())
	kv("period", d.Period)
	kv("status", string(d.Status))
	kv("replaced_by", d.ReplacedBy)
	kv("locality", d.Locality)
	list := func(k string, vs []string) {
		if len(vs) == 0 {
			return
		}
		q := make([]string, len(vs))
		for i, v := range vs {
			q[i] = tomlQuote(v)
		}
		fmt.Fprintf(&b, "%s = [%s]\n", k, strings.Join(q, ", "))
	}
	list("aliases", d.Aliases)
	list("sources", d.Sources)
	for _, s := range d.Supports {
		b.WriteString("\n[[support]]\n")
		for _, f := range [][2]string{{"section", s.Section}, {"title", s.Title}, {"amount", s.Amount}} {
			kv(f[0], f[1])
		}
		if s.Value != 0 {
			fmt.Fprintf(&b, "value = %d\n", s.Value)
		}
		list("who", s.Who)
		list("stages", s.Stages)
		list("sectors", s.Sectors)
		list("areas", s.Areas)
		for _, f := range [][2]string{{"conditions", s.Conditions}, {"apply", s.Apply}, {"unknown", s.Unknown},
			{"title_en", s.TitleEN}, {"amount_en", s.AmountEN}, {"conditions_en", s.ConditionsEN}, {"apply_en", s.ApplyEN}, {"unknown_en", s.UnknownEN}} {
			kv(f[0], f[1])
		}
	}
	b.WriteString("+++\n")
	for _, s := range d.Sections {
		fmt.Fprintf(&b, "\n## %s\n%s\n", s.Heading, s.Text)
		if s.Keywords != "" {
			fmt.Fprintf(&b, "<!-- %s %s -->\n", keywordsLabel, s.Keywords)
		}
		if s.English != "" {
			fmt.Fprintf(&b, "%s\n%s\n", englishMarker, s.English)
		}
	}
	return b.Bytes()
}

// tomlQuote writes s as a TOML basic string.
func tomlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\u%04X", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
