package fetch

import (
	"context"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/store"
)

// Policy values of models.DomainPolicy (the service's).
const (
	PolicyBlock = service.PolicyBlock
	PolicyAllow = service.PolicyAllow
)

// PolicyTTL is how long a Policy trusts its copy of the admins' entries
// before reading the table again, so that a block made by another process
// (web and worker processes share one database) applies within it.
const PolicyTTL = 30 * time.Second

// Policy is the domain policy enforced on inbox, fetch and delivery: the
// configuration's blocked domains (and allowlist mode with its allowed
// domains) merged with the entries admins add at run time
// (models.DomainPolicy rows). It only reads: the rule and the admins' writes
// are the service's (service.FederationAdmin), which calls Reload through its
// DomainPolicy port after a change. It is safe for concurrent use.
//
// An entry matches its domain and every subdomain ("evil.example" blocks
// "a.evil.example"). An entry without a port matches every port; an entry
// with one ("host.example:8443") only that port. Hosts and entries are
// compared lower-case without a trailing dot (no IDNA mapping: write
// entries in their punycode form).
type Policy struct {
	st  *store.Store
	log *slog.Logger
	now func() time.Time

	allowlist  bool
	cfgBlocked map[string]bool
	cfgAllowed map[string]bool

	reloading atomic.Bool

	mu       sync.RWMutex
	loadedAt time.Time
	loaded   bool
	blocked  map[string]bool // config ∪ admin
	allowed  map[string]bool
}

// NewPolicy builds the policy; st may be nil (configuration only).
func NewPolicy(cfg config.Federation, st *store.Store, log *slog.Logger) *Policy {
	if log == nil {
		log = slog.Default()
	}
	p := &Policy{st: st, log: log, now: time.Now, allowlist: cfg.AllowlistMode,
		cfgBlocked: map[string]bool{}, cfgAllowed: map[string]bool{}}
	for _, d := range cfg.BlockedDomains {
		if d = normDomain(d); d != "" {
			p.cfgBlocked[d] = true
		}
	}
	for _, d := range cfg.AllowedDomains {
		if d = normDomain(d); d != "" {
			p.cfgAllowed[d] = true
		}
	}
	p.blocked, p.allowed = p.cfgBlocked, p.cfgAllowed
	return p
}

// Reload reads the admins' entries now (service.DomainPolicy).
func (p *Policy) Reload(ctx context.Context) error {
	if p.st == nil {
		return nil
	}
	rows, err := p.st.ListDomainPolicies(ctx)
	if err != nil {
		return err
	}
	blocked, allowed := copySet(p.cfgBlocked), copySet(p.cfgAllowed)
	for _, r := range rows {
		d := normDomain(r.Domain)
		switch r.Policy {
		case PolicyBlock:
			blocked[d] = true
		case PolicyAllow:
			allowed[d] = true
		}
	}
	p.mu.Lock()
	p.blocked, p.allowed, p.loadedAt, p.loaded = blocked, allowed, p.now(), true
	p.mu.Unlock()
	return nil
}

// refresh reloads when the copy is older than PolicyTTL. The first load is
// synchronous (New's caller loads at start-up); later ones run in the background
// while the current copy answers: Allowed is called inside transactions, and on
// SQLite a transaction holds the only connection, so a synchronous reload there
// would wait for itself. On a database error the previous copy stays (the
// configuration's entries always apply).
func (p *Policy) refresh() {
	if p.st == nil {
		return
	}
	p.mu.RLock()
	loaded, fresh := p.loaded, p.loaded && p.now().Sub(p.loadedAt) < PolicyTTL
	p.mu.RUnlock()
	if fresh {
		return
	}
	if loaded {
		if p.reloading.CompareAndSwap(false, true) {
			go func() {
				defer p.reloading.Store(false)
				p.reload()
			}()
		}
		return
	}
	p.reload()
}

func (p *Policy) reload() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := p.Reload(ctx); err != nil {
		p.log.Warn("domain policy: reload failed; keeping the previous entries", "err", err)
		p.mu.Lock()
		p.loadedAt, p.loaded = p.now(), true // retry after the TTL, not on every call
		p.mu.Unlock()
	}
}

// Allowed reports whether we talk to host (a URL's host[:port]): it is not
// blocked, and in allowlist mode it is allowed.
func (p *Policy) Allowed(host string) bool {
	if p == nil {
		return true
	}
	p.refresh()
	cands := candidates(host)
	if len(cands) == 0 {
		return false
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	for _, c := range cands {
		if p.blocked[c] {
			return false
		}
	}
	if !p.allowlist {
		return true
	}
	for _, c := range cands {
		if p.allowed[c] {
			return true
		}
	}
	return false
}

// AllowlistMode reports whether only allowed domains federate.
func (p *Policy) AllowlistMode() bool { return p.allowlist }

var _ service.DomainPolicy = (*Policy)(nil)

// normDomain is the service's one spelling of a domain-policy entry or host.
func normDomain(d string) string { return service.NormalizeDomain(d) }

// candidates lists the entries that would match host: the host and each
// parent domain, each with and without the port.
func candidates(host string) []string {
	host = normDomain(host)
	if host == "" {
		return nil
	}
	name, port := host, ""
	if h, p, err := net.SplitHostPort(host); err == nil {
		name, port = h, p
	}
	name = strings.Trim(name, "[]")
	var out []string
	add := func(n string) {
		if port != "" {
			if strings.Contains(n, ":") {
				out = append(out, "["+n+"]:"+port)
			} else {
				out = append(out, n+":"+port)
			}
		}
		if strings.Contains(n, ":") {
			out = append(out, "["+n+"]", n)
		} else {
			out = append(out, n)
		}
	}
	if _, err := netip.ParseAddr(name); err == nil { // IP literal: no parents
		add(name)
		return out
	}
	for n := name; n != ""; {
		add(n)
		i := strings.IndexByte(n, '.')
		if i < 0 {
			break
		}
		n = n[i+1:]
	}
	return out
}

func copySet(m map[string]bool) map[string]bool {
	out := make(map[string]bool, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
