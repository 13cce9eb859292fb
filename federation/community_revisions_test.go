package federation_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestRevisedContributionAcrossInstances (issue 10 §3): carl on B joins and
// offers to a community on A; maria (A) requests changes; carl revises on B
// (Update{contribution} with a new file); A shows revision 2 with its diff;
// maria accepts, and B learns it. A second offer is withdrawn from B (Undo{Offer}).
// A steward's edit of the community reaches B as Update{Group}.
func TestRevisedContributionAcrossInstances(t *testing.T) {
	a, b := apptest.Start(t), apptest.Start(t)
	ctx := context.Background()
	newUser(t, a, "maria")
	newUser(t, b, "carl")
	carl, maria := actorOf(t, b, "carl"), actorOf(t, a, "maria")
	mariaUser, _ := a.App.Svc.Accounts.ByUsername(ctx, "maria")
	group, _, err := a.App.Svc.Communities.Create(ctx, mariaUser, service.CommunityInput{Handle: "wiki", Name: "Wiki",
		Licence: "CC-BY-SA-4.0", OfferPolicy: models.PolicyOpen})
	if err != nil {
		t.Fatal(err)
	}
	remoteGroup, _, err := b.App.Svc.Communities.Resolve(ctx, a.Handle("wiki"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.App.Svc.Communities.Join(ctx, carl, remoteGroup, ""); err != nil {
		t.Fatal(err)
	}
	eventually(t, "carl is a member on A", func() bool {
		onA, err := a.App.Store.ActorByURI(ctx, carl.URI)
		return err == nil && a.App.Svc.Communities.Role(ctx, group, onA) == models.RoleCommunityMember
	})

	co, err := b.App.Svc.Communities.Offer(ctx, carl, remoteGroup, service.ContributionInput{Title: "Glossary", Kind: "knowledge",
		Licence: "CC-BY-SA-4.0", Body: "Commons: what we share.\nLedger: who gave what."}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var onA *models.Contribution
	eventually(t, "the offer arrives on A", func() bool {
		onA, err = a.App.Store.ContributionByURI(ctx, co.URI)
		return err == nil
	})
	if _, err := a.App.Svc.Communities.Comment(ctx, maria, onA.ID, "Please define *steward* too.", true); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the request for changes reaches carl on B", func() bool {
		var n int64
		b.App.Store.DB.Model(&models.Note{}).Where("in_reply_to_uri = ? AND content LIKE ?", co.URI, "%Changes requested%").Count(&n)
		return n == 1
	})

	// carl revises on B: the text, and a file.
	md := []byte("# Steward\n\nKeeps the community's settings.\n")
	if _, err := b.App.Svc.Communities.Revise(ctx, carl, co.ID, service.RevisionInput{Title: "Glossary, with roles",
		Body:  "Commons: what we share.\nLedger: who gave what.\nSteward: keeps the settings.",
		Files: []service.Upload{{Name: "steward.md", ContentType: "text/markdown", Data: md}}}, nil); err != nil {
		t.Fatal(err)
	}
	eventually(t, "A sees revision 2", func() bool {
		onA, err = a.App.Store.ContributionByURI(ctx, co.URI)
		return err == nil && onA.Revision == 2
	})
	atts := service.Attachments(onA)
	if onA.State != models.ContributionOpen || onA.Title != "Glossary, with roles" || !strings.Contains(onA.Body, "Steward: keeps") ||
		len(atts) != 1 || !strings.HasPrefix(atts[0].URL, b.URL+"/media/") {
		t.Fatalf("revision 2 on A: %+v %+v", onA, atts)
	}
	revs, _ := a.App.Store.ContributionRevisions(ctx, onA.ID)
	if len(revs) != 2 || revs[0].Title != "Glossary" || revs[1].URI == "" {
		t.Fatalf("revisions on A: %+v", revs)
	}
	resp, body := get(t, a.Client, a.URL+"/contributions/"+onA.ID, "text/html")
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<ins>+ Steward: keeps the settings.</ins>") ||
		!strings.Contains(string(body), "File added:") {
		t.Fatalf("A's page: %d\n%s", resp.StatusCode, body)
	}

	if _, err := a.App.Svc.Communities.Decide(ctx, maria, onA.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	eventually(t, "B learns of the acceptance", func() bool {
		got, err := b.App.Store.ContributionByID(ctx, co.ID)
		return err == nil && got.State == models.ContributionAccepted
	})

	// A second offer, withdrawn from B.
	second, err := b.App.Svc.Communities.Offer(ctx, carl, remoteGroup, service.ContributionInput{Title: "Typo", Kind: "knowledge", Licence: "CC-BY-SA-4.0"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the second offer arrives on A", func() bool {
		_, err := a.App.Store.ContributionByURI(ctx, second.URI)
		return err == nil
	})
	if _, err := b.App.Svc.Communities.Withdraw(ctx, carl, second.ID, false); err != nil {
		t.Fatal(err)
	}
	eventually(t, "A sees the withdrawal", func() bool {
		got, err := a.App.Store.ContributionByURI(ctx, second.URI)
		return err == nil && got.State == models.ContributionWithdrawn
	})

	// The steward renames the community: B, where a member lives, refetches it.
	name := "Wiki of the commons"
	if _, err := a.App.Svc.Communities.Update(ctx, maria, group, service.CommunityPatch{Name: &name}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "B sees the new name", func() bool {
		g, err := b.App.Store.ActorByURI(ctx, group.URI)
		return err == nil && g.Name == name
	})
}
