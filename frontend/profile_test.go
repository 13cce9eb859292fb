package frontend_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/service"
)

// TestProfileShowsActivity: a profile lists the person's posts the viewer may
// read, their contributions and communities, follower and following counts, and
// a Follow button that follows (then Unfollow); the bio links its hashtags,
// mentions and URLs.
func TestProfileShowsActivity(t *testing.T) {
	inst, ada := startWithAdmin(t)
	ctx := context.Background()
	bob := newBrowser(t, inst)
	want(t, bob.signup("bob", nil), http.StatusSeeOther)
	want(t, ada.post("/settings/profile", "/settings/profile", url.Values{"display_name": {"Ada"},
		"bio": {"Seed keeper #SeedSwap, ask @bob or see https://seeds.example/ada."}}), http.StatusSeeOther)
	want(t, ada.post("/communities/new", "/communities", communityForm("seeds", "PPL")), http.StatusSeeOther)
	a := actor(t, inst, "ada")
	for _, n := range []service.NoteInput{{Content: "public hello"}, {Content: "for my followers", Visibility: "followers"},
		{Content: "secret for @bob", Visibility: "direct"}} {
		if _, err := inst.App.Svc.Social.PostNote(ctx, a, n); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := inst.App.Svc.Communities.Offer(ctx, a, actor(t, inst, "seeds"), service.ContributionInput{Title: "Tomato catalogue",
		Kind: "knowledge", Licence: "PPL"}, nil); err != nil {
		t.Fatal(err)
	}

	anon := newBrowser(t, inst)
	p := anon.get("/@ada")
	want(t, p, http.StatusOK, "public hello", "Tomato catalogue", `href="/c/seeds"`, "Log in to follow",
		`<a href="`+inst.URL+`/tags/seedswap" class="mention hashtag" rel="nofollow">#SeedSwap</a>`,
		`<a href="`+inst.URL+`/@bob" class="u-url mention" rel="nofollow">@bob</a>`,
		`<a href="https://seeds.example/ada" rel="nofollow">https://seeds.example/ada</a>.`,
		"<dt>Posts</dt><dd>1</dd>", "<dt>Followers</dt><dd>0</dd>")
	for _, hidden := range []string{"for my followers", "secret for"} {
		if strings.Contains(p.Body, hidden) {
			t.Fatalf("anonymous visitor sees %q", hidden)
		}
	}

	want(t, bob.get("/@ada"), http.StatusOK, `action="/follow"`, `name="handle" value="@ada@`+inst.Host+`"`)
	want(t, bob.post("/@ada", "/follow", url.Values{"handle": {"@ada@" + inst.Host}}), http.StatusSeeOther)
	p = bob.get("/@ada")
	want(t, p, http.StatusOK, "for my followers", "Unfollow", "<dt>Posts</dt><dd>2</dd>", "<dt>Followers</dt><dd>1</dd>")
	if strings.Contains(p.Body, "secret for") {
		t.Fatal("a direct note is listed on the profile")
	}
	want(t, bob.get("/@bob"), http.StatusOK, "<dt>Following</dt><dd>1</dd>", "Edit profile")
}
