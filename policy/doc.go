// Package policy answers questions about startup and OCOP support policies
// of Quảng Nam (since 1 July 2025 part of Đà Nẵng city) from a small
// knowledge base of Vietnamese documents, citing the document and saying
// whether it still applies, or refusing honestly.
//
// # Documents
//
// The knowledge base is a set of Markdown files compiled into the binary
// (kb/*.md), one per legal document or topic, written from the project's
// fact sheet. A directory named by KB_DIR can be loaded over them with
// (*KB).Overlay, and staff can upload a document with (*KB).Put; a document
// with the same number replaces the old one, and the change applies to the
// next question (questions being answered keep the previous snapshot).
//
// A file starts with TOML front matter between "+++" lines:
//
//	+++
//	number = "09/2020/NQ-HĐND"          # số hiệu exactly as written, or a label
//	title = "Nghị quyết quy định …"       # required
//	issuer = "HĐND tỉnh Quảng Nam"
//	issued = "2020-11-02"                # YYYY, YYYY-MM or YYYY-MM-DD
//	effective_from = "2020-11-15"
//	effective_to = "2025"                # after it, in_force counts as period_ended
//	period = "2021–2025"
//	status = "period_ended"              # in_force, period_ended, replaced, unknown, info
//	replaced_by = ""                     # required when status is replaced
//	locality = "Quảng Nam"               # Quảng Nam, Đà Nẵng or Toàn quốc
//	aliases = ["Nghị quyết 09", "NQ 09"] # other names people use
//	sources = ["https://…"]
//	+++
//
// number, title and status are required; unknown fields, bad dates, non-URL
// sources, invalid UTF-8, files over 256 KiB and files without a section
// are rejected (Parse). Material without a number (an event, figures,
// contact points) uses a descriptive label as its number, e.g.
// "TechFest Quảng Nam 2023 (sự kiện)"; evaluation files use the same labels.
//
// # Passages
//
// Each "## heading" starts a passage; text before the first heading becomes
// a passage headed "Tổng quan". Keep a passage to one cluster of facts (a
// few sentences or a short list): the answer is cut from one passage, so
// short passages give short answers. A comment "<!-- từ khóa: a, b, c -->"
// inside a passage lists words people use for its topic (synonyms,
// colloquial and English forms); they are indexed but never shown. Facts
// the sources do not give are written as explicit passages ("mức hỗ trợ …
// chưa có trong cơ sở dữ liệu; bạn liên hệ …") so that such questions get an
// honest "not known" rather than a refusal or a guess. Uncertain facts are
// written as uncertain. A line "### en" ends the Vietnamese text of a
// passage; what follows is its English rendering (Section.English), written
// from facts.md like the rest, with the same figures (English separators:
// 20,000, 23.54), used for questions asked in English.
//
// # Supports and the eligibility guide
//
// A document may declare the supports it grants as [[support]] tables at
// the end of its front matter, for the guide "Tôi được hỗ trợ gì?":
//
//	[[support]]
//	section = "Gian hàng khởi nghiệp tiêu biểu …" # heading of the passage stating it
//	title = "Gian hàng khởi nghiệp sáng tạo tiêu biểu …"
//	amount = "50 triệu đồng cho mỗi gian hàng mỗi năm" # "" = not in the knowledge base
//	value = 50000000                     # đồng, for ranking; 0 = no sum known
//	who = ["student", "farmer", "woman", "youth", "coop", "business"] # empty = anyone
//	stages = ["idea", "prototype", "registered"]                      # empty = any
//	sectors = ["agri", "tourism", "it", "industry", "other"]          # empty = any
//	areas = ["quang_nam", "da_nang", "other"]                         # empty = anywhere
//	conditions = "…"
//	apply = "…"                          # how to apply; "" = not known
//	unknown = "…"                        # what the sources leave open
//	title_en = "…"                       # and amount_en, conditions_en, apply_en, unknown_en
//
// Values are checked (Parse): a section that exists, known who/stage/
// sector/area codes, a value only with an amount. Write them from the fact
// sheet only, like the passages; the figure test covers them.
// (*KB).Guide(Profile, lang) lists every support that applies to a
// profile (who, stage, sector, area; any may be unknown), most valuable
// first — known sums by value, then supports meant for the asker's kind
// of person, documents in force, and the knowledge base's order — each as
// a Benefit with its amount, conditions, how to apply, what is not known,
// and a Source for the citation and validity lines (Validity). A support
// that depends on a profile field not given says so (Benefit.Maybe);
// Guide.Missing names the fields not given, Guide.NoSpecific says nothing
// is meant for that kind of person in particular, and Guide.Unknown
// gathers what the sources leave open. Supports of a replaced document
// give way when its successor is in the knowledge base. GuideAfter is the
// guide as it would be after an upload, and Guide.Fingerprint changes
// when what the guide shows changes: the bot compares them to offer the
// guide again. ParseProfile recognises an eligibility question ("em là
// sinh viên thì được hỗ trợ gì") and what it says about the asker.
//
// # Answering
//
// Answer first tries the Curated hook (answers saved by staff), then
// recognises small talk, then searches the passages with BM25 (package
// search; the indexed title is the document's number, title, aliases,
// issuer, the heading and the keywords; the body is the passage text; a
// question in English also searches a second index of the English
// renderings, see below). The
// hits are re-ranked: a passage matching more of the question's words
// gains; a question naming a document ("Nghị quyết 09", "QĐ 2332",
// "Decree 80/2021") raises that document's passages; one naming a document
// as the object of "triển khai"/"thực hiện" raises the passages citing it;
// a kind named without a number ("nghị định nào") raises documents of that
// kind; a question naming only Quảng Nam (or only Đà Nẵng) lowers documents
// of the other locality; a year named on its own raises passages naming it
// and lowers documents whose period ended before it. A country named as an
// event location maps to the tier the documents use (ASEAN → "khu vực Đông
// Nam Á", others → "quốc tế ngoài Đông Nam Á"), another province to "trong
// nước", a home place to "trên địa bàn tỉnh"; a question about what a
// Quảng Nam place belongs to now searches the merger.
// A question about the present ("mới nhất", "hiện nay", "giờ", "2026",
// "còn … không") lowers a replaced document whose successor is in the
// knowledge base and raises documents named as successors (replaced_by),
// unless it names the document; a question about the merger that names no
// document lowers each document's own "Còn hiệu lực không" section, so the
// merger documents lead. A yes/no question about validity ("… còn hiệu lực
// không?") starts with the answer the status gives: "Không, …" for a
// replaced document or an ended period (not for one with an orientation),
// "Có." for one within its period. Another yes/no question ("… có hỗ trợ
// gian hàng ở siêu thị không?") starts with "Có." when the sentence the
// answer leads with states every word of the asked predicate and denies
// nothing; otherwise no guess is made.
//
// A question asking several things ("bao nhiêu điểm và cơ quan nào
// cấp?", "quyết định nào …, còn ai làm thường trực …") is split into its
// parts, each with a question word (questionParts): within the passage,
// each part's best unit — one holding the kind of thing that part asks
// for, when there is one — is written in the parts' order before the rest;
// a part the answer's document does not answer, or every part of a
// question refused as a whole, is answered from its own retrieval and
// appended, citing both documents.
//
// The answer text is cut from the best passage (condense.go: a condenser
// scores the units, chooses what to keep, then writes it): the sentence, clause or
// list item that best matches the question leads (a unit holding the kind
// of thing asked — a figure for "bao nhiêu", a date for "khi nào", a person
// for "ai" — scores higher; a leading "Theo …," is dropped because the
// source line repeats it; a long sentence introducing a list, "… đặt mục
// tiêu: a; b; c" or "… có: 3 trung tâm, 9 vườn ươm và 6 quỹ", is cut into
// its intro and items, and the asked item is written first after the
// intro, the others kept; words of the question that name the passage's
// subject — its document's number, title, aliases or heading — weigh less
// than the others, so "ai ký quyết định thành lập Ban …" picks the
// sentence with "ký"; a question for a document number ("quyết định
// nào") or for who did something ("ai ký") favours such units strongly;
// a leading "Vì vậy, ", "Tuy nhiên, " is dropped), then, in their original order, the lead
// sentence, the other matching units, the list intro and every item of a
// chosen list when it fits (a scale is never cut), and any caveat, at most
// about 600 characters; a second passage of the same document joins when
// it covers rare words the first lacks. Sources list up to three documents,
// best first, with their status on the day and URL (for a button: Render
// prints one source line and one validity line, no link); Followups suggest
// neighbouring passages. A question in English (Answer.Lang "en") is
// answered from the English rendering when the passage has one; Query.Lang
// only selects the wording of Render (the bot and "ask" render an English
// question's answer and refusals in English).
//
// The language of a question is weighed word by word (lang.go): accented
// words, Vietnamese syllables that are not English words, Telex words and
// abbreviations count for Vietnamese, so "theo de an 844 to chuc can dieu
// kien gi" stays Vietnamese; English words that cannot be syllables count
// for English, and names little. An English question is also searched in
// a second index over the English renderings, analysed as English
// (search.Options.English: stop words, plurals, -ed/-ing and a few
// synonyms folded); the scores are added and coverage is the larger of
// the two (english.go). English domain words anchor it, names the
// renderings mention are known, and a foreign country named other than as
// an event location ("How much does Singapore give startups?") is another
// place.
//
// # Metadata
//
// Answers name a document by Doc.Label: its number without a trailing
// parenthetical, and without a kind suffix its own text never writes when
// the text cites it in a shorter form ("QĐ 377" for "QĐ 377/QĐ-BNN
// (17/01/2025)", which the fact sheet writes "QĐ 377 (17/1/2025)"); the
// JSON "doc" field and evaluation files keep the number as declared. Only a
// document in force within a declared period is shown "✅ … đang trong
// giai đoạn áp dụng"; one in force without a period is "chưa xác định". A
// period with an orientation ("2018–2020, định hướng đến năm 2030") is
// never called ended as a whole: not by Validity, by the yes/no lead, nor
// in what the language model is told.
//
// # Refusal
//
// A question is refused when the best passage covers less than
// DefaultMinCoverage of the question's weight (half that when the question
// names the document; noAnchorCoverage when no domain word such as khởi
// nghiệp, OCOP, doanh nghiệp, đề án, sáp nhập appears in it;
// unknownNameCoverage when it names something, like "Shark Tank", that the
// knowledge base never mentions); when it names another province or city
// and the passage does not mention that place — with its diacritics when
// the question wrote them, as "Gia Lai" is not "giá lại" — (unless the
// place is a travel destination: "đi hội chợ ở Thái Lan"; a foreign
// country counts as one only beside event words); when it asks about a topic
// (a bank, a tax incentive, insurance, another fund or programme — see
// topics) that none of the well-matching passages mentions, or names a
// brand or acronym ("Agribank", "NAFOSTED", or in a Vietnamese question a
// lower-case word that is no Vietnamese syllable, like "shopee", and not a
// known word with a letter missing) the knowledge base never mentions,
// or an organisation ("báo …", "đại học …", "công ty …") or a law ("luật
// đất đai") the passage does not name, or a year that no passage mentions
// and the passage's document does not reach ("TechFest năm 2027")
// (Answer.Topic says what, and Render says "không có thông tin về
// …"); and when it is empty, too long or small talk. When the best unit of
// the chosen passage says the asked detail is not in the knowledge base,
// the answer is a refusal with Reason "missing" whose Text is that line
// first, then what the passage does say, and whose Sources cite where it
// says so. A question wrapped in other talk ("chào ad, mình là
// …") is retried clause by clause, then as its last clause with the
// domain words of the talk before it, before refusing. Before any of this
// the question goes through search.NormalizeQuery (Telex residue, Central
// words such as răng, mô, chừ, nhiêu), and a word the knowledge base knows
// with one letter fewer ("techfesst") is respelt, so the rules above read
// the words the documents use. Render turns a refusal into a polite
// message offering to pass the question to staff.
//
// # LLM
//
// With Options.LLM and Query.AllowLLM, the top passages (never anything
// about the user; e-mail addresses, phone and ID numbers are removed from
// the question) are sent to an OpenAI-compatible chat model with a fixed
// Vietnamese system prompt that treats passages and question as data. The
// reply must cite passages as [1], [2]…; otherwise, and on any error or
// timeout (429, 5xx and transport errors are retried with backoff), the
// retrieval answer is used, as it is when the reply contains a figure that
// none of the passages sent (nor the question) contains. With an embedding model, retrieval is hybrid:
// BM25 top 20 and cosine top 20 fused by reciprocal rank fusion (k = 60),
// passage vectors cached through Options.Vectors under a hash of model and
// text; BM25 alone on any failure. Refusal still uses BM25 coverage.
//
// # Command line
//
// RunAsk implements "ask [-json] question" and "ask -json -" (one question
// per line in, one JSON object per line out); RunEval implements
// "eval FILE.tsv" (top-1/top-3 document accuracy, MRR, must-contain, the
// must-contain phrase within the first 160 characters, refusal accuracy and
// English questions answered in English, overall and per style; a
// "missing" refusal citing the expected document counts as an answer).
//
// # Caveats
//
//   - The knowledge base is only as current as its documents: statuses are
//     declared, except that an in_force document past its effective_to
//     counts as period_ended. Review them when new policies appear, in
//     particular a Đà Nẵng successor to NQ 09/2020.
//   - Retrieval is lexical: a question using none of a passage's words (or
//     its keywords) will not find it. Add keywords rather than special
//     cases.
//   - Place detection knows the provinces and a few countries by name; a
//     question about another place that names none of them is judged on
//     coverage alone.
//   - A question about a related programme the knowledge base lacks
//     ("quỹ đổi mới công nghệ quốc gia", "khuyến công") shares many words
//     with real passages and may be answered from a loosely related one
//     rather than refused; the citation line shows which document it is.
//   - Passages are analysed for answer-cutting lazily (in the background
//     after each rebuild), so the first questions after start-up may be a
//     little slower.
package policy
