package federation

// One-off: captures the JSON the pre-refactor publisher and actor handler emit, as
// golden files for federation/convert. Removed once the refactor landed.

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/store/storetest"
)

const gBase = "https://commons.example"

var gT0 = time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)

func gActor(typ, name, domain string) *models.Actor {
	base := gBase
	if domain != "" {
		base = "https://" + domain
	}
	uri := base + "/users/" + name
	return &models.Actor{ID: "01G" + name, Type: typ, Username: name, UsernameLower: name, Domain: domain, URI: uri,
		URL: base + "/@" + name, Name: "The " + name, Summary: "<p>about " + name + "</p>", InboxURI: uri + "/inbox",
		OutboxURI: uri + "/outbox", FollowersURI: uri + "/followers", FollowingURI: uri + "/following",
		FeaturedURI: uri + "/collections/featured", SharedInbox: base + "/inbox", PublicKeyID: uri + "#main-key",
		PublicKeyPEM: "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n", Discoverable: true,
		IconURL: base + "/media/icon-" + name, ImageURL: base + "/media/banner-" + name,
		Fields: `[{"name":"Site","value":"<a href=\"https://x.example\">x</a>"}]`, CreatedAt: gT0}
}

func TestCaptureGolden(t *testing.T) {
	dir := filepath.Join("convert", "testdata", "golden")
	st := storetest.Open(t, "sqlite")
	cfg := config.Config{}
	cfg.Server.PublicURL = gBase
	svc := service.New(cfg, st, nil, nil)
	svc.Now = func() time.Time { return gT0.Add(time.Hour) }
	f := &Federation{svc: svc}
	ctx := context.Background()

	alice := gActor(models.ActorPerson, "alice", "")
	bob := gActor(models.ActorPerson, "bob", "remote.example")
	group := gActor(models.ActorGroup, "makers", "")
	group.ManuallyApprovesFollowers = true
	rgroup := gActor(models.ActorGroup, "garden", "remote.example")
	app := gActor(models.ActorApplication, "instance.actor", "")
	app.Fields = ""
	com := &models.Community{ActorID: group.ID, Licence: "PPL", CharterHTML: "<p>be kind</p>", PostingPolicy: "members",
		OfferPolicy: "members", MembershipPolicy: "open", MembersPublic: true, CreatedAt: gT0, UpdatedAt: gT0}
	if err := st.CreateCommunity(ctx, group, com, &models.Membership{ID: "01GMEMBER", CommunityID: group.ID, ActorID: group.ID,
		Role: models.RoleCommunitySteward, State: models.MembershipActive, CreatedAt: gT0, UpdatedAt: gT0}); err != nil {
		t.Fatal(err)
	}
	edited := gT0.Add(time.Minute)
	note := &models.Note{ID: "01GNOTE", URI: gBase + "/notes/01GNOTE", URL: gBase + "/@alice/01GNOTE", Type: "Note",
		AuthorID: alice.ID, Summary: "cw", Content: "<p>hello <a href=\"https://remote.example/@bob\">@bob</a> #tag</p>",
		Source: "hello @bob@remote.example #tag", Sensitive: true, Visibility: models.VisibilityPublic,
		InReplyToURI: "https://remote.example/notes/1", AudienceURI: group.URI,
		To: `["https://www.w3.org/ns/activitystreams#Public"]`, CC: `["` + alice.FollowersURI + `","` + bob.URI + `"]`,
		Local: true, Published: gT0, EditedAt: &edited}
	tags := []models.NoteTag{{Type: "Mention", Name: "@bob@remote.example", Href: bob.URI}, {Type: "Hashtag", Name: "#tag", Href: gBase + "/tags/tag"}}
	follow := &models.Follow{ID: "01GFOLLOW", URI: "https://remote.example/follows/1", FollowerID: bob.ID, TargetID: alice.ID, State: models.FollowAccepted}
	myFollow := &models.Follow{ID: "01GMYFOLLOW", URI: gBase + "/activities/01GMYFOLLOW", FollowerID: alice.ID, TargetID: bob.ID}
	accepted := gT0.Add(2 * time.Hour)
	offered := &models.Contribution{ID: "01GCONTRIB", URI: gBase + "/contributions/01GCONTRIB", OfferURI: gBase + "/activities/01GOFFER",
		CommunityID: rgroup.ID, ContributorID: alice.ID, Contributors: `["` + alice.URI + `","` + bob.URI + `"]`,
		Title: "A <better> bench", Body: "plans **here**", BodyHTML: "<p>plans <strong>here</strong></p>", Kind: "design",
		Links: `["https://x.example/plan?a=1&b=2"]`, Attachments: `[{"url":"` + gBase + `/media/m1","media_type":"application/pdf","name":"plan.pdf"}]`,
		Licence: "CC-BY-SA-4.0", State: "pending", Local: true, CreatedAt: gT0}
	local := *offered
	local.CommunityID, local.State, local.AcceptedAt, local.Licence = group.ID, models.ContributionAccepted, &accepted, "PPL"
	remoteCo := &models.Contribution{ID: "01GREMOTECO", URI: "https://remote.example/contributions/9", OfferURI: "https://remote.example/offers/9",
		CommunityID: group.ID, ContributorID: bob.ID, Title: "t", Kind: "code", Licence: "PPL", State: "accepted", CreatedAt: gT0}
	membership := &models.Membership{ID: "01GJOIN", URI: "https://remote.example/joins/1", CommunityID: group.ID, ActorID: bob.ID}
	myJoin := &models.Membership{ID: "01GMYJOIN", URI: gBase + "/activities/01GMYJOIN", CommunityID: rgroup.ID, ActorID: alice.ID}
	relayed := `{"@context":"https://www.w3.org/ns/activitystreams","id":"https://remote.example/creates/1","type":"Create","actor":"` + bob.URI +
		`","published":"2026-11-30T09:00:00Z","to":["https://www.w3.org/ns/activitystreams#Public"],"cc":["` + group.URI + `"],"audience":"` + group.URI +
		`","object":{"id":"https://remote.example/notes/1","type":"Note","attributedTo":"` + bob.URI + `","content":"<p>hi</p>","audience":"` + group.URI + `"}}`
	act := func(id string) string { return gBase + "/activities/" + id }
	pub := []string{service.PublicCollection}
	gcc := []string{group.FollowersURI}
	lockOut := service.Outbound{ID: act("LOCK"), Type: service.TypeLock, Actor: group, Group: group, ObjectURI: note.URI,
		Audience: group.URI, To: pub, CC: gcc, ToFollowers: true}

	cases := map[string]*service.Outbound{
		"create_note": {ID: act("CREATE"), Type: service.TypeCreate, Actor: alice, Note: note, Tags: tags, To: pub,
			CC: []string{alice.FollowersURI, bob.URI}, Audience: group.URI, ToFollowers: true, Public: true},
		"follow": {ID: myFollow.URI, Type: service.TypeFollow, Actor: alice, Follow: myFollow, Follower: alice, Target: bob,
			To: []string{bob.URI}, Recipients: []*models.Actor{bob}},
		"accept_follow": {ID: act("ACCEPT"), Type: service.TypeAccept, Actor: alice, Follow: follow, Follower: bob, Target: alice,
			To: []string{bob.URI}, Recipients: []*models.Actor{bob}},
		"reject_follow": {ID: act("REJECT"), Type: service.TypeReject, Actor: alice, Follow: follow, Follower: bob, Target: alice,
			To: []string{bob.URI}, Recipients: []*models.Actor{bob}},
		"undo_follow": {ID: act("UNDO"), Type: service.TypeUndo, Actor: alice, Inner: &service.Outbound{ID: myFollow.URI,
			Type: service.TypeFollow, Actor: alice, Follow: myFollow, Follower: alice, Target: bob}, To: []string{bob.URI}, Recipients: []*models.Actor{bob}},
		"offer_contribution": {ID: offered.OfferURI, Type: service.TypeOffer, Actor: alice, Group: rgroup, Contribution: offered,
			To: []string{rgroup.URI}, Recipients: []*models.Actor{rgroup}},
		"accept_offer": {ID: act("ACCEPTOFFER"), Type: service.TypeAccept, Actor: group, Group: group, Contribution: remoteCo,
			Follower: bob, To: []string{bob.URI}, Recipients: []*models.Actor{bob}},
		"reject_offer": {ID: act("REJECTOFFER"), Type: service.TypeReject, Actor: group, Group: group, Contribution: remoteCo,
			Follower: bob, Content: "not <ours>", To: []string{bob.URI}, Recipients: []*models.Actor{bob}},
		"add_contribution": {ID: act("ADD"), Type: service.TypeAdd, Actor: group, Group: group, Contribution: &local,
			Contributors: []*models.Actor{alice, bob}, Community: com, TargetURI: group.URI + "/commons", Audience: group.URI,
			To: pub, CC: gcc, ToFollowers: true},
		"add_remote_contribution": {ID: act("ADDREMOTE"), Type: service.TypeAdd, Actor: group, Group: group, Contribution: remoteCo,
			TargetURI: group.URI + "/commons", Audience: group.URI, To: pub, CC: gcc, ToFollowers: true},
		"announce_group_contribution": {ID: act("ANNOUNCECO"), Type: service.TypeAnnounce, Actor: group, Group: group, Contribution: &local,
			Contributors: []*models.Actor{alice, bob}, Community: com, Audience: group.URI, To: pub, CC: gcc, ToFollowers: true, Public: true},
		"announce_group_note": {ID: act("ANNOUNCENOTE"), Type: service.TypeAnnounce, Actor: group, Group: group, Note: note, Tags: tags,
			NoteAuthor: alice, Audience: group.URI, To: pub, CC: gcc, ToFollowers: true, Public: true},
		"announce_group_relayed": {ID: act("ANNOUNCERELAY"), Type: service.TypeAnnounce, Actor: group, Group: group, Relayed: relayed,
			Audience: group.URI, To: pub, CC: gcc, ToFollowers: true},
		"join": {ID: myJoin.URI, Type: service.TypeJoin, Actor: alice, Group: rgroup, Membership: myJoin, To: []string{rgroup.URI},
			Recipients: []*models.Actor{rgroup}},
		"leave": {ID: act("LEAVE"), Type: service.TypeLeave, Actor: alice, Group: rgroup, Membership: myJoin, To: []string{rgroup.URI},
			Recipients: []*models.Actor{rgroup}},
		"accept_join": {ID: act("ACCEPTJOIN"), Type: service.TypeAccept, Actor: group, Group: group, Membership: membership, Follower: bob,
			To: []string{bob.URI}, Recipients: []*models.Actor{bob}},
		"reject_join": {ID: act("REJECTJOIN"), Type: service.TypeReject, Actor: group, Group: group, Membership: membership, Follower: bob,
			Content: "membership is by invitation only", To: []string{bob.URI}, Recipients: []*models.Actor{bob}},
		"delete_note": {ID: act("DELETE"), Type: service.TypeDelete, Actor: alice, Note: note, To: pub, CC: []string{alice.FollowersURI, bob.URI},
			ToFollowers: true},
		"delete_moderated": {ID: act("DELETEMOD"), Type: service.TypeDelete, Actor: group, Group: group, ObjectURI: note.URI,
			Audience: group.URI, To: pub, CC: gcc, ToFollowers: true},
		"lock": &lockOut,
		"undo_lock": {ID: act("UNDOLOCK"), Type: service.TypeUndo, Actor: group, Inner: &lockOut, Audience: group.URI, To: pub, CC: gcc, ToFollowers: true},
		"add_moderator": {ID: act("ADDMOD"), Type: service.TypeAdd, Actor: group, ObjectURI: bob.URI, TargetURI: group.URI + "/moderators",
			Audience: group.URI, To: pub, CC: gcc, ToFollowers: true, Recipients: []*models.Actor{bob}},
		"remove_moderator": {ID: act("REMOVEMOD"), Type: service.TypeRemove, Actor: group, ObjectURI: bob.URI, TargetURI: group.URI + "/moderators",
			Audience: group.URI, To: pub, CC: gcc, ToFollowers: true},
	}
	write := func(name string, o *vocab.Object) {
		b, err := vocab.Marshal(o)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, out := range cases {
		doc, err := f.activityObject(ctx, nil, out)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		write(name, doc)
	}
	write("actor_person", actorObject(alice))
	g := actorObject(group)
	f.groupExtras(ctx, group, g)
	write("actor_group", g)
	write("actor_application", actorObject(app))
	write("note_document", noteObject(note, alice, tags))
	deleted := *note
	deleted.DeletedAt = &accepted
	write("note_tombstone", noteObject(&deleted, alice, nil))
	write("contribution_document", contributionObject(&local, group, decodeList(local.Contributors)))
}
