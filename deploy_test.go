package main

import (
	"bufio"
	"net"
	"os"
	"path"
	"strconv"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// flyConfig is the part of fly.toml the deployment rules are about.
type flyConfig struct {
	Env      map[string]string `toml:"env"`
	Services []struct {
		InternalPort int              `toml:"internal_port"`
		Ports        []map[string]any `toml:"ports"`
	} `toml:"services"`
	HTTPService *struct {
		InternalPort int  `toml:"internal_port"`
		ForceHTTPS   bool `toml:"force_https"`
	} `toml:"http_service"`
	Checks map[string]struct {
		Type string `toml:"type"`
		Port int    `toml:"port"`
		Path string `toml:"path"`
	} `toml:"checks"`
	Metrics *struct {
		Port int    `toml:"port"`
		Path string `toml:"path"`
	} `toml:"metrics"`
	Mounts []struct {
		Source      string `toml:"source"`
		Destination string `toml:"destination"`
	} `toml:"mounts"`
}

func port(t *testing.T, addr string) int {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("address %q: %v", addr, err)
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		t.Fatalf("address %q: %v", addr, err)
	}
	return n
}

// TestFlyConfig checks fly.toml against the deployment rules (flyctl's own
// validation needs the network): no [[services]] without ports; only the
// web site published, through [http_service] with HTTPS; the operations
// port reached by top-level [checks] and [metrics] and never published;
// no secret in [env]; the volume holds the database.
func TestFlyConfig(t *testing.T) {
	var c flyConfig
	if _, err := toml.DecodeFile("fly.toml", &c); err != nil {
		t.Fatalf("fly.toml: %v", err)
	}
	for i, s := range c.Services {
		if len(s.Ports) == 0 {
			t.Errorf("[[services]] #%d (internal_port %d) has no ports: fly deploy rejects it", i, s.InternalPort)
		}
	}
	ops, web := port(t, c.Env["HTTP_ADDR"]), port(t, c.Env["WEB_ADDR"])
	if ops == web {
		t.Fatalf("HTTP_ADDR and WEB_ADDR share port %d", ops)
	}
	if c.HTTPService == nil || c.HTTPService.InternalPort != web || !c.HTTPService.ForceHTTPS {
		t.Errorf("[http_service] must publish WEB_ADDR's port %d with force_https: %+v", web, c.HTTPService)
	}
	for _, s := range c.Services {
		if s.InternalPort == ops {
			t.Errorf("the operations port %d is published by [[services]]", ops)
		}
	}
	healthz := false
	for name, ch := range c.Checks {
		if ch.Type == "http" && ch.Port == ops && ch.Path == "/healthz" {
			healthz = true
		}
		if ch.Port == 0 {
			t.Errorf("[checks.%s] has no port", name)
		}
	}
	if !healthz {
		t.Errorf("no top-level [checks] entry for http://:%d/healthz: %+v", ops, c.Checks)
	}
	if c.Metrics == nil || c.Metrics.Port != ops || c.Metrics.Path != "/metrics" {
		t.Errorf("[metrics] must scrape :%d/metrics: %+v", ops, c.Metrics)
	}
	for _, secret := range []string{"TELEGRAM_BOT_TOKEN", "OPENAI_API_KEY", "ZALO_OA_SECRET_KEY", "ZALO_APP_SECRET", "ZALO_REFRESH_TOKEN"} {
		if _, ok := c.Env[secret]; ok {
			t.Errorf("secret %s is in [env]: use fly secrets", secret)
		}
	}
	if len(c.Mounts) != 1 || c.Mounts[0].Destination != path.Dir(c.Env["DB_PATH"]) {
		t.Errorf("the one volume must be mounted at DB_PATH's directory %q: %+v", path.Dir(c.Env["DB_PATH"]), c.Mounts)
	}
}

// TestDockerfileNonRoot: the final image runs as distroless's nonroot user
// and the data directory in it belongs to that user.
func TestDockerfileNonRoot(t *testing.T) {
	f, err := os.Open("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var user, base string
	dataOwned := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		switch strings.ToUpper(fields[0]) {
		case "FROM":
			base, user, dataOwned = fields[1], "", false
		case "USER":
			user = fields[1]
		case "COPY":
			if strings.Contains(sc.Text(), "--chown=65532:65532") && fields[len(fields)-1] == "/data" {
				dataOwned = true
			}
		}
	}
	if !strings.Contains(base, "distroless") || !strings.HasSuffix(base, ":nonroot") {
		t.Errorf("final image %q is not distroless nonroot", base)
	}
	if user != "65532:65532" && user != "nonroot" && user != "65532" {
		t.Errorf("final image runs as USER %q, want the nonroot user (65532)", user)
	}
	if !dataOwned {
		t.Error("/data in the image is not owned by the nonroot user")
	}
}
