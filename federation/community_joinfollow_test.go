package federation_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/app/apptest"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// cmWebFinger makes a fake actor findable by its handle (acct:name@host).
func cmWebFinger(a *cmActor, name string) string {
	host := strings.TrimPrefix(a.fake.srv.URL, "http://")
	a.fake.put(a.fake.srv.URL+"/.well-known/webfinger", map[string]any{"subject": "acct:" + name + "@" + host,
		"links": []any{map[string]any{"rel": "self", "type": "application/activity+json", "href": a.URI}}})
	return "@" + name + "@" + host
}

func cmMembership(t *testing.T, inst *apptest.Instance, group *models.Actor, uri string) *models.Membership {
	t.Helper()
	ctx := context.Background()
	a, err := inst.App.Store.ActorByURI(ctx, uri)
	if err != nil {
		return nil
	}
	m, err := inst.App.Store.Membership(ctx, group.ID, a.ID)
	if err != nil {
		return nil
	}
	return m
}

// cmDirect builds a Mastodon-shaped direct message from a to the Group (to: the
// Group only, a Mention tag) saying text.
func cmDirect(t *testing.T, inst *apptest.Instance, a *cmActor, group *models.Actor, text string) map[string]any {
	t.Helper()
	create, _ := cmNote(t, inst, a, group, text, "")
	note := create["object"].(map[string]any)
	to := []any{group.URI}
	create["to"], create["cc"], note["to"], note["cc"] = to, []any{}, to, []any{}
	return create
}

// cmSend posts act to the Group's inbox as a and waits until it is processed.
func cmSend(t *testing.T, inst *apptest.Instance, a *cmActor, group *models.Actor, act map[string]any) {
	t.Helper()
	if code, body := a.post(t, group.InboxURI, act); code != http.StatusAccepted {
		t.Fatalf("%v: %d %s", act["type"], code, body)
	}
	cmOutcome(t, inst, act["id"].(string))
}

// TestCommunityJoinByFollow: a Mastodon user (who cannot send Join) asks to join
// on the community's page and gets a code; the request becomes a membership
// under the policy only when that account sends the Group a message with the
// code (signed as Mastodon signs). A Follow alone, a message without the code,
// or the code sent by someone else confirm nothing.
func TestCommunityJoinByFollow(t *testing.T) {
	inst := apptest.Start(t)
	ctx := context.Background()
	svc := inst.App.Svc
	open, _ := cmCommunity(t, inst, "maria", "garden", service.CommunityInput{Name: "Garden", MembershipPolicy: "open"})
	gated, steward := cmCommunity(t, inst, "olga", "lodge", service.CommunityInput{Name: "Lodge", MembershipPolicy: "approval"})
	fake := newCMFake(t)
	felix, nina, paul := fake.mastodon(t, "felix"), fake.mastodon(t, "nina"), fake.mastodon(t, "paul")
	const ip = "192.0.2.10"

	// Open policy: the handle is resolved (WebFinger, then the actor) and the
	// request recorded with a code; felix's Follow does not confirm it, his
	// message with the code makes him an active member, logged.
	_, m, err := svc.Communities.RequestByFollow(ctx, open, cmWebFinger(felix, "felix"), ip)
	if err != nil || m.State != models.MembershipAwaitingFollow {
		t.Fatalf("request: %+v %v", m, err)
	}
	code := service.JoinCode(m)
	if n, _ := inst.App.Store.CountMembers(ctx, open.ID, nil); n != 1 {
		t.Fatalf("an awaiting request counts as a member: %d", n)
	}
	cmFollowGroup(t, inst, felix, open)
	if m := cmMembership(t, inst, open, felix.URI); m == nil || m.State != models.MembershipAwaitingFollow {
		t.Fatalf("the Follow alone changed the request: %+v", m)
	}
	cmSend(t, inst, felix, open, cmDirect(t, inst, felix, open, "please let me in "+strings.ToUpper(code)))
	if m := cmMembership(t, inst, open, felix.URI); m == nil || m.State != models.MembershipActive || m.Role != models.RoleCommunityMember {
		t.Fatalf("after the message: %+v", m)
	}
	log, _ := svc.Communities.RoleLog(ctx, open, 10)
	if len(log) == 0 || log[0].ActorID != cmMembership(t, inst, open, felix.URI).ActorID || log[0].NewRole != models.RoleCommunityMember {
		t.Fatalf("role log %+v", log)
	}
	// The same message again changes nothing (no second log entry).
	cmSend(t, inst, felix, open, cmDirect(t, inst, felix, open, code))
	if again, _ := svc.Communities.RoleLog(ctx, open, 10); len(again) != len(log) {
		t.Fatalf("a repeated confirmation logged again: %d entries, had %d", len(again), len(log))
	}

	// Approval policy: a public post mentioning the Group with the code makes a
	// pending request a maintainer decides.
	_, nm, err := svc.Communities.RequestByFollow(ctx, gated, nina.URI, ip)
	if err != nil {
		t.Fatal(err)
	}
	create, _ := cmNote(t, inst, nina, gated, "joining "+service.JoinCode(nm), "")
	cmSend(t, inst, nina, gated, create)
	pm := cmMembership(t, inst, gated, nina.URI)
	if pm == nil || pm.State != models.MembershipPending {
		t.Fatalf("approval: %+v", pm)
	}
	if _, err := svc.Communities.DecideMembership(ctx, steward, gated, pm.ID, true); err != nil {
		t.Fatal(err)
	}
	if m := cmMembership(t, inst, gated, nina.URI); m.State != models.MembershipActive {
		t.Fatalf("approved: %+v", m)
	}

	// A plain Follow (no request) makes no membership.
	cmFollowGroup(t, inst, paul, open)
	if m := cmMembership(t, inst, open, paul.URI); m != nil {
		t.Fatalf("a plain follow made a membership: %+v", m)
	}

	// A request older than 7 days is dropped when its code comes.
	_, old, err := svc.Communities.RequestByFollow(ctx, gated, paul.URI, ip)
	if err != nil {
		t.Fatal(err)
	}
	if err := inst.App.Store.TransitionMembership(ctx, old.ID, []string{models.MembershipAwaitingFollow}, models.MembershipAwaitingFollow,
		map[string]any{"created_at": time.Now().Add(-8 * 24 * time.Hour)}, nil); err != nil {
		t.Fatal(err)
	}
	cmSend(t, inst, paul, gated, cmDirect(t, inst, paul, gated, service.JoinCode(old)))
	if m := cmMembership(t, inst, gated, paul.URI); m != nil {
		t.Fatalf("an expired request was honoured: %+v", m)
	}

	// Refused up front: a local account, an existing member, an unknown handle,
	// and any request under the invitation policy.
	closed, _ := cmCommunity(t, inst, "ines", "vault", service.CommunityInput{Name: "Vault", MembershipPolicy: "invitation"})
	for _, tc := range []struct {
		group  *models.Actor
		handle string
		status int
	}{
		{open, "maria", http.StatusUnprocessableEntity},
		{open, felix.URI, http.StatusConflict},
		{open, fake.srv.URL + "/users/nobody", http.StatusUnprocessableEntity},
		{closed, nina.URI, http.StatusForbidden},
	} {
		if _, _, err := svc.Communities.RequestByFollow(ctx, tc.group, tc.handle, ip); cmStatus(err) != tc.status {
			t.Errorf("%s to %s: %v, want %d", tc.handle, tc.group.Username, err, tc.status)
		}
	}
}

// TestCommunityJoinByFollowAttack: a stranger registers someone else's handle
// on the community's page. Whatever the victim does next that carries no code
// (follows the community, posts to it, mentions it), and whatever the stranger
// sends (the code, from their own account), the victim does not become a member
// or a pending request; only the victim's own message with the code would.
func TestCommunityJoinByFollowAttack(t *testing.T) {
	inst := apptest.Start(t)
	ctx := context.Background()
	svc := inst.App.Svc
	open, _ := cmCommunity(t, inst, "maria", "garden", service.CommunityInput{Name: "Garden", MembershipPolicy: "open"})
	fake := newCMFake(t)
	victim, stranger := fake.mastodon(t, "vera"), fake.mastodon(t, "sam")
	_, m, err := svc.Communities.RequestByFollow(ctx, open, cmWebFinger(victim, "vera"), "203.0.113.9")
	if err != nil {
		t.Fatal(err)
	}
	code := service.JoinCode(m)
	for _, tc := range []struct {
		name string
		do   func()
	}{
		{"the victim follows the community", func() { cmFollowGroup(t, inst, victim, open) }},
		{"the victim posts to the community", func() {
			create, _ := cmNote(t, inst, victim, open, "hello garden", "")
			cmSend(t, inst, victim, open, create)
		}},
		{"the victim messages the community without the code", func() {
			cmSend(t, inst, victim, open, cmDirect(t, inst, victim, open, "what is join-?"))
		}},
		{"the victim sends another request's code", func() {
			cmSend(t, inst, victim, open, cmDirect(t, inst, victim, open, "join-"+strings.ToLower(models.NewID())))
		}},
		{"the stranger sends the victim's code", func() {
			cmSend(t, inst, stranger, open, cmDirect(t, inst, stranger, open, code))
		}},
		{"the stranger sends it attributed to the victim", func() {
			create := cmDirect(t, inst, stranger, open, code)
			create["object"].(map[string]any)["attributedTo"] = victim.URI
			if code, _ := stranger.post(t, open.InboxURI, create); code == http.StatusAccepted {
				cmOutcome(t, inst, create["id"].(string))
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.do()
			if m := cmMembership(t, inst, open, victim.URI); m == nil || m.State != models.MembershipAwaitingFollow {
				t.Fatalf("victim's membership: %+v", m)
			}
			if m := cmMembership(t, inst, open, stranger.URI); m != nil {
				t.Fatalf("stranger's membership: %+v", m)
			}
			if n, _ := inst.App.Store.CountMembers(ctx, open.ID, nil); n != 1 {
				t.Fatalf("%d members", n)
			}
		})
	}
	// The control: the victim's own message with the code does it.
	cmSend(t, inst, victim, open, cmDirect(t, inst, victim, open, code))
	if m := cmMembership(t, inst, open, victim.URI); m == nil || m.State != models.MembershipActive {
		t.Fatalf("the victim's own confirmation: %+v", m)
	}
}

// TestCommunityJoinByMessageAcrossInstances: bob on instance B asks A's API to
// join A's community, gets the message to send, and sends it from B as a direct
// message; A makes him a member. His earlier Follow from B had not.
func TestCommunityJoinByMessageAcrossInstances(t *testing.T) {
	a, b := apptest.Start(t), apptest.Start(t)
	ctx := context.Background()
	group, _ := cmCommunity(t, a, "maria", "garden", service.CommunityInput{Name: "Garden", MembershipPolicy: "open"})
	newUser(t, b, "bob")
	bob := actorOf(t, b, "bob")
	resp, err := a.Client.Post(a.URL+"/api/v1/communities/garden/join_by_follow", "application/json",
		strings.NewReader(`{"account":"@bob@`+b.Host+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	var answer struct {
		Code, Message string
		Member        struct{ State string }
	}
	err = json.NewDecoder(resp.Body).Decode(&answer)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusAccepted || answer.Member.State != models.MembershipAwaitingFollow ||
		!strings.HasPrefix(answer.Code, "join-") || answer.Message != "@garden@"+a.Host+" "+answer.Code {
		t.Fatalf("join_by_follow: %d %+v %v", resp.StatusCode, answer, err)
	}
	if _, _, err := b.App.Svc.Social.FollowByHandle(ctx, bob, "@garden@"+a.Host); err != nil {
		t.Fatal(err)
	}
	eventually(t, "bob's follow on A", func() bool {
		ga, err := a.App.Store.ActorByURI(ctx, bob.URI)
		if err != nil {
			return false
		}
		f, err := a.App.Store.FollowByPair(ctx, ga.ID, group.ID)
		return err == nil && f.State == models.FollowAccepted
	})
	if m := cmMembership(t, a, group, bob.URI); m == nil || m.State != models.MembershipAwaitingFollow {
		t.Fatalf("after the Follow: %+v", m)
	}
	if _, err := b.App.Svc.Social.PostNote(ctx, bob, service.NoteInput{Content: answer.Message, Visibility: models.VisibilityDirect}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "bob's membership on A", func() bool {
		m := cmMembership(t, a, group, bob.URI)
		return m != nil && m.State == models.MembershipActive
	})
}
