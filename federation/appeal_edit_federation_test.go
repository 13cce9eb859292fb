package federation_test

import (
	"context"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestTwoInstancesAppealEdit: an edit of an appeal on A reaches B's copy as
// Update{Note}: the goal while nothing is pledged, the title and a later
// deadline afterwards.
func TestTwoInstancesAppealEdit(t *testing.T) {
	a, b := apptest.Start(t), apptest.Start(t)
	ctx := context.Background()
	newUser(t, a, "tess")
	newUser(t, b, "bob")
	tess, _ := a.App.Svc.Accounts.ByUsername(ctx, "tess")
	bobUser, _ := b.App.Svc.Accounts.ByUsername(ctx, "bob")
	if _, _, err := a.App.Svc.Economy.CreateOrganization(ctx, tess, service.OrganizationInput{Handle: "fund", Kind: models.OrgFoundation}); err != nil {
		t.Fatal(err)
	}
	f, _, err := b.App.Svc.Social.FollowByHandle(ctx, actorOf(t, b, "bob"), a.Handle("fund"))
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "B follows the foundation", func() bool {
		got, err := b.App.Store.FollowByID(ctx, f.ID)
		return err == nil && got.State == models.FollowAccepted
	})
	ends := time.Now().Add(10 * 24 * time.Hour)
	appeal, err := a.App.Svc.Economy.OpenAppeal(ctx, tess, service.AppealInput{As: "fund", Title: "Servers", Goal: "100",
		Currency: "EUR", EndsAt: ends})
	if err != nil {
		t.Fatal(err)
	}
	var remote *models.FundingAppeal
	eventually(t, "the appeal reaches B", func() bool {
		remote, err = b.App.Store.AppealByURI(ctx, appeal.URI)
		return err == nil
	})
	if _, err := a.App.Svc.Economy.EditAppeal(ctx, tess, appeal.ID, service.AppealEdit{Title: "Servers and backups",
		Goal: "200", Currency: "CHF"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the new goal reaches B", func() bool {
		got, err := b.App.Store.AppealByID(ctx, remote.ID)
		return err == nil && got.GoalMinor == 20000 && got.Currency == "CHF" && got.Title == "Servers and backups"
	})
	p, err := b.App.Svc.Economy.Pledge(ctx, bobUser, remote.ID, service.PledgeInput{Amount: "30"})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "A accepts the pledge", func() bool {
		got, err := b.App.Store.PledgeByURI(ctx, p.URI)
		return err == nil && got.State == models.PledgeAccepted
	})
	later := ends.Add(7 * 24 * time.Hour)
	if _, err := a.App.Svc.Economy.EditAppeal(ctx, tess, appeal.ID, service.AppealEdit{Title: "Servers, backups, mirrors", EndsAt: later}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the new title and deadline reach B", func() bool {
		got, err := b.App.Store.AppealByID(ctx, remote.ID)
		return err == nil && got.Title == "Servers, backups, mirrors" && got.EndsAt.Unix() == later.Unix() && got.GoalMinor == 20000
	})
}
