package bot_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	. "github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/policy"
	"github.com/qnstartup/trolykhoinghiep/telegram/telegramtest"
)

// fakeLLM is an OpenAI-compatible chat server over real HTTP: the bot's
// answerer reaches it through the real go-openai client.
type fakeLLM struct {
	mu      sync.Mutex
	delay   time.Duration
	gate    chan struct{} // if set, a request waits until it is closed
	prompts []string      // every message content of every request
	calls   int
}

func (f *fakeLLM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.calls++
	delay, gate := f.delay, f.gate
	var req struct {
		Messages []struct{ Content string } `json:"messages"`
	}
	json.Unmarshal(body, &req)
	for _, m := range req.Messages {
		f.prompts = append(f.prompts, m.Content)
	}
	f.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	if gate != nil {
		select {
		case <-gate:
		case <-r.Context().Done():
			return
		}
	}
	if r.URL.Path != "/v1/chat/completions" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"id": "c1", "object": "chat.completion", "created": 1, "model": "test",
		"choices": []map[string]any{{"index": 0, "finish_reason": "stop", "message": map[string]any{
			"role": "assistant", "content": "Mỗi đơn vị tham gia ngày hội khởi nghiệp trên địa bàn tỉnh được hỗ trợ tối đa 8 triệu đồng [1].",
		}}},
	})
}

func newLLMHarness(t *testing.T, f *fakeLLM, mods ...func(*Options)) *harness {
	t.Helper()
	return newLLMHarnessTimeout(t, f, 500*time.Millisecond, mods...)
}

func newLLMHarnessTimeout(t *testing.T, f *fakeLLM, timeout time.Duration, mods ...func(*Options)) *harness {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return startHarness(t, harnessConfig{withPolicy: true, llm: &policy.LLMConfig{
		BaseURL: srv.URL + "/v1", Model: "test", Timeout: timeout, MaxRetries: -1,
	}}, mods...)
}

func TestAskWithLLM(t *testing.T) {
	f := &fakeLLM{}
	h := newLLMHarness(t, f, func(o *Options) { o.Features.LLMPerDay = 1 })
	h.send(lan, "tham gia ngay hoi khoi nghiep duoc ho tro bao nhieu")
	h.waitText(lan, "tối đa 8 triệu đồng [1]")
	h.expect(lan, "tối đa 8 triệu đồng [1]", "viết tự động", "[1] 09/2020/NQ-HĐND")
	if q := h.question(1); q.Mode != policy.ModeLLM || q.Status != "answered" {
		t.Fatalf("mode %q", q.Mode)
	}
	if len(h.srv.CallsTo("sendChatAction")) == 0 {
		t.Fatal("no typing action while the model answered")
	}
	// No personal data goes to the model: not the user's name.
	for _, p := range f.prompts {
		if strings.Contains(p, lan.FirstName+" "+lan.LastName) {
			t.Fatalf("prompt holds the user's name: %q", p)
		}
	}
	// The daily limit (1 here) is reached: the next answer is retrieval.
	h.send(lan, "mo gian hang khoi nghiep o sieu thi duoc ho tro bao nhieu")
	if q := h.question(2); q.Mode != policy.ModeRetrieval {
		t.Fatalf("over the daily limit: mode %q", q.Mode)
	}
	h.expect(lan, "50 triệu")
	// Another user still has their own allowance.
	h.send(tom, "tham gia ngay hoi khoi nghiep duoc ho tro bao nhieu")
	h.waitText(tom, "written automatically")
	if q := h.question(3); q.Mode != policy.ModeLLM {
		t.Fatalf("second user: mode %q", q.Mode)
	}
}

func TestAskLLMTimeoutFallsBack(t *testing.T) {
	f := &fakeLLM{delay: 5 * time.Second}
	h := newLLMHarness(t, f)
	start := time.Now()
	h.send(lan, "tham gia ngay hoi khoi nghiep duoc ho tro bao nhieu")
	h.waitText(lan, "8 triệu")
	if d := time.Since(start); d > 4*time.Second {
		t.Fatalf("user waited %v for a timed-out model", d)
	}
	h.expect(lan, "8 triệu", "09/2020/NQ-HĐND")
	if q := h.question(1); q.Mode != policy.ModeRetrieval {
		t.Fatalf("mode %q, want the retrieval fallback", q.Mode)
	}
}

// A slow model answer does not hold up other chats, however many write
// meanwhile, and a restart while it is pending answers it once.
func TestAskSlowModelDoesNotBlock(t *testing.T) {
	// The model does not answer until the gate opens: every other chat
	// must be answered meanwhile.
	f := &fakeLLM{gate: make(chan struct{})}
	h := newLLMHarnessTimeout(t, f, time.Minute, func(o *Options) { o.Features.AnswerTimeout = time.Minute })
	h.srv.SendText(lan, "tham gia ngay hoi khoi nghiep duoc ho tro bao nhieu")
	h.idle()
	for i := 0; i < 150; i++ {
		h.srv.SendText(telegramtest.User{ID: int64(5000 + i), FirstName: "U", LanguageCode: "vi"}, "/help")
	}
	h.idle()
	for i := 0; i < 150; i++ {
		if h.srv.SentTo(int64(5000+i)) == 0 {
			t.Fatalf("chat %d not answered behind one slow model answer", 5000+i)
		}
	}
	if n := h.srv.SentTo(lan.ID); n != 0 {
		t.Fatalf("Lan answered early (%d)", n)
	}
	// Restart while the model is still writing: the question stays pending
	// and is answered once after the restart.
	h.restart()
	close(f.gate)
	h.waitText(lan, "tối đa 8 triệu đồng [1]")
	h.idle()
	if n := h.srv.SentTo(lan.ID); n != 1 {
		t.Fatalf("Lan got %d answers, want 1", n)
	}
	if q := h.question(1); q.Status != "answered" || q.Mode != policy.ModeLLM {
		t.Fatalf("question after restart: %+v", q)
	}
}
