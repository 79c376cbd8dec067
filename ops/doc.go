// Package ops serves the operational HTTP endpoints: /healthz (200 while
// at least one channel works, each channel's state in the body; 503 when
// none does) and /metrics (Prometheus text
// format, scraped by Fly's metrics collector).
package ops
