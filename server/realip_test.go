package server_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/commonsd/commonsd/server"
	"github.com/labstack/echo/v4"
)

// TestRealIP: with server.trust_proxy the client address comes from
// X-Forwarded-For, but only through proxies on loopback, link-local or private
// addresses (a reverse proxy on the same host or network); a request arriving
// directly from a public address keeps that address whatever header it sends.
// Without trust_proxy the header is ignored.
func TestRealIP(t *testing.T) {
	for _, tc := range []struct {
		name   string
		trust  bool
		remote string
		xff    string
		want   string
	}{
		{"no trust: header ignored", false, "127.0.0.1:5000", "203.0.113.5", "127.0.0.1"},
		{"proxy on loopback", true, "127.0.0.1:5000", "203.0.113.5", "203.0.113.5"},
		{"proxy on a private network", true, "10.0.0.2:5000", "203.0.113.5", "203.0.113.5"},
		{"chain of private proxies", true, "127.0.0.1:5000", "203.0.113.5, 10.0.0.7", "203.0.113.5"},
		{"spoofed first hop is not taken", true, "127.0.0.1:5000", "198.51.100.1, 203.0.113.5", "203.0.113.5"},
		{"public client sending the header itself", true, "198.51.100.9:5000", "203.0.113.5", "198.51.100.9"},
		{"no header", true, "127.0.0.1:5000", "", "127.0.0.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, _ := server.New(server.Options{TrustProxy: tc.trust})
			e.GET("/ip", func(c echo.Context) error { return c.String(http.StatusOK, c.RealIP()) })
			req := httptest.NewRequest(http.MethodGet, "/ip", nil)
			req.RemoteAddr = tc.remote
			if tc.xff != "" {
				req.Header.Set("X-Forwarded-For", tc.xff)
			}
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			if got := rec.Body.String(); got != tc.want {
				t.Fatalf("RealIP %q, want %q", got, tc.want)
			}
		})
	}
}
