package policy

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/qnstartup/trolykhoinghiep/locales"
	"github.com/qnstartup/trolykhoinghiep/search"
)

// jsonAnswer is the ask -json output; field order and names are a contract.
type jsonAnswer struct {
	Question string       `json:"question"`
	Answer   string       `json:"answer"`
	Refused  bool         `json:"refused"`
	Mode     string       `json:"mode"`
	Lang     string       `json:"lang"`
	Sources  []jsonSource `json:"sources"`
}

type jsonSource struct {
	Doc     string  `json:"doc"`
	Title   string  `json:"title"`
	Section string  `json:"section"`
	URL     string  `json:"url"`
	ValidTo string  `json:"valid_to"`
	Score   float64 `json:"score"`
}

// RunAsk implements the ask subcommand:
//
//	ask [-json] [-lang vi|en] [-no-llm] "câu hỏi"
//	ask -json -          one question per line on stdin, one JSON object per line out
//
// Without -json it prints the rendered answer (and follow-up questions).
// With -json, "answer" is the answer text, or the refusal message when
// "refused" is true.
func RunAsk(ctx context.Context, a *Answerer, b *locales.Bundle, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "print JSON")
	lang := fs.String("lang", locales.Default, "language of fixed wording: vi or en")
	noLLM := fs.Bool("no-llm", false, "retrieval only, even if an LLM is configured")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("ask: %w\nusage: ask [-json] [-lang vi|en] [-no-llm] \"question\" | ask -json -", err)
	}
	if fs.NArg() == 0 {
		return errors.New("ask: no question\nusage: ask [-json] [-lang vi|en] [-no-llm] \"question\" | ask -json -")
	}
	loc := b.For(*lang)
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	one := func(question string) error {
		ans, err := a.Answer(ctx, Query{Text: question, Lang: loc.Lang(), AllowLLM: !*noLLM})
		if err != nil {
			return err
		}
		loc := loc
		if ans.Lang == "en" && loc.Lang() != "en" {
			loc = b.For("en") // a question asked in English is answered in English
		}
		if *asJSON {
			enc := json.NewEncoder(w)
			enc.SetEscapeHTML(false)
			return enc.Encode(toJSON(ans, loc))
		}
		fmt.Fprintln(w, Render(ans, loc))
		if f := RenderFollowups(ans, loc); f != "" {
			fmt.Fprintln(w)
			fmt.Fprintln(w, f)
		}
		return nil
	}
	if fs.NArg() == 1 && fs.Arg(0) == "-" {
		sc := bufio.NewScanner(stdin)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		first := true
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" {
				continue
			}
			if !*asJSON && !first {
				fmt.Fprintln(w, "\n---")
			}
			first = false
			if err := one(line); err != nil {
				return fmt.Errorf("ask: %w", err)
			}
			if err := w.Flush(); err != nil {
				return err
			}
		}
		return sc.Err()
	}
	return one(strings.Join(fs.Args(), " "))
}

func toJSON(a Answer, loc *locales.Localizer) jsonAnswer {
	out := jsonAnswer{Question: a.Question, Answer: a.Text, Refused: a.Refused, Mode: a.Mode, Lang: a.Lang, Sources: []jsonSource{}}
	if a.Refused {
		out.Answer = Render(a, loc)
	}
	for _, s := range a.Sources {
		out.Sources = append(out.Sources, jsonSource{
			Doc: s.Doc, Title: s.Title, Section: s.Section, URL: s.URL, ValidTo: s.ValidTo,
			Score: math.Round(s.Score*1e4) / 1e4,
		})
	}
	return out
}

// EvalCase is one row of an evaluation file (tab-separated, with a header:
// id, question, expected_doc, must_contain, style). ExpectedDoc "NONE"
// means the question should be refused. MustContain may list several
// phrases as "A && B" (a question in two parts): the answer must contain
// every one, and "in first 160" looks at the first.
type EvalCase struct {
	ID, Question, ExpectedDoc, MustContain, Style string
}

// missingPhrase reports whether a must_contain phrase is the "not in our
// database" answer ("chưa có", "chưa xác định", "chưa").
func missingPhrase(p string) bool {
	f := strings.ToLower(strings.TrimSpace(p))
	return f == "chưa" || strings.HasPrefix(f, "chưa có") || strings.HasPrefix(f, "chưa xác định") || strings.HasPrefix(f, "chua co")
}

// Musts returns the phrases of MustContain, or nil when it is empty or "-".
func (c EvalCase) Musts() []string {
	var out []string
	for _, m := range strings.Split(c.MustContain, "&&") {
		if m = strings.TrimSpace(m); m != "" && m != "-" {
			out = append(out, m)
		}
	}
	return out
}

// ReadEvalFile reads an evaluation TSV file.
func ReadEvalFile(path string) ([]EvalCase, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadEval(f)
}

// ReadEval reads evaluation rows from r.
func ReadEval(r io.Reader) ([]EvalCase, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	col := map[string]int{}
	var out []EvalCase
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Split(text, "\t")
		if len(col) == 0 {
			for i, h := range fields {
				col[strings.TrimSpace(h)] = i
			}
			for _, need := range []string{"question", "expected_doc"} {
				if _, ok := col[need]; !ok {
					return nil, fmt.Errorf("line %d: header lacks column %q", line, need)
				}
			}
			continue
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(fields) {
				return strings.TrimSpace(fields[i])
			}
			return ""
		}
		c := EvalCase{ID: get("id"), Question: get("question"), ExpectedDoc: get("expected_doc"),
			MustContain: get("must_contain"), Style: get("style")}
		if c.Question == "" {
			return nil, fmt.Errorf("line %d: empty question", line)
		}
		if c.ID == "" {
			c.ID = fmt.Sprintf("line%d", line)
		}
		if c.Style == "" {
			c.Style = "unknown"
		}
		out = append(out, c)
	}
	return out, sc.Err()
}

// EvalScores are the measures for one group of questions.
type EvalScores struct {
	N            int     // answerable questions
	Top1, Top3   float64 // share with the expected document first / in the first three
	MRR          float64 // mean reciprocal rank of the expected document
	MustN        int     // answerable questions with a must_contain phrase
	MustContain  float64 // share whose answer text contains it (diacritics folded)
	NoneN        int     // questions that should be refused
	RefusalAcc   float64 // share of those refused
	FalseRefusal int     // answerable questions refused
	// First160 is the share of answers with the must_contain phrase whose
	// phrase is within the first 160 characters of the text.
	First160  float64
	EnglishN  int     // questions in English (style "english") answered
	EnglishEN float64 // share of those answered in English
}

// EvalReport is the result of Evaluate.
type EvalReport struct {
	Overall EvalScores
	ByStyle map[string]EvalScores
	// Accented is every answerable Vietnamese question with diacritics
	// (styles other than no_diacritics and english), for comparison.
	Accented EvalScores
	Failures []string
}

type acc struct {
	n, top1, top3, mustN, must, noneN, refused, falseRef int
	first160, enN, enEN                                  int
	rr                                                   float64
}

func (a *acc) scores() EvalScores {
	div := func(x, n int) float64 {
		if n == 0 {
			return 0
		}
		return float64(x) / float64(n)
	}
	s := EvalScores{N: a.n, Top1: div(a.top1, a.n), Top3: div(a.top3, a.n), MustN: a.mustN,
		MustContain: div(a.must, a.mustN), NoneN: a.noneN, RefusalAcc: div(a.refused, a.noneN), FalseRefusal: a.falseRef,
		First160: div(a.first160, a.mustN), EnglishN: a.enN, EnglishEN: div(a.enEN, a.enN)}
	if a.n > 0 {
		s.MRR = a.rr / float64(a.n)
	}
	return s
}

// Evaluate answers every case (retrieval only unless allowLLM) and scores
// the answers.
func Evaluate(ctx context.Context, a *Answerer, cases []EvalCase, allowLLM bool) (EvalReport, error) {
	overall, accented := &acc{}, &acc{}
	by := map[string]*acc{}
	var rep EvalReport
	for _, c := range cases {
		ans, err := a.Answer(ctx, Query{Text: c.Question, Lang: "vi", AllowLLM: allowLLM})
		if err != nil {
			return rep, fmt.Errorf("%s: %w", c.ID, err)
		}
		groups := []*acc{overall}
		if by[c.Style] == nil {
			by[c.Style] = &acc{}
		}
		groups = append(groups, by[c.Style])
		none := strings.EqualFold(c.ExpectedDoc, "NONE") || c.ExpectedDoc == ""
		if !none && c.Style != "no_diacritics" && c.Style != "english" {
			groups = append(groups, accented)
		}
		if none {
			for _, g := range groups {
				g.noneN++
				if ans.Refused {
					g.refused++
				}
			}
			if !ans.Refused {
				rep.Failures = append(rep.Failures, fmt.Sprintf("%s [%s] should refuse, answered from %s: %s", c.ID, c.Style, firstDoc(ans), c.Question))
			}
			continue
		}
		// A "not in our database" refusal answers a question whose expected
		// answer is that the detail is missing: it cites the document.
		answered := !ans.Refused || ans.Reason == ReasonMissing
		rank := 0
		for i, s := range ans.Sources {
			if answered && numberKey(s.Doc) == numberKey(c.ExpectedDoc) {
				rank = i + 1
				break
			}
		}
		musts := c.Musts()
		hasMust := len(musts) > 0
		at, lacks := -1, ""
		if hasMust && answered {
			at = foldedIndex(ans.Text, musts[0])
			for _, m := range musts {
				if foldedIndex(ans.Text, m) < 0 {
					lacks = m
					break
				}
			}
		}
		mustOK := at >= 0 && lacks == ""
		// A "not in our database" answer counts only as a refusal: saying
		// "chưa có" while claiming to answer is a miss.
		missingUnflagged := mustOK && missingPhrase(musts[0]) && !ans.Refused
		if missingUnflagged {
			mustOK = false
			rep.Failures = append(rep.Failures, fmt.Sprintf("%s [%s] says %q without refused: %s", c.ID, c.Style, musts[0], oneLine(ans.Text)))
		}
		english := c.Style == "english" && answered
		for _, g := range groups {
			if mustOK && at < 160 {
				g.first160++
			}
			if english {
				g.enN++
				if ans.Lang == "en" {
					g.enEN++
				}
			}
			g.n++
			if rank == 1 {
				g.top1++
			}
			if rank >= 1 && rank <= 3 {
				g.top3++
			}
			if rank > 0 {
				g.rr += 1 / float64(rank)
			}
			if hasMust {
				g.mustN++
				if mustOK {
					g.must++
				}
			}
			if !answered {
				g.falseRef++
			}
		}
		switch {
		case !answered:
			rep.Failures = append(rep.Failures, fmt.Sprintf("%s [%s] refused (%s), want %s: %s", c.ID, c.Style, ans.Reason, c.ExpectedDoc, c.Question))
		case rank != 1:
			rep.Failures = append(rep.Failures, fmt.Sprintf("%s [%s] top-1 %s, want %s (rank %d): %s", c.ID, c.Style, firstDoc(ans), c.ExpectedDoc, rank, c.Question))
		}
		if mustOK && at >= 160 {
			rep.Failures = append(rep.Failures, fmt.Sprintf("%s [%s] %q at %d: %s", c.ID, c.Style, musts[0], at, oneLine(ans.Text)))
		}
		if hasMust && !mustOK && answered && !missingUnflagged {
			if lacks == "" {
				lacks = musts[0]
			}
			rep.Failures = append(rep.Failures, fmt.Sprintf("%s [%s] answer lacks %q: %s", c.ID, c.Style, lacks, oneLine(ans.Text)))
		}
	}
	rep.Overall = overall.scores()
	rep.Accented = accented.scores()
	rep.ByStyle = map[string]EvalScores{}
	for k, v := range by {
		rep.ByStyle[k] = v.scores()
	}
	return rep, nil
}

// foldedIndex is the position, in runes of the folded text, of the folded
// phrase in text, or -1. Folding keeps one rune per letter, so positions
// match the text's.
func foldedIndex(text, phrase string) int {
	f, p := search.Fold(text), search.Fold(phrase)
	i := strings.Index(f, p)
	if i < 0 {
		// An English answer writes 20,000 and 23.54 for 20.000 and 23,54.
		i = strings.Index(f, strings.NewReplacer(",", ".", ".", ",").Replace(p))
	}
	if i < 0 {
		return -1
	}
	return len([]rune(f[:i]))
}

func firstDoc(a Answer) string {
	if len(a.Sources) == 0 {
		return "(none)"
	}
	return a.Sources[0].Doc
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 160 {
		s = string(r[:160]) + "…"
	}
	return s
}

// RunEval implements the eval subcommand: eval [-v] [-llm] FILE.tsv. It
// prints top-1/top-3 document accuracy, MRR, must-contain rate and refusal
// accuracy, overall and per style; -v also lists every miss.
func RunEval(ctx context.Context, a *Answerer, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	verbose := fs.Bool("v", false, "list every miss")
	useLLM := fs.Bool("llm", false, "allow the LLM (default: retrieval only, as the quality bars are measured)")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("eval: %w\nusage: eval [-v] [-llm] FILE.tsv", err)
	}
	if fs.NArg() != 1 {
		return errors.New("eval: want one file\nusage: eval [-v] [-llm] FILE.tsv")
	}
	cases, err := ReadEvalFile(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	rep, err := Evaluate(ctx, a, cases, *useLLM)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	WriteReport(stdout, fs.Arg(0), rep)
	if *verbose {
		for _, f := range rep.Failures {
			fmt.Fprintln(stdout, "  miss:", f)
		}
	}
	return nil
}

// WriteReport prints a report as a table.
func WriteReport(w io.Writer, name string, rep EvalReport) {
	fmt.Fprintf(w, "eval %s\n", name)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "style\tn\ttop-1\ttop-3\tMRR\tmust-contain\tin first 160\trefusals\tfalse refusals\tEnglish in English\t")
	row := func(name string, s EvalScores) {
		refusal := "-"
		if s.NoneN > 0 {
			refusal = fmt.Sprintf("%.1f%% of %d", 100*s.RefusalAcc, s.NoneN)
		}
		must, first := "-", "-"
		if s.MustN > 0 {
			must = fmt.Sprintf("%.1f%%", 100*s.MustContain)
			first = fmt.Sprintf("%.1f%%", 100*s.First160)
		}
		en := "-"
		if s.EnglishN > 0 {
			en = fmt.Sprintf("%.1f%%", 100*s.EnglishEN)
		}
		fmt.Fprintf(tw, "%s\t%d\t%.1f%%\t%.1f%%\t%.3f\t%s\t%s\t%s\t%d\t%s\t\n", name, s.N, 100*s.Top1, 100*s.Top3, s.MRR, must, first, refusal, s.FalseRefusal, en)
	}
	styles := make([]string, 0, len(rep.ByStyle))
	for k := range rep.ByStyle {
		styles = append(styles, k)
	}
	sort.Strings(styles)
	for _, k := range styles {
		row(k, rep.ByStyle[k])
	}
	row("accented", rep.Accented)
	row("overall", rep.Overall)
	tw.Flush()
	if nd, ok := rep.ByStyle["no_diacritics"]; ok && rep.Accented.N > 0 {
		fmt.Fprintf(w, "no_diacritics vs accented top-1: %.1f%% vs %.1f%% (gap %.1f points)\n",
			100*nd.Top1, 100*rep.Accented.Top1, 100*(rep.Accented.Top1-nd.Top1))
	}
}
