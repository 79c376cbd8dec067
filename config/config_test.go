package config

import (
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestFromEnv(t *testing.T) {
	for _, tc := range []struct {
		name    string
		env     map[string]string
		wantErr string // a variable name the error must mention; "" = valid
	}{
		{"empty is the demo", map[string]string{}, ""},
		{"full", map[string]string{"TELEGRAM_BOT_TOKEN": "123456:ABCdefGhIJKlmNoPQRsTUVwxyZ12345", "ADMIN_IDS": "1, 2,3", "BROADCAST_RATE": "30", "OPENAI_BASE_URL": "http://127.0.0.1:11434/v1", "OPENAI_MODEL": "qwen", "LOG_LEVEL": "debug", "LOG_FORMAT": "json"}, ""},
		{"bad token", map[string]string{"TELEGRAM_BOT_TOKEN": "hello"}, "TELEGRAM_BOT_TOKEN"},
		{"bad admin", map[string]string{"ADMIN_IDS": "1,abc"}, "ADMIN_IDS"},
		{"negative admin", map[string]string{"ADMIN_IDS": "-5"}, "ADMIN_IDS"},
		{"bad rate", map[string]string{"BROADCAST_RATE": "fast"}, "BROADCAST_RATE"},
		{"zero rate", map[string]string{"BROADCAST_RATE": "0"}, "BROADCAST_RATE"},
		{"NaN rate", map[string]string{"BROADCAST_RATE": "NaN"}, "BROADCAST_RATE"},
		{"infinite rate", map[string]string{"BROADCAST_RATE": "+Inf"}, "BROADCAST_RATE"},
		{"bad level", map[string]string{"LOG_LEVEL": "loud"}, "LOG_LEVEL"},
		{"bad format", map[string]string{"LOG_FORMAT": "xml"}, "LOG_FORMAT"},
		{"bad addr", map[string]string{"HTTP_ADDR": "8080"}, "HTTP_ADDR"},
		{"bad endpoint", map[string]string{"TELEGRAM_API_ENDPOINT": "localhost"}, "TELEGRAM_API_ENDPOINT"},
		{"llm without model", map[string]string{"OPENAI_API_KEY": "sk-x"}, "OPENAI_MODEL"},
		{"embeddings without llm", map[string]string{"OPENAI_EMBEDDING_MODEL": "bge-m3"}, "OPENAI_EMBEDDING_MODEL"},
		{"bad ideas per day", map[string]string{"IDEAS_PER_DAY": "0"}, "IDEAS_PER_DAY"},
		{"bad signature variants", map[string]string{"ZALO_SIGNATURE_VARIANTS": "maybe"}, "ZALO_SIGNATURE_VARIANTS"},
		{"zalo", map[string]string{"ZALO_APP_ID": "123", "ZALO_APP_SECRET": "s", "ZALO_OA_SECRET_KEY": "k", "ADMIN_IDS": "111,zalo:8817264536271819283"}, ""},
		{"zalo without webhook key", map[string]string{"ZALO_APP_ID": "123", "ZALO_APP_SECRET": "s"}, "ZALO_OA_SECRET_KEY"},
		{"zalo without app secret", map[string]string{"ZALO_APP_ID": "123", "ZALO_OA_SECRET_KEY": "k"}, "ZALO_APP_SECRET"},
		{"bad zalo admin", map[string]string{"ADMIN_IDS": "zalo:abc"}, "ADMIN_IDS"},
		{"bad zalo url", map[string]string{"ZALO_API_URL": "openapi"}, "ZALO_API_URL"},
		{"bad public url", map[string]string{"PUBLIC_URL": "example.org"}, "PUBLIC_URL"},
		{"bad web addr", map[string]string{"WEB_ADDR": "8081"}, "WEB_ADDR"},
		{"backup key", map[string]string{"BACKUP_AGE_RECIPIENT": "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"}, ""},
		{"backup secret key instead of public", map[string]string{"BACKUP_AGE_RECIPIENT": "AGE-SECRET-KEY-1QQQ"}, "BACKUP_AGE_RECIPIENT"},
		{"caps", map[string]string{"LLM_PER_DAY_TOTAL": "50", "BROADCAST_CONFIRM_OVER": "200"}, ""},
		{"bad llm total", map[string]string{"LLM_PER_DAY_TOTAL": "0"}, "LLM_PER_DAY_TOTAL"},
		{"bad confirm over", map[string]string{"BROADCAST_CONFIRM_OVER": "many"}, "BROADCAST_CONFIRM_OVER"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := FromEnv(env(tc.env))
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if c.DBPath == "" || c.HTTPAddr == "" {
					t.Fatalf("defaults missing: %+v", c)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want one naming %s", err, tc.wantErr)
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	c, err := FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Demo() || c.DBPath != "./data/bot.db" || c.HTTPAddr != ":8080" || c.BroadcastRate != 25 || c.LLM() {
		t.Fatalf("defaults: %+v", c)
	}
	c, _ = FromEnv(env(map[string]string{"ADMIN_IDS": "7,8", "TELEGRAM_API_ENDPOINT": "http://x:1/"}))
	if len(c.AdminIDs) != 2 || c.AdminIDs[1] != 8 || c.APIEndpoint() != "http://x:1/bot%s/%s" {
		t.Fatalf("parsed: %+v %s", c.AdminIDs, c.APIEndpoint())
	}
}

func TestAdminIDsByChannel(t *testing.T) {
	c, err := FromEnv(env(map[string]string{"ADMIN_IDS": "111, telegram:222 ,zalo:8817264536271819283"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.AdminIDs) != 2 || c.AdminIDs[0] != 111 || c.AdminIDs[1] != 222 {
		t.Errorf("Telegram admins %v", c.AdminIDs)
	}
	// Kept as written: the ID is above 2^53.
	if len(c.ZaloAdmins) != 1 || c.ZaloAdmins[0] != "8817264536271819283" {
		t.Errorf("Zalo admins %v", c.ZaloAdmins)
	}
	if !c.Demo() {
		t.Error("no channel configured must be the demo")
	}
	z, _ := FromEnv(env(map[string]string{"ZALO_APP_ID": "1", "ZALO_APP_SECRET": "s", "ZALO_OA_SECRET_KEY": "k"}))
	if z.Demo() || !z.Zalo() || z.Telegram() {
		t.Error("Zalo alone is a channel")
	}
}

func TestClientIPHeader(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, ""},
		{map[string]string{"FLY_APP_NAME": "trolykhoinghiep"}, "Fly-Client-IP"},
		{map[string]string{"FLY_APP_NAME": "trolykhoinghiep", "WEB_CLIENT_IP_HEADER": "-"}, ""},
		{map[string]string{"WEB_CLIENT_IP_HEADER": "X-Real-IP"}, "X-Real-IP"},
	} {
		if got := clientIPHeader(env(tc.env)); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.env, got, tc.want)
		}
	}
}
