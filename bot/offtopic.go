package bot

import (
	"strings"
	"unicode"

	"github.com/qnstartup/trolykhoinghiep/search"
)

// offTopic reports whether a question the knowledge base does not cover is
// plainly outside startup support — the weather, gold and currency prices,
// the lottery, football, a request for a joke — or is no question at all
// (keyboard mashing, only digits and signs). Such messages get a friendly
// line from the bot and are never offered to staff.
func offTopic(text string) bool {
	f := " " + strings.Join(strings.FieldsFunc(search.Fold(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ") + " "
	for _, p := range offTopicPhrases {
		if strings.Contains(f, " "+p+" ") {
			return true
		}
	}
	return gibberish(f)
}

// offTopicPhrases are folded phrases that mark a message as off-topic.
var offTopicPhrases = []string{
	"thoi tiet", "du bao thoi tiet", "troi mua", "co mua khong", "nhiet do hom nay", "bao so",
	"gia vang", "vang sjc", "vang 9999", "ty gia", "gia do la", "gia usd", "gia bitcoin", "bitcoin",
	"xo so", "vietlott", "so de", "lo de", "ket qua xo so",
	"bong da", "ty so", "world cup", "ngoai hang anh", "lich thi dau",
	"ke chuyen cuoi", "chuyen cuoi", "truyen cuoi", "ke chuyen vui", "hat mot bai", "lam tho",
	"weather", "gold price", "exchange rate", "lottery", "football", "tell me a joke", "joke",
}

// gibberish reports whether a folded text has no word in it: only digits
// and signs, or letter runs that are neither Vietnamese syllables nor
// look like words of any language.
func gibberish(folded string) bool {
	words := strings.Fields(folded)
	for _, w := range words {
		if strings.IndexFunc(w, unicode.IsLetter) < 0 {
			continue
		}
		if len(w) < 3 || search.Syllable(w) || wordLike(w) {
			return false
		}
	}
	return true // no letters at all, or none word-like
}

// wordLike reports whether a token could be a word: it has a vowel, no run
// of four consonants and no letter four times in a row.
func wordLike(w string) bool {
	vowels, run, same := 0, 0, 1
	for i := 0; i < len(w); i++ {
		ch := w[i]
		if i > 0 && ch == w[i-1] {
			same++
			if same >= 4 {
				return false
			}
		} else {
			same = 1
		}
		if strings.IndexByte("aeiouy", ch) >= 0 {
			vowels++
			run = 0
			continue
		}
		if ch >= '0' && ch <= '9' {
			run = 0
			continue
		}
		run++
		if run >= 4 {
			return false
		}
	}
	return vowels > 0
}
