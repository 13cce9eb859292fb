package communities_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/store"
	"github.com/commonsd/commonsd/store/storetest"
)

func ptr[T any](v T) *T { return &v }

// TestCommunityUpdate: who may edit a community and what; each accepted
// change is sent once as Update{Group} to the followers and the remote
// members, a refused one changes and sends nothing; a charter or licence
// change adds a version to the history, the licence applies to new offers
// only.
func TestCommunityUpdate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, nil)
		steward, _ := f.s.Accounts.ActorOf(f.ctx, f.root)
		group, _ := f.community(t, service.CommunityInput{Handle: "garden", Licence: "MIT", Charter: "Share seeds.", MembershipPolicy: models.PolicyOpen, OfferPolicy: models.PolicyOpen})
		_, member := f.user(t, "member")
		_, maintainer := f.user(t, "keeper")
		_, stranger := f.user(t, "stranger")
		rita := f.remote(t, "rita")
		for _, a := range []*models.Actor{member, maintainer, rita} {
			if _, err := f.s.Communities.Join(f.ctx, a, group, ""); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.s.Communities.SetRole(f.ctx, steward, group, maintainer, models.RoleCommunityMaintainer); err != nil {
			t.Fatal(err)
		}
		old, err := f.s.Communities.Offer(f.ctx, member, group, service.ContributionInput{Title: "old", Kind: "code"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		f.pub.Take()

		cases := []struct {
			name     string
			by       *models.Actor
			patch    service.CommunityPatch
			want     int
			versions int // charter versions after the step
			check    func(t *testing.T, g *models.Actor, com *models.Community)
		}{
			{"anonymous", nil, service.CommunityPatch{Name: ptr("x")}, http.StatusUnauthorized, 0, nil},
			{"not a member", stranger, service.CommunityPatch{Name: ptr("x")}, http.StatusForbidden, 0, nil},
			{"a member", member, service.CommunityPatch{Name: ptr("x")}, http.StatusForbidden, 0, nil},
			{"a maintainer", maintainer, service.CommunityPatch{Name: ptr("x")}, http.StatusForbidden, 0, nil},
			{"nothing to change", steward, service.CommunityPatch{}, http.StatusUnprocessableEntity, 0, nil},
			{"empty name", steward, service.CommunityPatch{Name: ptr("  ")}, http.StatusUnprocessableEntity, 0, nil},
			{"unknown licence", steward, service.CommunityPatch{Licence: ptr("WTFPL-9")}, http.StatusUnprocessableEntity, 0, nil},
			{"unknown policy", steward, service.CommunityPatch{PostingPolicy: ptr("everyone")}, http.StatusUnprocessableEntity, 0, nil},
			{"empty policy is no default", steward, service.CommunityPatch{MembershipPolicy: ptr("")}, http.StatusUnprocessableEntity, 0, nil},
			{"min above the current max", steward, service.CommunityPatch{WeightMin: ptr(11)}, http.StatusUnprocessableEntity, 0, nil},
			{"link not http", steward, service.CommunityPatch{Links: &[]models.Field{{Name: "x", Value: "javascript:alert(1)"}}}, http.StatusUnprocessableEntity, 0, nil},
			{"name, summary, links, policies", steward, service.CommunityPatch{Name: ptr("Seed Garden"), Summary: ptr("We *share* seeds"),
				Links: &[]models.Field{{Name: "Site", Value: "https://seeds.example"}}, PostingPolicy: ptr(models.PolicyMembers),
				MembershipPolicy: ptr(models.PolicyApproval), MembersPublic: ptr(false), ApproveFollowers: ptr(true),
				WeightMin: ptr(2), WeightMax: ptr(20)}, 0, 0, func(t *testing.T, g *models.Actor, com *models.Community) {
				if g.Name != "Seed Garden" || g.SummarySource != "We *share* seeds" || !strings.Contains(g.Fields, "seeds.example") ||
					!g.ManuallyApprovesFollowers || g.IconURL != group.IconURL {
					t.Fatalf("actor %+v", g)
				}
				if com.PostingPolicy != models.PolicyMembers || com.MembershipPolicy != models.PolicyApproval ||
					com.OfferPolicy != models.PolicyOpen || com.MembersPublic || com.WeightMin != 2 || com.WeightMax != 20 ||
					com.Licence != "MIT" || com.Charter != "Share seeds." {
					t.Fatalf("community %+v", com)
				}
			}},
			{"the same again changes nothing", steward, service.CommunityPatch{Name: ptr("Seed Garden")}, 0, 0, nil},
			{"charter", steward, service.CommunityPatch{Charter: ptr("Share *all* seeds.")}, 0, 2, func(t *testing.T, g *models.Actor, com *models.Community) {
				if !strings.Contains(com.CharterHTML, "<em>all</em>") {
					t.Fatalf("charter html %q", com.CharterHTML)
				}
			}},
			{"licence forward", steward, service.CommunityPatch{Licence: ptr("CC-BY-SA-4.0")}, 0, 3, func(t *testing.T, g *models.Actor, com *models.Community) {
				if got, _ := st.ContributionByID(f.ctx, old.ID); got.Licence != "MIT" {
					t.Fatalf("an earlier contribution's licence became %s", got.Licence)
				}
				if _, err := f.s.Communities.Offer(f.ctx, member, group, service.ContributionInput{Title: "under old", Kind: "code", Licence: "MIT"}, nil); status(err) != http.StatusUnprocessableEntity {
					t.Fatalf("an offer under the old licence: %v", err)
				}
				co, err := f.s.Communities.Offer(f.ctx, member, group, service.ContributionInput{Title: "new", Kind: "code"}, nil)
				if err != nil || co.Licence != "CC-BY-SA-4.0" {
					t.Fatalf("a new offer: %+v %v", co, err)
				}
				f.pub.Take()
			}},
		}
		sent := 0
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				before := f.pub.Sent("Update")
				_, err := f.s.Communities.Update(f.ctx, c.by, group, c.patch)
				if got := status(err); got != c.want {
					t.Fatalf("status %d (%v), want %d", got, err, c.want)
				}
				out := f.pub.Take()
				g, _ := st.ActorByID(f.ctx, group.ID)
				com, _ := st.CommunityByActorID(f.ctx, group.ID)
				if c.check != nil {
					c.check(t, g, com)
				}
				changed := c.want == 0 && c.name != "the same again changes nothing"
				if n := len(out); (changed && n != 1) || (!changed && n != 0) || before != 0 {
					t.Fatalf("published %d activities", n)
				}
				if changed {
					sent++
					u := out[0]
					obj, ok := u.Object.(service.GroupObject)
					if u.Type != "Update" || !ok || obj.Group.URI != group.URI || obj.Community.Licence != com.Licence ||
						!u.ToFollowers || len(u.Recipients) != 1 || u.Recipients[0].ID != rita.ID {
						t.Fatalf("Update{Group}: %+v", u)
					}
				}
				hist, err := f.s.Communities.CharterHistory(f.ctx, group)
				if err != nil {
					t.Fatal(err)
				}
				want := c.versions
				if want == 0 {
					want = 1
				}
				if len(hist) != want {
					t.Fatalf("%d charter versions, want %d", len(hist), want)
				}
				if hist[len(hist)-1].Charter != "Share seeds." || hist[len(hist)-1].Licence != "MIT" || hist[len(hist)-1].AuthorID != steward.ID {
					t.Fatalf("founding version %+v", hist[len(hist)-1])
				}
				if want > 1 && (hist[0].Version != want || hist[0].AuthorID != steward.ID || hist[0].Charter != com.Charter || hist[0].Licence != com.Licence) {
					t.Fatalf("newest version %+v", hist[0])
				}
			})
		}
		if sent != 3 {
			t.Fatalf("%d changes sent", sent)
		}
	})
}

// TestCommunityUpdateDecided: a passed proposal applies a patch (carried as
// JSON) inside the caller's transaction without a personal permission check,
// and the history names the proposal; the patch rolls back with the caller's
// transaction.
func TestCommunityUpdateDecided(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, nil)
		group, _ := f.community(t, service.CommunityInput{Handle: "garden", Licence: "MIT", Charter: "v1"})
		_, author := f.user(t, "author")
		var patch service.CommunityPatch
		if err := json.Unmarshal([]byte(`{"charter":"v2","offer_policy":"open","members_public":false}`), &patch); err != nil {
			t.Fatal(err)
		}
		if err := patch.Check(); err != nil {
			t.Fatal(err)
		}
		var bad service.CommunityPatch
		_ = json.Unmarshal([]byte(`{"licence":"nope"}`), &bad)
		if status(bad.Check()) != http.StatusUnprocessableEntity {
			t.Fatal("Check accepts an unknown licence")
		}
		errRollback := errorString("rolled back")
		err := st.Tx(f.ctx, func(tx *store.Store) error {
			if _, err := f.s.Communities.UpdateTx(f.ctx, tx, author, group, patch, "01proposal0000000000000000"); err != nil {
				return err
			}
			return errRollback
		})
		if err != errRollback {
			t.Fatal(err)
		}
		if com, _ := st.CommunityByActorID(f.ctx, group.ID); com.Charter != "v1" {
			t.Fatalf("rolled back change applied: %q", com.Charter)
		}
		if hist, _ := f.s.Communities.CharterHistory(f.ctx, group); len(hist) != 1 {
			t.Fatalf("rolled back change left %d versions", len(hist))
		}
		f.pub.Take() // the recorder is no transaction
		err = st.Tx(f.ctx, func(tx *store.Store) error {
			_, err := f.s.Communities.UpdateTx(f.ctx, tx, author, group, patch, "01proposal0000000000000000")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		com, _ := st.CommunityByActorID(f.ctx, group.ID)
		if com.Charter != "v2" || com.OfferPolicy != models.PolicyOpen || com.MembersPublic {
			t.Fatalf("community %+v", com)
		}
		hist, _ := f.s.Communities.CharterHistory(f.ctx, group)
		if len(hist) != 2 || hist[0].ProposalID != "01proposal0000000000000000" || hist[0].AuthorID != author.ID {
			t.Fatalf("history %+v", hist)
		}
		if f.pub.Sent("Update") != 1 {
			t.Fatalf("%d Update sent", f.pub.Sent("Update"))
		}
		// Without a proposal the personal check applies: the author is no steward.
		err = st.Tx(f.ctx, func(tx *store.Store) error {
			_, err := f.s.Communities.UpdateTx(f.ctx, tx, author, group, service.CommunityPatch{Charter: ptr("v3")}, "")
			return err
		})
		if status(err) != http.StatusForbidden {
			t.Fatalf("a non-steward's UpdateTx: %v", err)
		}
	})
}

type errorString string

func (e errorString) Error() string { return string(e) }
