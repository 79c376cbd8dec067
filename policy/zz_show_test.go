package policy
import ("testing";"os";"github.com/qnstartup/trolykhoinghiep/locales")
func TestShow(t *testing.T) {
	cases, _ := ReadEvalFile(os.Getenv("SHOW"))
	a := New(mustKB(t), Options{})
	loc := locales.MustLoad().For("vi")
	for _, c := range cases {
		ans, _ := a.Answer(t.Context(), Query{Text: c.Question})
		t.Logf("\n### %s %s\n%s\n[followups: %v]", c.ID, c.Question, Render(ans, loc), ans.Followups)
	}
}
