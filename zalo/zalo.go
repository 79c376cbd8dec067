package zalo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/time/rate"

	"github.com/qnstartup/trolykhoinghiep/bot"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// Defaults.
const (
	DefaultAPIURL   = "https://openapi.zalo.me"
	DefaultOAuthURL = "https://oauth.zaloapp.com"
	// DefaultRate is the default pace of API calls, under Zalo's 4,000
	// requests a minute per app.
	DefaultRate = 3600
	// MaxRate is Zalo's limit; RatePerMinute must stay below it.
	MaxRate = 4000
	// CallbackPrefix marks the payload of a hidden button: a text that
	// starts with it is a button tap (KindCallback), never typed words.
	CallbackPrefix = "#cb!"
	// MaxBody is the largest webhook body accepted.
	MaxBody = 1 << 20
)

// Inbox is the durable inbox the webhook commits events to. Accept
// returns nil only once every update is committed (or known as a
// duplicate).
type Inbox interface {
	Accept(ctx context.Context, ups []*bot.Update) error
}

// InboxFunc adapts a function to Inbox: the bot is built after its
// channels, so its Accept is reached through a closure.
type InboxFunc func(ctx context.Context, ups []*bot.Update) error

// Accept calls f.
func (f InboxFunc) Accept(ctx context.Context, ups []*bot.Update) error { return f(ctx, ups) }

// Tokens is the OA token pair as stored.
type Tokens = store.ZaloTokens

// ErrNoTokens may be returned by LoadZaloTokens when nothing is stored
// (store.ErrNotFound is recognised too).
var ErrNoTokens = store.ErrNotFound

// TokenStore keeps the token pair. SaveZaloTokens writes the whole pair
// durably in one step.
type TokenStore interface {
	LoadZaloTokens() (Tokens, error)
	SaveZaloTokens(Tokens) error
}

// Options configure a Channel.
type Options struct {
	AppID       string // ZALO_APP_ID
	AppSecret   string // ZALO_APP_SECRET: OAuth's secret_key header
	OASecretKey string // ZALO_OA_SECRET_KEY: signs webhooks
	// SeedRefreshToken is ZALO_REFRESH_TOKEN: taken when it differs from
	// the seed the store last took.
	SeedRefreshToken string
	APIURL           string // default DefaultAPIURL
	OAuthURL         string // default DefaultOAuthURL
	HTTPClient       *http.Client
	Log              *slog.Logger
	// Registerer, when set, gets the channel's metrics.
	Registerer prometheus.Registerer
	Tokens     TokenStore
	Inbox      Inbox
	// RatePerMinute paces every call to the OA API (default DefaultRate;
	// must be below MaxRate).
	RatePerMinute int
	Now           func() time.Time
	// OnAuthFailure is called when the token pair cannot be refreshed and
	// the channel is about to stop working (once per failing spell; see
	// the package doc): the bot tells every admin.
	OnAuthFailure func(error)
	// OnAuthRecovered is called when a refresh succeeds after
	// OnAuthFailure was called for its failing spell: the admins hear
	// that Zalo works again.
	OnAuthRecovered func()

	// SignatureVariants also accepts webhook signatures made with the app
	// secret as key, or the OA's ID as first term (UNCONFIRMED readings
	// of Zalo's scheme); the variant that matched is logged.
	SignatureVariants bool
	// OAID is the OA's ID, for SignatureVariants.
	OAID string
	// InfoImageURL is the image of the request-user-info template
	// (optional).
	InfoImageURL string
	// MaxUpload is the largest document sent as a file (default 5 MB);
	// larger ones are sent as their text only.
	MaxUpload int
	// RedirectURI is where the consent page sends the OA admin (Authorize).
	RedirectURI string
}

// Channel is the Zalo OA channel: webhook receiver, sender and token
// keeper. It implements bot.Channel.
type Channel struct {
	opt     Options
	log     *slog.Logger
	http    *http.Client
	limiter *rate.Limiter
	keeper  *keeper
	metrics *metrics
	now     func() time.Time
	// sleep waits between -32 retries; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
	// badSig paces the warning for refused webhook signatures.
	badSig *rate.Limiter
}

var _ bot.Channel = (*Channel)(nil)

// New checks the options and loads the token pair. It does not call Zalo.
func New(opt Options) (*Channel, error) {
	if opt.AppID == "" || opt.AppSecret == "" {
		return nil, errors.New("zalo: app ID and app secret are required")
	}
	if opt.OASecretKey == "" {
		return nil, errors.New("zalo: OA secret key is required")
	}
	if opt.Tokens == nil {
		return nil, errors.New("zalo: a token store is required")
	}
	if opt.RatePerMinute == 0 {
		opt.RatePerMinute = DefaultRate
	}
	if opt.RatePerMinute < 0 || opt.RatePerMinute >= MaxRate {
		return nil, fmt.Errorf("zalo: rate %d a minute: must be between 1 and %d", opt.RatePerMinute, MaxRate-1)
	}
	if opt.APIURL == "" {
		opt.APIURL = DefaultAPIURL
	}
	if opt.OAuthURL == "" {
		opt.OAuthURL = DefaultOAuthURL
	}
	if opt.HTTPClient == nil {
		opt.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.MaxUpload == 0 {
		opt.MaxUpload = 5 << 20
	}
	c := &Channel{
		opt:     opt,
		log:     opt.Log.With("channel", Name),
		http:    opt.HTTPClient,
		limiter: rate.NewLimiter(rate.Limit(float64(opt.RatePerMinute)/60), 1),
		metrics: newMetrics(opt.Registerer),
		now:     opt.Now,
		sleep:   sleepCtx,
		badSig:  rate.NewLimiter(rate.Every(time.Minute), 1),
	}
	k, err := newKeeper(c)
	if err != nil {
		return nil, err
	}
	c.keeper = k
	return c, nil
}

// Name is the channel's name in user references.
const Name = store.Zalo

// Name is "zalo".
func (c *Channel) Name() string { return Name }

// Caps is what a Zalo chat shows: plain text up to 2,000 characters, up to
// five buttons a message, one a row, no editing, no reply keyboard, no
// toasts; and whom it may reach: users who wrote in the last 7 days (free
// in the first 48 hours).
func (c *Channel) Caps() bot.Caps {
	return bot.Caps{
		MaxText:          maxText,
		MaxCaption:       maxText,
		MaxButtons:       maxButtons,
		MaxButtonsPerRow: 1,
		MaxButtonText:    maxTitle,
		MaxPayload:       maxPayload - len(CallbackPrefix),
		Window:           7 * 24 * time.Hour,
		FreeWindow:       48 * time.Hour,
	}
}

// AnswerCallback does nothing: Zalo buttons have no spinner.
func (c *Channel) AnswerCallback(context.Context, string, string) error { return nil }

// Typing does nothing: the OA API has no typing indicator the bot uses.
func (c *Channel) Typing(context.Context, string) error { return nil }

// Run keeps the token pair fresh until ctx ends.
func (c *Channel) Run(ctx context.Context) error { return c.keeper.run(ctx) }

// Healthy is nil while the channel has a usable access token, else why
// not (for /healthz). It never contains a secret.
func (c *Channel) Healthy() error { return c.keeper.healthy() }

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

type metrics struct {
	calls *prometheus.CounterVec
	hooks *prometheus.CounterVec
	token prometheus.Gauge
	exp   prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zalo_api_calls_total",
			Help: "Calls to the Zalo OA API and OAuth, by endpoint and result.",
		}, []string{"endpoint", "result"}),
		hooks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zalo_webhook_events_total",
			Help: "Zalo webhook requests, by result (accepted, ignored, bad_signature, bad_request, too_large, not_committed).",
		}, []string{"result"}),
		token: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "zalo_token_ok",
			Help: "1 while the Zalo access token is usable, 0 when refreshing fails or there is none.",
		}),
		exp: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "zalo_token_expiry_timestamp_seconds",
			Help: "When the current Zalo access token expires (Unix time).",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.calls, m.hooks, m.token, m.exp)
	}
	return m
}
