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

// TestFedifyPledges: the Fedify peer pledges to a commonsd appeal with the
// FEP-0837 Offer{Agreement} it writes and Fedify signs; the foundation
// accepts (the pledge enters the ledger, the Accept carries the Offer with
// its Agreement back) and refuses a pledge in another currency with a Reject
// giving the reason (nothing stored).
func TestFedifyPledges(t *testing.T) {
	peer := fedpeer.Start(t)
	inst := apptest.Start(t)
	ctx := context.Background()
	newUser(t, inst, "tess")
	tess, _ := inst.App.Svc.Accounts.ByUsername(ctx, "tess")
	if _, _, err := inst.App.Svc.Economy.CreateOrganization(ctx, tess, service.OrganizationInput{Handle: "fund", Name: "Seed Fund",
		Kind: models.OrgFoundation}); err != nil {
		t.Fatal(err)
	}
	appeal, err := inst.App.Svc.Economy.OpenAppeal(ctx, tess, service.AppealInput{As: "fund", Title: "Servers",
		Goal: "100", Currency: "EUR", EndsAt: time.Now().Add(12 * 24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	fund := inst.ActorURL("fund")
	good, err := peer.Pledge(appeal.URI, fund, "25.00", "EUR", "for the servers")
	if err != nil || good.Status != 202 {
		t.Fatalf("pledge: %+v %v\n%s", good, err, peer.Log())
	}
	accept := peer.WaitFor(t, func(a fedpeer.Activity) bool {
		return a.Type == "Accept" && a.Actor == fund && a.Object == good.ID
	}, 15*time.Second)
	var raw struct {
		Object struct {
			ID     string `json:"id"`
			Type   string `json:"type"`
			Object struct {
				Type       string         `json:"type"`
				Stipulates map[string]any `json:"stipulates"`
			} `json:"object"`
		} `json:"object"`
	}
	if err := json.Unmarshal(accept.Raw, &raw); err != nil {
		t.Fatal(err)
	}
	if raw.Object.Type != "Offer" || raw.Object.Object.Type != "Agreement" || raw.Object.Object.Stipulates["satisfies"] != appeal.URI+"#primary" {
		t.Errorf("the Accept's object: %s", accept.Raw)
	}
	p, err := inst.App.Store.PledgeByURI(ctx, good.ID)
	if err != nil || p.AmountMinor != 2500 || p.Currency != "EUR" || p.State != models.PledgeAccepted || p.Message != "for the servers" {
		t.Fatalf("the pledge here: %+v %v", p, err)
	}
	v, err := inst.App.Svc.Economy.View(ctx, appeal)
	if err != nil || v.Pledged.Minor != 2500 || v.PledgeCount != 1 {
		t.Fatalf("totals %+v %v", v, err)
	}

	bad, err := peer.Pledge(appeal.URI, fund, "25.00", "USD", "")
	if err != nil || bad.Status != 202 {
		t.Fatalf("pledge in USD: %+v %v", bad, err)
	}
	reject := peer.WaitFor(t, func(a fedpeer.Activity) bool {
		return a.Type == "Reject" && a.Actor == fund && a.Object == bad.ID
	}, 15*time.Second)
	if !strings.Contains(string(reject.Raw), "EUR") {
		t.Errorf("the Reject gives no reason naming the appeal's currency: %s", reject.Raw)
	}
	if _, err := inst.App.Store.PledgeByURI(ctx, bad.ID); err == nil {
		t.Error("a refused pledge was stored")
	}
	if v, _ := inst.App.Svc.Economy.View(ctx, appeal); v.PledgeCount != 1 {
		t.Errorf("pledge count %d after the refusal", v.PledgeCount)
	}
}
