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

// TestCommunityAuthorization: what members, maintainers and remote actors may not
// do. Each refusal has a clear status — at once for local calls and inbox
// checks, or as the processed activity's outcome for inbox traffic that is
// accepted (202) and refused later — and leaves the communities exactly as they
// were.
func TestCommunityAuthorization(t *testing.T) {
	inst := apptest.Start(t)
	ctx := context.Background()
	svc := inst.App.Svc.Communities
	group, maria := cmCommunity(t, inst, "maria", "wiki", service.CommunityInput{Name: "Wiki", OfferPolicy: "members"})
	closed, _ := cmCommunity(t, inst, "olga", "lodge", service.CommunityInput{Name: "Lodge", MembershipPolicy: "invitation"})
	newUser(t, inst, "carl")
	newUser(t, inst, "dora")
	carl, dora := actorOf(t, inst, "carl"), actorOf(t, inst, "dora")
	if _, err := svc.Join(ctx, carl, group, ""); err != nil {
		t.Fatal(err)
	}
	co, err := svc.Offer(ctx, carl, group, service.ContributionInput{Title: "Glossary", Kind: "knowledge"}, nil)
	if err != nil {
		t.Fatal(err)
	}

	fake := newCMFake(t)
	felix := fake.mastodon(t, "felix")     // not a member of anything
	mallory := fake.mastodon(t, "mallory") // a member of wiki
	club := fake.group(t, "club")          // a community on another server
	mjoin := cmJoin(t, mallory, group)
	fake.waitPost(t, "Accept of mallory's Join", cmIs("Accept", group.URI, mjoin))
	_, felixNote := cmNote(t, inst, felix, group, "a post to boost", "")

	announce := func(actor string) map[string]any {
		return map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "type": "Announce",
			"id": strings.TrimSuffix(actor, "/") + "/announces/forged", "actor": actor, "object": felixNote,
			"to": []any{"https://www.w3.org/ns/activitystreams#Public"}}
	}
	var offered string
	type result struct {
		status int
		// activity is the id of an activity the inbox accepted (202): it must end
		// refused (failed) with the error below.
		activity string
		err      error
	}
	cases := []struct {
		name    string
		do      func(t *testing.T) result
		want    int
		refusal string // part of the processed activity's error
		after   func(t *testing.T)
	}{
		{name: "non-member offers to a members-only commons", want: 403,
			do: func(t *testing.T) result {
				_, err := svc.Offer(ctx, dora, group, service.ContributionInput{Title: "Drive-by", Kind: "other"}, nil)
				return result{status: cmStatus(err), err: err}
			}},
		{name: "remote non-member offers over the inbox", want: 202, refusal: "only members may offer",
			do: func(t *testing.T) result {
				offered = felix.id("contributions")
				offer := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "type": "Offer",
					"id": felix.id("offers"), "actor": felix.URI, "target": group.URI, "to": []any{group.URI},
					"object": map[string]any{"id": offered, "type": "Note", "name": "Unasked edits", "attributedTo": felix.URI,
						"content": "<p>Unasked edits</p>", "contributionKind": "knowledge", "licence": "CC-BY-SA-4.0"}}
				st, _ := felix.post(t, group.InboxURI, offer)
				return result{status: st, activity: offer["id"].(string)}
			},
			after: func(t *testing.T) {
				if _, err := inst.App.Store.ContributionByURI(ctx, offered); err == nil {
					t.Error("refused offer stored")
				}
			}},
		{name: "member who is not a maintainer accepts", want: 403,
			do: func(t *testing.T) result {
				_, err := svc.Decide(ctx, carl, co.ID, true, "")
				return result{status: cmStatus(err), err: err}
			}},
		{name: "non-member rejects", want: 403,
			do: func(t *testing.T) result {
				_, err := svc.Decide(ctx, dora, co.ID, false, "no")
				return result{status: cmStatus(err), err: err}
			}},
		{name: "remote member Adds itself to the moderators", want: 202, refusal: "only this instance's communities",
			do: func(t *testing.T) result {
				add := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "type": "Add",
					"id": mallory.id("adds"), "actor": mallory.URI, "object": mallory.URI, "target": group.URI + "/moderators"}
				st, _ := mallory.post(t, group.InboxURI, add)
				return result{status: st, activity: add["id"].(string)}
			},
			after: func(t *testing.T) {
				mods, _ := svc.Maintainers(ctx, group)
				if len(mods) != 1 || mods[0].Actor.ID != maria.ID {
					t.Errorf("moderators: %+v", mods)
				}
			}},
		{name: "Announce claiming the local Group, signed by someone else", want: 403,
			do: func(t *testing.T) result {
				st, _ := felix.post(t, group.InboxURI, announce(group.URI))
				return result{status: st}
			}},
		{name: "Announce claiming a remote Group, signed with another actor's key", want: 401,
			do: func(t *testing.T) result {
				st, body := felix.post(t, inst.URL+"/inbox", announce(club.URI))
				if !strings.Contains(body, "not to the activity's actor") {
					t.Errorf("answer %s", body)
				}
				return result{status: st}
			},
			after: func(t *testing.T) {
				if _, err := inst.App.Store.ActivityByURI(ctx, announce(club.URI)["id"].(string)); err == nil {
					t.Error("forged Announce stored")
				}
			}},
		{name: "Announce under the remote Group's key id, signed with another key", want: 401,
			do: func(t *testing.T) result {
				st, _ := cmSignedPost(t, inst.URL+"/inbox", announce(club.URI), club.KeyID, felix.Key)
				return result{status: st}
			}},
		{name: "remote Join under the invitation policy", want: 202, refusal: "invitation only",
			do: func(t *testing.T) result {
				id := cmJoin(t, felix, closed)
				fake.waitPost(t, "Reject of the Join", cmIs("Reject", closed.URI, id))
				return result{status: 202, activity: id}
			}},
		{name: "local Join under the invitation policy", want: 403,
			do: func(t *testing.T) result {
				_, err := svc.Join(ctx, dora, closed, "")
				return result{status: cmStatus(err), err: err}
			}},
		{name: "reject without a reason", want: 422,
			do: func(t *testing.T) result {
				_, err := svc.Decide(ctx, maria, co.ID, false, "  ")
				return result{status: cmStatus(err), err: err}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := cmState(t, inst, group) + "\n" + cmState(t, inst, closed)
			r := tc.do(t)
			if r.status != tc.want {
				t.Fatalf("status %d, want %d (%v)", r.status, tc.want, r.err)
			}
			if r.err != nil && strings.TrimSpace(r.err.Error()) == "" {
				t.Errorf("refusal without a message")
			}
			if r.activity != "" {
				row := cmOutcome(t, inst, r.activity)
				if row.State != models.ActivityFailed || !strings.Contains(row.Error, tc.refusal) {
					t.Fatalf("activity ended %s %q, want failed with %q", row.State, row.Error, tc.refusal)
				}
			} else if tc.want == http.StatusAccepted {
				t.Fatal("an accepted case must name its activity")
			}
			if tc.after != nil {
				tc.after(t)
			}
			if after := cmState(t, inst, group) + "\n" + cmState(t, inst, closed); after != before {
				t.Fatalf("state changed:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
	// Control: the same Announce signed by the remote Group itself is accepted, so
	// the 401s above are the signature's doing.
	genuine := announce(club.URI)
	genuine["id"] = club.id("announces")
	if st, body := club.post(t, inst.URL+"/inbox", genuine); st != http.StatusAccepted {
		t.Fatalf("genuine Announce: %d %s", st, body)
	}
	if got, _ := inst.App.Store.ContributionByID(ctx, co.ID); got.State != models.ContributionOpen {
		t.Fatalf("contribution ended %s", got.State)
	}
}
