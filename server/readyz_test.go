package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/server"
	"github.com/commonsd/commonsd/store/storetest"
)

// TestReadyzChecksTheSchema: /readyz answers 503 with the reason when a column the
// models need is missing although every migration is recorded, and 200 otherwise.
func TestReadyzChecksTheSchema(t *testing.T) {
	cases := []struct {
		name       string
		ddl        []string
		wantStatus int
		wantBody   string
	}{
		{"migrated", nil, http.StatusOK, "ready"},
		{"column missing", []string{`DROP INDEX "idx_notes_audience_uri"`, `ALTER TABLE "notes" DROP COLUMN "audience_uri"`},
			http.StatusServiceUnavailable, "not ready: schema does not match the models: column notes.audience_uri (Note.AudienceURI) is missing"},
		{"table missing", []string{`DROP TABLE "domain_policies"`},
			http.StatusServiceUnavailable, "table domain_policies (DomainPolicy) is missing"},
	}
	for _, driver := range storetest.Drivers(t) {
		for _, c := range cases {
			t.Run(driver+"/"+c.name, func(t *testing.T) {
				st := storetest.Open(t, driver)
				for _, q := range c.ddl {
					if err := st.DB.Exec(q).Error; err != nil {
						t.Fatal(err)
					}
				}
				e, _ := server.New(server.Options{DB: st.SQL(), Ready: st.Ready})
				rec := httptest.NewRecorder()
				e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
				body, _ := io.ReadAll(rec.Body)
				if rec.Code != c.wantStatus || !strings.Contains(string(body), c.wantBody) {
					t.Fatalf("GET /readyz: %d %q, want %d with %q", rec.Code, body, c.wantStatus, c.wantBody)
				}
			})
		}
	}
}
