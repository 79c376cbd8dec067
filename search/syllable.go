package search

import "strings"

// Syllable reports whether s, a folded token (lower case, no diacritics), can
// be a Vietnamese syllable: an optional onset followed by a rhyme from the
// tables below, respecting the spelling rules for c/k/q, g/gh and ng/ngh.
//
// The check is deliberately permissive (folding merges a/ă/â, o/ô/ơ, u/ư,
// e/ê, so "ua" stands for ua, ưa and uâ): a false "yes" only means that a
// token is not repaired or corrected; a false "no" would damage a real word.
// Letters f, j, w, z never occur; s, r and x occur only at the start.
func Syllable(s string) bool {
	_, ok := syllables[s]
	return ok
}

var onsets = strings.Fields(`b c ch d g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x`)

// rhymes lists folded rhymes (medial + nucleus + coda).
var rhymes = strings.Fields(`
a ai ao au ay am an ang anh ap at ac ach
e eo eu em en eng enh ep et ec ech
i ia iu im in inh ip it ich ieu iem ien ieng iep iet iec
y yeu yem yen yeng yet
o oi om on ong op ot oc oong ooc
u ua ui uu um un ung up ut uc uoi uou uom uon uong uop uot uoc
oa oai oao oay oam oan oang oanh oap oat oac oach
oe oeo oem oen oeng oet
ue uay uan uang uat uenh uech uo
uy uya uyu uych uynh uyt uyp uyen uyet
`)

// oongOnsets are the onsets seen with the loanword rhymes oong/ooc (xoong,
// boong, goòng, loong toong, voọc, moóc, soóc). Other onsets with "oo" are
// Telex doubling (khoong = không).
var oongOnsets = map[string]bool{"x": true, "b": true, "g": true, "l": true, "t": true, "v": true, "m": true, "s": true, "c": true, "r": true}

// yOnsets may precede the bare rhyme "y" (ý, hy, kỳ, lý, mỹ, ty, sỹ, vy, quy, thy).
var yOnsets = map[string]bool{"": true, "h": true, "k": true, "l": true, "m": true, "n": true, "t": true, "s": true, "v": true, "qu": true, "th": true, "d": true}

var syllables = func() map[string]struct{} {
	m := make(map[string]struct{}, 4096)
	for _, o := range append([]string{""}, onsets...) {
		for _, r := range rhymes {
			if spellingOK(o, r) {
				m[o+r] = struct{}{}
			}
		}
	}
	return m
}()

func spellingOK(onset, rhyme string) bool {
	first := rhyme[0]
	frontVowel := first == 'i' || first == 'e' || first == 'y'
	switch onset {
	case "k":
		if !frontVowel {
			return false
		}
	case "c":
		if frontVowel {
			return false
		}
	case "gh", "ngh":
		if first != 'i' && first != 'e' {
			return false
		}
	case "g":
		if first == 'e' || first == 'y' {
			return false
		}
	case "ng":
		if frontVowel {
			return false
		}
	case "gi":
		if first == 'i' || first == 'y' {
			return false
		}
	case "qu":
		if first == 'u' || strings.HasPrefix(rhyme, "oa") || strings.HasPrefix(rhyme, "oe") {
			return false
		}
	}
	switch {
	case rhyme == "oong" || rhyme == "ooc":
		return oongOnsets[onset]
	case rhyme == "y":
		return yOnsets[onset]
	case strings.HasPrefix(rhyme, "ye"):
		return onset == "" || onset == "qu"
	case strings.HasPrefix(rhyme, "ie"):
		return onset != ""
	case first == 'y' && onset != "" && onset != "qu":
		return false
	}
	return true
}
