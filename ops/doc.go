// Package ops serves the operational HTTP endpoints: /healthz (200 while
// polling is alive, 503 when it has stalled) and /metrics (Prometheus text
// format, scraped by Fly's metrics collector).
package ops
