package search

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{
		"Nghị quyết 09/2020/NQ-HĐND, mức hỗ trợ 20.000 đồng; 23,54 tỷ",
		"khoiwr nghieepj ddaauf kho6i3 d9u7o7c5",
		"ho tro bn tien v",
		"How much can a startup receive?",
		"Kho\u031b\u0309i nghie\u0302\u0323p \u00d0\u00e0",
		"**8 triệu** 51% 500k KH&CN",
		"a\xffb\xc0",
		"xin chào =)) 😂",
		"1.000.000,5 0009 0",
		"İ ǅ ẞ ﬁ Ω K",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		terms := Analyze(s)
		for _, term := range terms {
			if term == "" {
				t.Fatalf("empty term from %q", s)
			}
			if !utf8.ValidString(term) {
				t.Fatalf("invalid UTF-8 term %q from %q", term, s)
			}
			if strings.ContainsAny(term, " \t\n") {
				t.Fatalf("term with space %q from %q", term, s)
			}
		}
		folded := Fold(s)
		if !utf8.ValidString(folded) {
			t.Fatalf("Fold(%q) = %q is not valid UTF-8", s, folded)
		}
		if again := Fold(folded); again != folded {
			t.Fatalf("Fold not idempotent: %q → %q → %q", s, folded, again)
		}
		_, _ = SmallTalk(s)
	})
}
