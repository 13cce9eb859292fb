package fetch

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"
	"time"
)

// Client limits. The overall timeout bounds a whole GET including redirects
// and reading the body.
const (
	DialTimeout           = 5 * time.Second
	ResponseHeaderTimeout = 10 * time.Second
	RequestTimeout        = 15 * time.Second
	MaxRedirects          = 5
)

// blockedPrefixes are refused in addition to what netip's predicates cover
// (loopback, RFC 1918 / ULA, link-local, multicast, unspecified).
var blockedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // CGNAT (RFC 6598)
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // TEST-NET-1
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // TEST-NET-2
	netip.MustParsePrefix("203.0.113.0/24"),  // TEST-NET-3
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, incl. 255.255.255.255
	netip.MustParsePrefix("::/96"),           // deprecated IPv4-compatible
	netip.MustParsePrefix("::ffff:0:0:0/96"), // SIIT translated
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("100::/64"),        // discard-only
	netip.MustParsePrefix("2001::/32"),       // Teredo (tunnels to arbitrary IPv4)
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("fec0::/10"),       // deprecated site-local
	netip.MustParsePrefix("ff00::/8"),        // multicast, all scopes
}

var (
	nat64Prefix = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour   = netip.MustParsePrefix("2002::/16")
)

// CheckAddr reports whether we may connect to ip: nil for a publicly
// routable unicast address, an *AddressError (wrapping ErrPrivateAddress)
// for loopback, private (RFC 1918, ULA fc00::/7), link-local (incl.
// 169.254.169.254), multicast, unspecified, CGNAT 100.64/10, 0.0.0.0/8,
// documentation and reserved ranges. IPv4-mapped IPv6 addresses are judged
// as IPv4; 6to4 and NAT64 (64:ff9b::/96) addresses by the IPv4 address they
// embed, which is allowed when public.
func CheckAddr(ip netip.Addr) error {
	if !ip.IsValid() {
		return &AddressError{Addr: ip}
	}
	ip = ip.Unmap().WithZone("")
	if ip.Is6() {
		b := ip.As16()
		switch {
		case nat64Prefix.Contains(ip):
			return checkEmbedded(ip, netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}))
		case sixToFour.Contains(ip):
			return checkEmbedded(ip, netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}))
		}
	}
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return &AddressError{Addr: ip}
	}
	for _, p := range blockedPrefixes {
		if p.Contains(ip) {
			return &AddressError{Addr: ip}
		}
	}
	return nil
}

func checkEmbedded(outer, v4 netip.Addr) error {
	if CheckAddr(v4) != nil {
		return &AddressError{Addr: outer}
	}
	return nil
}

// clientOptions are NewHTTPClient's knobs; tests set the hidden ones.
type clientOptions struct {
	allowPrivate bool
	policy       *Policy
	// exempt, when set, lets through addresses CheckAddr refuses: tests use
	// it to reach their 127.0.0.1 server with allowPrivate=false.
	exempt  func(netip.AddrPort) bool
	timeout time.Duration // overall; 0 means RequestTimeout
}

// NewHTTPClient returns the client for every server-to-server request.
//
// SSRF: unless allowPrivate (config federation.allow_private_addresses, for
// tests and development only), the dialer's Control hook runs CheckAddr on
// each resolved IP just before connect(2), so the check covers DNS answers
// (including rebinding between a check and the connection), IP literals and
// every redirect hop; a refused address never sees a packet.
//
// Redirects: at most MaxRedirects, http or https only, and each target
// host must pass policy (nil: no domain check). Proxies from the
// environment are ignored. Timeouts: dial DialTimeout, TLS handshake and
// response headers ResponseHeaderTimeout, whole request RequestTimeout.
//
// It takes the Policy in addition to allowPrivate (the signature
// has only the flag) because the redirect check needs it.
func NewHTTPClient(allowPrivate bool, policy *Policy) *http.Client {
	return newClient(clientOptions{allowPrivate: allowPrivate, policy: policy})
}

// maxIdleConns bounds the idle connections kept over all hosts.
const maxIdleConns = 2048

func newClient(o clientOptions) *http.Client {
	d := &net.Dialer{Timeout: DialTimeout, KeepAlive: 30 * time.Second}
	if !o.allowPrivate {
		d.Control = func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("%w: unparsable address %q", ErrPrivateAddress, address)
			}
			if o.exempt != nil && o.exempt(ap) {
				return nil
			}
			return CheckAddr(ap.Addr())
		}
	}
	t := &http.Transport{
		Proxy:             nil,
		DialContext:       d.DialContext,
		ForceAttemptHTTP2: true,
		// A fan-out reaches every follower host once per activity: with
		// 200 idle connections in all, a fan-out to 1 000 hosts closed
		// most of them before the next one, and almost every POST paid a
		// new connection (a TLS handshake in production). An idle
		// connection costs ~20 KB and is closed after IdleConnTimeout.
		MaxIdleConns:        maxIdleConns,
		MaxIdleConnsPerHost: 8,
		// Concurrency per host is the queue's (queue.Options.PerHostConcurrency).
		IdleConnTimeout:        90 * time.Second,
		TLSHandshakeTimeout:    ResponseHeaderTimeout,
		ResponseHeaderTimeout:  ResponseHeaderTimeout,
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: 64 << 10,
	}
	timeout := o.timeout
	if timeout == 0 {
		timeout = RequestTimeout
	}
	return &http.Client{
		Transport:     t,
		Timeout:       timeout,
		CheckRedirect: redirectChecker(o.policy),
	}
}

// redirectChecker limits redirects and re-checks each target.
func redirectChecker(p *Policy) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) > MaxRedirects {
			return ErrTooManyRedirects
		}
		return checkTarget(req.URL, p)
	}
}

// checkTarget checks a URL we are about to request: http(s), a host, no
// user info, and a domain the policy allows.
func checkTarget(u *url.URL, p *Policy) error {
	if u == nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return fmt.Errorf("%w: %s", ErrInvalidURL, redact(u))
	}
	if p != nil && !p.Allowed(u.Host) {
		return fmt.Errorf("%w: %s", ErrBlockedDomain, u.Host)
	}
	return nil
}

func redact(u *url.URL) string {
	if u == nil {
		return "<nil>"
	}
	return u.Redacted()
}
