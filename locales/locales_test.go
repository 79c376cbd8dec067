package locales

import (
	"io/fs"
	"regexp"
	"slices"
	"testing"
)

// TestSameKeys fails when a message exists in one language but not the other.
func TestSameKeys(t *testing.T) {
	b := MustLoad()
	vi, en := b.Keys("vi"), b.Keys("en")
	if len(vi) == 0 {
		t.Fatal("no Vietnamese messages loaded")
	}
	for _, k := range vi {
		if !slices.Contains(en, k) {
			t.Errorf("%s: in vi, missing in en", k)
		}
	}
	for _, k := range en {
		if !slices.Contains(vi, k) {
			t.Errorf("%s: in en, missing in vi", k)
		}
	}
}

var tmplVar = regexp.MustCompile(`\{\{\s*\.(\w+)`)

// TestRender renders every message in both languages with its template
// variables filled, and fails on an error or leftover template syntax.
func TestRender(t *testing.T) {
	b := MustLoad()
	// Every variable named in any file, so each template has what it needs.
	data := map[string]any{}
	names, _ := fs.Glob(files, "*.toml")
	for _, n := range names {
		raw, _ := files.ReadFile(n)
		for _, m := range tmplVar.FindAllStringSubmatch(string(raw), -1) {
			data[m[1]] = "x"
		}
	}
	for _, lang := range Languages {
		loc := b.For(lang)
		for _, k := range b.Keys(lang) {
			for _, count := range []int{1, 2} {
				data["Count"] = count
				s := loc.T(k, data)
				if s == "" || s == k {
					t.Errorf("%s/%s: did not render", lang, k)
				}
				if regexp.MustCompile(`\{\{|<no value>`).MatchString(s) {
					t.Errorf("%s/%s: unrendered template: %q", lang, k, s)
				}
			}
		}
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{"": "vi", "vi": "vi", "en": "en", "en-US": "en", "EN_gb": "en", "fr": "vi", "vi-VN": "vi"} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPlainCache: a message rendered without data is served again from the
// cache; one rendered with data is not cached, so the same key without
// data and with other data renders afresh; a missing key is not cached.
func TestPlainCache(t *testing.T) {
	loc := MustLoad().For("vi")
	for i := range 2 {
		if got := loc.T("common.cancel"); got != "✖️ Hủy" {
			t.Fatalf("call %d: common.cancel = %q", i, got)
		}
	}
	a := loc.T("settings.loc_keep", map[string]any{"Typed": "Tam Kỳ"})
	b := loc.T("settings.loc_keep", map[string]any{"Typed": "Hội An"})
	if a != "Giữ «Tam Kỳ»" || b != "Giữ «Hội An»" {
		t.Fatalf("with data: %q, %q", a, b)
	}
	if _, cached := loc.plain.Load("settings.loc_keep"); cached {
		t.Fatal("a message rendered with data was cached")
	}
	for range 2 {
		if got := loc.T("no.such_key"); got != "no.such_key" {
			t.Fatalf("missing key renders %q", got)
		}
	}
	if _, cached := loc.plain.Load("no.such_key"); cached {
		t.Fatal("a missing key was cached")
	}
}
