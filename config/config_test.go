package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

func TestDefaultsAreValid(t *testing.T) {
	cfg, err := Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Server.Listen != "127.0.0.1:8080" || cfg.Server.PublicURL != "http://127.0.0.1:8080" || cfg.Database.Driver != "sqlite" {
		t.Fatalf("defaults changed: %+v", cfg.Server)
	}
	if cfg.Database.DSN != filepath.Join("data", "commonsd.db") {
		t.Fatalf("sqlite dsn = %q", cfg.Database.DSN)
	}
}

func TestEnvOverrides(t *testing.T) {
	cfg, err := Load("", []string{
		"COMMONSD_SERVER_LISTEN=0.0.0.0:9000",
		"COMMONSD_SERVER_PUBLIC_URL=https://commons.example/",
		"COMMONSD_DATABASE_DRIVER=postgres",
		"COMMONSD_DATABASE_DSN=postgres://x@y/z",
		"COMMONSD_DATA_DIR=/var/lib/commonsd",
		"COMMONSD_FEDERATION_BLOCKED_DOMAINS=Bad.example, worse.example",
		"COMMONSD_QUEUE_JOB_TIMEOUT=30s",
		"COMMONSD_FEDERATION_ALLOW_PRIVATE_ADDRESSES=true",
		"PATH=/bin",
	})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Server.Listen != "0.0.0.0:9000" || cfg.Server.PublicURL != "https://commons.example" ||
		cfg.Database.Driver != "postgres" || cfg.DataDir != "/var/lib/commonsd" ||
		cfg.Queue.JobTimeout != 30*time.Second || !cfg.Federation.AllowPrivateAddresses ||
		strings.Join(cfg.Federation.BlockedDomains, ",") != "bad.example,worse.example" {
		t.Fatalf("overrides not applied: %+v", cfg)
	}
	if cfg.PublicHost() != "commons.example" || cfg.PublicScheme() != "https" {
		t.Fatal(cfg.PublicHost(), cfg.PublicScheme())
	}
}

func TestValidationReportsEveryBadKey(t *testing.T) {
	cases := []struct {
		name string
		env  []string
		want []string
	}{
		{"many at once", []string{"COMMONSD_SERVER_LISTEN=nope", "COMMONSD_DATABASE_DRIVER=mysql", "COMMONSD_INSTANCE_REGISTRATION_MODE=maybe"},
			[]string{"server.listen", "database.driver", "instance.registration_mode"}},
		{"public url with path", []string{"COMMONSD_SERVER_PUBLIC_URL=https://x.example/sub"}, []string{"server.public_url"}},
		{"public url scheme", []string{"COMMONSD_SERVER_PUBLIC_URL=ftp://x.example"}, []string{"server.public_url"}},
		{"postgres without dsn", []string{"COMMONSD_DATABASE_DRIVER=postgres"}, []string{"database.dsn"}},
		{"bad bool and duration", []string{"COMMONSD_FEDERATION_AUTHORIZED_FETCH=sure", "COMMONSD_QUEUE_JOB_TIMEOUT=soon"},
			[]string{"federation.authorized_fetch", "queue.job_timeout"}},
		{"unknown variable", []string{"COMMONSD_SERVER_LISTN=1"}, []string{"COMMONSD_SERVER_LISTN"}},
		{"short secret", []string{"COMMONSD_SECURITY_SECRET_KEY=short"}, []string{"security.secret_key"}},
		{"smtp: port, tls mode, sender, half credentials", []string{"COMMONSD_SMTP_HOST=mail.example", "COMMONSD_SMTP_PORT=0",
			"COMMONSD_SMTP_TLS=ssl", "COMMONSD_SMTP_FROM=nobody", "COMMONSD_SMTP_USERNAME=u"},
			[]string{"smtp.port", "smtp.tls", "smtp.from", "smtp.password"}},
		{"smtp: a password in plain text to another host", []string{"COMMONSD_SMTP_HOST=mail.example", "COMMONSD_SMTP_TLS=none",
			"COMMONSD_SMTP_FROM=Seeds <noreply@seeds.example>", "COMMONSD_SMTP_USERNAME=u", "COMMONSD_SMTP_PASSWORD=p"}, []string{"smtp.tls"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load("", c.env)
			if err == nil {
				t.Fatal("accepted")
			}
			ve, ok := err.(*ValidationError)
			if !ok {
				t.Fatalf("not a ValidationError: %v", err)
			}
			if len(ve.Problems) != len(c.want) {
				t.Fatalf("problems %v, want %d", ve.Problems, len(c.want))
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %s", err, w)
				}
			}
		})
	}
}

func TestFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	os.WriteFile(good, []byte("server:\n  listen: 127.0.0.1:9999\ninstance:\n  name: Wiki\n"), 0o600)
	cfg, err := Load(good, []string{"COMMONSD_INSTANCE_NAME=Env wins"})
	if err != nil || cfg.Server.Listen != "127.0.0.1:9999" || cfg.Instance.Name != "Env wins" {
		t.Fatalf("%+v %v", cfg.Server, err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("server:\n  lisen: x\n"), 0o600)
	if _, err := Load(bad, nil); err == nil || !strings.Contains(err.Error(), "lisen") {
		t.Fatalf("unknown key accepted: %v", err)
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml"), nil); err == nil {
		t.Fatal("missing file accepted")
	}
}

// TestExampleDocumentsEveryKey keeps config.example.yaml complete and correct: it
// must load, equal the defaults, and mention every key.
func TestExampleDocumentsEveryKey(t *testing.T) {
	path := filepath.Join("..", "config.example.yaml")
	cfg, err := Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	def, _ := Load("", nil)
	a, _ := yaml.Marshal(cfg)
	b, _ := yaml.Marshal(def)
	if string(a) != string(b) {
		t.Fatalf("example differs from defaults:\n%s\nvs\n%s", a, b)
	}
	var raw map[string]any
	data, _ := os.ReadFile(path)
	yaml.Unmarshal(data, &raw)
	for _, k := range Keys() {
		var cur any = raw
		for _, part := range strings.Split(k, ".") {
			m, ok := cur.(map[string]any)
			if !ok {
				t.Fatalf("key %s missing", k)
			}
			if cur, ok = m[part]; !ok {
				t.Fatalf("config.example.yaml does not document %s", k)
			}
		}
	}
}
