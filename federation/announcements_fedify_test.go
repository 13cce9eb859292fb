package federation_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/internal/fedpeer"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestFedifyReceivesAnnouncement: an independent implementation (Fedify)
// follows a coalition partner and the community that recognises it; it
// receives the partner's job as Create{Note} with a signature it verified,
// reads the Note (the content in words, our machine fields and FEP-0837's
// in the raw body, our @context accepted), and the community's Announce of
// it.
func TestFedifyReceivesAnnouncement(t *testing.T) {
	peer := fedpeer.Start(t)
	inst := apptest.Start(t)
	ctx := context.Background()
	newUser(t, inst, "tess")
	tess, _ := inst.App.Svc.Accounts.ByUsername(ctx, "tess")
	if _, _, err := inst.App.Svc.Economy.CreateOrganization(ctx, tess, service.OrganizationInput{Handle: "coop", Name: "Seed Co-op",
		Kind: models.OrgCoalition}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := inst.App.Svc.Communities.Create(ctx, tess, service.CommunityInput{Handle: "seeds", Licence: "MIT"}); err != nil {
		t.Fatal(err)
	}
	p, err := inst.App.Svc.Economy.RequestPartnership(ctx, tess, service.PartnershipInput{As: "coop", Community: "seeds",
		Pledge: "We give back.", Terms: "10 hours a month"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inst.App.Svc.Economy.DecidePartnership(ctx, tess, p.ID, true); err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"coop", "seeds"} {
		followID, err := peer.Follow(inst.ActorURL(h))
		if err != nil {
			t.Fatal(err)
		}
		peer.WaitFor(t, func(a fedpeer.Activity) bool {
			return a.Type == "Accept" && a.Actor == inst.ActorURL(h) && a.Object == followID
		}, 15*time.Second)
	}
	v, err := inst.App.Svc.Economy.PublishAnnouncement(ctx, tess, service.AnnouncementInput{As: "coop", Kind: models.AnnouncementJob,
		Title: "Seed librarian", Body: "Catalogue the **seed bank**.", ForWhom: "seed savers", Price: "25.50", Currency: "EUR",
		At: time.Now().Add(72 * time.Hour), Link: "https://coop.example/jobs/1", Communities: []string{"seeds"}})
	if err != nil {
		t.Fatal(err)
	}
	create := peer.WaitFor(t, func(a fedpeer.Activity) bool { return a.Type == "Create" && a.Object == v.URI }, 15*time.Second)
	if create.FetchError != nil || create.FetchedObject == nil || create.FetchedObject.Type != "Note" || create.FetchedObject.Content == nil {
		t.Fatalf("the announcement as Fedify read it: %+v (error %v)", create.FetchedObject, create.FetchError)
	}
	for _, want := range []string{"Job: Seed librarian", "For: seed savers", "Pay: €25.50", "Deadline: ", "https://coop.example/jobs/1"} {
		if !strings.Contains(*create.FetchedObject.Content, want) {
			t.Errorf("content lacks %q: %s", want, *create.FetchedObject.Content)
		}
	}
	var raw struct {
		Object map[string]any `json:"object"`
	}
	if err := json.Unmarshal(create.Raw, &raw); err != nil {
		t.Fatal(err)
	}
	pub, _ := raw.Object["publishes"].(map[string]any)
	if raw.Object["commonsType"] != "CoalitionAnnouncement" || raw.Object["announcementKind"] != "job" ||
		raw.Object["purpose"] != "request" || pub["type"] != "Intent" || pub["resourceQuantity"] == nil {
		t.Errorf("machine fields: %v", raw.Object)
	}
	peer.WaitFor(t, func(a fedpeer.Activity) bool {
		return a.Type == "Announce" && a.Actor == inst.ActorURL("seeds") && a.Object == v.URI
	}, 15*time.Second)
}
