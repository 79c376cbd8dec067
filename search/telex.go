package search

// Repair of keyboard residue. A Vietnamese keyboard that is switched off (or a
// phone that drops the composition) leaves the keys that should have become
// marks inside the word: Telex "khoiwr" for khởi, "nghieepj" for nghiệp,
// "ddaauf" for đầu; VNI "kho6i3" for khởi. After folding, those keys cannot
// occur in a syllable, so removing them recovers the folded syllable.

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

// repairTelex returns the syllable a Telex-typed token stands for. tok must
// be folded ASCII letters that are not a syllable already. weak reports that
// the only change was dropping one final s, r or x, which is also how many
// English words end ("tax", "bus", "car"); the caller then keeps the
// original as an extra term.
func repairTelex(tok string) (out string, weak, ok bool) {
	if len(tok) < 2 || len(tok) > 12 {
		return "", false, false
	}
	b := make([]byte, 0, len(tok))
	start := 0
	if len(tok) > 2 && tok[0] == 'd' && tok[1] == 'd' {
		b = append(b, 'd')
		start = 2
	}
	seenVowel := false
	strong := start == 2 // a leading dd is Telex for đ
	finalOnly := 0       // s, r or x removed as the last letter
	hasW := false
	for i := start; i < len(tok); i++ {
		c := tok[i]
		switch {
		case c == 'f' || c == 'j' || c == 'z' || c == 'w':
			hasW = hasW || c == 'w'
			strong = true
			continue
		case (c == 's' || c == 'r' || c == 'x') && seenVowel:
			if i == len(tok)-1 {
				finalOnly++
			} else {
				strong = true
			}
			continue
		}
		if isVowel(c) {
			seenVowel = true
		}
		b = append(b, c)
	}
	// Candidates: as is, then with doubled vowels collapsed (Telex â ê ô).
	cand := string(b)
	collapsed := collapseDoubles(b)
	switch {
	case cand != tok && Syllable(cand):
		out = cand
	case Syllable(collapsed):
		out = collapsed
	case hasW:
		// A lone w is Telex for ư: "nhwng" → nhưng.
		u := collapseDoubles([]byte(wToU(tok, start)))
		if Syllable(u) {
			return u, false, true
		}
		return "", false, false
	default:
		return "", false, false
	}
	weak = !strong && finalOnly == 1 && out == cand
	return out, weak, true
}

// wToU redoes the removal of repairTelex with w read as u.
func wToU(tok string, start int) string {
	b := make([]byte, 0, len(tok))
	if start == 2 {
		b = append(b, 'd')
	}
	seenVowel := false
	for i := start; i < len(tok); i++ {
		c := tok[i]
		switch {
		case c == 'f' || c == 'j' || c == 'z':
			continue
		case (c == 's' || c == 'r' || c == 'x') && seenVowel:
			continue
		case c == 'w':
			c = 'u'
		}
		if isVowel(c) {
			seenVowel = true
		}
		b = append(b, c)
	}
	return string(b)
}

func collapseDoubles(b []byte) string {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if (c == 'a' || c == 'e' || c == 'o') && i+1 < len(b) && b[i+1] == c {
			continue
		}
		out = append(out, c)
	}
	return string(out)
}

// repairVNI returns the syllable a VNI-typed token (letters with the tone and
// quality digits 0–9 inside or after them, "kho6i3", "d9i") stands for. tok
// must be folded ASCII and start with a letter.
func repairVNI(tok string) (string, bool) {
	if len(tok) < 2 || len(tok) > 14 || !isASCIILetter(tok[0]) {
		return "", false
	}
	b := make([]byte, 0, len(tok))
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		switch {
		case '0' <= c && c <= '9':
		case isASCIILetter(c):
			b = append(b, c)
		default:
			return "", false
		}
	}
	s := string(b)
	if Syllable(s) {
		return s, true
	}
	// VNI digits can also follow a Telex slip (rare); try once more.
	if r, _, ok := repairTelex(s); ok {
		return r, true
	}
	return "", false
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' }
