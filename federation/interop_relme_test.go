package federation_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestProfileFieldsRelMe: rel=me both ways. ada's URL fields are federated as
// Mastodon's HTML links with rel="me" and shown so on her profile page; a page
// on another host that links back to her profile with rel="me" verifies its
// field (verified_at, a check on the profile, in the API), one that does not
// link back (or links without rel="me") does not; changing a value drops its
// verification until the page is checked again.
func TestProfileFieldsRelMe(t *testing.T) {
	inst := apptest.Start(t)
	ctx := context.Background()
	newUser(t, inst, "ada")
	ada := actorOf(t, inst, "ada")
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/back":
			fmt.Fprintf(w, `<html><head><link rel="me" href="%s"></head><body>hi</body></html>`, ada.URI)
		case "/anchor":
			fmt.Fprintf(w, `<p><a class="x" rel="nofollow me" href="%s/">Ada</a></p>`, ada.URL)
		case "/norel":
			fmt.Fprintf(w, `<p><a href="%s">Ada</a></p>`, ada.URL)
		case "/elsewhere":
			fmt.Fprint(w, `<a rel="me" href="https://example.org/@someone">them</a>`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(site.Close)

	fields := []models.Field{
		{Name: "Site", Value: site.URL + "/back"},
		{Name: "Blog", Value: site.URL + "/anchor"},
		{Name: "Shop", Value: site.URL + "/norel"},
		{Name: "Other", Value: site.URL + "/elsewhere"},
		{Name: "Gone", Value: site.URL + "/missing"},
		{Name: "Pronouns", Value: "she/<her>"},
	}
	wantVerified := map[string]bool{"Site": true, "Blog": true}
	if err := inst.App.Svc.Actors.UpdateProfile(ctx, ada, service.Profile{Fields: fields}); err != nil {
		t.Fatal(err)
	}
	verified := func() map[string]bool {
		a, err := inst.App.Store.ActorByID(ctx, ada.ID)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, f := range service.Fields(a) {
			if f.VerifiedAt != nil {
				out[f.Name] = true
			}
		}
		return out
	}
	eventually(t, "the verification job", func() bool { return len(verified()) == len(wantVerified) })
	for name := range verified() {
		if !wantVerified[name] {
			t.Errorf("%s verified", name)
		}
	}

	t.Run("profile page", func(t *testing.T) {
		resp, body := get(t, inst.Client, inst.URL+"/@ada", "text/html")
		if resp.StatusCode != 200 {
			t.Fatalf("profile: %d", resp.StatusCode)
		}
		page := string(body)
		for _, want := range []string{`href="` + site.URL + `/back" rel="me nofollow noopener"`, "she/&lt;her&gt;", `class="verified-mark"`} {
			if !strings.Contains(page, want) {
				t.Errorf("profile page lacks %s", want)
			}
		}
		if n := strings.Count(page, `class="verified-mark"`); n != 2 {
			t.Errorf("%d check marks, want 2", n)
		}
	})
	t.Run("API", func(t *testing.T) {
		resp, body := get(t, inst.Client, inst.URL+"/api/v1/accounts/ada", "application/json")
		var acc struct {
			Fields []struct {
				Name       string
				VerifiedAt *string `json:"verified_at"`
			}
		}
		if err := json.Unmarshal(body, &acc); err != nil || resp.StatusCode != 200 || len(acc.Fields) != len(fields) {
			t.Fatalf("account: %d %s", resp.StatusCode, body)
		}
		for _, f := range acc.Fields {
			if (f.VerifiedAt != nil) != wantVerified[f.Name] {
				t.Errorf("%s verified_at %v", f.Name, f.VerifiedAt)
			}
		}
	})
	t.Run("actor document", func(t *testing.T) {
		doc := cmGetJSON(t, inst, ada.URI)
		var got []string
		for _, a := range cmList(doc["attachment"]) {
			m, _ := a.(map[string]any)
			if m["type"] == "PropertyValue" {
				got = append(got, fmt.Sprint(m["value"]))
			}
		}
		if len(got) != len(fields) || !strings.HasPrefix(got[0], `<a href="`+site.URL+`/back" rel="me nofollow noopener" target="_blank">`) ||
			got[5] != "she/&lt;her&gt;" {
			t.Fatalf("fields as federated: %q", got)
		}
		if strings.Contains(fmt.Sprint(doc["attachment"]), "verified") {
			t.Error("verified_at federated")
		}
	})
	t.Run("changed value loses its check", func(t *testing.T) {
		a, _ := inst.App.Store.ActorByID(ctx, ada.ID)
		changed := service.Fields(a)
		changed[0].Value = site.URL + "/norel"
		for i := range changed {
			changed[i].VerifiedAt = nil // what a form sends
		}
		if err := inst.App.Svc.Actors.UpdateProfile(ctx, a, service.Profile{Fields: changed}); err != nil {
			t.Fatal(err)
		}
		now := verified()
		if now["Site"] || !now["Blog"] {
			t.Fatalf("after the change: %v", now)
		}
	})
}
