package federation_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestRemoteOfferCoContributorsConfirm: carl's remote Offer names bob (on his
// server), lena (a local account) and a stranger as co-contributors. Until
// each confirms, only carl is credited: accepting gives carl alone a ledger
// entry. A message with the credit code from someone not named, or from the
// wrong sender, changes nothing; bob's own message credits him (once, however
// often he sends it); lena confirms here; nobody else ever gets an entry.
func TestRemoteOfferCoContributorsConfirm(t *testing.T) {
	inst := apptest.Start(t)
	ctx := context.Background()
	svc := inst.App.Svc
	group, maria := cmCommunity(t, inst, "maria", "wiki", service.CommunityInput{Name: "Wiki", OfferPolicy: models.PolicyOpen})
	newUser(t, inst, "lena")
	lena := actorOf(t, inst, "lena")
	fake := newCMFake(t)
	carl, bob, eve, ghost := fake.mastodon(t, "carl"), fake.mastodon(t, "bob"), fake.mastodon(t, "eve"), fake.mastodon(t, "ghost")
	for _, a := range []*cmActor{bob, eve, ghost} { // known here, as they would be after any activity
		if _, err := svc.Social.ResolveActor(ctx, a.URI); err != nil {
			t.Fatal(err)
		}
	}

	objID := carl.id("contributions")
	obj := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": objID, "type": "Page", "name": "Glossary",
		"content": "<p>terms</p>", "attributedTo": []any{carl.URI, bob.URI, lena.URI, ghost.URI, carl.URI},
		"licence": "CC-BY-SA-4.0", "contributionKind": "knowledge"}
	fake.put(objID, obj)
	offer := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": carl.id("offers"), "type": "Offer",
		"actor": carl.URI, "object": obj, "target": group.URI}
	cmSend(t, inst, carl, group, offer)
	co, err := inst.App.Store.ContributionByURI(ctx, objID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(co.Contributors, []string{carl.URI}) || co.PendingContributors != `["`+bob.URI+`","`+lena.URI+`","`+ghost.URI+`"]` {
		t.Fatalf("contributors %s, pending %s", co.Contributors, co.PendingContributors)
	}
	if _, err := svc.Communities.Decide(ctx, maria, co.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	credited := func() map[string]int {
		entries, _, err := svc.Communities.Ledger(ctx, group, 100, 0)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]int{}
		for _, e := range entries {
			a, _ := svc.Actors.ByID(ctx, e.ContributorID)
			out[a.URI]++
		}
		return out
	}
	wantCredit := func(step string, uris ...string) {
		t.Helper()
		got := credited()
		if len(got) != len(uris) {
			t.Fatalf("%s: ledger %v, want %v", step, got, uris)
		}
		for _, u := range uris {
			if got[u] != 1 {
				t.Fatalf("%s: ledger %v, want %v once each", step, got, uris)
			}
		}
	}
	wantCredit("after acceptance", carl.URI)

	code := service.CreditCode(co)
	cmSend(t, inst, eve, group, cmDirect(t, inst, eve, group, code))     // not named
	cmSend(t, inst, carl, group, cmDirect(t, inst, carl, group, code))   // the offerer cannot confirm for others
	cmSend(t, inst, bob, group, cmDirect(t, inst, bob, group, "thanks")) // no code
	wantCredit("after messages from others", carl.URI)

	cmSend(t, inst, bob, group, cmDirect(t, inst, bob, group, "yes I helped: "+code))
	cmSend(t, inst, bob, group, cmDirect(t, inst, bob, group, strings.ToUpper(code)))
	wantCredit("after bob's messages", carl.URI, bob.URI)

	if _, err := svc.Communities.ConfirmCredit(ctx, eveRow(t, inst, eve), co.ID); cmStatus(err) != http.StatusForbidden {
		t.Fatalf("a stranger confirming: %v", err)
	}
	if _, err := svc.Communities.ConfirmCredit(ctx, lena, co.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Communities.ConfirmCredit(ctx, lena, co.ID); cmStatus(err) != http.StatusConflict {
		t.Fatalf("confirming twice: %v", err)
	}
	wantCredit("after lena confirmed", carl.URI, bob.URI, lena.URI)
	co, _ = inst.App.Store.ContributionByID(ctx, co.ID)
	if co.PendingContributors != `["`+ghost.URI+`"]` {
		t.Fatalf("still pending: %s", co.PendingContributors)
	}

	// The page lists who is still pending and the code.
	resp, body := get(t, inst.Client, inst.URL+"/contributions/"+co.ID, "text/html")
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `id="pending-contributors"`) || !strings.Contains(string(body), code) {
		t.Fatalf("page: %d\n%s", resp.StatusCode, body)
	}
}

func eveRow(t *testing.T, inst *apptest.Instance, a *cmActor) *models.Actor {
	return cmRemoteRow(t, inst, a)
}
