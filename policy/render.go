package policy

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/qnstartup/trolykhoinghiep/locales"
)

// Render turns an answer into the plain text (no HTML or Markdown) sent to
// the user: the answer, a citation line with its link, and a validity line;
// or, for a refusal, a polite message offering to pass the question to
// staff. Follow-up questions are not included: the bot shows them as
// buttons.
func Render(a Answer, loc *locales.Localizer) string {
	if a.Refused {
		return renderRefusal(a, loc)
	}
	var b strings.Builder
	b.WriteString(strings.TrimSpace(a.Text))
	switch {
	case a.Mode == ModeCurated && !a.Answered.IsZero():
		b.WriteString("\n\n")
		d := a.Answered
		b.WriteString(loc.T("policy.curated_dated", map[string]any{"Date": Date{Year: d.Year(), Month: int(d.Month()), Day: d.Day()}.Display()}))
	case a.Mode == ModeCurated:
		b.WriteString("\n\n")
		b.WriteString(loc.T("policy.curated_note"))
	case a.Mode == ModeLLM:
		b.WriteString("\n\n")
		b.WriteString(loc.T("policy.llm_note"))
		b.WriteString("\n")
		b.WriteString(loc.T("policy.sources_header"))
		for i, s := range a.Sources {
			b.WriteString("\n")
			b.WriteString(loc.T("policy.source_item", map[string]any{
				"N": i + 1, "Doc": cmp.Or(s.Label, s.Doc), "Title": s.Title, "Section": s.Section,
			}))
			if s.URL != "" {
				b.WriteString("\n   " + s.URL)
			}
			b.WriteString("\n   " + Validity(s, loc))
		}
	case len(a.Sources) > 0:
		// One source line and one validity line; the link is in
		// Sources[0].URL for channels to show as a button.
		s := a.Sources[0]
		b.WriteString("\n\n")
		b.WriteString(sourceLine(s, loc))
		b.WriteString("\n")
		b.WriteString(Validity(s, loc))
	}
	return b.String()
}

// SourceLine is the one citation line of a source: "📄 Nguồn: NQ 09/2020/NQ-HĐND, mục …".
func SourceLine(s Source, loc *locales.Localizer) string { return sourceLine(s, loc) }

func sourceLine(s Source, loc *locales.Localizer) string {
	label := s.Label
	if label == "" {
		label = shortNumber(s.Doc)
	}
	return loc.T("policy.source_short", map[string]any{"Doc": label, "Section": s.Section})
}

// Validity is the line saying whether the source still applies.
func Validity(s Source, loc *locales.Localizer) string {
	period, orientation := splitPeriod(s.Period)
	data := map[string]any{"Period": period, "Orientation": orientation, "ReplacedBy": s.ReplacedBy,
		"ValidTo": displayDate(s.ValidTo), "ValidFrom": displayDate(s.ValidFrom)}
	var line string
	switch s.Status {
	case StatusInForce:
		switch {
		case s.Period != "":
			data["Period"] = s.Period
			line = loc.T("policy.validity_in_force_period", data)
		case s.ValidFrom != "":
			line = loc.T("policy.validity_in_force_from", data)
		default:
			line = loc.T("policy.validity_in_force")
		}
	case StatusPeriodEnded:
		switch {
		case orientation != "":
			line = loc.T("policy.validity_ended_orientation", data)
		case s.Period != "":
			line = loc.T("policy.validity_ended", data)
		case s.ValidTo != "":
			line = loc.T("policy.validity_ended_date", data)
		default:
			line = loc.T("policy.validity_ended_plain")
		}
	case StatusReplaced:
		line = loc.T("policy.validity_replaced", data)
	case StatusInfo:
		return loc.T("policy.validity_info")
	default:
		line = loc.T("policy.validity_unknown")
	}
	if s.Locality == "Quảng Nam" && s.Status != StatusInForce {
		line += " " + loc.T("policy.merger_note")
	}
	return line
}

// splitPeriod separates "2018–2020, định hướng đến năm 2030" into the
// period and its orientation: an orientation is not a period that ended.
func splitPeriod(p string) (period, orientation string) {
	if i := strings.Index(p, ", định hướng"); i >= 0 {
		return p[:i], strings.TrimSpace(p[i+2:])
	}
	return p, ""
}

func displayDate(s string) string {
	d, err := ParseDate(s)
	if err != nil {
		return s
	}
	return d.Display()
}

func renderRefusal(a Answer, loc *locales.Localizer) string {
	switch a.Reason {
	case ReasonEmpty:
		return loc.T("policy.refused_empty")
	case ReasonQuestionLen:
		return loc.T("policy.refused_too_long", map[string]any{"Max": MaxQuestionLen})
	case ReasonSmallTalk:
		key := "policy.smalltalk_" + a.SmallTalk
		if a.SmallTalk == "" || !loc.Has(key) {
			key = "policy.smalltalk_other"
		}
		return loc.T(key)
	case ReasonOtherPlace:
		return loc.T("policy.refused_place", map[string]any{"Place": a.Place})
	case ReasonMissing:
		// The one line saying what is missing, where we looked, the offer.
		var b strings.Builder
		b.WriteString(strings.TrimSpace(a.Text))
		if len(a.Sources) > 0 {
			b.WriteString("\n")
			b.WriteString(sourceLine(a.Sources[0], loc))
		}
		b.WriteString("\n")
		b.WriteString(loc.T("policy.missing_offer"))
		return b.String()
	}
	if a.Topic != "" {
		return loc.T("policy.refused_topic", map[string]any{"Topic": a.Topic})
	}
	return loc.T("policy.refused")
}

// RenderFollowups lists follow-up questions as text lines, for channels
// without buttons (the command line).
func RenderFollowups(a Answer, loc *locales.Localizer) string {
	if len(a.Followups) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(loc.T("policy.followups"))
	for _, f := range a.Followups {
		fmt.Fprintf(&b, "\n• %s", f)
	}
	return b.String()
}
