package federation_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// TestInboxVotesInBatches: Mastodon votes POSTed at the same time reach the
// inbox's batched path (activities committed together, processed in one job
// of several); every one is counted: the members' as binding ballots, the
// others' as advisory votes, each activity processed, none failed.
func TestInboxVotesInBatches(t *testing.T) {
	const members, outsiders = 16, 8
	inst := apptest.Start(t)
	ctx := context.Background()
	fake := newCMFake(t)
	group, founder := cmCommunity(t, inst, "founder", "coop", service.CommunityInput{MembershipPolicy: models.PolicyOpen})
	svc := inst.App.Svc

	voters := make([]*cmActor, members+outsiders)
	var joins []string
	for i := range voters {
		voters[i] = fake.mastodon(t, fmt.Sprintf("v%d", i))
		if i < members {
			joins = append(joins, cmJoin(t, voters[i], group))
		}
	}
	for i, id := range joins {
		if row := cmOutcome(t, inst, id); row.State != models.ActivityProcessed {
			t.Fatalf("join of v%d: %s %s", i, row.State, row.Error)
		}
	}
	p, err := svc.Governance.Propose(ctx, founder, group, service.ProposalInput{Title: "Plant an orchard"})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := svc.Governance.Get(ctx, nil, p.ID); v.Eligible != members+1 {
		t.Fatalf("eligible %d, want %d", v.Eligible, members+1)
	}

	votes := make([]map[string]any, len(voters))
	for i, a := range voters {
		option := "Yes"
		if i%3 == 0 {
			option = "No"
		}
		votes[i] = mastodonVote(a.URI, group.URI, p.URI, option)
		votes[i]["id"] = fmt.Sprintf("%s/votes/%d/activity", a.URI, i)
		votes[i]["object"].(map[string]any)["id"] = fmt.Sprintf("%s/votes/%d", a.URI, i)
	}
	var wg sync.WaitGroup
	codes := make([]int, len(voters))
	for i := range voters {
		wg.Go(func() { codes[i], _ = voters[i].post(t, group.InboxURI, votes[i]) })
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusAccepted {
			t.Fatalf("vote %d: %d", i, c)
		}
	}
	for i := range votes {
		if row := cmOutcome(t, inst, votes[i]["id"].(string)); row.State != models.ActivityProcessed {
			t.Errorf("vote of v%d: %s %q", i, row.State, row.Error)
		}
	}
	apptest.WaitIdle(t, inst)
	v, err := svc.Governance.Get(ctx, nil, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var binding, advisory int64
	for _, n := range v.Counts {
		binding += n
	}
	for _, n := range v.Advisory {
		advisory += n
	}
	if binding != members || advisory != outsiders {
		t.Fatalf("binding %d (%v), advisory %d (%v); want %d and %d", binding, v.Counts, advisory, v.Advisory, members, outsiders)
	}
}
