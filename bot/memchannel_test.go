package bot

import (
	"context"
	"sync"
)

// memChannel records replies in memory, for tests that drive Handle
// directly thousands of times a second (the fuzz target, benchmarks of
// the engine's own work). End-to-end tests use the real channels.
type memChannel struct {
	mu      sync.Mutex
	sent    []Reply
	answers map[string]int // AnswerCallback calls per callback query
}

func (m *memChannel) Name() string { return "mem" }
func (m *memChannel) Caps() Caps {
	return Caps{MaxText: 4096, Edit: true, ReplyKeyboard: true, Toasts: true, HTML: true}
}
func (m *memChannel) Send(_ context.Context, _ string, r Reply) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, r)
	return len(m.sent), nil
}
func (m *memChannel) AnswerCallback(_ context.Context, id, _ string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.answers == nil {
		m.answers = map[string]int{}
	}
	m.answers[id]++
	return nil
}
func (m *memChannel) Typing(context.Context, string) error { return nil }
