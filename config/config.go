// Package config loads commonsd's configuration: defaults, then a YAML file, then
// environment variables named COMMONSD_<SECTION>_<KEY> (or COMMONSD_<KEY> for
// top-level keys such as data_dir). Validation reports every bad key at once so an
// operator fixes the whole file in one go instead of one restart per mistake.
package config

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Config is the whole configuration. The yaml tags are also the source of the
// environment variable names, so a key documented in config.example.yaml always has
// an environment override.
type Config struct {
	DataDir    string     `yaml:"data_dir"`
	Server     Server     `yaml:"server"`
	Database   Database   `yaml:"database"`
	Instance   Instance   `yaml:"instance"`
	Federation Federation `yaml:"federation"`
	Log        Log        `yaml:"log"`
	Media      Media      `yaml:"media"`
	Security   Security   `yaml:"security"`
	Queue      Queue      `yaml:"queue"`
	SMTP       SMTP       `yaml:"smtp"`
	// Notifications bounds how long and how many in-app notifications are kept.
	Notifications Notifications `yaml:"notifications"`
}

// Notifications is how the daily prune job (service/notifications.PruneJob)
// keeps the notifications table small: read notifications older than
// Retention are deleted, and nobody keeps more than MaxPerUser (the newest;
// unread ones are deleted only beyond that cap).
type Notifications struct {
	// Retention: 90 days by default. A read notification is history nobody
	// looks for after a season (Mastodon's notification list goes back about as
	// far in practice), long enough for a digest, an appeal or a report to be
	// looked up again, short enough that a busy account's table stays small.
	Retention time.Duration `yaml:"retention"`
	// MaxPerUser: 2000 by default, ten times what the app pages through in a
	// session; an account flooded by mentions keeps its newest.
	MaxPerUser int `yaml:"max_per_user"`
}

// SMTP is the mail server notifications (and account recovery) are sent
// through. An empty Host turns e-mail off.
type SMTP struct {
	Host string `yaml:"host"`
	Port int    `yaml:"port"`
	// TLS is none (plain text: only for a relay on the same machine), starttls
	// (upgrade, required: port 587) or tls (implicit TLS: port 465).
	TLS      string `yaml:"tls"`
	Username string `yaml:"username"` // empty: no authentication
	Password string `yaml:"password"`
	From     string `yaml:"from"` // the sender, e.g. "Seed Library <noreply@seeds.example>"
}

// Server is the HTTP listener and the public identity of the instance.
type Server struct {
	Listen          string        `yaml:"listen"`
	PublicURL       string        `yaml:"public_url"`
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"`
	// TrustProxy makes the server read the client IP from X-Forwarded-For (only set it
	// behind a reverse proxy you control).
	TrustProxy bool `yaml:"trust_proxy"`
	// MetricsListen is a separate address for /metrics (Prometheus). Empty: no
	// metrics endpoint at all. Metrics reveal routes, traffic and pool sizes, so
	// they are never served on the public listener.
	MetricsListen string `yaml:"metrics_listen"`
	// ReadTimeout bounds reading one whole request, headers and body, so a
	// client that stalls cannot hold a connection (headers alone get at most
	// 10 s of it).
	ReadTimeout time.Duration `yaml:"read_timeout"`
	// RequestTimeout is the deadline of every handler's context: database
	// queries and outgoing fetches made for one request give up after it.
	RequestTimeout time.Duration `yaml:"request_timeout"`
	// IdleTimeout closes a kept-alive connection with no request for this long.
	IdleTimeout time.Duration `yaml:"idle_timeout"`
}

// Database selects the store.
type Database struct {
	Driver       string `yaml:"driver"` // sqlite | postgres
	DSN          string `yaml:"dsn"`    // empty with sqlite: <data_dir>/commonsd.db
	MaxOpenConns int    `yaml:"max_open_conns"`
}

// Instance holds what the instance says about itself.
type Instance struct {
	Name             string `yaml:"name"`
	Description      string `yaml:"description"`
	ContactEmail     string `yaml:"contact_email"`
	RegistrationMode string `yaml:"registration_mode"` // open | approval | closed
	// CommunityCreation says who may create communities: "members" or "admins".
	CommunityCreation string `yaml:"community_creation"`
}

// Federation holds the ActivityPub policy knobs.
type Federation struct {
	// AllowPrivateAddresses lifts SSRF protection: for tests and development only.
	AllowPrivateAddresses bool     `yaml:"allow_private_addresses"`
	AuthorizedFetch       bool     `yaml:"authorized_fetch"`
	BlockedDomains        []string `yaml:"blocked_domains"`
	AllowlistMode         bool     `yaml:"allowlist_mode"`
	AllowedDomains        []string `yaml:"allowed_domains"`
	DeliveryWorkers       int      `yaml:"delivery_workers"`
	PerHostConcurrency    int      `yaml:"per_host_concurrency"`
	// PollUpdateWindow debounces the Update{Question} a proposal's votes cause:
	// at most one per proposal per window.
	PollUpdateWindow time.Duration `yaml:"poll_update_window"`
}

// Log configures log/slog.
type Log struct {
	Format string `yaml:"format"` // text | json
	Level  string `yaml:"level"`  // debug | info | warn | error
}

// Media limits uploads.
type Media struct {
	MaxAvatarBytes int64 `yaml:"max_avatar_bytes"`
	// MaxAttachmentBytes bounds each file attached to a contribution (at most 4 per contribution).
	MaxAttachmentBytes int64 `yaml:"max_attachment_bytes"`
}

// Security holds secrets and auth limits.
type Security struct {
	// SecretKey encrypts actors' private keys at rest. Empty: a random key is created
	// once in <data_dir>/secret.key. Several processes on one PostgreSQL must share it.
	SecretKey              string        `yaml:"secret_key"`
	SessionLifetime        time.Duration `yaml:"session_lifetime"`
	LoginAttemptsPerMinute int           `yaml:"login_attempts_per_minute"`
	// InsecureCookies drops the Secure flag even on an https public URL (never in production).
	InsecureCookies bool `yaml:"insecure_cookies"`
}

// Queue tunes the durable job queue.
type Queue struct {
	JobTimeout           time.Duration `yaml:"job_timeout"`
	RescueStuckJobsAfter time.Duration `yaml:"rescue_stuck_jobs_after"`
	MaxAttempts          int           `yaml:"max_attempts"`
}

// Default returns the configuration a fresh clone runs with.
func Default() Config {
	return Config{
		DataDir: "./data",
		Server: Server{
			Listen:          "127.0.0.1:8080",
			PublicURL:       "http://127.0.0.1:8080",
			ShutdownTimeout: 15 * time.Second,
			ReadTimeout:     time.Minute,
			RequestTimeout:  time.Minute,
			IdleTimeout:     2 * time.Minute,
		},
		Database: Database{Driver: "sqlite", MaxOpenConns: 20},
		Instance: Instance{
			Name:              "commonsd",
			Description:       "A commons-based community on the fediverse.",
			RegistrationMode:  "open",
			CommunityCreation: "members",
		},
		Federation: Federation{DeliveryWorkers: 64, PerHostConcurrency: 16, PollUpdateWindow: time.Minute},
		Log:        Log{Format: "text", Level: "info"},
		Media:      Media{MaxAvatarBytes: 2 << 20, MaxAttachmentBytes: 8 << 20},
		Security: Security{
			SessionLifetime:        30 * 24 * time.Hour,
			LoginAttemptsPerMinute: 10,
		},
		Queue:         Queue{JobTimeout: time.Minute, RescueStuckJobsAfter: 5 * time.Minute, MaxAttempts: 25},
		SMTP:          SMTP{Port: 587, TLS: "starttls"},
		Notifications: Notifications{Retention: 90 * 24 * time.Hour, MaxPerUser: 2000},
	}
}

// Load reads defaults, the optional YAML file and the environment, then validates.
func Load(path string, environ []string) (Config, error) {
	cfg := Default()
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return cfg, fmt.Errorf("config: %w", err)
		}
		dec := yaml.NewDecoder(strings.NewReader(string(data)))
		dec.KnownFields(true)
		if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
			return cfg, fmt.Errorf("config %s: %w", path, err)
		}
	}
	var problems []string
	problems = append(problems, applyEnv(&cfg, environ)...)
	problems = append(problems, cfg.validate()...)
	if len(problems) > 0 {
		return cfg, &ValidationError{Problems: problems}
	}
	cfg.normalise()
	return cfg, nil
}

// ValidationError lists every bad key.
type ValidationError struct{ Problems []string }

func (e *ValidationError) Error() string {
	return "invalid configuration:\n  - " + strings.Join(e.Problems, "\n  - ")
}

// EnvName returns the environment variable for a dotted key such as "server.listen".
func EnvName(key string) string {
	return "COMMONSD_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// applyEnv walks the struct by yaml tags and applies COMMONSD_* overrides. An
// unknown COMMONSD_ variable is refused (a misspelt key must not be ignored), except
// the tests' own, which all carry the COMMONSD_TEST_ prefix
// (TestCLIStartsWithEveryTestVariableSet in cmd/commonsd holds the repository to it).
func applyEnv(cfg *Config, environ []string) []string {
	env := map[string]string{}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, "COMMONSD_") {
			env[k] = v
		}
	}
	var problems []string
	known := map[string]bool{}
	walk(reflect.ValueOf(cfg).Elem(), "", func(key string, f reflect.Value) {
		name := EnvName(key)
		known[name] = true
		raw, ok := env[name]
		if !ok {
			return
		}
		if err := setField(f, raw); err != nil {
			problems = append(problems, fmt.Sprintf("%s (%s): %v", key, name, err))
		}
	})
	for k := range env {
		if !known[k] && !strings.HasPrefix(k, "COMMONSD_TEST_") {
			problems = append(problems, fmt.Sprintf("%s: unknown configuration variable", k))
		}
	}
	return problems
}

// Keys lists every dotted configuration key; config.example.yaml is tested against it.
func Keys() []string {
	var keys []string
	cfg := Default()
	walk(reflect.ValueOf(&cfg).Elem(), "", func(key string, _ reflect.Value) { keys = append(keys, key) })
	return keys
}

func walk(v reflect.Value, prefix string, fn func(key string, f reflect.Value)) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		if tag == "" || tag == "-" {
			continue
		}
		key := tag
		if prefix != "" {
			key = prefix + "." + tag
		}
		f := v.Field(i)
		if f.Kind() == reflect.Struct {
			walk(f, key, fn)
			continue
		}
		fn(key, f)
	}
}

func setField(f reflect.Value, raw string) error {
	switch f.Interface().(type) {
	case time.Duration:
		d, err := time.ParseDuration(raw)
		if err != nil {
			return fmt.Errorf("not a duration (e.g. 30s, 5m): %q", raw)
		}
		f.SetInt(int64(d))
		return nil
	case []string:
		var out []string
		for _, s := range strings.Split(raw, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		f.Set(reflect.ValueOf(out))
		return nil
	}
	switch f.Kind() {
	case reflect.String:
		f.SetString(raw)
	case reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return fmt.Errorf("not a boolean: %q", raw)
		}
		f.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return fmt.Errorf("not an integer: %q", raw)
		}
		f.SetInt(n)
	default:
		return fmt.Errorf("unsupported type %s", f.Kind())
	}
	return nil
}

func oneOf(v string, allowed ...string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

func (c *Config) validate() []string {
	var p []string
	bad := func(key, format string, args ...any) {
		p = append(p, fmt.Sprintf("%s (%s): %s", key, EnvName(key), fmt.Sprintf(format, args...)))
	}
	if _, _, err := net.SplitHostPort(c.Server.Listen); err != nil {
		bad("server.listen", "must be host:port, got %q", c.Server.Listen)
	}
	if u, err := url.Parse(c.Server.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		bad("server.public_url", "must be an absolute http(s) URL with no path, got %q", c.Server.PublicURL)
	}
	if c.Server.ShutdownTimeout <= 0 {
		bad("server.shutdown_timeout", "must be positive")
	}
	if c.Server.MetricsListen != "" {
		if _, _, err := net.SplitHostPort(c.Server.MetricsListen); err != nil {
			bad("server.metrics_listen", "must be empty or host:port, got %q", c.Server.MetricsListen)
		} else if c.Server.MetricsListen == c.Server.Listen {
			bad("server.metrics_listen", "must differ from server.listen: metrics are not public")
		}
	}
	for key, d := range map[string]time.Duration{"server.read_timeout": c.Server.ReadTimeout,
		"server.request_timeout": c.Server.RequestTimeout, "server.idle_timeout": c.Server.IdleTimeout,
		"federation.poll_update_window": c.Federation.PollUpdateWindow} {
		if d <= 0 {
			bad(key, "must be positive")
		}
	}
	if !oneOf(c.Database.Driver, "sqlite", "postgres") {
		bad("database.driver", "must be sqlite or postgres, got %q", c.Database.Driver)
	}
	if c.Database.Driver == "postgres" && c.Database.DSN == "" {
		bad("database.dsn", "is required with the postgres driver")
	}
	if c.Database.MaxOpenConns < 1 {
		bad("database.max_open_conns", "must be at least 1")
	}
	if c.DataDir == "" {
		bad("data_dir", "must not be empty")
	}
	if strings.TrimSpace(c.Instance.Name) == "" {
		bad("instance.name", "must not be empty")
	}
	if !oneOf(c.Instance.RegistrationMode, "open", "approval", "closed") {
		bad("instance.registration_mode", "must be open, approval or closed, got %q", c.Instance.RegistrationMode)
	}
	if !oneOf(c.Instance.CommunityCreation, "members", "admins") {
		bad("instance.community_creation", "must be members or admins, got %q", c.Instance.CommunityCreation)
	}
	if !oneOf(c.Log.Format, "text", "json") {
		bad("log.format", "must be text or json, got %q", c.Log.Format)
	}
	if !oneOf(c.Log.Level, "debug", "info", "warn", "error") {
		bad("log.level", "must be debug, info, warn or error, got %q", c.Log.Level)
	}
	if c.Media.MaxAvatarBytes < 1024 {
		bad("media.max_avatar_bytes", "must be at least 1024")
	}
	if c.Media.MaxAttachmentBytes < 1024 {
		bad("media.max_attachment_bytes", "must be at least 1024")
	}
	if c.Federation.DeliveryWorkers < 1 {
		bad("federation.delivery_workers", "must be at least 1")
	}
	if c.Federation.PerHostConcurrency < 1 {
		bad("federation.per_host_concurrency", "must be at least 1")
	}
	if c.Security.SecretKey != "" && len(c.Security.SecretKey) < 32 {
		bad("security.secret_key", "must be at least 32 characters")
	}
	if c.Security.SessionLifetime < time.Minute {
		bad("security.session_lifetime", "must be at least 1m")
	}
	if c.Security.LoginAttemptsPerMinute < 1 {
		bad("security.login_attempts_per_minute", "must be at least 1")
	}
	if c.Queue.JobTimeout <= 0 {
		bad("queue.job_timeout", "must be positive")
	}
	if c.Queue.RescueStuckJobsAfter <= c.Queue.JobTimeout {
		bad("queue.rescue_stuck_jobs_after", "must be longer than queue.job_timeout")
	}
	if c.Notifications.Retention < time.Hour {
		bad("notifications.retention", "must be at least 1h")
	}
	if c.Notifications.MaxPerUser < 1 {
		bad("notifications.max_per_user", "must be at least 1")
	}
	if c.Queue.MaxAttempts < 1 {
		bad("queue.max_attempts", "must be at least 1")
	}
	if c.SMTP.Host != "" {
		if c.SMTP.Port < 1 || c.SMTP.Port > 65535 {
			bad("smtp.port", "must be between 1 and 65535, got %d", c.SMTP.Port)
		}
		if !oneOf(c.SMTP.TLS, "none", "starttls", "tls") {
			bad("smtp.tls", "must be none, starttls or tls, got %q", c.SMTP.TLS)
		}
		if a, err := mail.ParseAddress(c.SMTP.From); err != nil || a.Address == "" {
			bad("smtp.from", "must be an e-mail address (optionally with a name), got %q", c.SMTP.From)
		}
		if (c.SMTP.Username == "") != (c.SMTP.Password == "") {
			bad("smtp.password", "smtp.username and smtp.password go together")
		}
		if c.SMTP.TLS == "none" && c.SMTP.Username != "" && !oneOf(c.SMTP.Host, "localhost", "127.0.0.1", "::1") {
			bad("smtp.tls", "none sends the password in plain text: only for a relay on this machine (localhost); use starttls or tls")
		}
	}
	return p
}

func (c *Config) normalise() {
	c.Server.PublicURL = strings.TrimRight(c.Server.PublicURL, "/")
	if c.Database.Driver == "sqlite" && c.Database.DSN == "" {
		c.Database.DSN = filepath.Join(c.DataDir, "commonsd.db")
	}
	for i, d := range c.Federation.BlockedDomains {
		c.Federation.BlockedDomains[i] = strings.ToLower(d)
	}
	for i, d := range c.Federation.AllowedDomains {
		c.Federation.AllowedDomains[i] = strings.ToLower(d)
	}
}

// PublicHost is the host[:port] of the public URL: the domain part of every handle.
func (c *Config) PublicHost() string {
	u, _ := url.Parse(c.Server.PublicURL)
	return u.Host
}

// PublicScheme is http or https.
func (c *Config) PublicScheme() string {
	u, _ := url.Parse(c.Server.PublicURL)
	return u.Scheme
}
