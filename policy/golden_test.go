package policy

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qnstartup/trolykhoinghiep/locales"
)

var update = flag.Bool("update", false, "rewrite testdata/answers.golden")

// TestAnswersGolden answers every question of the evaluation sets kept
// here, rendered as the bot sends it (on a fixed day), and compares the
// whole with testdata/answers.golden: a change to ranking, condensing or
// refusals shows as a diff of what users read. Run with -update after a
// change meant to alter answers, and read the diff.
func TestAnswersGolden(t *testing.T) {
	kb := mustKB(t)
	kb.Now = func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) }
	a := New(kb, Options{})
	i18n := locales.MustLoad()
	var b strings.Builder
	for _, set := range []string{heldoutSet, freshSet, furtherSet} {
		cases, err := ReadEvalFile(set)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			ans, err := a.Answer(context.Background(), Query{Text: c.Question})
			if err != nil {
				t.Fatalf("%s: %v", c.ID, err)
			}
			b.WriteString("## " + c.ID + " " + c.Question + "\n")
			if ans.Refused {
				b.WriteString("(refused: " + ans.Reason + ")\n")
			}
			b.WriteString(Render(ans, i18n.For(ans.Lang)) + "\n\n")
		}
	}
	path := filepath.Join("testdata", "answers.golden")
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create): %v", err)
	}
	if got := b.String(); got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("answers differ from %s at line %d (run with -update and read the diff):\n got: %s\nwant: %s", path, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("answers differ from %s in length: %d lines, want %d", path, len(gl), len(wl))
	}
}
