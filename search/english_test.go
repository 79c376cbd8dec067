package search

import (
	"slices"
	"testing"
)

func TestAnalyzeEnglish(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"stop words dropped", "What is the support for a booth?", []string{"support", "booth", "support_booth"}},
		{"plural", "startups", []string{"startup"}},
		{"ies plural", "policies", []string{"policy"}},
		{"es plural", "taxes", []string{"tax"}},
		{"ss kept", "business", []string{"business"}},
		{"ed and e meet", "approved approve approving", []string{"approv", "approv", "approv_approv", "approv", "approv_approv"}},
		{"doubled consonant", "planned", []string{"plan"}},
		{"British spelling", "recognised", []string{"recogniz"}},
		{"ation and ative", "innovation innovative", []string{"innovat", "innovat", "innovat_innovat"}},
		{"synonym then stem", "evaluation", []string{"rat"}},
		{"synonym", "enterprises", []string{"business"}},
		{"irregular", "women", []string{"woman"}},
		{"possessive", "Women's Union", []string{"woman", "union", "woman_union"}},
		{"carry out", "carried out", []string{"implement"}},
		{"document number", "Resolution 09/2020/NQ-HĐND", []string{"resolution", "9", "resolution_9", "2020", "9_2020", "nq", "2020_nq", "hdnd", "nq_hdnd"}},
		{"thousands and percent", "20,000 women, 51%", []string{"20000", "woman", "20000_woman", "51", "percent", "51_percent"}},
		{"Vietnamese name folded", "Quảng Nam", []string{"quang", "nam", "quang_nam"}},
		{"mixed token", "QH14", []string{"qh", "14", "qh_14"}},
		{"clause break", "support, booth", []string{"support", "booth"}},
		{"only stop words", "what is it?", nil},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AnalyzeEnglish(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("AnalyzeEnglish(%q)\n got  %q\n want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestStemEnglish(t *testing.T) {
	for in, want := range map[string]string{
		"status": "status", "analysis": "analysis", "needed": "need", "need": "need",
		"applied": "apply", "applies": "apply", "funding": "fund", "thing": "thing",
		"programmes": "program", "centre": "center", "cooperatives": "cooperat",
		"tan": "tan", "ky": "ky", "nghe": "ngh",
	} {
		if got := stemEnglish(in); got != want {
			t.Errorf("stemEnglish(%q) = %q, want %q", in, got, want)
		}
	}
}

func englishTestIndex() *Index {
	o := DefaultOptions()
	o.English = true
	ix := NewIndexWith(o)
	ix.Add(1, "Resolution 09/2020/NQ-HĐND", "Startup events in Southeast Asia: up to 50 million VND per idea, project or startup.")
	ix.Add(2, "Decision 148/QĐ-TTg", "Decision 148/QĐ-TTg sets the criteria and procedure for rating OCOP products.")
	ix.Add(3, "Scheme 939", "Scheme 939 aims to support 20,000 women to start businesses.")
	return ix
}

func TestEnglishIndexSearch(t *testing.T) {
	ix := englishTestIndex()
	tests := []struct {
		q    string
		want uint64
	}{
		{"How much for startup events in Southeast Asia?", 1},
		{"Which decision ranks OCOP products?", 2},    // synonym rank → rating
		{"How many women will be supported?", 3},      // women → woman, supported → support
		{"evaluation criterias for OCOP", 2},          // typo corrected at distance 1
		{"Resolution 9/2020 amount per project", 1},   // number without leading zero
		{"What enterprises does the scheme help?", 3}, // enterprise → business
	}
	for _, tt := range tests {
		hits := ix.Search(tt.q, 3, nil)
		if len(hits) == 0 || hits[0].ID != tt.want {
			t.Errorf("Search(%q) = %v, want %d first", tt.q, hits, tt.want)
		}
	}
	if hits := ix.Search("Sacombank mortgage", 3, nil); len(hits) != 0 {
		t.Errorf("unknown words matched %v", hits)
	}
	if ix.DocFreq("startup") != 1 || ix.DocFreq("southeast_asia") != 1 || ix.DocFreq("asia_southeast") != 0 || ix.DocFreq("visa") != 0 {
		t.Error("DocFreq of unigrams and bigrams is wrong")
	}
}
