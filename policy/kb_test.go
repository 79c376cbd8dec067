package policy

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const factsFile = "../../shared/policy/facts.md"

func readFacts(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(factsFile)
	if err != nil {
		t.Skip("facts.md not found:", err)
	}
	return string(data)
}

func TestLoadEmbedded(t *testing.T) {
	kb := mustKB(t)
	docs := kb.Docs()
	if len(docs) < 40 {
		t.Fatalf("only %d documents", len(docs))
	}
	sections := 0
	for _, d := range docs {
		sections += len(d.Sections)
		for _, s := range d.Sections {
			if n := len([]rune(s.Text)); n > 900 {
				t.Errorf("%s / %s: passage of %d characters; keep passages short", d.Name, s.Heading, n)
			}
		}
	}
	t.Logf("%d documents, %d passages", len(docs), sections)
	if kb.Doc("09/2020/NQ-HĐND") == nil || kb.Doc("09/2020/nq-hdnd") == nil {
		t.Error("Doc lookup by number failed")
	}
}

var figureRe = regexp.MustCompile(`\d+(?:[.,]\d+)*(?:/\d+)*`)

// normFigure strips leading zeros from each part of a date-like figure, so
// 08/02/2021 and 8/2/2021 compare equal.
func normFigure(s string) string {
	if !strings.Contains(s, "/") {
		return s
	}
	parts := strings.Split(s, "/")
	for i, p := range parts {
		if t := strings.TrimLeft(p, "0"); t != "" {
			parts[i] = t
		}
	}
	return strings.Join(parts, "/")
}

// vietnameseNumber swaps the English separators of a number: "2,819,900"
// → "2.819.900", "23.54" → "23,54". Dates are left alone.
func vietnameseNumber(f string) string {
	if strings.Contains(f, "/") {
		return f
	}
	return strings.NewReplacer(",", ".", ".", ",").Replace(f)
}

func figureSet(text string) map[string]bool {
	m := map[string]bool{}
	for _, f := range figureRe.FindAllString(text, -1) {
		m[normFigure(f)] = true
	}
	return m
}

// factFigures is figureSet plus the parts of slashed figures: facts.md
// writes "202/2025/QH15" and "26/12/2024", documents may say "Nghị quyết
// 202" or "12/2024".
func factFigures(text string) map[string]bool {
	m := figureSet(text)
	for f := range figureSet(text) {
		parts := strings.Split(f, "/")
		for i := range parts {
			for j := i + 1; j <= len(parts); j++ {
				m[strings.Join(parts[i:j], "/")] = true
			}
		}
	}
	return m
}

// TestFiguresInFacts guards against invented figures: every number in every
// document (text, titles, labels, keywords) must appear in facts.md, and
// every front-matter date must be a date facts.md gives.
func TestFiguresInFacts(t *testing.T) {
	facts := factFigures(readFacts(t))
	for _, d := range mustKB(t).Docs() {
		texts := []string{d.Number, d.Title, d.Issuer, d.Period, d.ReplacedBy, strings.Join(d.Aliases, " ")}
		for _, s := range d.Sections {
			texts = append(texts, s.Heading, s.Text, s.Keywords)
		}
		for _, s := range d.Supports {
			// The guide's texts, English included: their figures are written
			// the Vietnamese way in both (50 triệu, 36 tháng).
			texts = append(texts, s.Title, s.Amount, s.Conditions, s.Apply, s.Unknown,
				s.TitleEN, s.AmountEN, s.ConditionsEN, s.ApplyEN, s.UnknownEN)
			if s.Value > 0 && !strings.Contains(s.Amount, strconv.FormatInt(s.Value/1_000_000, 10)+" triệu") {
				t.Errorf("%s: support %q: value %d is not the amount %q", d.Name, s.Title, s.Value, s.Amount)
			}
		}
		for _, text := range texts {
			for f := range figureSet(text) {
				if !facts[f] {
					t.Errorf("%s: figure %q is not in facts.md (in %q)", d.Name, f, short(text))
				}
			}
		}
		for _, s := range d.Sections {
			// English renderings write 20,000 and 23.54 for 20.000 and 23,54.
			for f := range figureSet(s.English) {
				if !facts[f] && !facts[vietnameseNumber(f)] {
					t.Errorf("%s: figure %q of the English rendering is not in facts.md (in %q)", d.Name, f, short(s.English))
				}
			}
		}
		for name, date := range map[string]Date{"issued": d.Issued, "effective_from": d.EffectiveFrom, "effective_to": d.EffectiveTo} {
			if date.IsZero() {
				continue
			}
			if !facts[date.Display()] {
				t.Errorf("%s: %s %s (%s) is not a date in facts.md", d.Name, name, date, date.Display())
			}
		}
	}
}

func short(s string) string {
	if r := []rune(s); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return s
}

func TestSourcesInFacts(t *testing.T) {
	facts := readFacts(t)
	for _, d := range mustKB(t).Docs() {
		for _, u := range d.Sources {
			if !strings.Contains(facts, u) {
				t.Errorf("%s: source %s is not in facts.md", d.Name, u)
			}
		}
	}
}

// TestEvalLabelsExist checks that every expected document of the evaluation
// files is a document of the knowledge base.
func TestEvalLabelsExist(t *testing.T) {
	kb := mustKB(t)
	for _, f := range []string{devSet, heldoutSet} {
		cases, err := ReadEvalFile(f)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			t.Fatal(err)
		}
		for _, c := range cases {
			if c.ExpectedDoc != "NONE" && kb.Doc(c.ExpectedDoc) == nil {
				t.Errorf("%s %s: no document %q", f, c.ID, c.ExpectedDoc)
			}
		}
	}
}

const validDoc = `+++
number = "01/2024/NQ-HĐND"
title = "Nghị quyết thử"
status = "in_force"
issued = "2024-01-02"
effective_to = "2025"
aliases = ["NQ 01"]
sources = ["https://example.org/a"]
+++

Phần mở đầu.

## Mục một
Câu thứ nhất. Câu thứ hai.
<!-- từ khóa: một, hai -->

## Mục hai
- ý a
- ý b
`

func TestParse(t *testing.T) {
	d, err := Parse("ok.md", []byte(validDoc))
	if err != nil {
		t.Fatal(err)
	}
	if d.Number != "01/2024/NQ-HĐND" || d.Status != StatusInForce || d.Issued.String() != "2024-01-02" || d.EffectiveTo.String() != "2025" {
		t.Errorf("front matter: %+v", d)
	}
	if len(d.Sections) != 3 || d.Sections[0].Heading != "Tổng quan" || d.Sections[1].Heading != "Mục một" {
		t.Fatalf("sections: %+v", d.Sections)
	}
	if s := d.Sections[1]; s.Keywords != "một, hai" || strings.Contains(s.Text, "<!--") || s.Text != "Câu thứ nhất. Câu thứ hai." {
		t.Errorf("keywords/text: %+v", s)
	}
	if got := d.StatusAt(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); got != StatusPeriodEnded {
		t.Errorf("StatusAt after effective_to = %s, want period_ended", got)
	}
	if got := d.StatusAt(time.Date(2025, 12, 31, 12, 0, 0, 0, time.UTC)); got != StatusInForce {
		t.Errorf("StatusAt within effective_to = %s, want in_force", got)
	}

	replace := func(old, new string) string { return strings.Replace(validDoc, old, new, 1) }
	for _, tc := range []struct {
		name string
		data string
		want error
	}{
		{"OK CRLF", strings.ReplaceAll(validDoc, "\n", "\r\n"), nil},
		{"OK BOM", "\ufeff" + validDoc, nil},
		{"OK TOML date", replace(`issued = "2024-01-02"`, `issued = 2024-01-02`), nil},
		{"OK no sources", replace(`sources = ["https://example.org/a"]`, ``), nil},
		{"ErrNoNumber", replace(`number = "01/2024/NQ-HĐND"`, `number = " "`), ErrFrontMatter},
		{"ErrNoTitle", replace(`title = "Nghị quyết thử"`, ``), ErrFrontMatter},
		{"ErrNoStatus", replace(`status = "in_force"`, ``), ErrFrontMatter},
		{"ErrBadStatus", replace(`status = "in_force"`, `status = "valid"`), ErrFrontMatter},
		{"ErrReplacedWithoutSuccessor", replace(`status = "in_force"`, `status = "replaced"`), ErrFrontMatter},
		{"ErrUnknownField", replace(`status = "in_force"`, "status = \"in_force\"\nauthor = \"x\""), ErrFrontMatter},
		{"ErrBadTOML", replace(`status = "in_force"`, `status = in_force`), ErrFrontMatter},
		{"ErrBadDate", replace(`issued = "2024-01-02"`, `issued = "2024-02-30"`), ErrFrontMatter},
		{"ErrBadDateFormat", replace(`issued = "2024-01-02"`, `issued = "02/01/2024"`), ErrFrontMatter},
		{"ErrDatesReversed", replace(`effective_to = "2025"`, "effective_to = \"2020\"\neffective_from = \"2021-01-01\""), ErrFrontMatter},
		{"ErrBadURL", replace(`https://example.org/a`, `javascript:alert(1)`), ErrFrontMatter},
		{"ErrNoOpening", strings.TrimPrefix(validDoc, "+++\n"), ErrFrontMatter},
		{"ErrNoClosing", strings.Replace(validDoc, "+++\n\nPhần", "\nPhần", 1), ErrFrontMatter},
		{"ErrNoSections", validDoc[:strings.Index(validDoc, "Phần")], ErrNoSections},
		{"ErrOnlyComments", validDoc[:strings.Index(validDoc, "Phần")] + "## A\n<!-- từ khóa: x -->\n", ErrNoSections},
		{"ErrNotUTF8", replace("Câu thứ nhất", "C\xffu"), ErrNotUTF8},
		{"ErrTooLarge", validDoc + strings.Repeat("x", MaxDocSize), ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.name+".md", []byte(tc.data))
			switch {
			case tc.want == nil && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.want != nil && !errors.Is(err, tc.want):
				t.Fatalf("err = %v, want %v", err, tc.want)
			case err != nil && !strings.Contains(err.Error(), tc.name+".md"):
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	for _, d := range mustKB(t).Docs() {
		back, err := Parse(d.Name, d.Marshal())
		if err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
		if fmt.Sprint(back.Sections) != fmt.Sprint(d.Sections) || back.Number != d.Number || back.Title != d.Title ||
			back.Issued != d.Issued || back.EffectiveTo != d.EffectiveTo || back.Status != d.Status ||
			fmt.Sprint(back.Aliases) != fmt.Sprint(d.Aliases) || fmt.Sprint(back.Sources) != fmt.Sprint(d.Sources) {
			t.Errorf("%s: round trip changed the document", d.Name)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(validDoc))
	f.Add([]byte("+++\nnumber=\"x\"\ntitle=\"t\"\nstatus=\"info\"\n+++\n## h\nb"))
	f.Add([]byte("+++\n+++\n"))
	f.Add([]byte("+++\nnumber = \"a\"\n+++"))
	f.Add([]byte("+++\nissued = 1979-05-27T07:32:00Z\n+++\n## <!-- x"))
	for _, n := range []string{"nq-09-2020-nq-hdnd.md", "qd-148-qd-ttg.md"} {
		if data, err := embedded.ReadFile("kb/" + n); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse("fuzz.md", data)
		if err != nil {
			return
		}
		if d.Number == "" || d.Title == "" || !d.Status.valid() || len(d.Sections) == 0 {
			t.Fatalf("accepted an invalid document: %+v", d)
		}
		back, err := Parse("fuzz.md", d.Marshal())
		if err != nil {
			t.Fatalf("re-parse of marshalled document: %v\n%s", err, d.Marshal())
		}
		if back.Number != d.Number || back.Title != d.Title || len(back.Sections) != len(d.Sections) {
			t.Fatalf("round trip changed the document: %+v vs %+v", back, d)
		}
		// The document must also be indexable and answerable without panics.
		kb, err := NewKB([]*Doc{d})
		if err != nil {
			t.Fatal(err)
		}
		New(kb, Options{}).Answer(t.Context(), Query{Text: d.Sections[0].Heading})
	})
}

func TestPutAndOverlay(t *testing.T) {
	kb := mustKB(t)
	a := New(kb, Options{})
	n := len(kb.Docs())

	// A staff upload replacing NQ 09 by number takes effect at once.
	upd := `+++
number = "09/2020/NQ-HĐND"
title = "Nghị quyết 09 (bản cập nhật)"
status = "in_force"
+++
## Mức hỗ trợ tham gia ngày hội khởi nghiệp
Theo bản cập nhật, mức hỗ trợ tham gia ngày hội khởi nghiệp là một khoản thử nghiệm xyzabc.
`
	if err := kb.Put("nq09.md", []byte(upd)); err != nil {
		t.Fatal(err)
	}
	if got := len(kb.Docs()); got != n {
		t.Errorf("Put by existing number: %d docs, want %d", got, n)
	}
	ans, err := a.Answer(t.Context(), Query{Text: "mức hỗ trợ tham gia ngày hội khởi nghiệp theo nghị quyết 09"})
	if err != nil || ans.Refused || !strings.Contains(ans.Text, "xyzabc") {
		t.Errorf("answer after Put = %+v, %v", ans, err)
	}
	if err := kb.Put("bad.md", []byte("+++\n+++\n")); err == nil {
		t.Error("Put accepted an invalid document")
	}

	dir := t.TempDir()
	newDoc := strings.Replace(upd, "09/2020/NQ-HĐND", "99/2030/NQ-HĐND", 1)
	if err := os.WriteFile(filepath.Join(dir, "new.md"), []byte(newDoc), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := kb.Overlay(dir); err != nil {
		t.Fatal(err)
	}
	if got := len(kb.Docs()); got != n+1 || kb.Doc("99/2030/NQ-HĐND") == nil {
		t.Errorf("Overlay: %d docs, want %d", got, n+1)
	}
	if err := os.WriteFile(filepath.Join(dir, "broken.md"), []byte("no front matter"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := kb.Overlay(dir); err == nil || !strings.Contains(err.Error(), "broken.md") {
		t.Errorf("Overlay with a broken file: err = %v", err)
	}
	if got := len(kb.Docs()); got != n+1 {
		t.Errorf("failed Overlay changed the knowledge base: %d docs", got)
	}
}

// TestPutConcurrent answers questions while documents are uploaded; run
// with -race.
func TestPutConcurrent(t *testing.T) {
	kb := mustKB(t)
	a := New(kb, Options{})
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 2 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := a.Answer(t.Context(), Query{Text: "gian hàng khởi nghiệp ở siêu thị được hỗ trợ bao nhiêu"}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	for i := range 5 {
		doc := fmt.Sprintf("+++\nnumber = \"%d/2030/QĐ-UBND\"\ntitle = \"Thử %d\"\nstatus = \"info\"\n+++\n## Mục\nNội dung %d.\n", i, i, i)
		if err := kb.Put("x.md", []byte(doc)); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
}

func TestNewKBDuplicateNumber(t *testing.T) {
	d1, _ := Parse("a.md", []byte(validDoc))
	d2, _ := Parse("b.md", []byte(validDoc))
	if _, err := NewKB([]*Doc{d1, d2}); err == nil {
		t.Error("NewKB accepted two documents with the same number")
	}
}

var digitRunRe = regexp.MustCompile(`[0-9]+`)

// digitRuns returns the digit runs of text without leading zeros, so the
// 02 of 02/11/2020 and the 2 of "2 November" compare equal, and 23,54 and
// 23.54 give the same runs.
func digitRuns(text string) map[string]bool {
	m := map[string]bool{}
	for _, r := range digitRunRe.FindAllString(text, -1) {
		if t := strings.TrimLeft(r, "0"); t != "" {
			r = t
		} else {
			r = "0"
		}
		m[r] = true
	}
	return m
}

// monthNames writes English month names as their numbers, so "12 July
// 2017" is checked against 12/7/2017.
var monthNames = strings.NewReplacer("January", "1", "February", "2", "March", "3", "April", "4",
	"May", "5", "June", "6", "July", "7", "August", "8", "September", "9", "October", "10",
	"November", "11", "December", "12")

// missingRuns lists, sorted, the digit runs of text that are not runs of
// ref; English month names count as their numbers.
func missingRuns(text, ref string) []string {
	have := digitRuns(monthNames.Replace(ref))
	var out []string
	for r := range digitRuns(monthNames.Replace(text)) {
		if !have[r] {
			out = append(out, r)
		}
	}
	slices.Sort(out)
	return out
}

func TestMissingRuns(t *testing.T) {
	for _, tc := range []struct {
		name, text, ref string
		want            []string
	}{
		{"same figures", "up to 50 million VND", "tối đa 50 triệu đồng", nil},
		{"separators", "23.54 billion VND, 20,000 women", "23,54 tỷ đồng, 20.000 phụ nữ", nil},
		{"leading zeros", "on 2/11/2020", "ngày 02/11/2020", nil},
		{"invented figure", "up to 60 million VND", "tối đa 50 triệu đồng", []string{"60"}},
		{"month name", "on 12 June 2017", "ngày 12/6/2017", nil},
		{"wrong month name", "on 12 July 2017", "ngày 12/6/2017", []string{"7"}},
		{"dropped figure", "đợt 1 có 8 dự án", "the first round had 8 projects", []string{"1"}},
		{"two invented", "in 2026, 3 times", "năm 2025", []string{"2026", "3"}},
		{"no figures", "not in our database", "chưa có", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := missingRuns(tc.text, tc.ref); !slices.Equal(got, tc.want) {
				t.Errorf("missingRuns(%q, %q) = %q, want %q", tc.text, tc.ref, got, tc.want)
			}
		})
	}
}

// TestEnglishRenderings checks that every passage of the embedded knowledge
// base has an English rendering, that the rendering invents no figure
// (every digit run of the English is one of the Vietnamese heading or
// text), and that it drops none (every digit run of the Vietnamese text is
// in the English), so an English answer states what a Vietnamese one does.
func TestEnglishRenderings(t *testing.T) {
	n := 0
	for _, d := range mustKB(t).Docs() {
		for _, s := range d.Sections {
			n++
			t.Run(d.Name+"/"+s.Heading, func(t *testing.T) {
				if s.English == "" {
					t.Fatal("no English rendering (### en)")
				}
				if got := missingRuns(s.English, s.Heading+"\n"+s.Text); got != nil {
					t.Errorf("figures %q of the English are not in the Vietnamese", got)
				}
				if got := missingRuns(s.Text, s.English); got != nil {
					t.Errorf("figures %q of the Vietnamese are not in the English", got)
				}
			})
		}
	}
	if n < 100 {
		t.Errorf("only %d passages checked", n)
	}
}
