package frontend_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

func TestSearchPage(t *testing.T) {
	inst, b := startWithAdmin(t)
	ctx := context.Background()
	bob := newBrowser(t, inst)
	bob.signup("bob", nil)
	act := actor(t, inst, "bob")
	if _, err := inst.App.Svc.Social.PostNote(ctx, act, service.NoteInput{Content: "beans <b>and</b> #legumes", Visibility: models.VisibilityPublic}); err != nil {
		t.Fatal(err)
	}
	if _, err := inst.App.Svc.Social.PostNote(ctx, act, service.NoteInput{Content: "secret beans for @ada", Visibility: models.VisibilityDirect}); err != nil {
		t.Fatal(err)
	}
	anon := newBrowser(t, inst)
	want(t, anon.get("/search"), http.StatusOK, `role="search"`, "Log in to find people")
	p := anon.get("/search?q=beans")
	want(t, p, http.StatusOK, "beans", "No people found")
	if strings.Contains(p.Body, "secret beans") {
		t.Fatal("an anonymous reader found a direct note")
	}
	want(t, b.get("/search?q=beans&type=notes"), http.StatusOK, "secret beans")
	want(t, anon.get("/search?q=bo&type=accounts"), http.StatusOK, `href="/@bob"`)
	want(t, anon.get("/search?q=%23leg&type=tags"), http.StatusOK, `href="/tags/legumes"`)
	want(t, anon.get("/search?q="+url.QueryEscape(`<script>alert(1)</script>`)), http.StatusOK, "&lt;script&gt;")
	want(t, anon.get("/search?q=x&type=nope"), http.StatusUnprocessableEntity, "type must be")
}
