package api_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

func TestSearchAPI(t *testing.T) {
	inst := start(t)
	tok := userWithToken(t, inst, "ada", "member")
	bob := createUser(t, inst, "bob", "member")
	ctx := context.Background()
	act, _ := inst.App.Svc.Accounts.ActorOf(ctx, bob)
	if _, err := inst.App.Svc.Social.PostNote(ctx, act, service.NoteInput{Content: "compost #soil tips", Visibility: models.VisibilityPublic}); err != nil {
		t.Fatal(err)
	}
	if _, err := inst.App.Svc.Social.PostNote(ctx, act, service.NoteInput{Content: "private compost for @ada", Visibility: models.VisibilityDirect}); err != nil {
		t.Fatal(err)
	}
	q := func(query, typ string) string {
		v := url.Values{"q": {query}}
		if typ != "" {
			v.Set("type", typ)
		}
		return "/api/v1/search?" + v.Encode()
	}
	var res struct {
		Accounts []struct{ Handle string }
		Notes    []struct{ Content string }
		Tags     []struct {
			Name  string
			Count int
		}
	}
	r := call(t, inst, "GET", q("compost", ""), "", nil)
	expect(t, r, 200)
	r.json(t, &res)
	if len(res.Notes) != 1 {
		t.Fatalf("anonymous sees %d notes", len(res.Notes))
	}
	r = call(t, inst, "GET", q("compost", "notes"), tok, nil)
	expect(t, r, 200)
	r.json(t, &res)
	if len(res.Notes) != 2 {
		t.Fatalf("the addressee sees %d notes", len(res.Notes))
	}
	r = call(t, inst, "GET", q("#so", "tags"), "", nil)
	r.json(t, &res)
	if len(res.Tags) != 1 || res.Tags[0].Name != "soil" || res.Tags[0].Count != 1 {
		t.Fatalf("tags %+v", res.Tags)
	}
	r = call(t, inst, "GET", q("bo", "accounts"), "", nil)
	r.json(t, &res)
	if len(res.Accounts) != 1 {
		t.Fatalf("accounts %+v", res.Accounts)
	}
	for _, hostile := range []string{"%", "_", `'`, `"`, `a & b | !c`, `:*`, `\`, `(`} {
		expect(t, call(t, inst, "GET", q(hostile, ""), tok, nil), 200)
	}
	expect(t, call(t, inst, "GET", q("", ""), "", nil), http.StatusUnprocessableEntity)
	expect(t, call(t, inst, "GET", q("x", "people"), "", nil), http.StatusUnprocessableEntity)
	expect(t, call(t, inst, "GET", q("x", ""), "not-a-token", nil), http.StatusUnauthorized)
}
