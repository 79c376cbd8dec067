package search

import "strings"

// SmallTalk reports whether text is small talk rather than a question:
// a greeting ("xin chào", "hello"), thanks ("cảm ơn nhé"), a goodbye
// ("tạm biệt"), a question about the bot ("bạn là ai"), a request for help
// with no topic ("giúp mình với", "bạn làm được gì"), laughter ("hihi",
// "=))") or an acknowledgement ("ok", "dạ vâng"). kind is one of "greeting",
// "thanks", "bye", "who", "help", "laugh", "ack".
//
// The whole message must be made of such phrases and of fillers (particles
// such as ạ, nhé, ơi and forms of address such as bạn, em, ad), so
// "xin chào, cho mình hỏi mức hỗ trợ" and "chào bán cổ phần" are not small
// talk. When several kinds occur, the first in the order above, after "who"
// and "help", wins ("ok cảm ơn" is thanks).
func SmallTalk(text string) (kind string, ok bool) {
	f := Fold(text)
	var words []string
	for _, c := range tokenize(f) {
		for _, t := range c {
			words = append(words, t.s)
		}
	}
	emo := emoticonKind(text)
	if len(words) == 0 {
		if emo != "" {
			return emo, true
		}
		return "", false
	}
	if len(words) > 12 {
		return "", false
	}
	found := map[string]bool{}
	if emo != "" {
		found[emo] = true
	}
	for i := 0; i < len(words); {
		if n, k := matchPhrase(words[i:]); n > 0 {
			found[k] = true
			i += n
			continue
		}
		if n := matchFiller(words[i:]); n > 0 {
			i += n
			continue
		}
		if isLaugh(words[i]) {
			found["laugh"] = true
			i++
			continue
		}
		return "", false
	}
	for _, k := range smallTalkOrder {
		if found[k] {
			return k, true
		}
	}
	return "", false
}

var smallTalkOrder = []string{"who", "help", "thanks", "bye", "greeting", "laugh", "ack"}

// smallTalkPhrases are folded phrases by kind; longer phrases are tried
// first.
var smallTalkPhrases = map[string][]string{
	"greeting": {
		"xin chao", "chao", "chao buoi sang", "chao buoi chieu", "chao buoi toi", "hello", "helo",
		"hellu", "hi", "hii", "hey", "alo", "a lo", "good morning", "good afternoon",
		"good evening", "xin chao ca nha", "chao moi nguoi", "hi there", "yo",
	},
	"thanks": {
		"cam on", "xin cam on", "camon", "cam ont", "thanks", "thank", "thank you", "thank u",
		"thanks you", "thx", "tks", "tk u", "many thanks", "da ta", "cam on nhieu", "cam on nhe",
	},
	"bye": {
		"tam biet", "bye", "bye bye", "bai", "bai bai", "pp", "goodbye", "good bye", "see you",
		"hen gap lai", "chuc ngu ngon", "ngu ngon", "good night", "gnight",
	},
	"who": {
		"ban la ai", "may la ai", "bot la ai", "em la ai", "ban la gi", "day la ai", "ai vay",
		"ai day", "ai the", "who are you", "what are you", "ban ten gi", "ban ten la gi",
		"ten ban la gi", "ten gi", "ban la nguoi hay may", "ban la nguoi that khong",
		"ban la robot", "ban la bot", "ban co phai la nguoi khong", "ban co phai nguoi that khong",
		"day la bot gi", "bot gi vay", "ai tao ra ban", "ai lam ra ban",
	},
	"help": {
		"help", "giup", "giup voi", "giup minh voi", "giup toi voi", "giup em voi", "tro giup",
		"huong dan", "huong dan di", "ban lam duoc gi", "ban giup duoc gi", "ban co the lam gi",
		"ban lam gi", "ban biet gi", "what can you do", "menu", "bat dau", "start",
		"ban giup gi duoc", "ban co the giup gi",
	},
	"ack": {
		"ok", "oke", "okie", "oki", "okay", "okela", "okk", "uh", "uhm", "um", "u", "uk", "uki",
		"da", "vang", "da vang", "duoc roi", "dc roi", "roi", "hieu roi", "biet roi", "tot",
		"good", "great", "nice", "cool", "tuyet", "tuyet voi", "hay qua", "hay", "yes", "yep",
		"co", "khong sao", "ko sao", "dung roi", "chuan", "ok luon",
	},
}

// fillers may surround small-talk phrases.
var fillers = []string{
	"a", "nha", "nhe", "nhen", "nho", "ha", "hen", "oi", "vay", "the", "v", "z", "ne", "nhi",
	"bot", "ad", "admin", "shop", "ban", "bn", "em", "anh", "chi", "minh", "toi", "tui",
	"moi nguoi", "ca nha", "tro ly", "nhieu", "lam", "rat", "nhe ban", "so much", "very much",
	"a lot", "you", "u", "so", "qua", "nhieu nhe", "luon", "nha ban", "ah", "oh", "o",
}

type phrase struct {
	words []string
	kind  string
}

var (
	phraseList = buildPhrases()
	fillerList = buildFillers()
)

func buildPhrases() []phrase {
	var out []phrase
	for _, k := range smallTalkOrder {
		for _, p := range smallTalkPhrases[k] {
			out = append(out, phrase{strings.Fields(p), k})
		}
	}
	// Longest first so "cam on nhieu" beats "cam on".
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j].words) > len(out[j-1].words); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func buildFillers() [][]string {
	var out [][]string
	for _, f := range fillers {
		out = append(out, strings.Fields(f))
	}
	return out
}

func hasPrefixWords(words, p []string) bool {
	if len(p) > len(words) {
		return false
	}
	for i := range p {
		if words[i] != p[i] {
			return false
		}
	}
	return true
}

func matchPhrase(words []string) (int, string) {
	for _, p := range phraseList {
		if hasPrefixWords(words, p.words) {
			return len(p.words), p.kind
		}
	}
	return 0, ""
}

func matchFiller(words []string) int {
	best := 0
	for _, f := range fillerList {
		if len(f) > best && hasPrefixWords(words, f) {
			best = len(f)
		}
	}
	return best
}

// isLaugh recognises "haha", "hihi", "hehe", "kkk", "hihihi", "lol", "kaka".
func isLaugh(w string) bool {
	switch w {
	case "lol", "lmao", "haha", "hihi", "hehe", "hoho", "huhu", "kaka", "keke", "hjhj", "hix", "hic":
		return true
	}
	if len(w) >= 3 && strings.Trim(w, "k") == "" {
		return true
	}
	if len(w) < 4 || len(w)%2 != 0 {
		return false
	}
	for i := 0; i+1 < len(w); i += 2 {
		switch w[i : i+2] {
		case "ha", "he", "hi", "ho", "hj", "ka", "ke", "kh":
		default:
			return false
		}
	}
	return true
}

// emoticonKind recognises emoji and emoticons: 😂 and "=))" laugh, 👍 ack,
// 🙏 and ❤ thanks, 👋 greeting.
func emoticonKind(text string) string {
	switch {
	case strings.Contains(text, ":))") || strings.Contains(text, "=))") || strings.Contains(text, ":D") ||
		strings.Contains(text, "=D"):
		return "laugh"
	}
	for _, r := range text {
		switch r {
		case '😂', '🤣', '😆', '😄', '😁', '😅', '😹':
			return "laugh"
		case '👍', '👌', '🆗', '✅':
			return "ack"
		case '🙏', '❤', '💖', '💕', '🥰', '😘', '🌹':
			return "thanks"
		case '👋':
			return "greeting"
		}
	}
	return ""
}
