package bot

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the bot's Prometheus metrics.
type Metrics struct {
	updates  *prometheus.CounterVec
	latency  prometheus.Histogram
	errors   prometheus.Counter
	panics   prometheus.Counter
	APICalls *prometheus.CounterVec // Telegram API calls by method and result

	accepted   prometheus.Counter
	duplicates prometheus.Counter
	fast       *prometheus.CounterVec // fast-path updates, by outcome
}

// NewMetrics registers the metrics with reg (nil: a private registry).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	m := &Metrics{
		updates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bot_updates_handled_total", Help: "Updates handled, by kind and result.",
		}, []string{"kind", "result"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "bot_handler_duration_seconds", Help: "Time to handle one update, commit included.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}),
		errors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "bot_handler_errors_total", Help: "Updates whose handler failed with an internal error.",
		}),
		panics: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "bot_handler_panics_total", Help: "Handler panics recovered.",
		}),
		APICalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bot_telegram_api_calls_total", Help: "Telegram Bot API calls, by method and result.",
		}, []string{"method", "result"}),
		accepted: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "bot_inbox_accepted_total", Help: "Updates received from every channel: committed to the inbox, or handled on the fast path.",
		}),
		fast: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bot_inbox_fast_total", Help: "Updates taken on the fast path: handled in one commit, or moved to the inbox (their handler failed or did not start in time).",
		}, []string{"result"}),
		duplicates: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "bot_inbox_duplicates_total", Help: "Updates a channel delivered again, recognised and skipped.",
		}),
	}
	reg.MustRegister(m.updates, m.latency, m.errors, m.panics, m.APICalls, m.accepted, m.duplicates, m.fast)
	return m
}

var kindNames = map[Kind]string{KindUnknown: "unknown", KindMessage: "message", KindCallback: "callback", KindBlocked: "blocked", KindUnblocked: "unblocked", KindUnsupported: "unsupported"}

func (m *Metrics) observe(k Kind, result string, d time.Duration) {
	m.updates.WithLabelValues(kindNames[k], result).Inc()
	m.latency.Observe(d.Seconds())
}
