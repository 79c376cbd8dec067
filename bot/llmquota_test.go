package bot_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	. "github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/store"
	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
)

// policyQuestions are questions the knowledge base answers (so the model
// may write them), each different so none is a repeat.
func policyQuestion(i int) string {
	return fmt.Sprintf("tham gia ngay hoi khoi nghiep duoc ho tro bao nhieu (lan %d)", i)
}

func (f *fakeLLM) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// statuses counts a user's questions by status.
func (h *harness) statuses(user int64) map[string]int {
	h.t.Helper()
	out := map[string]int{}
	h.st.View(func(tx *store.Tx) error {
		for id := uint64(1); ; id++ {
			q, err := tx.Question(id)
			if err != nil {
				return nil
			}
			if q.UserID == user {
				out[q.Status]++
			}
		}
	})
	return out
}

// The daily limit is reserved when a question is queued: fast questions
// cannot outrun it while the model is still writing.
func TestLLMQuotaReservedWhenQueued(t *testing.T) {
	f := &fakeLLM{delay: 300 * time.Millisecond}
	h := newLLMHarnessTimeout(t, f, 5*time.Second, func(o *Options) {
		o.Features.LLMPerDay, o.Features.AnswerTimeout = 2, 5*time.Second
	})
	for i := range 15 {
		h.send(lan, policyQuestion(i))
	}
	// Every question is answered: two by the model, the rest at once from
	// the documents.
	if !h.srv.WaitFor(10*time.Second, func(s *telegramtest.Server) bool { return h.statuses(lan.ID)[store.QuestionPending] == 0 }) {
		t.Fatalf("answers still pending: %v", h.statuses(lan.ID))
	}
	if n := f.callCount(); n > 2 {
		t.Fatalf("15 questions made %d model calls with a daily limit of 2", n)
	}
	if n := h.srv.SentTo(lan.ID); n != 15 {
		t.Errorf("lan got %d answers to 15 questions", n)
	}
}

// One user waits for at most two model answers at a time; more questions
// are answered at once from the documents.
func TestLLMAtMostTwoPendingPerUser(t *testing.T) {
	f := &fakeLLM{delay: 30 * time.Second}
	h := newLLMHarnessTimeout(t, f, 60*time.Second, func(o *Options) { o.Features.AnswerTimeout = 60 * time.Second })
	for i := range 5 {
		h.send(lan, policyQuestion(i))
	}
	st := h.statuses(lan.ID)
	if st[store.QuestionPending] != MaxPendingLLM || st[store.QuestionAnswered] != 3 {
		t.Fatalf("statuses %v, want %d pending and 3 answered", st, MaxPendingLLM)
	}
	if n := h.srv.SentTo(lan.ID); n != 3 {
		t.Fatalf("lan got %d immediate answers, want 3", n)
	}
	// Another user is not held back by Lan's pending answers.
	h.send(tom, policyQuestion(99))
	if st := h.statuses(tom.ID); st[store.QuestionPending] != 1 {
		t.Fatalf("tom's question: %v", st)
	}
}

// LLM_PER_DAY_TOTAL caps model answers over all users.
func TestLLMDailyTotal(t *testing.T) {
	f := &fakeLLM{}
	h := newLLMHarnessTimeout(t, f, 5*time.Second, func(o *Options) {
		o.Features.LLMPerDayTotal, o.Features.AnswerTimeout = 3, 5*time.Second
	})
	for i, u := range []telegramtest.User{lan, tom, mai, lan, tom, mai} {
		h.send(u, policyQuestion(i))
		if !h.srv.WaitFor(10*time.Second, func(s *telegramtest.Server) bool { return h.statuses(u.ID)[store.QuestionPending] == 0 }) {
			t.Fatalf("answer pending")
		}
	}
	if n := f.callCount(); n != 3 {
		t.Fatalf("%d model calls, want the day's total of 3", n)
	}
	var modes []string
	h.st.View(func(tx *store.Tx) error {
		for id := uint64(1); id <= 6; id++ {
			q, _ := tx.Question(id)
			modes = append(modes, q.Mode)
		}
		return nil
	})
	if want := []string{"llm", "llm", "llm", "retrieval", "retrieval", "retrieval"}; !slices.Equal(modes, want) {
		t.Errorf("modes %v, want %v", modes, want)
	}
}

func TestRoundRobin(t *testing.T) {
	q := func(id uint64, user int64) *store.Question { return &store.Question{ID: id, UserID: user} }
	ids := func(qs []*store.Question) []uint64 {
		var out []uint64
		for _, q := range qs {
			out = append(out, q.ID)
		}
		return out
	}
	in := []*store.Question{q(1, 7), q(2, 7), q(3, 7), q(4, 8), q(5, 9), q(6, 8)}
	if got, want := ids(RoundRobin(in, nil)), []uint64{1, 4, 5, 2, 6, 3}; !slices.Equal(got, want) {
		t.Errorf("roundRobin = %v, want %v", got, want)
	}
	// A user with an answer being written goes after those without.
	if got, want := ids(RoundRobin(in, map[int64]int{7: 1})), []uint64{4, 5, 1, 6, 2, 3}; !slices.Equal(got, want) {
		t.Errorf("roundRobin with 7 busy = %v, want %v", got, want)
	}
	if got := RoundRobin(nil, nil); len(got) != 0 {
		t.Errorf("RoundRobin(nil) = %v", got)
	}
}
