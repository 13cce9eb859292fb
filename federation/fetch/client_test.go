package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/errs"
)

func TestCheckAddr(t *testing.T) {
	tests := []struct {
		ip      string
		refused bool
	}{
		{"127.0.0.1", true}, {"127.255.0.9", true}, {"::1", true},
		{"10.0.0.1", true}, {"172.16.5.4", true}, {"172.31.255.255", true}, {"192.168.1.1", true},
		{"169.254.169.254", true}, {"fe80::1", true}, {"fc00::1", true}, {"fd12:3456::1", true},
		{"224.0.0.1", true}, {"239.255.255.250", true}, {"ff02::1", true}, {"ff0e::1", true},
		{"0.0.0.0", true}, {"0.1.2.3", true}, {"::", true},
		{"100.64.0.1", true}, {"100.127.255.254", true}, {"255.255.255.255", true}, {"240.0.0.1", true},
		{"192.0.2.1", true}, {"198.18.0.1", true}, {"2001:db8::1", true}, {"192.0.0.8", true},
		{"::ffff:127.0.0.1", true}, {"::ffff:10.1.2.3", true}, {"::ffff:169.254.169.254", true},
		{"64:ff9b::a00:1", true}, {"64:ff9b::7f00:1", true}, {"2002:7f00:1::1", true}, {"2002:c0a8:101::", true},
		{"2001:0:4136:e378::1", true}, {"::127.0.0.1", true},
		// public
		{"1.1.1.1", false}, {"8.8.8.8", false}, {"93.184.216.34", false}, {"172.32.0.1", false},
		{"100.128.0.1", false}, {"11.0.0.1", false}, {"2606:4700:4700::1111", false},
		{"2a01:4f8::1", false}, {"::ffff:1.1.1.1", false}, {"64:ff9b::808:808", false}, {"2002:808:808::1", false},
	}
	for _, tt := range tests {
		err := CheckAddr(netip.MustParseAddr(tt.ip))
		if got := err != nil; got != tt.refused {
			t.Errorf("CheckAddr(%s) = %v, want refused=%v", tt.ip, err, tt.refused)
		}
		if err != nil && !errors.Is(err, ErrPrivateAddress) {
			t.Errorf("CheckAddr(%s) = %v, not ErrPrivateAddress", tt.ip, err)
		}
	}
	if CheckAddr(netip.Addr{}) == nil {
		t.Error("invalid address accepted")
	}
}

// TestClientRefusesPrivate dials with allowPrivate=false: the Control hook
// refuses before connect(2), so no packet leaves for 10.x or 169.254.x, and
// the loopback server is never hit.
func TestClientRefusesPrivate(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	c := NewHTTPClient(false, nil)
	for _, target := range []string{
		srv.URL,
		"http://localhost:" + port,
		"http://[::1]:" + port,
		"http://0.0.0.0:" + port,
		"http://10.0.0.1/",
		"http://169.254.169.254/latest/meta-data/",
		"http://[fd00::1]/",
		"http://100.64.0.1/",
	} {
		resp, err := c.Get(target)
		if err == nil {
			resp.Body.Close()
			t.Errorf("GET %s succeeded", target)
			continue
		}
		var ae *AddressError
		if !errors.Is(err, ErrPrivateAddress) || !errors.As(err, &ae) {
			t.Errorf("GET %s: %v, want an *AddressError from the dialer", target, err)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("server was hit %d times", n)
	}
	// The same client with allowPrivate=true reaches it.
	resp, err := NewHTTPClient(true, nil).Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if hits.Load() != 1 {
		t.Errorf("hits = %d", hits.Load())
	}
}

// TestRedirectRechecked: a server the test exempts redirects to private
// addresses, another scheme, a blocked domain, or in a loop.
func TestRedirectRechecked(t *testing.T) {
	var srvAddr netip.AddrPort
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.URL.Path {
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		default:
			http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
		}
	}))
	defer srv.Close()
	srvAddr = netip.MustParseAddrPort(strings.TrimPrefix(srv.URL, "http://"))
	blockedSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("blocked server reached: %s", r.URL)
	}))
	defer blockedSrv.Close()
	blockedHost := strings.TrimPrefix(blockedSrv.URL, "http://")
	pol := NewPolicy(config.Federation{BlockedDomains: []string{blockedHost}}, nil, nil)
	c := newClient(clientOptions{policy: pol, exempt: func(ap netip.AddrPort) bool { return ap == srvAddr }})
	tests := []struct {
		to   string
		want error
	}{
		{"http://10.0.0.1/x", ErrPrivateAddress},
		{"http://127.0.0.1:1/", ErrPrivateAddress}, // other port: not exempt
		{"http://localhost:1/", ErrPrivateAddress},
		{"http://169.254.169.254/", ErrPrivateAddress},
		{"file:///etc/passwd", ErrInvalidURL},
		{"ftp://example.org/", ErrInvalidURL},
		{blockedSrv.URL + "/", ErrBlockedDomain},
	}
	for _, tt := range tests {
		resp, err := c.Get(srv.URL + "/r?to=" + tt.to)
		if err == nil {
			resp.Body.Close()
		}
		if !errors.Is(err, tt.want) {
			t.Errorf("redirect to %s: %v, want %v", tt.to, err, tt.want)
		}
	}
	hits.Store(0)
	resp, err := c.Get(srv.URL + "/loop")
	if err == nil {
		resp.Body.Close()
	}
	if !errors.Is(err, ErrTooManyRedirects) {
		t.Errorf("loop: %v", err)
	}
	if n := hits.Load(); n != MaxRedirects+1 {
		t.Errorf("loop made %d requests, want %d", n, MaxRedirects+1)
	}
}

func TestPolicyMatching(t *testing.T) {
	p := NewPolicy(config.Federation{BlockedDomains: []string{"evil.example", "Port.Example:8443", "[2001:db8::1]", "10.9.9.9"}}, nil, nil)
	tests := []struct {
		host string
		ok   bool
	}{
		{"evil.example", false}, {"EVIL.example", false}, {"a.evil.example", false}, {"a.b.evil.example:8080", false},
		{"evil.example.", false}, {"notevil.example", true}, {"evil.example.org", true}, {"example", true},
		{"port.example:8443", false}, {"x.port.example:8443", false}, {"port.example", true}, {"port.example:443", true},
		{"[2001:db8::1]:443", false}, {"[2001:db8::2]", true}, {"10.9.9.9:80", false}, {"9.9.9", true},
		{"", false},
	}
	for _, tt := range tests {
		if got := p.Allowed(tt.host); got != tt.ok {
			t.Errorf("Allowed(%q) = %v, want %v", tt.host, got, tt.ok)
		}
	}
	al := NewPolicy(config.Federation{AllowlistMode: true, AllowedDomains: []string{"friends.example"}, BlockedDomains: []string{"bad.friends.example"}}, nil, nil)
	for host, want := range map[string]bool{
		"friends.example": true, "www.friends.example:8080": true, "other.example": false,
		"bad.friends.example": false, "x.bad.friends.example": false,
	} {
		if got := al.Allowed(host); got != want {
			t.Errorf("allowlist Allowed(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestPolicyAdminEntries(t *testing.T) {
	e := newEnv(t, func(c *config.Config, _ *clientOptions) {
		c.Federation.BlockedDomains = []string{"config.example"}
	})
	ctx := context.Background()
	p := e.policy
	admin := e.svc.Admin // the service writes; the policy enforces
	if !p.Allowed("spam.example") {
		t.Fatal("blocked before Block")
	}
	if _, err := admin.PutDomainPolicy(ctx, nil, "https://Spam.Example/about", "", "spam"); err != nil {
		t.Fatal(err)
	}
	if p.Allowed("spam.example") || p.Allowed("a.spam.example") {
		t.Error("admin block not applied")
	}
	// Another Policy on the same store (another process) sees it after Reload.
	other := NewPolicy(e.cfg.Federation, e.st, nil)
	if other.Allowed("spam.example") {
		t.Error("second policy does not see the admin block")
	}
	if err := other.Reload(ctx); err != nil || other.Allowed("spam.example") {
		t.Errorf("second policy after Reload: %v", err)
	}
	list, err := admin.DomainPolicies(ctx, nil)
	if err != nil || len(list) != 2 || list[0].Domain != "config.example" || list[0].Source != "config" ||
		list[1].Domain != "spam.example" || list[1].Reason != "spam" || list[1].Source != "admin" {
		t.Errorf("List = %+v, %v", list, err)
	}
	if err := admin.RemoveDomainPolicy(ctx, nil, "spam.example"); err != nil {
		t.Fatal(err)
	}
	if !p.Allowed("spam.example") {
		t.Error("still blocked after Unblock")
	}
	if err := admin.RemoveDomainPolicy(ctx, nil, "config.example"); errs.Status(err) != http.StatusConflict {
		t.Errorf("Unblock of a configured domain: %v", err)
	}
	if _, err := admin.PutDomainPolicy(ctx, nil, "bad domain@x", "", ""); errs.Status(err) != http.StatusUnprocessableEntity {
		t.Errorf("Block of a malformed domain: %v", err)
	}
}
