package admin

import (
	"context"
	"net"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
)

// FederationAdmin is what admins and moderators see and change of the
// federation: outgoing deliveries (through the DeliveryLog port) and the domain
// policy (the configuration's entries and the admins' models.DomainPolicy rows,
// enforced by the federation edge through the DomainPolicy port). Handlers reach
// neither the queue nor the policy directly.
//
// by == nil means the operator (CLI and tests), as in Accounts.Moderate.
type FederationAdmin struct{ d Deps }

func staff(by *models.User) bool {
	return by == nil || by.Role == models.RoleAdmin || by.Role == models.RoleModerator
}

func (a *FederationAdmin) deliveryLog() (core.DeliveryLog, error) {
	if a.d.Deliveries == nil {
		return nil, errs.New(http.StatusServiceUnavailable, "the delivery queue is not available")
	}
	return a.d.Deliveries, nil
}

// Deliveries lists delivery jobs, newest first (admins and moderators).
func (a *FederationAdmin) Deliveries(ctx context.Context, by *models.User, f core.DeliveryFilter) ([]core.DeliveryInfo, error) {
	if !staff(by) {
		return nil, errs.Forbidden("only admins and moderators may see deliveries")
	}
	if f.State != "" && !core.ValidDeliveryState(f.State) {
		return nil, errs.BadRequest("state must be one of pending, scheduled, available, running, retryable, completed, cancelled, discarded")
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	f.Limit = min(f.Limit, 1000)
	log, err := a.deliveryLog()
	if err != nil {
		return nil, err
	}
	list, err := log.Deliveries(ctx, f)
	if err != nil {
		return nil, errs.Internal(err)
	}
	return list, nil
}

// DeliveryCounts counts delivery jobs by state (states without jobs are absent).
func (a *FederationAdmin) DeliveryCounts(ctx context.Context, by *models.User) (map[string]int64, error) {
	if !staff(by) {
		return nil, errs.Forbidden("only admins and moderators may see deliveries")
	}
	log, err := a.deliveryLog()
	if err != nil {
		return nil, err
	}
	counts, err := log.DeliveryCounts(ctx)
	if err != nil {
		return nil, errs.Internal(err)
	}
	return counts, nil
}

// Domain policy values (models.DomainPolicy.Policy).
const (
	PolicyBlock = "block"
	PolicyAllow = "allow"
)

// Sources of a DomainEntry.
const (
	SourceConfig = "config"
	SourceAdmin  = "admin"
)

// DomainEntry is one entry of the domain policy.
type DomainEntry struct {
	Domain string
	Policy string // PolicyBlock or PolicyAllow
	Reason string
	Source string    // SourceConfig or SourceAdmin
	At     time.Time // zero for the configuration's entries
}

// NormalizeDomain is the one spelling of a domain-policy entry or of a host
// checked against it: lower-case, no trailing dot, and without the scheme and
// path an admin may paste with it. A port is kept ("host.example:8443"): an
// entry with a port matches only that port. No IDNA mapping: entries are
// written in their punycode form.
func NormalizeDomain(d string) string {
	d = strings.ToLower(strings.TrimSpace(d))
	if i := strings.Index(d, "://"); i >= 0 {
		d = d[i+3:]
	}
	if i := strings.IndexAny(d, "/?#"); i >= 0 {
		d = d[:i]
	}
	if h, port, err := net.SplitHostPort(d); err == nil {
		h = strings.TrimSuffix(h, ".")
		if strings.Contains(h, ":") {
			return "[" + h + "]:" + port
		}
		return h + ":" + port
	}
	return strings.TrimSuffix(d, ".")
}

func validDomain(d string) bool {
	return d != "" && !strings.ContainsAny(d, " @\t\r\n") && !strings.HasPrefix(d, ".")
}

// AllowlistMode reports whether only allowed domains federate.
func (a *FederationAdmin) AllowlistMode() bool { return a.d.Cfg.Federation.AllowlistMode }

// DomainPolicies returns the configuration's and the admins' entries, by domain
// (admins and moderators).
func (a *FederationAdmin) DomainPolicies(ctx context.Context, by *models.User) ([]DomainEntry, error) {
	if !staff(by) {
		return nil, errs.Forbidden("only admins and moderators may see domain policies")
	}
	return a.domainPolicies(ctx)
}

func (a *FederationAdmin) domainPolicies(ctx context.Context) ([]DomainEntry, error) {
	var out []DomainEntry
	cfg := a.d.Cfg.Federation
	for _, set := range []struct {
		domains []string
		policy  string
	}{{cfg.BlockedDomains, PolicyBlock}, {cfg.AllowedDomains, PolicyAllow}} {
		for _, d := range set.domains {
			if d = NormalizeDomain(d); d != "" {
				out = append(out, DomainEntry{Domain: d, Policy: set.policy, Source: SourceConfig})
			}
		}
	}
	rows, err := a.d.Store.ListDomainPolicies(ctx)
	if err != nil {
		return nil, errs.Internal(err)
	}
	for _, r := range rows {
		out = append(out, DomainEntry{Domain: r.Domain, Policy: r.Policy, Reason: r.Reason, Source: SourceAdmin, At: r.CreatedAt})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Domain < out[j].Domain })
	return out, nil
}

// PutDomainPolicy adds (or replaces) an admin's entry: policy "" or PolicyBlock
// blocks domain and its subdomains; PolicyAllow allows it (used in allowlist
// mode). It applies at once in this process to fetches, inboxes and deliveries.
// Only admins may change the policy.
func (a *FederationAdmin) PutDomainPolicy(ctx context.Context, by *models.User, domain, policy, reason string) (*DomainEntry, error) {
	if by != nil && by.Role != models.RoleAdmin {
		return nil, errs.Forbidden("only admins may change domain policies")
	}
	switch policy {
	case "":
		policy = PolicyBlock
	case PolicyBlock, PolicyAllow:
	default:
		return nil, errs.Unprocessable("policy must be block or allow")
	}
	d := NormalizeDomain(domain)
	if !validDomain(d) {
		return nil, errs.Unprocessable("%q is not a domain", domain)
	}
	if policy == PolicyBlock && a.isOwnDomain(d) {
		return nil, errs.Unprocessable("%s is this server's own domain: it cannot be blocked", d)
	}
	row := &models.DomainPolicy{Domain: d, Policy: policy, Reason: strings.TrimSpace(reason), CreatedAt: a.d.Now()}
	if err := a.d.Store.PutDomainPolicy(ctx, row); err != nil {
		return nil, errs.Internal(err)
	}
	a.d.Log.Info("domain policy set", "domain", d, "policy", policy)
	if err := a.reload(ctx); err != nil {
		return nil, err
	}
	return &DomainEntry{Domain: d, Policy: policy, Reason: row.Reason, Source: SourceAdmin, At: row.CreatedAt}, nil
}

// RemoveDomainPolicy removes the admin's entry for domain (a block, or an allow
// in allowlist mode): 404 when there is none, 409 for an entry of the
// configuration file (it cannot be removed at run time). Only admins.
func (a *FederationAdmin) RemoveDomainPolicy(ctx context.Context, by *models.User, domain string) error {
	if by != nil && by.Role != models.RoleAdmin {
		return errs.Forbidden("only admins may change domain policies")
	}
	d := NormalizeDomain(domain)
	list, err := a.domainPolicies(ctx)
	if err != nil {
		return err
	}
	found := false
	for _, e := range list {
		if e.Domain != d {
			continue
		}
		if e.Source != SourceAdmin {
			return errs.Conflict("%s is set in the configuration file", d)
		}
		found = true
	}
	if !found {
		return errs.NotFound("no domain block for %s", d)
	}
	if err := a.d.Store.DeleteDomainPolicy(ctx, d); err != nil {
		return errs.Internal(err)
	}
	a.d.Log.Info("domain policy removed", "domain", d)
	return a.reload(ctx)
}

// isOwnDomain reports whether a block of d would cover this server: d is its
// host:port, or d names no port and is its host name or a parent domain of it
// (blocks cover subdomains and, without a port, every port). Another port of
// the same host is another server (instances side by side on one machine).
func (a *FederationAdmin) isOwnDomain(d string) bool {
	ownHP := strings.ToLower(a.d.Cfg.PublicHost())
	if d == ownHP {
		return true
	}
	if _, _, err := net.SplitHostPort(d); err == nil {
		own, port := hostOnly(ownHP), "443"
		if _, p, err := net.SplitHostPort(ownHP); err == nil {
			port = p
		} else if strings.HasPrefix(a.d.Cfg.Server.PublicURL, "http://") {
			port = "80"
		}
		return d == own+":"+port
	}
	own := hostOnly(ownHP)
	return own != "" && (d == own || strings.HasSuffix(own, "."+d))
}

func hostOnly(hp string) string {
	if h, _, err := net.SplitHostPort(hp); err == nil {
		return strings.Trim(h, "[]")
	}
	return strings.Trim(hp, "[]")
}

// reload tells the enforcing edge (when wired) to re-read the entries.
func (a *FederationAdmin) reload(ctx context.Context) error {
	if a.d.Domains == nil {
		return nil
	}
	if err := a.d.Domains.Reload(ctx); err != nil {
		return errs.Internal(err)
	}
	return nil
}
