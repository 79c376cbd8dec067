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
// written as uncertain.
//
// # Answering
//
// Answer first tries the Curated hook (answers saved by staff), then
// recognises small talk, then searches the passages with BM25 (package
// search; the indexed title is the document's number, title, aliases,
// issuer, the heading and the keywords; the body is the passage text). The
// hits are re-ranked: a passage matching more of the question's words
// gains; a question naming a document ("Nghị quyết 09", "QĐ 2332",
// "Decree 80/2021") raises that document's passages; one naming a document
// as the object of "triển khai"/"thực hiện" raises the passages citing it;
// a kind named without a number ("nghị định nào") raises documents of that
// kind; a question naming only Quảng Nam (or only Đà Nẵng) lowers documents
// of the other locality. The answer text is the best passage cut down to
// the sentences that match the question (plus the lead sentence, the
// introduction of a chosen list item and any caveat next to a chosen
// sentence), at most about 600 characters; a second passage of the same
// document joins when it covers rare words the first lacks. Sources list up
// to three documents, best first, with their status on the day; Followups
// suggest neighbouring passages. Query.Lang only selects the wording of
// Render; the answer text is in Vietnamese, the language of the documents.
//
// # Refusal
//
// A question is refused when the best passage covers less than
// DefaultMinCoverage of the question's weight (half that when the question
// names the document; noAnchorCoverage when no domain word such as khởi
// nghiệp, OCOP, doanh nghiệp, đề án, sáp nhập appears in it;
// unknownNameCoverage when it names something, like "Shark Tank", that the
// knowledge base never mentions); when it names another province or city
// and the passage does not mention that place (unless the place is a
// travel destination: "đi hội chợ ở Thái Lan"); and when it is empty, too
// long or small talk. A question wrapped in other talk ("chào ad, mình là
// …") is retried clause by clause before refusing. Render turns a refusal
// into a polite message offering to pass the question to staff.
//
// # LLM
//
// With Options.LLM and Query.AllowLLM, the top passages (never anything
// about the user; e-mail addresses, phone and ID numbers are removed from
// the question) are sent to an OpenAI-compatible chat model with a fixed
// Vietnamese system prompt that treats passages and question as data. The
// reply must cite passages as [1], [2]…; otherwise, and on any error or
// timeout (429, 5xx and transport errors are retried with backoff), the
// retrieval answer is used. With an embedding model, retrieval is hybrid:
// BM25 top 20 and cosine top 20 fused by reciprocal rank fusion (k = 60),
// passage vectors cached through Options.Vectors under a hash of model and
// text; BM25 alone on any failure. Refusal still uses BM25 coverage.
//
// # Command line
//
// RunAsk implements "ask [-json] question" and "ask -json -" (one question
// per line in, one JSON object per line out); RunEval implements
// "eval FILE.tsv" (top-1/top-3 document accuracy, MRR, must-contain and
// refusal accuracy, overall and per style).
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
