package bot

import (
	"context"
	"sync"
)

// memChannel records replies in memory, for tests that drive Handle
// directly thousands of times a second (the fuzz target, benchmarks of
// the engine's own work). End-to-end tests use the real channels.
type memChannel struct {
	mu   sync.Mutex
	sent []Reply
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
func (m *memChannel) AnswerCallback(context.Context, string, string) error { return nil }
func (m *memChannel) Typing(context.Context, string) error                 { return nil }
