package search

import "strings"

// English analysis (Options.English): for an index over English text, such
// as the English renderings of the policy passages. Text is folded and
// tokenised as for Vietnamese (so numbers, document numbers and Vietnamese
// names written in English text give the same terms as in Vietnamese
// text); then English stop words are dropped and every other word is
// reduced by a light suffix folding (stemEnglish). There is no expansion,
// Telex repair or tone key.

// AnalyzeEnglish is Analyze for English text: folded words without stop
// words, each reduced by stemEnglish, numbers as in Analyze, and a bigram
// for each pair of adjacent kept units of a clause.
func AnalyzeEnglish(s string) []string {
	var a analyzer
	var out []string
	for _, t := range analyzeTerms(a.analyzeEnglish(s)) {
		out = append(out, t.s)
	}
	return out
}

// analyzeEnglish is the English counterpart of analyze; the result is
// valid until the next call.
func (a *analyzer) analyzeEnglish(text string) [][]unit {
	a.begin(text)
	for _, cl := range a.tokClauses {
		start := len(a.units)
		for i, t := range cl {
			switch t.kind {
			case tokPercent:
				a.units = append(a.units, unit{s: "percent"})
			case tokNumber:
				a.units = append(a.units, englishNumber(t.s))
			case tokMixed:
				a.units = appendMixedEnglish(a.units, t.s)
			case tokWord:
				if englishStop[t.s] {
					continue
				}
				w := t.s
				if v, ok := englishSynonyms[w]; ok {
					w = v
				}
				w = stemEnglish(w)
				if w == "carry" && i+1 < len(cl) && cl[i+1].s == "out" {
					w = "implement" // carried out
				}
				a.units = append(a.units, unit{s: w, raw: isASCIIWord(t.s)})
			}
		}
		if len(a.units) > start {
			a.unitBounds = append(a.unitBounds, len(a.units))
		}
	}
	return a.cutClauses()
}

func englishNumber(s string) unit {
	for len(s) > 1 && s[0] == '0' {
		s = s[1:]
	}
	return unit{s: s, num: true}
}

// appendMixedEnglish splits a token of letters and digits into its runs:
// "QH14" → qh 14, "covid19" → covid 19.
func appendMixedEnglish(out []unit, s string) []unit {
	for s != "" {
		j := 0
		digit := '0' <= s[0] && s[0] <= '9'
		for j < len(s) && ('0' <= s[j] && s[j] <= '9') == digit {
			j++
		}
		if j == 0 { // a non-ASCII rune: keep the rest as a word
			j = len(s)
		}
		switch {
		case digit:
			out = append(out, englishNumber(s[:j]))
		case !englishStop[s[:j]]:
			out = append(out, unit{s: stemEnglish(s[:j])})
		}
		s = s[j:]
	}
	return out
}

// englishStop are folded English function words, question words and the
// pieces of contractions ("women's", "don't"), dropped from English text.
var englishStop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		a an the and or but nor so yet if then than that this these those there here
		is are was were be been being am do does did done doing have has had having
		will would shall should can could may might must
		i me my mine we us our ours you your yours he him his she her hers it its
		they them their theirs one ones
		what which who whom whose when where why how
		of for to in on at by with from into onto over about as per via
		any some all each every no not also just only still very much many more most such
		s t d ll re ve m
		please tell know want like get got give given let out now`) {
		m[w] = true
	}
	return m
}()

// stemEnglish folds common English inflections so that a question and a
// text using different forms of a word meet: plurals (policies → policy,
// taxes → tax, startups → startup), -ed and -ing (approved, approving →
// approv, with approve → approv), -ation, -ative and -ator (evaluation →
// evaluat, like evaluate and evaluating), a doubled final consonant
// (planned → plan) and British -ise spellings (recognised → recognized →
// recogniz).
// It applies the same rules to text and question; its output need not be
// a word. Words of three letters or fewer are kept.
func stemEnglish(w string) string {
	if v, ok := englishIrregular[w]; ok {
		return v
	}
	if len(w) <= 3 || !isASCIIWord(w) {
		return w
	}
	// British spellings.
	switch {
	case strings.HasSuffix(w, "isation"):
		w = w[:len(w)-7] + "ization"
	case strings.HasSuffix(w, "ised"), strings.HasSuffix(w, "ises"):
		w = w[:len(w)-3] + "ze" + w[len(w)-1:]
	case strings.HasSuffix(w, "ising"):
		w = w[:len(w)-5] + "izing"
	case strings.HasSuffix(w, "ise"):
		w = w[:len(w)-3] + "ize"
	case strings.HasSuffix(w, "programme"), strings.HasSuffix(w, "programmes"):
		w = strings.Replace(w, "programme", "program", 1)
	case strings.HasSuffix(w, "centre"), strings.HasSuffix(w, "centres"):
		w = strings.Replace(w, "centre", "center", 1)
	}
	n := len(w)
	// Plurals and third person.
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		w = w[:n-3] + "y"
	case n > 4 && (strings.HasSuffix(w, "sses") || strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "xes") || strings.HasSuffix(w, "zes")):
		w = w[:n-2]
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
	case strings.HasSuffix(w, "s"):
		w = w[:n-1]
	}
	n = len(w)
	// -ed, -ing.
	cut := false
	switch {
	case n > 4 && strings.HasSuffix(w, "ied"):
		w = w[:n-3] + "y"
	case n > 4 && strings.HasSuffix(w, "eed"):
	case n > 4 && strings.HasSuffix(w, "ed"):
		w, cut = w[:n-2], true
	case n > 5 && strings.HasSuffix(w, "ing"):
		w, cut = w[:n-3], true
	}
	n = len(w)
	switch {
	case n > 6 && (strings.HasSuffix(w, "ation") || strings.HasSuffix(w, "ative")):
		w, cut = w[:n-3], false // evaluation, evaluative → evaluat, like evaluating
	case n > 6 && strings.HasSuffix(w, "ator"):
		w, cut = w[:n-2], false // coordinator → coordinat
	}
	n = len(w)
	if cut && n > 2 && w[n-1] == w[n-2] && !strings.ContainsRune("aeioulsz", rune(w[n-1])) {
		w = w[:n-1] // planned → plann → plan
	}
	if n := len(w); n > 3 && w[n-1] == 'e' && w[n-2] != 'e' {
		w = w[:n-1] // approve → approv, like approved
	}
	return w
}

// englishIrregular maps irregular forms to what stemEnglish gives their
// regular form.
var englishIrregular = map[string]string{
	"women": "woman", "children": "child", "people": "person", "men": "man",
	"won": "win", "held": "hold", "began": "begin", "begun": "begin", "paid": "pay",
	"made": "mak", "took": "tak", "taken": "tak", "led": "lead", "chose": "choos", "chosen": "choos",
}

// englishSynonyms map folded words to the word the renderings mostly use
// for the same thing, before stemming.
var englishSynonyms = map[string]string{
	"enterprise": "business", "enterprises": "business", "company": "business", "companies": "business",
	"firm": "business", "firms": "business",
	"rank": "rating", "ranks": "rating", "ranking": "rating", "ranked": "rating", "evaluate": "rating",
	"evaluation": "rating", "evaluated": "rating", "evaluating": "rating", "assess": "rating",
	"assessed": "rating", "assessing": "rating", "assessment": "rating", "assesses": "rating",
	"classification": "rating", "classify": "rating", "classified": "rating",
	"competition": "contest", "competitions": "contest", "award": "prize", "awards": "prize",
	"goal": "target", "goals": "target", "aim": "target", "aims": "target", "objective": "target", "objectives": "target",
	"entrepreneur": "startup", "entrepreneurs": "startup", "entrepreneurship": "startup", "entrepreneurial": "startup",
	"female": "woman", "borrow": "loan", "execute": "implement",
}
