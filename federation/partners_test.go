package federation_test

import (
	"context"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestPartnersCollection: the Group actor links its partners collection
// (the commons term "partners"), which lists a recognised organization and
// no longer lists it once the partnership ended.
func TestPartnersCollection(t *testing.T) {
	inst := apptest.Start(t)
	ctx := context.Background()
	group, _ := cmCommunity(t, inst, "ada", "seeds", service.CommunityInput{})
	ada, err := inst.App.Svc.Accounts.ByUsername(ctx, "ada")
	if err != nil {
		t.Fatal(err)
	}
	org, _, err := inst.App.Svc.Economy.CreateOrganization(ctx, ada, service.OrganizationInput{Handle: "coop", Kind: models.OrgCoalition})
	if err != nil {
		t.Fatal(err)
	}
	doc := cmGetJSON(t, inst, group.URI)
	if doc["partners"] != group.URI+"/partners" {
		t.Fatalf("Group actor partners = %v", doc["partners"])
	}
	items := func() []any {
		c := cmGetJSON(t, inst, group.URI+"/partners")
		if c["type"] != "OrderedCollection" || c["id"] != group.URI+"/partners" {
			t.Fatalf("partners collection = %v", c)
		}
		list, _ := c["orderedItems"].([]any)
		return list
	}
	if n := len(items()); n != 0 {
		t.Fatalf("%d partners before any", n)
	}
	p, err := inst.App.Svc.Economy.RequestPartnership(ctx, ada, service.PartnershipInput{As: "coop", Community: "seeds",
		Pledge: "We give back.", Terms: "10 hours a month"})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(items()); n != 0 {
		t.Fatalf("a request is listed as a partner (%d)", n)
	}
	if _, err := inst.App.Svc.Economy.DecidePartnership(ctx, ada, p.ID, true); err != nil {
		t.Fatal(err)
	}
	if got := items(); len(got) != 1 || got[0] != org.URI {
		t.Fatalf("partners = %v, want [%s]", got, org.URI)
	}
	if _, err := inst.App.Svc.Economy.EndPartnership(ctx, ada, p.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(items()); n != 0 {
		t.Fatalf("%d partners after the end", n)
	}
}
