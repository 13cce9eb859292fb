package federation_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestContributionAttachmentsAcrossInstances: carl on C offers a contribution with
// a PDF to a community on A. The Offer carries it as a Document; A keeps its URL
// (no download), shows it as a link, and the file is fetchable at C.
func TestContributionAttachmentsAcrossInstances(t *testing.T) {
	a, c := apptest.Start(t), apptest.Start(t)
	ctx := context.Background()
	newUser(t, a, "maria")
	newUser(t, c, "carl")
	carl := actorOf(t, c, "carl")
	mariaUser, _ := a.App.Svc.Accounts.ByUsername(ctx, "maria")
	if _, _, err := a.App.Svc.Communities.Create(ctx, mariaUser, service.CommunityInput{Handle: "wiki", Name: "Wiki",
		Licence: "CC-BY-SA-4.0", OfferPolicy: models.PolicyOpen}); err != nil {
		t.Fatal(err)
	}
	remoteGroup, _, err := c.App.Svc.Communities.Resolve(ctx, a.Handle("wiki"))
	if err != nil {
		t.Fatal(err)
	}
	pdf := []byte("%PDF-1.4\n% the merge request, printed\n%%EOF\n")
	co, err := c.App.Svc.Communities.Offer(ctx, carl, remoteGroup, service.ContributionInput{Title: "Printed MR", Kind: "code",
		Licence: "CC-BY-SA-4.0", Links: []string{"https://forge.example/mr/7"},
		Files: []service.Upload{{Name: "mr-7.pdf", ContentType: "application/pdf", Data: pdf}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	atts := service.Attachments(co)
	if len(atts) != 1 || !strings.HasPrefix(atts[0].URL, c.URL+"/media/") || atts[0].MediaType != "application/pdf" {
		t.Fatalf("on C: %+v", atts)
	}
	var onA *models.Contribution
	eventually(t, "offer arrives on A", func() bool {
		onA, err = a.App.Store.ContributionByURI(ctx, co.URI)
		return err == nil
	})
	got := service.Attachments(onA)
	if len(got) != 1 || got[0].URL != atts[0].URL || got[0].MediaType != "application/pdf" || got[0].Name != "mr-7.pdf" {
		t.Fatalf("on A: %+v", got)
	}
	if len(onA.Links) != 1 || onA.Links[0] != "https://forge.example/mr/7" {
		t.Fatalf("links on A: %q", onA.Links)
	}
	var copied int64
	a.App.Store.DB.Model(&models.Media{}).Where("contribution_id IS NOT NULL").Count(&copied)
	if copied != 0 {
		t.Fatalf("A downloaded %d files", copied)
	}

	// A's page links to the file at C; the file is served there.
	resp, body := get(t, a.Client, a.URL+"/contributions/"+onA.ID, "text/html")
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `href="`+atts[0].URL+`"`) || !strings.Contains(string(body), ">mr-7.pdf</a>") {
		t.Fatalf("A's page: %d\n%s", resp.StatusCode, body)
	}
	r, err := c.Client.Get(got[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	if r.StatusCode != http.StatusOK || string(b) != string(pdf) || r.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("file at C: %d %q", r.StatusCode, r.Header.Get("Content-Type"))
	}
}
