package federation_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/internal/fedpeer"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestPeersProfileFields (issue 9, 2): ada@A has a URL field and a text field.
// B fetches her actor and keeps the URL field as a safe HTML link (what its API
// shows), the text field as escaped text; Fedify parses both as PropertyValue
// attachments, the URL one with Mastodon's HTML link as value. Two users on A
// and B whose fields link to each other's profiles verify them (rel=me).
func TestPeersProfileFields(t *testing.T) {
	a, b := apptest.Start(t), apptest.Start(t)
	peer := fedpeer.Start(t)
	ctx := context.Background()
	site := httptest.NewServer(http.NotFoundHandler()) // the rel=me check stays on loopback
	t.Cleanup(site.Close)
	newUser(t, a, "ada")
	newUser(t, b, "bob")
	ada, bob := actorOf(t, a, "ada"), actorOf(t, b, "bob")
	link := site.URL + "/ada"
	if err := a.App.Svc.Actors.UpdateProfile(ctx, ada, service.Profile{Fields: []models.Field{
		{Name: "Site", Value: link}, {Name: "Pronouns", Value: "she/<her>"},
	}}); err != nil {
		t.Fatal(err)
	}
	wantLink := `<a href="` + link + `" rel="me nofollow noopener" target="_blank">`

	t.Run("commonsd", func(t *testing.T) {
		_, target, err := b.App.Svc.Social.FollowByHandle(ctx, bob, a.Handle("ada"))
		if err != nil {
			t.Fatal(err)
		}
		fields := service.Fields(target)
		if len(fields) != 2 {
			t.Fatalf("B's copy of ada's fields: %+v", fields)
		}
		site, pron := fields[0], fields[1]
		if site.Name != "Site" || !strings.HasPrefix(site.Value, `<a href="`+link+`"`) || !strings.Contains(site.Value, `rel="`) ||
			!strings.HasSuffix(site.Value, "</a>") {
			t.Errorf("URL field on B: %q", site.Value)
		}
		if pron.Name != "Pronouns" || pron.Value != "she/&lt;her&gt;" {
			t.Errorf("text field on B: %q", pron.Value)
		}
	})
	t.Run("rel=me both ways", func(t *testing.T) {
		newUser(t, a, "ida")
		newUser(t, b, "ben")
		ida, ben := actorOf(t, a, "ida"), actorOf(t, b, "ben")
		verified := func(inst *apptest.Instance, id string) bool {
			row, err := inst.App.Store.ActorByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			fs := service.Fields(row)
			return len(fs) == 1 && fs[0].VerifiedAt != nil
		}
		save := func(inst *apptest.Instance, who *models.Actor, link string) {
			row, err := inst.App.Store.ActorByID(ctx, who.ID)
			if err != nil {
				t.Fatal(err)
			}
			if err := inst.App.Svc.Actors.UpdateProfile(ctx, row, service.Profile{Fields: []models.Field{{Name: "Elsewhere", Value: link}}}); err != nil {
				t.Fatal(err)
			}
		}
		// ben links to ida's profile first: her page does not link back yet.
		save(b, ben, ida.URL)
		b.WaitQueueIdle(t)
		if verified(b, ben.ID) {
			t.Fatal("ben's link verified before ida's page links back")
		}
		// ida links to ben: his page on B links back with rel="me".
		save(a, ida, ben.URL)
		eventually(t, "ida's link verified on A", func() bool { return verified(a, ida.ID) })
		// ben saves again: now ida's page on A links back.
		save(b, ben, ida.URL)
		eventually(t, "ben's link verified on B", func() bool { return verified(b, ben.ID) })
	})
	t.Run("Fedify", func(t *testing.T) {
		got, err := peer.Lookup(ada.URI)
		if err != nil {
			t.Fatal(err)
		}
		want := []fedpeer.Field{{Type: "PropertyValue", Name: "Site"}, {Type: "PropertyValue", Name: "Pronouns", Value: "she/&lt;her&gt;"}}
		if len(got.Attachments) != len(want) {
			t.Fatalf("Fedify's attachments: %+v", got.Attachments)
		}
		for i, w := range want {
			g := got.Attachments[i]
			if g.Type != w.Type || g.Name != w.Name || (i == 0 && !strings.HasPrefix(g.Value, wantLink)) || (i == 1 && g.Value != w.Value) {
				t.Errorf("attachment %d: %+v", i, g)
			}
		}
		peerRefusedNothing(t, peer)
	})
}
