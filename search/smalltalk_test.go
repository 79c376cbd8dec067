package search

import "testing"

func TestSmallTalk(t *testing.T) {
	tests := []struct {
		in   string
		kind string
		ok   bool
	}{
		{"xin chào", "greeting", true},
		{"Xin chào bạn ạ!", "greeting", true},
		{"xin chao", "greeting", true},
		{"chào bot", "greeting", true},
		{"Hello", "greeting", true},
		{"hi ad", "greeting", true},
		{"alo alo", "greeting", true},
		{"👋", "greeting", true},
		{"cảm ơn nhé", "thanks", true},
		{"Cám ơn bạn nhiều!", "thanks", true},
		{"thanks", "thanks", true},
		{"ok cảm ơn", "thanks", true},
		{"tks ad", "thanks", true},
		{"🙏", "thanks", true},
		{"tạm biệt", "bye", true},
		{"bye bye", "bye", true},
		{"chúc ngủ ngon nha", "bye", true},
		{"bạn là ai?", "who", true},
		{"Bạn là ai vậy", "who", true},
		{"who are you", "who", true},
		{"chào bạn, bạn là ai thế", "who", true},
		{"giúp mình với", "help", true},
		{"bạn làm được gì?", "help", true},
		{"/start", "help", true},
		{"hahaha", "laugh", true},
		{"hihi", "laugh", true},
		{"kkkk", "laugh", true},
		{"=))", "laugh", true},
		{"😂😂", "laugh", true},
		{"ok", "ack", true},
		{"dạ vâng", "ack", true},
		{"👍", "ack", true},
		// Not small talk.
		{"chào bán cổ phần", "", false},
		{"xin chào, cho mình hỏi mức hỗ trợ khởi nghiệp", "", false},
		{"cảm ơn, vậy sinh viên được hỗ trợ gì?", "", false},
		{"hướng dẫn đăng ký OCOP", "", false},
		{"hỗ trợ bao nhiêu", "", false},
		{"ai được hỗ trợ", "", false},
		{"", "", false},
		{"???", "", false},
		{"2020", "", false},
	}
	for _, tt := range tests {
		kind, ok := SmallTalk(tt.in)
		if kind != tt.kind || ok != tt.ok {
			t.Errorf("SmallTalk(%q) = %q, %v; want %q, %v", tt.in, kind, ok, tt.kind, tt.ok)
		}
	}
}
