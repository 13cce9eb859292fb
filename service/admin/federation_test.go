package admin_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/service/servicetest"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

// fakePolicy records reloads and blocks what its blocked set names.
type fakePolicy struct {
	mu      sync.Mutex
	reloads int
	blocked map[string]bool
}

func (p *fakePolicy) Allowed(host string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return !p.blocked[host]
}

func (p *fakePolicy) Reload(context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.reloads++
	return nil
}

// fakeDeliveries answers with what it was given and records the filter.
type fakeDeliveries struct{ got service.DeliveryFilter }

func (d *fakeDeliveries) Deliveries(_ context.Context, f service.DeliveryFilter) ([]service.DeliveryInfo, error) {
	d.got = f
	return []service.DeliveryInfo{{JobID: 1, Host: "b.example", State: service.DeliveryCompleted}}, nil
}

func (d *fakeDeliveries) DeliveryCounts(context.Context) (map[string]int64, error) {
	return map[string]int64{service.DeliveryCompleted: 1}, nil
}

var (
	adminUser  = &models.User{ID: "a", Role: models.RoleAdmin}
	modUser    = &models.User{ID: "m", Role: models.RoleModerator}
	memberUser = &models.User{ID: "u", Role: models.RoleMember}
)

// The domain policy's rules live in the service: who may read and change it, the
// spelling of entries, configuration entries that cannot be removed, and the
// reload of the enforcing edge after every change.
func TestDomainPolicyRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := servicetest.New(t, st, func(c *config.Config) { c.Federation.BlockedDomains = []string{"Config.Example."} })
		pol := &fakePolicy{}
		s.SetPorts(nil, nil, pol)
		a := s.Admin

		put := []struct {
			name, domain, policy string
			by                   *models.User
			status               int
			want                 string // stored domain
		}{
			{"admin blocks a pasted URL", "https://Spam.Example/about", "", adminUser, 0, "spam.example"},
			{"admin allows with a port", "friends.example:8443", service.PolicyAllow, adminUser, 0, "friends.example:8443"},
			{"operator (nil) blocks", "evil.example.", service.PolicyBlock, nil, 0, "evil.example"},
			{"moderator may not", "x.example", "", modUser, http.StatusForbidden, ""},
			{"member may not", "x.example", "", memberUser, http.StatusForbidden, ""},
			{"not a domain", "bad domain@x", "", adminUser, http.StatusUnprocessableEntity, ""},
			{"empty", "  ", "", adminUser, http.StatusUnprocessableEntity, ""},
			{"unknown policy", "y.example", "silence", adminUser, http.StatusUnprocessableEntity, ""},
			{"own domain", s.Cfg.PublicHost(), "", adminUser, http.StatusUnprocessableEntity, ""},
			{"own host, every port", "https://" + hostNoPort(s.Cfg.PublicHost()) + "/", "", nil, http.StatusUnprocessableEntity, ""},
		}
		for _, tc := range put {
			before := pol.reloads
			e, err := a.PutDomainPolicy(ctx, tc.by, tc.domain, tc.policy, " why ")
			if servicetest.Status(err) != tc.status {
				t.Fatalf("%s: status %d (%v), want %d", tc.name, servicetest.Status(err), err, tc.status)
			}
			if tc.status != 0 {
				if pol.reloads != before {
					t.Errorf("%s: refused change reloaded the policy", tc.name)
				}
				continue
			}
			if e.Domain != tc.want || e.Source != service.SourceAdmin || e.Reason != "why" || e.At.IsZero() {
				t.Errorf("%s: entry %+v", tc.name, e)
			}
			if pol.reloads != before+1 {
				t.Errorf("%s: policy not reloaded", tc.name)
			}
		}

		if _, err := a.DomainPolicies(ctx, memberUser); servicetest.Status(err) != http.StatusForbidden {
			t.Errorf("member listed domain policies: %v", err)
		}
		list, err := a.DomainPolicies(ctx, modUser)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range list {
			got = append(got, e.Domain+" "+e.Policy+" "+e.Source)
		}
		want := "config.example block config|evil.example block admin|friends.example:8443 allow admin|spam.example block admin"
		if strings.Join(got, "|") != want {
			t.Errorf("list:\n got %s\nwant %s", strings.Join(got, "|"), want)
		}

		remove := []struct {
			name, domain string
			by           *models.User
			status       int
		}{
			{"moderator may not", "spam.example", modUser, http.StatusForbidden},
			{"configuration entry", "config.example", adminUser, http.StatusConflict},
			{"unknown", "nothing.example", adminUser, http.StatusNotFound},
			{"admin removes (any spelling)", "SPAM.example.", adminUser, 0},
			{"already removed", "spam.example", adminUser, http.StatusNotFound},
		}
		for _, tc := range remove {
			if err := a.RemoveDomainPolicy(ctx, tc.by, tc.domain); servicetest.Status(err) != tc.status {
				t.Errorf("%s: status %d (%v), want %d", tc.name, servicetest.Status(err), err, tc.status)
			}
		}
		rows, err := st.ListDomainPolicies(ctx)
		if err != nil || len(rows) != 2 {
			t.Errorf("rows after removal: %+v %v", rows, err)
		}
	})
}

func TestNormalizeDomain(t *testing.T) {
	for in, want := range map[string]string{
		"Example.ORG.":                  "example.org",
		"https://a.example/path?q#f":    "a.example",
		"host.example:8443":             "host.example:8443",
		"HOST.example.:8443":            "host.example:8443",
		"[2001:DB8::1]:443":             "[2001:db8::1]:443",
		" spaced.example ":              "spaced.example",
		"http://user.example:80/inbox/": "user.example:80",
	} {
		if got := service.NormalizeDomain(in); got != want {
			t.Errorf("NormalizeDomain(%q) = %q, want %q", in, got, want)
		}
	}
}

// Deliveries are staff-only, validated and bounded in the service; without a
// queue the answer is 503, not a crash.
func TestAdminDeliveries(t *testing.T) {
	st := storetest.Open(t, "sqlite")
	ctx := context.Background()
	s := servicetest.New(t, st)
	if _, err := s.Admin.DeliveryCounts(ctx, adminUser); servicetest.Status(err) != http.StatusServiceUnavailable {
		t.Fatalf("without a queue: %v", err)
	}
	d := &fakeDeliveries{}
	s.SetQueue(nil, d)
	tests := []struct {
		name      string
		by        *models.User
		f         service.DeliveryFilter
		status    int
		wantLimit int
	}{
		{"member", memberUser, service.DeliveryFilter{}, http.StatusForbidden, 0},
		{"bad state", modUser, service.DeliveryFilter{State: "bogus"}, http.StatusBadRequest, 0},
		{"default limit", modUser, service.DeliveryFilter{State: service.DeliveryRetryable}, 0, 100},
		{"capped limit", adminUser, service.DeliveryFilter{Limit: 5000}, 0, 1000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d.got = service.DeliveryFilter{}
			list, err := s.Admin.Deliveries(ctx, tc.by, tc.f)
			if servicetest.Status(err) != tc.status {
				t.Fatalf("status %d (%v), want %d", servicetest.Status(err), err, tc.status)
			}
			if tc.status == 0 && (len(list) != 1 || d.got.Limit != tc.wantLimit || d.got.State != tc.f.State) {
				t.Errorf("list %+v, filter passed %+v", list, d.got)
			}
		})
	}
	if _, err := s.Admin.DeliveryCounts(ctx, memberUser); servicetest.Status(err) != http.StatusForbidden {
		t.Errorf("member counted deliveries: %v", err)
	}
	if c, err := s.Admin.DeliveryCounts(ctx, modUser); err != nil || c[service.DeliveryCompleted] != 1 {
		t.Errorf("counts %v %v", c, err)
	}
}

func hostNoPort(hp string) string {
	if i := strings.LastIndex(hp, ":"); i > 0 {
		return hp[:i]
	}
	return hp
}

func TestOwnDomainCannotBeBlocked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := servicetest.New(t, st, func(c *config.Config) { c.Server.PublicURL = "https://commons.example.org" })
		for _, d := range []string{"commons.example.org", "COMMONS.example.org:443", "https://commons.example.org/", "example.org", "org"} {
			if _, err := s.Admin.PutDomainPolicy(context.Background(), adminUser, d, "", ""); servicetest.Status(err) != http.StatusUnprocessableEntity ||
				!strings.Contains(err.Error(), "own domain") {
				t.Errorf("%s: %v", d, err)
			}
		}
		for _, d := range []string{"other.example.org", "mple.org", "commons.example.org:8443"} {
			if _, err := s.Admin.PutDomainPolicy(context.Background(), adminUser, d, "", ""); err != nil {
				t.Errorf("%s: %v", d, err)
			}
		}
	})
}
