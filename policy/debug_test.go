package policy

import (
	"context"
	"os"
	"strings"
	"testing"
)

// TestDebugQuery prints the ranking for the questions in $POLICY_Q (one per
// line); it is skipped when the variable is unset.
func TestDebugQuery(t *testing.T) {
	qs := os.Getenv("POLICY_Q")
	if qs == "" {
		t.Skip("set POLICY_Q to inspect rankings")
	}
	kb := mustKB(t)
	a := New(kb, Options{})
	snap := kb.snap.Load()
	for _, q := range strings.Split(qs, "\n") {
		hits := snap.ix.Search(q, 8, nil)
		t.Logf("Q: %s", q)
		for _, h := range hits {
			p := snap.passages[h.ID]
			t.Logf("  %6.2f cov %.2f  %s | %s", h.Score, h.Coverage, p.doc.Number, p.doc.Sections[p.sec].Heading)
		}
		ans, _ := a.Answer(context.Background(), Query{Text: q})
		t.Logf("  => refused=%v reason=%s text=%q", ans.Refused, ans.Reason, ans.Text)
	}
}
