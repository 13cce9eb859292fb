package federation_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/internal/fedpeer"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestCommunityFedifyFollower: a Fedify actor follows a community and gets the
// Accept; a local member offers a contribution, a maintainer accepts it, and the
// Fedify follower receives the Group's Announce, whose object Fedify can take
// and parse as a Note carrying the contribution's title, and can also look up
// at its origin. Fedify refuses nothing.
func TestCommunityFedifyFollower(t *testing.T) {
	peer := fedpeer.Start(t)
	inst := apptest.Start(t)
	ctx := context.Background()
	group, maria := cmCommunity(t, inst, "maria", "atlas", service.CommunityInput{Name: "Atlas of the commons"})

	if _, err := peer.Follow(group.URI); err != nil {
		t.Fatal(err)
	}
	peer.WaitFor(t, fedpeer.OfType("Accept", group.URI), 20*time.Second)
	eventually(t, "Fedify follow stored", func() bool { n, _ := inst.App.Store.CountFollowers(ctx, group.ID); return n == 1 })

	newUser(t, inst, "carl")
	carl := actorOf(t, inst, "carl")
	if m, err := inst.App.Svc.Communities.Join(ctx, carl, group, ""); err != nil || m.State != models.MembershipActive {
		t.Fatalf("join %+v %v", m, err)
	}
	const title = "Map of community gardens in Lisbon"
	co, err := inst.App.Svc.Communities.Offer(ctx, carl, group, service.ContributionInput{Title: title,
		Body: "Forty-two gardens, with *opening hours*.", Kind: "knowledge", Links: []string{"https://example.org/gardens.geojson"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inst.App.Svc.Communities.Decide(ctx, maria, co.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	got := peer.WaitFor(t, func(a fedpeer.Activity) bool {
		return a.Type == "Announce" && a.Actor == group.URI && a.Object == co.URI
	}, 20*time.Second)
	if got.FetchError != nil {
		t.Fatalf("Fedify could not take the Announce's object: %s", *got.FetchError)
	}
	if got.FetchedObject == nil || got.FetchedObject.Type != "Note" || got.FetchedObject.Content == nil ||
		!strings.Contains(*got.FetchedObject.Content, title) {
		t.Fatalf("fetched object %+v", got.FetchedObject)
	}
	if got.FetchedObject.ID != co.URI {
		t.Fatalf("fetched object id %s, want %s", got.FetchedObject.ID, co.URI)
	}
	// The Announce embedded the contribution (same origin); make Fedify also take
	// it from its origin: boosting it looks the object up and finds its author.
	if _, err := peer.Announce(co.URI); err != nil {
		t.Fatalf("Fedify could not look up %s at its origin: %v", co.URI, err)
	}
	rej, err := peer.Rejected()
	if err != nil {
		t.Fatal(err)
	}
	if len(rej) > 0 {
		t.Fatalf("Fedify rejected %d activities: %+v", len(rej), rej)
	}
	reqs, _ := peer.Requests()
	for _, r := range reqs {
		if r.Status >= 400 {
			t.Errorf("Fedify answered %d to %s %s: %s", r.Status, r.Method, r.Path, r.Response)
		}
	}
}
