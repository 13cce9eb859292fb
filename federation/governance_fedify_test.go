package federation_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/internal/fedpeer"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestGovernanceFedifyVoter: a Fedify actor follows and joins a community,
// receives the proposal as Create{Question}, votes as Mastodon does, the
// vote counts as a binding ballot, and the debounced Update{Question} brings
// the peer the tally with its vote counted. Fedify refuses nothing.
func TestGovernanceFedifyVoter(t *testing.T) {
	peer := fedpeer.Start(t)
	inst := apptest.Start(t, func(c *config.Config) { c.Federation.PollUpdateWindow = time.Second })
	ctx := context.Background()
	group, founder := cmCommunity(t, inst, "maria", "orchard", service.CommunityInput{MembershipPolicy: models.PolicyOpen})
	if _, err := peer.Follow(group.URI); err != nil {
		t.Fatal(err)
	}
	peer.WaitFor(t, fedpeer.OfType("Accept", group.URI), 20*time.Second)
	if _, err := peer.Join(group.URI); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the Fedify actor is a member", func() bool {
		a, err := inst.App.Store.ActorByURI(ctx, peer.ActorURL())
		if err != nil {
			return false
		}
		m, err := inst.App.Store.Membership(ctx, group.ID, a.ID)
		return err == nil && m.State == models.MembershipActive
	})
	p, err := inst.App.Svc.Governance.Propose(ctx, founder, group, service.ProposalInput{Title: "Plant pears"})
	if err != nil {
		t.Fatal(err)
	}
	created := peer.WaitFor(t, func(a fedpeer.Activity) bool { return a.Type == "Create" && a.Object == p.URI }, 20*time.Second)
	if created.FetchError != nil || created.FetchedObject == nil || created.FetchedObject.Type != "Question" {
		t.Fatalf("Fedify did not take the Question: %+v %v", created.FetchedObject, created.FetchError)
	}
	if _, err := peer.Vote(p.URI, "Yes", group.URI); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the Fedify vote is binding", func() bool {
		v, err := inst.App.Svc.Governance.Get(ctx, nil, p.ID)
		return err == nil && v.Counts["Yes"] == 1
	})
	peer.WaitFor(t, func(a fedpeer.Activity) bool {
		if a.Type != "Update" || a.Object != p.URI || a.FetchedObject == nil {
			return false
		}
		var q struct {
			OneOf []struct {
				Name    string `json:"name"`
				Replies struct {
					TotalItems int `json:"totalItems"`
				} `json:"replies"`
			} `json:"oneOf"`
		}
		if json.Unmarshal(a.FetchedObject.JSON, &q) != nil {
			return false
		}
		for _, o := range q.OneOf {
			if o.Name == "Yes" && o.Replies.TotalItems == 1 {
				return true
			}
		}
		return false
	}, 30*time.Second)
	if rej, _ := peer.Rejected(); len(rej) > 0 {
		t.Fatalf("Fedify rejected %d activities: %+v", len(rej), rej)
	}
}
