package federation_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
)

// BenchmarkDiscovery measures the discovery documents every peer and crawler
// fetches, through the instance's whole echo handler (middleware included, no
// network): NodeInfo was seven queries per request before it was cached.
func BenchmarkDiscovery(b *testing.B) {
	inst := apptest.Start(b)
	for _, c := range []struct{ name, path, accept string }{
		{"nodeinfo", "/nodeinfo/2.1", ""},
		{"nodeinfo-index", "/.well-known/nodeinfo", ""},
		{"host-meta", "/.well-known/host-meta", ""},
		{"host-meta-json", "/.well-known/host-meta?format=json", ""},
		{"instance-actor", "/actor", "application/activity+json"},
	} {
		b.Run(c.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, inst.URL+c.path, nil)
			if c.accept != "" {
				req.Header.Set("Accept", c.accept)
			}
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				inst.App.Echo.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d %s", c.path, rec.Code, rec.Body)
				}
			}
		})
	}
}
