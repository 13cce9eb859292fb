package api_test

import (
	"net/http"
	"testing"
)

// TestCommunityUpdateAPI: PATCH /communities/{handle} by role, its refusals,
// and the charter history it builds.
func TestCommunityUpdateAPI(t *testing.T) {
	inst := start(t)
	fern := userWithToken(t, inst, "fern", "member")
	milo := userWithToken(t, inst, "milo", "member")
	base := "/api/v1/communities/seeds"
	newCommunity(t, inst, fern, "seeds", map[string]any{"charter": "Share seeds.", "licence": "MIT"})
	expect(t, call(t, inst, "POST", base+"/join", milo, nil), http.StatusOK)

	cases := []struct {
		name  string
		token string
		body  any
		want  int
	}{
		{"anonymous", "", map[string]any{"name": "x"}, http.StatusUnauthorized},
		{"a member", milo, map[string]any{"name": "x"}, http.StatusForbidden},
		{"unknown field", fern, map[string]any{"handle": "other"}, http.StatusBadRequest},
		{"nothing", fern, map[string]any{}, http.StatusUnprocessableEntity},
		{"bad policy", fern, map[string]any{"offer_policy": "everyone"}, http.StatusUnprocessableEntity},
		{"bad weights", fern, map[string]any{"weight_min": 9, "weight_max": 3}, http.StatusUnprocessableEntity},
		{"settings", fern, map[string]any{"name": "Seed Library", "offer_policy": "open", "weight_min": 2, "weight_max": 8,
			"links": []map[string]string{{"name": "Site", "value": "https://seeds.example"}}}, http.StatusOK},
		{"charter and licence", fern, map[string]any{"charter": "Share *all* seeds.", "licence": "PPL"}, http.StatusOK},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expect(t, call(t, inst, "PATCH", base, c.token, c.body), c.want)
		})
	}
	r := call(t, inst, "GET", base, "", nil)
	expect(t, r, http.StatusOK)
	var com struct {
		Name     string
		Links    []struct{ Name, Value string }
		Settings struct {
			Licence     struct{ ID string }
			Charter     string
			OfferPolicy string `json:"offer_policy"`
			WeightMin   int    `json:"weight_min"`
			WeightMax   int    `json:"weight_max"`
		}
	}
	r.json(t, &com)
	if com.Name != "Seed Library" || len(com.Links) != 1 || com.Settings.Licence.ID != "PPL" || com.Settings.Charter != "Share *all* seeds." ||
		com.Settings.OfferPolicy != "open" || com.Settings.WeightMin != 2 || com.Settings.WeightMax != 8 {
		t.Fatalf("after the edits: %s", r.Body)
	}
	r = call(t, inst, "GET", base+"/charter", "", nil)
	expect(t, r, http.StatusOK)
	var hist []struct {
		Version int
		Charter string
		Licence struct{ ID string }
		Author  *actorRef
	}
	r.json(t, &hist)
	if len(hist) != 2 || hist[0].Version != 2 || hist[0].Licence.ID != "PPL" || hist[1].Charter != "Share seeds." ||
		hist[1].Licence.ID != "MIT" || hist[0].Author == nil || hist[0].Author.Handle != "@fern@"+inst.Host {
		t.Fatalf("history %s", r.Body)
	}
	expect(t, call(t, inst, "GET", "/api/v1/communities/nothing/charter", "", nil), http.StatusNotFound)
}
