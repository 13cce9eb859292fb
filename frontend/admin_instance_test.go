package frontend_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"
)

func TestInstanceSettings(t *testing.T) {
	inst, admin := startWithAdmin(t)
	mod := newBrowser(t, inst)
	mod.signup("bob", nil)
	want(t, mod.get("/admin/instance"), http.StatusForbidden)
	want(t, admin.get("/admin/instance"), http.StatusOK, "Instance settings", `name="rules"`)
	p := admin.post("/admin/instance", "/admin/instance", url.Values{"name": {""}, "contact": {"not mail"}, "rules": {"Be kind"}})
	want(t, p, http.StatusUnprocessableEntity, "name must be 1 to 100", "contact must be an e-mail", "Be kind")
	p = admin.post("/admin/instance", "/admin/instance", url.Values{"name": {"Seed Library"}, "description": {"We swap seeds."},
		"rules": {"Be kind\r\n\r\nNo <b>spam</b>"}, "contact": {"mods@example.org"}, "terms": {"First.\r\n\r\nSecond."}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", p.Status, p.Body)
	}
	anon := newBrowser(t, inst)
	want(t, anon.get("/about/rules"), http.StatusOK, "Rules of Seed Library", "<li>Be kind</li>", "<li>No &lt;b&gt;spam&lt;/b&gt;</li>", "mods@example.org")
	want(t, anon.get("/about"), http.StatusOK, "We swap seeds.", "<p>First.</p>", "<p>Second.</p>", "<li>Be kind</li>")
	want(t, anon.get("/"), http.StatusOK, "<title>Seed Library</title>")
	resp, err := http.Get(inst.URL + "/api/v1/instance")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var got struct {
		Name  string
		Rules []struct{ ID, Text string }
		Terms string
	}
	json.Unmarshal(body, &got)
	if got.Name != "Seed Library" || len(got.Rules) != 2 || got.Rules[1].ID != "2" || got.Terms != "First.\n\nSecond." {
		t.Fatalf("instance API: %s", body)
	}
}
