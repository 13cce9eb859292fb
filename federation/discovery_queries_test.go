package federation_test

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"gorm.io/gorm"
)

// The discovery documents every peer and crawler fetches — host-meta (both
// forms), the NodeInfo index and document, the instance actor, a user's actor
// document and WebFinger — cost no database query once rendered: each is
// served 20 times through the instance's whole handler (middleware included)
// and the statements gorm sends are counted (issue 13: NodeInfo was seven
// queries per request, the instance actor one).
func TestDiscoveryDocumentsCostNoQueries(t *testing.T) {
	inst := apptest.Start(t)
	newUser(t, inst, "ada")
	var queries atomic.Int64
	count := func(*gorm.DB) { queries.Add(1) }
	cb := inst.App.Store.DB.Callback()
	for _, reg := range []func() error{
		func() error { return cb.Query().After("gorm:query").Register("test:count", count) },
		func() error { return cb.Row().After("gorm:row").Register("test:count", count) },
		func() error { return cb.Raw().After("gorm:raw").Register("test:count", count) },
	} {
		if err := reg(); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		_ = cb.Query().Remove("test:count")
		_ = cb.Row().Remove("test:count")
		_ = cb.Raw().Remove("test:count")
	})
	host := inst.URL[len("http://"):]
	cases := []struct{ name, path, accept string }{
		{"host-meta", "/.well-known/host-meta", ""},
		{"host-meta JSON", "/.well-known/host-meta?format=json", ""},
		{"nodeinfo index", "/.well-known/nodeinfo", ""},
		{"nodeinfo", "/nodeinfo/2.1", ""},
		{"instance actor", "/actor", "application/activity+json"},
		{"actor", "/users/ada", "application/activity+json"},
		{"webfinger", "/.well-known/webfinger?resource=acct:ada@" + host, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			get := func() {
				t.Helper()
				req := httptest.NewRequest(http.MethodGet, inst.URL+c.path, nil)
				if c.accept != "" {
					req.Header.Set("Accept", c.accept)
				}
				rec := httptest.NewRecorder()
				inst.App.Echo.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					t.Fatalf("%s: %d %s", c.path, rec.Code, rec.Body)
				}
			}
			get() // the first request renders
			before := queries.Load()
			for i := 0; i < 20; i++ {
				get()
			}
			if n := queries.Load() - before; n != 0 {
				t.Errorf("%s: %d queries for 20 requests, want 0", c.path, n)
			}
		})
	}
}
