// Package search is the Vietnamese text search shared by the policy question
// answerer (a few hundred to 2,000 passages) and the idea bank (up to 100,000
// ideas). It turns text typed on cheap phones — with or without diacritics,
// with Telex or VNI residue, teencode, abbreviations and a little English —
// into terms, and ranks documents with BM25F over a title and a body field.
//
// # Analysis
//
// Analyze runs the same pipeline on documents and on queries:
//
//  1. Fold: Unicode NFD, nonspacing marks dropped, lower case; đ/Đ and the
//     look-alikes Ð/ð fold to d. NFC, NFD and "composite" input (a
//     precomposed letter plus a separate tone mark) give the same result.
//     Folding is what makes "ho tro" match "hỗ trợ".
//  2. Tokens and clauses: a token is a run of letters, digits and marks.
//     "-", "/", "&", ".", ",", ":" and the like between two token characters
//     ("09/2020/NQ-HĐND", "KH&CN", "khoinghiep.quangnam.gov.vn") separate
//     tokens of one expression; other punctuation, a blank line or a spaced
//     dash starts a new clause. Markdown emphasis and quotation marks are
//     ignored, and a single line break is a space.
//  3. Numbers: leading zeros are dropped ("09" → 9), thousands separators
//     removed ("20.000" → 20000), other separators split ("23,54" → 23 54),
//     "%" reads "phần trăm", and "k", "tr", "đ" after a number read nghìn,
//     triệu, đồng. So "nghị quyết 09" and "NQ 9/2020" both reach
//     09/2020/NQ-HĐND.
//  4. Expansion (expand.go): abbreviations (KN, ĐMST, HTX, DN, SV, NQ, QĐ,
//     UBND, HĐND, KH&CN …), teencode (ko, dc, j, vs, ntn …) and English
//     (startup, loan, farmer, student, women, support, resolution, how much …)
//     become the Vietnamese syllables they stand for. Entries with two
//     readings keep the original token as an extra term ("dn"); "bn" reads
//     bạn before words such as "ơi", "có", and bao nhiêu elsewhere. English
//     function words that cannot be Vietnamese syllables ("what", "for") are
//     dropped. English keys that are also Vietnamese syllables ("loan",
//     "that") apply only in a clause with another English word.
//  5. Repair: a letter token that cannot be a Vietnamese syllable (Syllable)
//     and is not in the tables is read as keyboard residue — Telex
//     ("khoiwr" → khoi, "nghieepj" → nghiep, "ddaauf" → dau, "khoong" →
//     khong) or VNI ("kho6i3" → khoi) — when removing the keys leaves a
//     syllable. When the only change is one final s, r or x, which is also
//     how English words end ("tax", "bus"), the original is kept as an extra
//     term. Tokens mixing letters and digits that are not VNI are split
//     ("QH14" → quốc hội 14, "covid19" → covid 19).
//  6. Terms: every unit, every kept original, and a bigram "a_b" for each
//     pair of adjacent units of a clause ("khoi_nghiep", "ho_tro"). Bigrams
//     stand in for word segmentation: most Vietnamese words have two
//     syllables.
//
// The index also stores, for accented words, an accent-aware tone key (the
// word with its quality marks and a tone digit: "hòa" and "hoà" both give
// "~hoa2"), used with a low weight for accented queries (Options.ToneWeight;
// 0 turns it off and saves about a fifth of the memory).
//
// There is no stop-word list: folding merges function words with content
// words (vậy/vay, tôi/tối, cho/chợ, có/cố, bạn/bán), and IDF already
// discounts common words.
//
// An index created with Options.English analyses text as English instead
// (AnalyzeEnglish): folded and tokenised the same way, so numbers, document
// numbers and Vietnamese names give the same terms, then English stop
// words dropped and a light suffix folding (plurals, -ed, -ing, -ation,
// British -ise) and a few synonyms applied; no expansion, repair or tone
// keys, and typo correction only for words of five letters or more.
//
// # Ranking
//
// For each distinct query term t with weight w (1 for a unigram,
// Options.BigramWeight for a bigram, AltWeight for a kept original,
// ToneWeight for a tone key):
//
//	tf~   = TitleWeight·tf_title/(1−TitleB+TitleB·len_title/avg_title)
//	      + BodyWeight·tf_body/(1−BodyB+BodyB·len_body/avg_body)
//	score += w · idf(t) · tf~·(K1+1)/(K1+tf~),  idf = ln(1+(N−df+0.5)/(df+0.5))
//
// with DefaultOptions K1 = 1.2, TitleWeight = 2, TitleB = 0.5, BodyWeight = 1,
// BodyB = 0.75. Lengths count units. N, df and the average lengths are over
// live documents and are exact after any sequence of Add and Remove.
//
// Hit.Coverage is the share of the query's unigram IDF mass that a document
// contains; a query word unknown to the index counts with the IDF of a word
// in no document, so questions about things the index does not hold
// ("Bình Dương") get low coverage. The answerer refuses below a threshold,
// which has to be calibrated on its own knowledge base.
//
// The filter passed to Search runs before ranking (facets of the idea bank),
// so k hits are returned whenever k allowed documents match.
//
// # Typo correction
//
// A query token that is not in the index and cannot be a syllable (after
// repair) is replaced by an indexed word at edit distance ≤ 1 (3–4 letters)
// or ≤ 2 (5 or more; an adjacent transposition counts as one edit),
// preferring a candidate that forms an indexed bigram with a neighbour, then
// the closer, then the more frequent one. A token that can be a syllable is a
// real word more often than a typo ("lâu" must not become "lam"), so it is
// replaced only at distance 1 and only when the result forms an indexed
// bigram with a neighbour ("khởi nghiêm" → nghiệp). Tokens under three
// letters are never corrected.
//
// # Question normalisation
//
// NormalizeQuery rewrites a question for callers whose rules read its
// words rather than its terms: Telex residue repaired word by word as
// Analyze does (a repair that only drops an s, r or x, as foreign words
// end, only when another word is clearly Telex), and Central everyday words
// with diacritics read as standard (răng → sao, mô → nào/đâu, rứa → vậy,
// chừ → bây giờ, ni → này, nhiêu → bao nhiêu, chi → gì; hỉ, nhen dropped),
// each with the context rules that keep "quy mô", "mức chi", "ni lông".
//
// # Small talk
//
// SmallTalk recognises greetings, thanks, goodbyes, questions about the bot,
// bare requests for help, laughter and acknowledgements when the whole
// message is made of such phrases and fillers. Call it before Search:
// "xin chào" would otherwise match "chào bán cổ phần".
//
// # Storage
//
// A term id indexes a posting list: document deltas and per-field
// frequencies, varint-coded (about 2–3 bytes an entry). Unigrams are found by
// text; bigrams by the pair of their unigram ids, so bigram strings are never
// stored. Each document keeps its sorted term ids (delta-coded) so that
// Remove can correct document frequencies at once. Removed documents are
// tombstoned; when a quarter of the held documents are removed (and at least
// 32), every list is rewritten without them and unused terms are dropped.
//
// # Performance
//
// Measured on the 2-core development machine with
// go test -run '^$' -bench . -count 3 ./search/ (figures vary with load):
// 100,000 synthetic ideas take about 72 MB of heap (57 MB without tone
// keys) and answer top-20 with a facet filter at p50 ≈ 4 ms, p99 ≈ 11–15 ms;
// 2,000 passages of 100–300 syllables build in about 185–220 ms and answer
// at p50 ≈ 0.2 ms, p99 ≈ 0.5 ms; Fold runs at about 270 MB/s.
//
// # Caveats
//
//   - Folding merges distinct words (vay "loan" and vậy "so"; bán and bạn).
//     Bigrams and tone keys soften this; they do not remove it.
//   - Repair guesses. An English word that looks like Telex is read as
//     Vietnamese consistently in documents and queries ("tax" also gives
//     "ta"), so matching still works, with some noise. "oo" is kept only
//     after the onsets of the few loanwords that have it (xoong, boong, goòng,
//     moóc); "boongf" is read as boong, not bồng.
//   - The tables are small and hand-made. A word outside them (English
//     "exhibition" is in, "expo" is not) is an unknown word that lowers
//     Coverage. Changing the tables changes terms: rebuild indexes when
//     upgrading (they are in memory anyway).
//   - The "bn" rule and the other contextual readings are heuristics.
//   - Search calls filter while holding the read lock: filter must not call
//     Add, Remove, Search or Len on the same Index (a waiting writer would
//     deadlock it).
//   - A query is cut to its first 128 units, and at most 12 tokens per query
//     are considered for correction.
//   - Coverage counts unigrams only (Options.CoverBigrams adds bigrams); its
//     threshold depends on the knowledge base and must be measured there.
//   - An Index must be created with NewIndex or NewIndexWith; the zero value
//     is not usable. Options are read at creation and not changeable.
//   - Analysis has no notion of language other than the tables: text in
//     other scripts is folded and indexed as words, without bigram benefit
//     for scripts written without spaces.
package search
