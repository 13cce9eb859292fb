package federation_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/store"
)

// mastodonVote is a poll vote exactly as Mastodon sends it
// (ActivityPub::VoteSerializer inside a Create): ids under the voter with a
// #votes fragment, a Note named by the option, in reply to the Question,
// addressed to the poll's author (the Group). No vote fixture exists in the
// shared Mastodon fixtures, so the shape follows Mastodon's serializer.
func mastodonVote(voter, group, question, option string) map[string]any {
	id := voter + "#votes/" + time.Now().Format("150405.000000000")
	return map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       id + "/activity", "type": "Create", "actor": voter, "to": group,
		"object": map[string]any{"id": id, "type": "Note", "name": option, "attributedTo": voter,
			"inReplyTo": question, "to": group},
	}
}

// TestGovernanceMastodonVote: a remote member following the community gets
// the proposal as a Question, votes from "Mastodon", the vote counts (and a
// non-member's is advisory), hostile votes change nothing, the close job
// decides it, and the outcome note and the effect (a remote applicant
// admitted with Accept{Join}) reach the remote server.
func TestGovernanceMastodonVote(t *testing.T) {
	// A short debounce window, so the tally update comes within the test.
	inst := apptest.Start(t, func(c *config.Config) { c.Federation.PollUpdateWindow = time.Second })
	ctx := context.Background()
	fake := newCMFake(t)
	group, founder := cmCommunity(t, inst, "founder", "coop", service.CommunityInput{MembershipPolicy: models.PolicyApproval})
	svc := inst.App.Svc

	ana := fake.mastodon(t, "ana") // a member voting from Mastodon
	cmFollowGroup(t, inst, ana, group)
	cmOutcome(t, inst, cmJoin(t, ana, group))
	anaActor, err := inst.App.Store.ActorByURI(ctx, ana.URI)
	if err != nil {
		t.Fatal(err)
	}
	m, err := inst.App.Store.Membership(ctx, group.ID, anaActor.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Communities.DecideMembership(ctx, founder, group, m.ID, true); err != nil {
		t.Fatal(err)
	}
	bea := fake.mastodon(t, "bea") // asks to join; the community decides by vote
	beaJoin := cmJoin(t, bea, group)
	cmOutcome(t, inst, beaJoin)
	beaActor, _ := inst.App.Store.ActorByURI(ctx, bea.URI)
	mallory := fake.mastodon(t, "mallory") // not a member
	cmFollowGroup(t, inst, mallory, group)

	p, err := svc.Governance.Propose(ctx, founder, group, service.ProposalInput{Title: "Admit Bea", Kind: "admit_member",
		Args: []byte(`{"member":"` + bea.URI + `"}`)})
	if err != nil {
		t.Fatal(err)
	}
	created := fake.waitPost(t, "Create{Question}", cmIs("Create", group.URI, p.URI))
	if obj := created["object"].(map[string]any); obj["type"] != "Question" || len(obj["oneOf"].([]any)) != 3 {
		t.Fatalf("Create{Question} object %v", obj)
	}

	binding := func() map[string]int64 {
		t.Helper()
		v, err := svc.Governance.Get(ctx, nil, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		return v.Counts
	}
	// answer sends act and returns the answer: the refusal at the door, or
	// the processed activity's state and recorded reason.
	answer := func(a *cmActor, act map[string]any) string {
		t.Helper()
		code, body := a.post(t, group.InboxURI, act)
		if code != http.StatusAccepted {
			return "refused: " + body
		}
		row := cmOutcome(t, inst, act["id"].(string))
		return row.State + ": " + row.Error
	}
	send := func(a *cmActor, act map[string]any) *models.Activity {
		t.Helper()
		if code, body := a.post(t, group.InboxURI, act); code != http.StatusAccepted {
			t.Fatalf("refused: %d %s", code, body)
		}
		return cmOutcome(t, inst, act["id"].(string))
	}

	vote := mastodonVote(ana.URI, group.URI, p.URI, "Yes")
	if row := send(ana, vote); row == nil || row.State != models.ActivityProcessed {
		t.Fatalf("ana's vote: %+v", row)
	}
	if c := binding(); c["Yes"] != 1 {
		t.Fatalf("binding counts %v after ana's vote", c)
	}
	// The debounced Update{Question} brings ana the new tally.
	fake.waitPost(t, "Update{Question} with ana's vote", func(m map[string]any) bool {
		obj, _ := m["object"].(map[string]any)
		if m["type"] != "Update" || obj == nil || obj["id"] != p.URI || obj["closed"] != nil {
			return false
		}
		yes, _ := obj["oneOf"].([]any)[0].(map[string]any)
		replies, _ := yes["replies"].(map[string]any)
		return replies["totalItems"] == float64(1)
	})
	voteNote := vote["object"].(map[string]any)["id"].(string)
	if _, err := inst.App.Store.NoteByURI(ctx, voteNote); err == nil {
		t.Fatal("a vote was stored as a note")
	}
	// A non-member's vote is advisory.
	malloryNo := mastodonVote(mallory.URI, group.URI, p.URI, "No")
	if row := send(mallory, malloryNo); row == nil || row.State != models.ActivityProcessed {
		t.Fatalf("mallory's vote: %+v", row)
	}
	if v, _ := svc.Governance.Get(ctx, nil, p.ID); v.Counts["No"] != 0 || v.Advisory["No"] != 1 {
		t.Fatalf("counts %v advisory %v", v.Counts, v.Advisory)
	}

	// Undo{Create{vote}} before close takes the vote back; nobody can undo
	// another's vote.
	undo := func(by *cmActor, create map[string]any) map[string]any {
		return map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": by.URI + "#undo/" + time.Now().Format("150405.000000000"),
			"type": "Undo", "actor": by.URI, "object": create}
	}
	if got := answer(ana, undo(ana, malloryNo)); !strings.Contains(got, "refused") {
		t.Fatalf("ana undoes mallory's vote: %s", got)
	}
	if v, _ := svc.Governance.Get(ctx, nil, p.ID); v.Advisory["No"] != 1 {
		t.Fatalf("advisory %v after a refused undo", v.Advisory)
	}
	if got := answer(mallory, undo(mallory, malloryNo)); !strings.HasPrefix(got, "processed") {
		t.Fatalf("mallory undoes her vote: %s", got)
	}
	if v, _ := svc.Governance.Get(ctx, nil, p.ID); v.Advisory["No"] != 0 {
		t.Fatalf("advisory %v after mallory's undo", v.Advisory)
	}
	hostile := []struct {
		name string
		doc  func() map[string]any
		want string // part of the answer
	}{
		{"attributedTo another actor", func() map[string]any {
			v := mastodonVote(ana.URI, group.URI, p.URI, "No")
			v["object"].(map[string]any)["attributedTo"] = mallory.URI
			return v
		}, "refused: {\"error\":\"the object is attributed to"}, // at the door, before any job
		{"unknown option", func() map[string]any { return mastodonVote(ana.URI, group.URI, p.URI, "Perhaps") }, `failed: no option "Perhaps"`},
		{"vote id off the actor's host", func() map[string]any {
			v := mastodonVote(ana.URI, group.URI, p.URI, "No")
			v["object"].(map[string]any)["id"] = "https://elsewhere.example/votes/1"
			return v
		}, "is not on the actor's host"},
		{"second vote of a remote voter", func() map[string]any { return mastodonVote(ana.URI, group.URI, p.URI, "No") }, "processed: "},
	}
	for _, tc := range hostile {
		t.Run(tc.name, func(t *testing.T) {
			before := binding()
			if got := answer(ana, tc.doc()); !strings.Contains(got, tc.want) {
				t.Fatalf("answer %q, want it to say %q", got, tc.want)
			}
			if after := binding(); after["Yes"] != before["Yes"] || after["No"] != before["No"] {
				t.Fatalf("counts changed: %v → %v", before, after)
			}
		})
	}

	// GET of the Question serves the current tallies.
	q := cmGetJSON(t, inst, p.URI)
	yes := q["oneOf"].([]any)[0].(map[string]any)
	if q["type"] != "Question" || yes["name"] != "Yes" || yes["replies"].(map[string]any)["totalItems"] != float64(1) {
		t.Fatalf("served Question %v", q)
	}

	// Time is up: the close runs as a job on the instance's queue.
	if err := inst.App.Store.DB.Model(&models.Proposal{}).Where("id = ?", p.ID).
		Update("closes_at", time.Now().Add(-time.Second)).Error; err != nil {
		t.Fatal(err)
	}
	if err := inst.App.Store.Tx(ctx, func(tx *store.Store) error {
		return svc.Jobs.Enqueue(ctx, tx, service.CloseProposalJob{ProposalID: p.ID})
	}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the proposal closed", func() bool {
		got, err := inst.App.Store.ProposalByID(ctx, p.ID)
		return err == nil && got.State != models.ProposalOpen
	})
	got, _ := inst.App.Store.ProposalByID(ctx, p.ID)
	if got.State != models.ProposalPassed {
		t.Fatalf("state %s: %s", got.State, got.Outcome)
	}
	fake.waitPost(t, "Update{Question} closed", func(m map[string]any) bool {
		obj, _ := m["object"].(map[string]any)
		return m["type"] == "Update" && obj != nil && obj["id"] == p.URI && obj["closed"] != nil
	})
	outcome := fake.waitPost(t, "the outcome note", func(m map[string]any) bool {
		obj, _ := m["object"].(map[string]any)
		return m["type"] == "Create" && obj != nil && obj["inReplyTo"] == p.URI && m["actor"] == group.URI
	})
	if obj := outcome["object"].(map[string]any); obj["commons:result"] != "passed" || obj["commons:decides"] != p.URI || obj["commons:eligible"] != float64(2) {
		t.Fatalf("outcome note without its machine-readable result: %v", obj)
	}
	accept := fake.waitPost(t, "Accept{Join} of bea", cmIs("Accept", group.URI, beaJoin))
	if accept["context"] != p.URI {
		t.Fatalf("the effect's Accept has context %v, want the proposal", accept["context"])
	}
	if bm, err := inst.App.Store.Membership(ctx, group.ID, beaActor.ID); err != nil || bm.State != models.MembershipActive {
		t.Fatalf("bea's membership %+v (%v)", bm, err)
	}
	// A vote after close changes nothing.
	if got := answer(ana, mastodonVote(ana.URI, group.URI, p.URI, "No")); !strings.Contains(got, "failed: this proposal is closed") {
		t.Fatalf("a vote after close: %s", got)
	}
	if after, _ := inst.App.Store.ProposalByID(ctx, p.ID); after.Tally != got.Tally {
		t.Fatalf("tally changed after close: %s → %s", got.Tally, after.Tally)
	}
}
