package locales

import (
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"sort"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed *.toml
var files embed.FS

// Languages the bot speaks, the first being the default.
var Languages = []string{"vi", "en"}

// Default is the language used when a user has not chosen one and Telegram
// gives no usable hint.
const Default = "vi"

// Bundle holds every message in every language. Build it once with Load.
type Bundle struct {
	b    *i18n.Bundle
	log  *slog.Logger
	mu   sync.Mutex
	locs map[string]*Localizer
}

// Load parses the embedded message files.
func Load(log *slog.Logger) (*Bundle, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	b := i18n.NewBundle(language.Vietnamese)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	names, err := fs.Glob(files, "*.toml")
	if err != nil {
		return nil, fmt.Errorf("list message files: %w", err)
	}
	for _, n := range names {
		if _, err := b.LoadMessageFileFS(files, n); err != nil {
			return nil, fmt.Errorf("load %s: %w", n, err)
		}
	}
	return &Bundle{b: b, log: log, locs: map[string]*Localizer{}}, nil
}

// MustLoad is Load for tests and tools; it panics on a broken message file.
func MustLoad() *Bundle {
	b, err := Load(nil)
	if err != nil {
		panic(err)
	}
	return b
}

// Normalize maps a Telegram language_code or a user's choice to one of
// Languages ("en-US" → "en", "" or unknown → "vi").
func Normalize(code string) string {
	code = strings.ToLower(strings.TrimSpace(code))
	for _, l := range Languages {
		if code == l || strings.HasPrefix(code, l+"-") || strings.HasPrefix(code, l+"_") {
			return l
		}
	}
	return Default
}

// For returns the localizer of a language (normalised with Normalize).
func (b *Bundle) For(lang string) *Localizer {
	lang = Normalize(lang)
	b.mu.Lock()
	defer b.mu.Unlock()
	if l, ok := b.locs[lang]; ok {
		return l
	}
	l := &Localizer{lang: lang, l: i18n.NewLocalizer(b.b, lang, Default), log: b.log}
	b.locs[lang] = l
	return l
}

// Keys lists the message IDs defined for a language, sorted. A TOML table
// holding "other" is one plural message; any other table nests its keys.
func (b *Bundle) Keys(lang string) []string {
	names, _ := fs.Glob(files, "*."+lang+".toml")
	var out []string
	for _, n := range names {
		data, err := files.ReadFile(n)
		if err != nil {
			continue
		}
		var m map[string]any
		if err := toml.Unmarshal(data, &m); err != nil {
			continue
		}
		out = flatten(out, "", m)
	}
	sort.Strings(out)
	return out
}

func flatten(out []string, prefix string, m map[string]any) []string {
	for k, v := range m {
		key := k
		if prefix != "" {
			key = prefix + "." + k
		}
		if sub, ok := v.(map[string]any); ok {
			if _, plural := sub["other"]; !plural {
				out = flatten(out, key, sub)
				continue
			}
		}
		out = append(out, key)
	}
	return out
}

// Localizer renders messages in one language.
type Localizer struct {
	lang string
	l    *i18n.Localizer
	log  *slog.Logger
	// plain caches messages rendered without template data (most button
	// labels and fixed lines): key → text. Messages never change once
	// loaded.
	plain sync.Map
}

// Lang is the localizer's language code ("vi" or "en").
func (l *Localizer) Lang() string { return l.lang }

// T renders a message. data holds template variables (PascalCase); a
// "Count" entry selects the plural form. A missing key renders as the key
// itself and is logged, so a gap is visible but never crashes a reply.
func (l *Localizer) T(key string, data ...map[string]any) string {
	plain := len(data) == 0 || data[0] == nil
	if plain {
		if s, ok := l.plain.Load(key); ok {
			return s.(string)
		}
	}
	cfg := &i18n.LocalizeConfig{MessageID: key}
	if !plain {
		cfg.TemplateData = data[0]
		if c, ok := data[0]["Count"]; ok {
			cfg.PluralCount = c
		}
	}
	s, err := l.l.Localize(cfg)
	if err != nil {
		l.log.Warn("localize", "key", key, "lang", l.lang, "err", err)
		if s == "" {
			return key
		}
		return s
	}
	if plain {
		l.plain.Store(key, s)
	}
	return s
}

// Has reports whether key exists in this language.
func (l *Localizer) Has(key string) bool {
	_, err := l.l.Localize(&i18n.LocalizeConfig{MessageID: key})
	return err == nil
}
