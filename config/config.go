package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"filippo.io/age"
)

// Config is everything the process reads from its environment.
type Config struct {
	Token         string   // TELEGRAM_BOT_TOKEN; empty: local demo
	Endpoint      string   // TELEGRAM_API_ENDPOINT base URL
	DBPath        string   // DB_PATH
	AdminIDs      []int64  // ADMIN_IDS: Telegram user IDs
	ZaloAdmins    []string // ADMIN_IDS "zalo:<id>": Zalo user IDs (sender.id), as written
	OpenAIKey     string   // OPENAI_API_KEY
	OpenAIBaseURL string   // OPENAI_BASE_URL (with /v1)
	OpenAIModel   string   // OPENAI_MODEL
	EmbedModel    string   // OPENAI_EMBEDDING_MODEL
	HTTPAddr      string   // HTTP_ADDR
	LogLevel      slog.Level
	LogFormat     string  // text or json
	BroadcastRate float64 // BROADCAST_RATE messages per second
	KBDir         string  // KB_DIR: knowledge-base documents loaded over the embedded ones
	IdeasPerDay   int     // IDEAS_PER_DAY
	PlacesFile    string  // PLACES_FILE: localities list replacing the built-in one
	PollTimeout   time.Duration

	ZaloAppID        string // ZALO_APP_ID
	ZaloAppSecret    string // ZALO_APP_SECRET
	ZaloOASecret     string // ZALO_OA_SECRET_KEY: signs webhooks
	ZaloRefreshToken string // ZALO_REFRESH_TOKEN: seeds the store once
	ZaloAPIURL       string // ZALO_API_URL
	ZaloOAuthURL     string // ZALO_OAUTH_URL
	ZaloOAID         string // ZALO_OA_ID: the OA's ID, for zalo.me links (optional)
	ZaloRedirectURI  string // ZALO_REDIRECT_URI: the consent page's redirect (zalo-auth)
	// ZaloSignatureVariants (ZALO_SIGNATURE_VARIANTS=1) also accepts
	// webhook signatures made with the app secret or the OA ID, the
	// readings of the scheme Zalo's documents leave open; each match is
	// logged.
	ZaloSignatureVariants bool

	WebAddr   string // WEB_ADDR: the public site and the Zalo webhook
	PublicURL string // PUBLIC_URL: the site's public base URL
	// ClientIPHeader is the header holding a web client's address: Fly.io's
	// proxy sets Fly-Client-IP, trusted when FLY_APP_NAME says the process
	// runs there (WEB_CLIENT_IP_HEADER overrides; "-" for none).
	ClientIPHeader string
	// BackupRecipient is the age public key ("age1…", several separated
	// by commas) backups are encrypted to: BACKUP_AGE_RECIPIENT.
	BackupRecipient string
	// LLMPerDayTotal caps model-written answers per day over all users
	// (LLM_PER_DAY_TOTAL, default 1000).
	LLMPerDayTotal int
	// BroadcastConfirmOver is the audience size above which an
	// announcement needs an admin's confirmation (BROADCAST_CONFIRM_OVER,
	// default 1000).
	BroadcastConfirmOver int
}

// Zalo reports whether the Zalo channel is configured.
func (c *Config) Zalo() bool { return c.ZaloAppID != "" }

// Telegram reports whether the Telegram channel is configured.
func (c *Config) Telegram() bool { return c.Token != "" }

// LLM reports whether an LLM is configured.
func (c *Config) LLM() bool { return c.OpenAIBaseURL != "" || c.OpenAIKey != "" }

// Demo reports whether to run the local demo (no channel configured).
func (c *Config) Demo() bool { return !c.Telegram() && !c.Zalo() }

// Endpoint returns the tgbotapi endpoint format for a base URL.
func (c *Config) APIEndpoint() string {
	if c.Endpoint == "" {
		return ""
	}
	return strings.TrimRight(c.Endpoint, "/") + "/bot%s/%s"
}

// FromEnv reads and validates the configuration. getenv is os.Getenv in
// production and a map in tests.
func FromEnv(getenv func(string) string) (*Config, error) {
	c := &Config{
		Token:         strings.TrimSpace(getenv("TELEGRAM_BOT_TOKEN")),
		Endpoint:      strings.TrimSpace(getenv("TELEGRAM_API_ENDPOINT")),
		DBPath:        or(getenv("DB_PATH"), "./data/bot.db"),
		OpenAIKey:     strings.TrimSpace(getenv("OPENAI_API_KEY")),
		OpenAIBaseURL: strings.TrimSpace(getenv("OPENAI_BASE_URL")),
		OpenAIModel:   strings.TrimSpace(getenv("OPENAI_MODEL")),
		EmbedModel:    strings.TrimSpace(getenv("OPENAI_EMBEDDING_MODEL")),
		HTTPAddr:      or(getenv("HTTP_ADDR"), ":8080"),
		LogFormat:     or(getenv("LOG_FORMAT"), "text"),
		KBDir:         strings.TrimSpace(getenv("KB_DIR")),
		PlacesFile:    strings.TrimSpace(getenv("PLACES_FILE")),
		BroadcastRate: 25,
		IdeasPerDay:   5,
		PollTimeout:   30 * time.Second,

		ZaloAppID:        strings.TrimSpace(getenv("ZALO_APP_ID")),
		ZaloAppSecret:    strings.TrimSpace(getenv("ZALO_APP_SECRET")),
		ZaloOASecret:     strings.TrimSpace(getenv("ZALO_OA_SECRET_KEY")),
		ZaloRefreshToken: strings.TrimSpace(getenv("ZALO_REFRESH_TOKEN")),
		ZaloAPIURL:       strings.TrimRight(or(getenv("ZALO_API_URL"), "https://openapi.zalo.me"), "/"),
		ZaloOAuthURL:     strings.TrimRight(or(getenv("ZALO_OAUTH_URL"), "https://oauth.zaloapp.com"), "/"),
		ZaloOAID:         strings.TrimSpace(getenv("ZALO_OA_ID")),
		ZaloRedirectURI:  strings.TrimSpace(getenv("ZALO_REDIRECT_URI")),
		WebAddr:          or(getenv("WEB_ADDR"), ":8081"),
		PublicURL:        strings.TrimRight(strings.TrimSpace(getenv("PUBLIC_URL")), "/"),
		ClientIPHeader:   clientIPHeader(getenv),

		BackupRecipient:      strings.TrimSpace(getenv("BACKUP_AGE_RECIPIENT")),
		LLMPerDayTotal:       1000,
		BroadcastConfirmOver: 1000,
	}
	var errs []error
	bad := func(name, format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s: "+format, append([]any{name}, a...)...))
	}
	if c.Token != "" && !validToken(c.Token) {
		bad("TELEGRAM_BOT_TOKEN", "does not look like a BotFather token (digits, a colon, then letters)")
	}
	if c.Endpoint != "" {
		if u, err := url.Parse(c.Endpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("TELEGRAM_API_ENDPOINT", "must be an http(s) base URL such as http://127.0.0.1:8081")
		}
	}
	for _, f := range strings.FieldsFunc(getenv("ADMIN_IDS"), func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		if ref, ok := strings.CutPrefix(f, "zalo:"); ok {
			if !digits(ref) || len(ref) > 40 {
				bad("ADMIN_IDS", "%q: a Zalo user ID is digits after zalo:", f)
				continue
			}
			c.ZaloAdmins = append(c.ZaloAdmins, ref)
			continue
		}
		f = strings.TrimPrefix(f, "telegram:")
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil || id <= 0 {
			bad("ADMIN_IDS", "%q is not a Telegram user ID (a positive number) or zalo:<Zalo user ID>", f)
			continue
		}
		c.AdminIDs = append(c.AdminIDs, id)
	}
	if c.Zalo() {
		if c.ZaloAppSecret == "" {
			bad("ZALO_APP_SECRET", "is required with ZALO_APP_ID")
		}
		if c.ZaloOASecret == "" {
			bad("ZALO_OA_SECRET_KEY", "is required with ZALO_APP_ID: it verifies the webhook's signature")
		}
	}
	if v := strings.TrimSpace(getenv("ZALO_SIGNATURE_VARIANTS")); v != "" {
		on, err := strconv.ParseBool(v)
		if err != nil {
			bad("ZALO_SIGNATURE_VARIANTS", "must be 1 or 0")
		}
		c.ZaloSignatureVariants = on
	}
	if c.ZaloRedirectURI == "" && c.PublicURL != "" {
		c.ZaloRedirectURI = c.PublicURL + "/"
	}
	for _, nv := range [][2]string{{"ZALO_API_URL", c.ZaloAPIURL}, {"ZALO_OAUTH_URL", c.ZaloOAuthURL}, {"PUBLIC_URL", c.PublicURL}, {"ZALO_REDIRECT_URI", c.ZaloRedirectURI}} {
		name, v := nv[0], nv[1]
		if v == "" {
			continue
		}
		if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad(name, "must be an http(s) base URL such as https://example.org")
		}
	}
	if _, _, err := net.SplitHostPort(c.WebAddr); err != nil {
		bad("WEB_ADDR", "must be host:port or :port, e.g. :8081")
	}
	if c.OpenAIBaseURL != "" {
		if u, err := url.Parse(c.OpenAIBaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("OPENAI_BASE_URL", "must be an http(s) URL ending in /v1")
		}
	}
	if c.LLM() && c.OpenAIModel == "" {
		bad("OPENAI_MODEL", "is required when OPENAI_API_KEY or OPENAI_BASE_URL is set")
	}
	if c.EmbedModel != "" && !c.LLM() {
		bad("OPENAI_EMBEDDING_MODEL", "needs OPENAI_API_KEY or OPENAI_BASE_URL")
	}
	if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		bad("HTTP_ADDR", "must be host:port or :port, e.g. :8080")
	}
	switch lv := strings.ToLower(or(getenv("LOG_LEVEL"), "info")); lv {
	case "debug":
		c.LogLevel = slog.LevelDebug
	case "info":
		c.LogLevel = slog.LevelInfo
	case "warn", "warning":
		c.LogLevel = slog.LevelWarn
	case "error":
		c.LogLevel = slog.LevelError
	default:
		bad("LOG_LEVEL", "%q is not one of debug, info, warn, error", lv)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("LOG_FORMAT", "%q is not text or json", c.LogFormat)
	}
	if v := strings.TrimSpace(getenv("BROADCAST_RATE")); v != "" {
		r, err := strconv.ParseFloat(v, 64)
		if err != nil || !(r > 0 && r <= 1000) { // NaN is neither
			bad("BROADCAST_RATE", "%q must be a number of messages per second between 0 and 1000", v)
		} else {
			c.BroadcastRate = r
		}
	}
	if v := strings.TrimSpace(getenv("IDEAS_PER_DAY")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			bad("IDEAS_PER_DAY", "%q must be a whole number from 1 to 1000", v)
		} else {
			c.IdeasPerDay = n
		}
	}
	for _, f := range strings.FieldsFunc(c.BackupRecipient, func(r rune) bool { return r == ',' || r == ' ' }) {
		if _, err := age.ParseX25519Recipient(f); err != nil {
			bad("BACKUP_AGE_RECIPIENT", "%q is not an age public key (age1…, made with age-keygen)", f)
		}
	}
	for _, v := range []struct {
		name string
		dst  *int
		max  int
	}{{"LLM_PER_DAY_TOTAL", &c.LLMPerDayTotal, 1_000_000}, {"BROADCAST_CONFIRM_OVER", &c.BroadcastConfirmOver, 10_000_000}} {
		s := strings.TrimSpace(getenv(v.name))
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > v.max {
			bad(v.name, "%q must be a whole number from 1 to %d", s, v.max)
			continue
		}
		*v.dst = n
	}
	return c, errors.Join(errs...)
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func or(v, def string) string {
	if v = strings.TrimSpace(v); v == "" {
		return def
	}
	return v
}

func validToken(t string) bool {
	id, secret, ok := strings.Cut(t, ":")
	if !ok || id == "" || len(secret) < 20 {
		return false
	}
	for _, r := range id {
		if r < '0' || r > '9' {
			return false
		}
	}
	for _, r := range secret {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// clientIPHeader is WEB_CLIENT_IP_HEADER, or Fly-Client-IP on Fly.io.
func clientIPHeader(getenv func(string) string) string {
	switch h := strings.TrimSpace(getenv("WEB_CLIENT_IP_HEADER")); {
	case h == "-":
		return ""
	case h != "":
		return h
	case getenv("FLY_APP_NAME") != "":
		return "Fly-Client-IP"
	}
	return ""
}
