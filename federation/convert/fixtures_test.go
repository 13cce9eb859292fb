package convert

import (
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// The fixtures below are the ones the golden files in testdata/golden were
// captured with from the code before this package existed (commit "Capture the
// JSON today's publisher and actor handler emit"): change them and the goldens
// no longer prove the output unchanged.

const base = "https://commons.example"

var t0 = time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)

func actor(typ, name, domain string) *models.Actor {
	b := base
	if domain != "" {
		b = "https://" + domain
	}
	uri := b + "/users/" + name
	return &models.Actor{ID: "01G" + name, Type: typ, Username: name, UsernameLower: name, Domain: domain, URI: uri,
		URL: b + "/@" + name, Name: "The " + name, Summary: "<p>about " + name + "</p>", InboxURI: uri + "/inbox",
		OutboxURI: uri + "/outbox", FollowersURI: uri + "/followers", FollowingURI: uri + "/following",
		FeaturedURI: uri + "/collections/featured", SharedInbox: b + "/inbox", PublicKeyID: uri + "#main-key",
		PublicKeyPEM: "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n", Discoverable: true,
		IconURL: b + "/media/icon-" + name, ImageURL: b + "/media/banner-" + name,
		Fields: `[{"name":"Site","value":"https://x.example/ada"},{"name":"Pronouns","value":"she/<her>"}]`, CreatedAt: t0,
		Ed25519KeyID: uri + "#ed25519-key", Ed25519PublicKey: "z6MkmM42vxfqZQsv4ehtTjFFxQ4sQKS2w6WR7emozFAn5cxu"}
}

type world struct {
	alice, bob, group, rgroup, app *models.Actor
	com                            *models.Community
	note                           *models.Note
	tags                           []models.NoteTag
	follow, myFollow               *models.Follow
	offered, local, remoteCo       *models.Contribution
	membership, myJoin             *models.Membership
	relayed                        string
	accepted                       time.Time
}

func newWorld() *world {
	w := &world{}
	w.alice = actor(models.ActorPerson, "alice", "")
	w.bob = actor(models.ActorPerson, "bob", "remote.example")
	w.group = actor(models.ActorGroup, "makers", "")
	w.group.ManuallyApprovesFollowers = true
	w.rgroup = actor(models.ActorGroup, "garden", "remote.example")
	w.app = actor(models.ActorApplication, "instance.actor", "")
	w.app.Fields = ""
	w.com = &models.Community{ActorID: w.group.ID, Licence: "PPL", CharterHTML: "<p>be kind</p>", PostingPolicy: "members",
		OfferPolicy: "members", MembershipPolicy: "open", MembersPublic: true, CreatedAt: t0, UpdatedAt: t0}
	edited := t0.Add(time.Minute)
	w.note = &models.Note{ID: "01GNOTE", URI: base + "/notes/01GNOTE", URL: base + "/@alice/01GNOTE", Type: "Note",
		AuthorID: w.alice.ID, Summary: "cw", Content: "<p>hello <a href=\"https://remote.example/@bob\">@bob</a> #tag</p>",
		Source: "hello @bob@remote.example #tag", Sensitive: true, Visibility: models.VisibilityPublic,
		InReplyToURI: "https://remote.example/notes/1", AudienceURI: w.group.URI,
		To: []string{"https://www.w3.org/ns/activitystreams#Public"}, CC: []string{w.alice.FollowersURI, w.bob.URI},
		Local: true, Published: t0, EditedAt: &edited}
	w.tags = []models.NoteTag{{Type: "Mention", Name: "@bob@remote.example", Href: w.bob.URI}, {Type: "Hashtag", Name: "#tag", Href: base + "/tags/tag"}}
	w.follow = &models.Follow{ID: "01GFOLLOW", URI: "https://remote.example/follows/1", FollowerID: w.bob.ID, TargetID: w.alice.ID, State: models.FollowAccepted}
	w.myFollow = &models.Follow{ID: "01GMYFOLLOW", URI: base + "/activities/01GMYFOLLOW", FollowerID: w.alice.ID, TargetID: w.bob.ID}
	w.accepted = t0.Add(2 * time.Hour)
	w.offered = &models.Contribution{ID: "01GCONTRIB", URI: base + "/contributions/01GCONTRIB", OfferURI: base + "/activities/01GOFFER",
		CommunityID: w.rgroup.ID, ContributorID: w.alice.ID, Contributors: []string{w.alice.URI, w.bob.URI},
		Title: "A <better> bench", Body: "plans **here**", BodyHTML: "<p>plans <strong>here</strong></p>", Kind: "design",
		Links: []string{"https://x.example/plan?a=1&b=2"}, Attachments: `[{"url":"` + base + `/media/m1","media_type":"application/pdf","name":"plan.pdf"}]`,
		Licence: "CC-BY-SA-4.0", State: "pending", Local: true, CreatedAt: t0}
	local := *w.offered
	local.CommunityID, local.State, local.AcceptedAt, local.Licence = w.group.ID, models.ContributionAccepted, &w.accepted, "PPL"
	w.local = &local
	w.remoteCo = &models.Contribution{ID: "01GREMOTECO", URI: "https://remote.example/contributions/9", OfferURI: "https://remote.example/offers/9",
		CommunityID: w.group.ID, ContributorID: w.bob.ID, Title: "t", Kind: "code", Licence: "PPL", State: "accepted", CreatedAt: t0}
	w.membership = &models.Membership{ID: "01GJOIN", URI: "https://remote.example/joins/1", CommunityID: w.group.ID, ActorID: w.bob.ID}
	w.myJoin = &models.Membership{ID: "01GMYJOIN", URI: base + "/activities/01GMYJOIN", CommunityID: w.rgroup.ID, ActorID: w.alice.ID}
	w.relayed = `{"@context":"https://www.w3.org/ns/activitystreams","id":"https://remote.example/creates/1","type":"Create","actor":"` + w.bob.URI +
		`","published":"2026-11-30T09:00:00Z","to":["https://www.w3.org/ns/activitystreams#Public"],"cc":["` + w.group.URI + `"],"audience":"` + w.group.URI +
		`","object":{"id":"https://remote.example/notes/1","type":"Note","attributedTo":"` + w.bob.URI + `","content":"<p>hi</p>","audience":"` + w.group.URI + `"}}`
	return w
}

func act(id string) string { return base + "/activities/" + id }

// now is the converters' clock in these tests.
func now() time.Time { return t0.Add(time.Hour) }

func testConverter() *Converter { return New(service.URLs{Base: base}, now) }

// activities are the outbound activities the service publishes, one per shape,
// in the new verb + object form, named as their golden files.
func (w *world) activities() map[string]*service.Outbound {
	pub := []string{service.PublicCollection}
	gcc := []string{w.group.FollowersURI}
	lock := &service.Outbound{ID: act("LOCK"), Type: service.TypeLock, Actor: w.group, Object: service.Ref{URI: w.note.URI},
		Audience: w.group.URI, To: pub, CC: gcc, ToFollowers: true}
	return map[string]*service.Outbound{
		"create_note": {ID: act("CREATE"), Type: service.TypeCreate, Actor: w.alice, Published: w.note.Published,
			Object: service.NoteObject{Note: w.note, Tags: w.tags, Author: w.alice}, To: pub,
			CC: []string{w.alice.FollowersURI, w.bob.URI}, Audience: w.group.URI, ToFollowers: true, Public: true},
		"follow": {ID: w.myFollow.URI, Type: service.TypeFollow, Actor: w.alice, Object: service.Ref{URI: w.bob.URI},
			To: []string{w.bob.URI}, Recipients: []*models.Actor{w.bob}},
		"accept_follow": {ID: act("ACCEPT"), Type: service.TypeAccept, Actor: w.alice,
			Object: service.FollowObject{Follow: w.follow, Follower: w.bob, Target: w.alice}, To: []string{w.bob.URI}},
		"reject_follow": {ID: act("REJECT"), Type: service.TypeReject, Actor: w.alice,
			Object: service.FollowObject{Follow: w.follow, Follower: w.bob, Target: w.alice}, To: []string{w.bob.URI}},
		"undo_follow": {ID: act("UNDO"), Type: service.TypeUndo, Actor: w.alice,
			Object: service.FollowObject{Follow: w.myFollow, Follower: w.alice, Target: w.bob}, To: []string{w.bob.URI}},
		"offer_contribution": {ID: w.offered.OfferURI, Type: service.TypeOffer, Actor: w.alice,
			Object: service.ContributionObject{Contribution: w.offered, Group: w.rgroup}, Target: w.rgroup.URI, To: []string{w.rgroup.URI}},
		"offer_contribution_bounty": {ID: w.offered.OfferURI, Type: service.TypeOffer, Actor: w.alice,
			Object: service.ContributionObject{Contribution: w.offered, Group: w.rgroup, Bounty: "https://remote.example/announcements/b1"},
			Target: w.rgroup.URI, To: []string{w.rgroup.URI}},
		"accept_offer": {ID: act("ACCEPTOFFER"), Type: service.TypeAccept, Actor: w.group,
			Object: service.OfferObject{Contribution: w.remoteCo, Contributor: w.bob, Group: w.group}, To: []string{w.bob.URI}},
		"reject_offer": {ID: act("REJECTOFFER"), Type: service.TypeReject, Actor: w.group,
			Object: service.OfferObject{Contribution: w.remoteCo, Contributor: w.bob, Group: w.group}, Content: "not <ours>", To: []string{w.bob.URI}},
		"add_contribution": {ID: act("ADD"), Type: service.TypeAdd, Actor: w.group,
			Object: service.ContributionObject{Contribution: w.local, Group: w.group}, Target: w.group.URI + "/commons",
			Audience: w.group.URI, To: pub, CC: gcc},
		"add_remote_contribution": {ID: act("ADDREMOTE"), Type: service.TypeAdd, Actor: w.group,
			Object: service.ContributionObject{Contribution: w.remoteCo, Group: w.group}, Target: w.group.URI + "/commons",
			Audience: w.group.URI, To: pub, CC: gcc},
		"announce_group_contribution": {ID: act("ANNOUNCECO"), Type: service.TypeAnnounce, Actor: w.group,
			Object: service.ContributionObject{Contribution: w.local, Group: w.group}, Audience: w.group.URI, To: pub, CC: gcc},
		"announce_group_note": {ID: act("ANNOUNCENOTE"), Type: service.TypeAnnounce, Actor: w.group,
			Object: service.Ref{URI: w.note.URI}, Audience: w.group.URI, To: pub, CC: gcc},
		"announce_group_relayed": {ID: act("ANNOUNCERELAY"), Type: service.TypeAnnounce, Actor: w.group,
			Object: service.RelayedActivity{JSON: w.relayed}, Audience: w.group.URI, To: pub, CC: gcc},
		"join":  {ID: w.myJoin.URI, Type: service.TypeJoin, Actor: w.alice, Object: service.Ref{URI: w.rgroup.URI}, To: []string{w.rgroup.URI}},
		"leave": {ID: act("LEAVE"), Type: service.TypeLeave, Actor: w.alice, Object: service.Ref{URI: w.rgroup.URI}, To: []string{w.rgroup.URI}},
		"accept_join": {ID: act("ACCEPTJOIN"), Type: service.TypeAccept, Actor: w.group,
			Object: service.MembershipObject{Membership: w.membership, Member: w.bob, Group: w.group}, To: []string{w.bob.URI}},
		"reject_join": {ID: act("REJECTJOIN"), Type: service.TypeReject, Actor: w.group,
			Object:  service.MembershipObject{Membership: w.membership, Member: w.bob, Group: w.group},
			Content: "membership is by invitation only", To: []string{w.bob.URI}},
		"delete_note": {ID: act("DELETE"), Type: service.TypeDelete, Actor: w.alice, Object: service.Tombstone{URI: w.note.URI},
			To: pub, CC: []string{w.alice.FollowersURI, w.bob.URI}},
		"delete_moderated": {ID: act("DELETEMOD"), Type: service.TypeDelete, Actor: w.group, Object: service.Ref{URI: w.note.URI},
			Audience: w.group.URI, To: pub, CC: gcc},
		"lock":      lock,
		"undo_lock": {ID: act("UNDOLOCK"), Type: service.TypeUndo, Actor: w.group, Object: lock, Audience: w.group.URI, To: pub, CC: gcc},
		"add_moderator": {ID: act("ADDMOD"), Type: service.TypeAdd, Actor: w.group, Object: service.Ref{URI: w.bob.URI},
			Target: w.group.URI + "/moderators", Audience: w.group.URI, To: pub, CC: gcc},
		"remove_moderator": {ID: act("REMOVEMOD"), Type: service.TypeRemove, Actor: w.group, Object: service.Ref{URI: w.bob.URI},
			Target: w.group.URI + "/moderators", Audience: w.group.URI, To: pub, CC: gcc},
		// a recognised partner (issue 12), addressed as economy.partnersActivity does
		"add_partner": {ID: act("ADDPARTNER"), Type: service.TypeAdd, Actor: w.group, Object: service.Ref{URI: w.bob.URI},
			Target: w.group.URI + "/partners", Audience: w.group.URI, To: pub, CC: []string{w.group.FollowersURI, w.bob.URI}},
		// a report forwarded to the reported account's server, as Mastodon sends it
		"flag": {ID: base + "/reports/01GREPORT", Type: service.TypeFlag, Actor: w.app,
			Object: service.FlagObject{URIs: []string{w.bob.URI, "https://remote.example/notes/1"}}, Content: "spam <again>",
			Recipients: []*models.Actor{w.bob}},
		"remove_partner": {ID: act("REMOVEPARTNER"), Type: service.TypeRemove, Actor: w.group, Object: service.Ref{URI: w.bob.URI},
			Target: w.group.URI + "/partners", Audience: w.group.URI, To: pub, CC: []string{w.group.FollowersURI, w.bob.URI}},
	}
}
