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

// TestFedifyReceivesAppeal: an independent implementation (Fedify) follows a
// foundation, receives its appeal's Create{Note} with a signature it verified
// and reads the Note (content in words, our machine fields in the raw body,
// our @context accepted), then the 25 % progress Update.
func TestFedifyReceivesAppeal(t *testing.T) {
	peer := fedpeer.Start(t)
	inst := apptest.Start(t)
	ctx := context.Background()
	newUser(t, inst, "tess")
	tess, _ := inst.App.Svc.Accounts.ByUsername(ctx, "tess")
	if _, _, err := inst.App.Svc.Economy.CreateOrganization(ctx, tess, service.OrganizationInput{Handle: "fund", Name: "Seed Fund",
		Kind: models.OrgFoundation, PaymentLinks: []models.Field{{Name: "Liberapay", Value: "https://liberapay.com/fund"}}}); err != nil {
		t.Fatal(err)
	}
	followID, err := peer.Follow(inst.ActorURL("fund"))
	if err != nil {
		t.Fatal(err)
	}
	peer.WaitFor(t, func(a fedpeer.Activity) bool {
		return a.Type == "Accept" && a.Actor == inst.ActorURL("fund") && a.Object == followID
	}, 15*time.Second)
	appeal, err := inst.App.Svc.Economy.OpenAppeal(ctx, tess, service.AppealInput{As: "fund", Title: "Servers for the seed library",
		Purpose: "Two years of **hosting**.", Goal: "100", Currency: "EUR", EndsAt: time.Now().Add(12 * 24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	create := peer.WaitFor(t, func(a fedpeer.Activity) bool { return a.Type == "Create" && a.Object == appeal.URI }, 15*time.Second)
	if create.FetchError != nil || create.FetchedObject == nil || create.FetchedObject.Type != "Note" || create.FetchedObject.Content == nil ||
		!strings.Contains(*create.FetchedObject.Content, "€0 of €100 raised (0 %) — 12 days left — pledge: ") {
		t.Fatalf("the appeal as Fedify read it: %+v (error %v)", create.FetchedObject, create.FetchError)
	}
	var raw struct {
		Object map[string]any `json:"object"`
	}
	if err := json.Unmarshal(create.Raw, &raw); err != nil {
		t.Fatal(err)
	}
	if raw.Object["commonsType"] != "FundingAppeal" || raw.Object["purpose"] != "request" ||
		raw.Object["fundingGoal"].(map[string]any)["hasNumericalValue"] != "100.00" {
		t.Errorf("machine fields: %v", raw.Object)
	}
	if _, err := inst.App.Svc.Economy.RecordReceipt(ctx, tess, service.ReceiptInput{Ledger: "fund", AppealID: appeal.ID,
		Amount: "30", Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	upd := peer.WaitFor(t, func(a fedpeer.Activity) bool { return a.Type == "Update" && a.Object == appeal.URI }, 15*time.Second)
	if upd.FetchedObject == nil || upd.FetchedObject.Content == nil || !strings.Contains(*upd.FetchedObject.Content, "€30 of €100 raised (30 %)") {
		t.Fatalf("the Update as Fedify read it: %+v (error %v)", upd.FetchedObject, upd.FetchError)
	}
}
