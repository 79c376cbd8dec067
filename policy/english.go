package policy

import (
	"sort"
	"strings"

	"github.com/qnstartup/trolykhoinghiep/search"
)

// English questions. Every passage's English rendering (Section.English)
// is indexed in a second index analysed as English (search.Options.English:
// stop words dropped, plurals and -ed/-ing folded). An English question is
// searched in both: the main index still matches document numbers, aliases,
// keywords and the English words the Vietnamese analyser knows; the English
// index matches the rendering's own words. The two scores are added (the
// main one weighted by viWeight) and a passage's coverage is the larger of
// the two, so refusal rules read the same way for both languages.

// viWeight weighs the main index's score of an English question against
// the English index's.
const viWeight = 0.5

func newEnglishIndex() *search.Index {
	o := search.DefaultOptions()
	o.English = true
	o.ToneWeight = 0
	return search.NewIndexWith(o)
}

// englishTitle is the title field of a passage in the English index: the
// document's number and aliases, the passage's keywords (which hold
// English forms too) and the English titles of the supports it states.
func englishTitle(d *Doc, sec Section) string {
	var b strings.Builder
	b.WriteString(d.Number)
	for _, a := range d.Aliases {
		b.WriteString(" . ")
		b.WriteString(a)
	}
	b.WriteString(" . ")
	b.WriteString(sec.Keywords)
	for _, s := range d.Supports {
		if s.Section == sec.Heading && s.TitleEN != "" {
			b.WriteString(" . ")
			b.WriteString(s.TitleEN)
		}
	}
	// The words people use to ask for the dates a passage states.
	if mentionsDate(sec.English, d.Issued) {
		b.WriteString(" . date of issue, issued, signed, adopted, approved, passed")
	}
	if mentionsDate(sec.English, d.EffectiveFrom) {
		b.WriteString(" . effective date, took effect, in force from")
	}
	return b.String()
}

// englishTiers are the words of the English renderings for the support
// tiers of NQ 09/2020 (see placeTier): searched, and boosted when cutting
// the answer (the words that tell a tier's item from the others).
var englishTiers = map[string]struct{ query, boost string }{
	tierHome:     {"festival held in Quảng Nam province", "festival held in Quảng Nam province"},
	tierDomestic: {"elsewhere in Vietnam domestic", "elsewhere in Vietnam (domestic)"},
	tierASEAN:    {"Southeast Asia", "events in Southeast Asia"},
	tierAbroad:   {"international events outside Southeast Asia", "International events outside"},
}

// english completes the analysis of an English question: the query for
// the English index (base, the question as searched with a travel
// destination removed, and the English words of the tier a named event
// location falls in and of the merger when it asks what a Quảng Nam place
// belongs to now), the tier's English words as boosted terms for cutting
// the answer from a rendering, and a foreign country asked about.
func (qi *question) english(base string) {
	var extra []string
	if qi.tier != "" {
		en := englishTiers[qi.tier]
		extra = append(extra, en.query)
		if qi.boost == nil {
			qi.boost = map[string]bool{}
		}
		for _, t := range search.Analyze(en.boost) {
			qi.boost[t] = true
		}
	}
	if qi.merged {
		extra = append(extra, "merged into Đà Nẵng city")
	}
	if qi.place != "" && !qi.destination && englishLocation(qi.folded, qi.place) && qi.eventEN() {
		// "a startup festival in Hanoi": where the event is, not whose policy.
		qi.destination = true
		base = withoutPlace(base, qi.place)
	}
	qi.queryEN = base
	if len(extra) > 0 {
		qi.queryEN += " . " + strings.Join(extra, " . ")
	}
	qi.abroad = foreignSubject(qi)
}

// searchEnglish merges the main index's hits for an English question with
// the English index's.
func (s *snapshot) searchEnglish(qi *question, hits []search.Hit) []search.Hit {
	en := s.ixEN.Search(qi.queryEN, candidates, nil)
	if len(en) == 0 {
		return hits
	}
	at := make(map[uint64]int, len(hits)+len(en))
	out := make([]search.Hit, 0, len(hits)+len(en))
	for _, h := range en {
		at[h.ID] = len(out)
		out = append(out, h)
	}
	for _, h := range hits {
		if i, ok := at[h.ID]; ok {
			out[i].Score += viWeight * h.Score
			out[i].Coverage = max(out[i].Coverage, h.Coverage)
			continue
		}
		h.Score *= viWeight
		out = append(out, h)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].ID < out[j].ID
	})
	return out[:min(len(out), candidates)]
}

// knownEnglish reports whether every term of text (words and adjacent
// pairs, analysed as English) occurs in the English renderings: a name such
// as "Women's Union" or "Central Highlands" that they mention.
func (s *snapshot) knownEnglish(text string) bool {
	ts := search.AnalyzeEnglish(text)
	for _, t := range ts {
		if s.ixEN.DocFreq(t) == 0 {
			return false
		}
	}
	return true // also when text is only stop words ("Can I")
}

// englishDomain are English words (analysed by search.AnalyzeEnglish)
// that place an English question in the domain, like domainTerms.
var englishDomain = func() map[string]bool {
	m := map[string]bool{}
	for _, t := range search.AnalyzeEnglish(`startup, OCOP, business, cooperative, household business,
		product, project, idea, innovation, innovative, scheme, resolution, decision, circular, decree,
		directive, law, plan, policy, programme, official letter, notice, TechFest, festival, fair,
		exhibition, event, booth, contest, prize, forum, investment fund, investor, loan,
		merger, merge, reorganisation, district level, commune level, province level, administrative unit,
		special zone, local government, ward, commune, area, population, Hoàng Sa,
		women, woman, student, pupil, farmer, youth, incubator, incubation, intellectual property,
		trademark, brand, funding, budget, spending, support amount, council, steering board, working group,
		science, technology, party committee, people's committee, prime minister, national assembly,
		ecosystem, rating, rural industry, rural, mountainous, slogan, portal, contact point`) {
		m[t] = true
	}
	return m
}()

// anchored reports whether the question has a domain term (see
// domainTerms), in Vietnamese or, for an English question, in English.
func (qi *question) anchored() bool {
	if hasAnchor(qi.terms) {
		return true
	}
	if qi.lang != "en" {
		return false
	}
	for _, t := range search.AnalyzeEnglish(qi.queryEN) {
		if englishDomain[t] {
			return true
		}
	}
	return false
}

// englishLocation reports whether an English question names a foreign
// place (folded) as a location — after "in", "to", "at" or "visit" (a
// fair in Thailand) — rather than as the subject of its own policies
// ("How much does Singapore give startups?").
func englishLocation(folded, place string) bool {
	i := strings.Index(folded, " "+place+" ")
	if i < 0 {
		return false
	}
	before := strings.Fields(folded[:i])
	for len(before) > 0 && before[len(before)-1] == "the" {
		before = before[:len(before)-1]
	}
	if len(before) == 0 {
		return false
	}
	switch before[len(before)-1] {
	case "in", "to", "at", "into", "visit", "visiting", "inside":
		return true
	}
	return false
}

// englishEvents (analysed as English) make a foreign place named in an
// English question the location of an event.
var englishEvents = func() map[string]bool {
	m := map[string]bool{}
	for _, t := range search.AnalyzeEnglish("event fair festival exhibition booth expo trade show conference trip delegation TechFest travel attend join") {
		m[t] = true
	}
	return m
}()

// foreignSubject returns the foreign country or city an English question
// asks about other than as the location of an event ("How much does
// Singapore give startups?"), title-cased, or "": the knowledge base has
// no other country's policies.
func foreignSubject(qi *question) string {
	words := strings.Fields(qi.folded)
	key := ""
	for i := 0; i < len(words) && key == ""; i++ {
		for n := min(3, len(words)-i); n >= 1; n-- {
			if name := strings.Join(words[i:i+n], " "); aseanPlaces[name] || abroadPlaces[name] != "" {
				key = name
				break
			}
		}
	}
	if key == "" || key == "southeast asia" || key == "asean" || englishLocation(qi.folded, key) {
		return ""
	}
	if qi.eventEN() {
		return ""
	}
	return titleCase(key)
}

// eventEN reports whether an English question names an event or a trip.
func (qi *question) eventEN() bool {
	for _, t := range search.AnalyzeEnglish(qi.text) {
		if englishEvents[t] {
			return true
		}
	}
	return false
}

func titleCase(s string) string {
	ws := strings.Fields(s)
	for i, w := range ws {
		if len(w) <= 3 && w != "bali" {
			ws[i] = strings.ToUpper(w) // UK, USA, UAE
			continue
		}
		ws[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(ws, " ")
}
