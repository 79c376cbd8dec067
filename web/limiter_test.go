package web

import (
	"fmt"
	"testing"
	"time"
)

// TestLimiterFlood: a flood of new addresses fills the table, and the
// next real visitor is still served; a visitor that was limited stays
// limited while it keeps asking.
func TestLimiterFlood(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := newLimiter(2, 20, func() time.Time { return now })
	for range 20 {
		l.allow("192.0.2.1")
	}
	if ok, _ := l.allow("192.0.2.1"); ok {
		t.Fatal("burst not limited")
	}
	for i := range maxVisitors + 100 {
		if ok, _ := l.allow(fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)); !ok {
			t.Fatalf("new address %d refused", i)
		}
	}
	if ok, _ := l.allow("198.51.100.9"); !ok {
		t.Fatal("a new visitor refused after a flood of addresses")
	}
	if n := len(l.ips); n > maxVisitors {
		t.Fatalf("table grew to %d", n)
	}
	// Idle long enough to refill: forgotten at the next sweep, no loss.
	now = now.Add(11 * time.Second)
	l.allow("198.51.100.10")
	if n := len(l.ips); n > 10 {
		t.Fatalf("%d visitors kept after all went idle", n)
	}
}
