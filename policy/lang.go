package policy

import (
	"strings"
	"unicode"

	"github.com/qnstartup/trolykhoinghiep/search"
)

// questionLang returns "en" for a question written in English, else "vi".
//
// Each word is evidence for one language or neither: a word with
// Vietnamese letters, or a Vietnamese syllable that is not an English word
// ("theo", "chuc", "dieu"), or a repaired Telex word, counts for
// Vietnamese; an English word that cannot be a Vietnamese syllable
// ("what", "support", "tax") counts for English, and a word that is
// neither a syllable nor an abbreviation ("Sacombank", "holiday") counts
// half. English words that are also Vietnamese syllables without
// diacritics ("to", "can", "an", "do", "the") count a quarter, and names
// (capitalised words after the first, place names) a quarter for
// Vietnamese, so that typed-without-diacritics Vietnamese stays Vietnamese
// and an English question naming Quảng Nam or Tam Kỳ stays English.
func questionLang(text string) string {
	words := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) })
	en, vi := 0.0, 0.0
	for i, w := range words {
		f := search.Fold(w)
		name := (i > 0 && startsUpper(w)) || placeWords[f]
		ascii := !hasNonASCII(w)
		syl := search.Syllable(f)
		english := englishHints[f] || englishWords[f] || search.EnglishWord(f)
		switch {
		case name && !(ascii && english && !syl):
			vi += 0.25
		case !ascii:
			vi++ // a Vietnamese letter
		case english && search.ChatEnglish(f):
			en += 0.25 // "hotline", "center": Vietnamese chat uses them too
		case english && !syl:
			en++
		case english:
			en += 0.25 // also a Vietnamese syllable
		case syl:
			vi++
		case search.Shorthand(f) || telexWord(f):
			vi += 0.5 // ubnd, ko, dc; khoiwr
		default:
			en += 0.5 // a word of neither table: an English word or a name
		}
	}
	if en >= 1 && en > vi {
		return "en"
	}
	return "vi"
}

// telexWord reports whether a word is a Vietnamese syllable typed with
// Telex or VNI keys ("khoiwr", "nghieepj"), as the analyser repairs it.
func telexWord(f string) bool {
	ts := search.Analyze(f)
	return len(ts) > 0 && ts[0] != f && search.Syllable(ts[0])
}

// englishWords are common English words of questions that the analyser's
// English table lacks.
var englishWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		a an be been being am do does did done have has had can could may might must shall should will would
		i me my we us our you your he him his she her it its they them their this that these those
		there here not no yes if or but so than then also only still ever
		rate rates holiday holidays offer offers give gives gave need needs needed apply applies
		former belong belongs belonged long valid force signed sign held hold name named called
		require required requirement requirements allowed allow possible get gets got much many
		help helps find found know tell show list explain mean means meaning happen happened
		first last next current latest new old same other another own
		people person team teams founder founders member members office offices official
		price prices fee fees rule rules right rights work permit visa visas patent patents
		bank banks insurance scholarship scholarships airport weather hours opening open
		year years day days week weeks time times place places city country countries`) {
		m[w] = true
	}
	return m
}()

// placeWords are the words of the place names the answerer knows: in an
// English question they are names, weak evidence for Vietnamese.
var placeWords = func() map[string]bool {
	m := map[string]bool{}
	add := func(name string) {
		for _, w := range strings.Fields(name) {
			m[w] = true
		}
	}
	for _, p := range homePlaces {
		add(p)
	}
	for p := range otherPlaces {
		add(p)
	}
	return m
}()
