package convert

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// roundTrip writes o as we send it and reads it back as a peer would.
func roundTrip(t *testing.T, o *vocab.Object) *vocab.Object {
	t.Helper()
	b, err := vocab.Marshal(o)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	got, err := vocab.Parse(b)
	if err != nil {
		t.Fatalf("parse %s: %v", b, err)
	}
	return got
}

// check records a mismatch of one field read back against the model's value.
func check[T any](t *testing.T, field string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: got %#v, want %#v", field, got, want)
	}
}

func sameTime(t *testing.T, field string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s: got %v, want %v", field, got, want)
	}
}

// TestObjectKindsRoundTrip converts one value of every object kind inside an
// activity, writes it, parses it back and compares the fields that matter with
// the model values they came from.
func TestObjectKindsRoundTrip(t *testing.T) {
	w := newWorld()
	c := testConverter()
	cases := []struct {
		name  string
		obj   service.Object
		check func(t *testing.T, o *vocab.Object)
	}{
		{"Ref", service.Ref{URI: w.bob.URI}, func(t *testing.T, o *vocab.Object) {
			check(t, "id", o.ID, w.bob.URI)
			check(t, "iri only", o.IsIRIOnly(), true)
		}},
		// The whole list is read by FlaggedObjects (TestFlagObjects); the
		// parser's one object is its first element.
		{"FlagObject", service.FlagObject{URIs: []string{w.bob.URI, w.note.URI}}, func(t *testing.T, o *vocab.Object) {
			check(t, "id", o.ID, w.bob.URI)
		}},
		{"Tombstone", service.Tombstone{URI: w.note.URI}, func(t *testing.T, o *vocab.Object) {
			check(t, "id", o.ID, w.note.URI)
			check(t, "type", o.Type, "Tombstone")
		}},
		{"NoteObject", service.NoteObject{Note: w.note, Tags: w.tags, Author: w.alice}, func(t *testing.T, o *vocab.Object) {
			n := w.note
			check(t, "id", o.ID, n.URI)
			check(t, "type", o.Type, n.Type)
			check(t, "attributedTo", o.AttributedTo, []string{w.alice.URI})
			check(t, "content", o.Content, n.Content)
			check(t, "summary", o.Summary, n.Summary)
			check(t, "sensitive", o.Sensitive, n.Sensitive)
			check(t, "inReplyTo", o.InReplyTo, n.InReplyToURI)
			check(t, "url", o.URL, n.URL)
			check(t, "to", o.To, n.To)
			check(t, "cc", o.CC, n.CC)
			check(t, "audience", o.Audience, []string{n.AudienceURI})
			sameTime(t, "published", o.Published, n.Published)
			sameTime(t, "updated", o.Updated, *n.EditedAt)
			check(t, "source", o.Source, &vocab.Source{Content: n.Source, MediaType: "text/markdown"})
			check(t, "tags", len(o.Tags), len(w.tags))
			for i, tag := range o.Tags {
				check(t, "tag", [3]string{tag.Type, tag.Name, tag.Href}, [3]string{w.tags[i].Type, w.tags[i].Name, w.tags[i].Href})
			}
		}},
		{"FollowObject", service.FollowObject{Follow: w.follow, Follower: w.bob, Target: w.alice}, func(t *testing.T, o *vocab.Object) {
			check(t, "id", o.ID, w.follow.URI)
			check(t, "type", o.Type, "Follow")
			check(t, "actor", o.Actor, w.bob.URI)
			check(t, "object", o.ObjectID(), w.alice.URI)
		}},
		{"MembershipObject", service.MembershipObject{Membership: w.membership, Member: w.bob, Group: w.group}, func(t *testing.T, o *vocab.Object) {
			check(t, "id", o.ID, w.membership.URI)
			check(t, "type", o.Type, "Join")
			check(t, "actor", o.Actor, w.bob.URI)
			check(t, "object", o.ObjectID(), w.group.URI)
		}},
		{"ContributionObject/local", service.ContributionObject{Contribution: w.local, Group: w.group}, func(t *testing.T, o *vocab.Object) {
			co := w.local
			check(t, "id", o.ID, co.URI)
			check(t, "type", o.Type, "Note")
			check(t, "name", o.Name, co.Title)
			check(t, "attributedTo", o.AttributedTo, co.Contributors)
			check(t, "audience", o.Audience, []string{w.group.URI})
			check(t, "to", o.To, []string{vocab.PublicAddress})
			sameTime(t, "published", o.Published, co.CreatedAt)
			check(t, "source", o.Source, &vocab.Source{Content: co.Body, MediaType: "text/markdown"})
			atts := service.Attachments(co)
			want := []vocab.Attachment{{Type: "Link", URL: co.Links[0]},
				{Type: "Document", MediaType: atts[0].MediaType, URL: atts[0].URL, Name: atts[0].Name}}
			check(t, "attachments", o.Attachments, want)
			check(t, "contributionKind", o.Raw["contributionKind"], any(co.Kind))
			check(t, "licence", o.Raw["licence"], any(co.Licence))
			check(t, "commons:state", o.Raw["commons:state"], any(co.State))
			check(t, "commons:acceptedAt", o.Raw["commons:acceptedAt"], any(co.AcceptedAt.Format(time.RFC3339)))
		}},
		{"ContributionObject/remote", service.ContributionObject{Contribution: w.remoteCo, Group: w.group}, func(t *testing.T, o *vocab.Object) {
			check(t, "id", o.ID, w.remoteCo.URI)
			check(t, "iri only", o.IsIRIOnly(), true)
		}},
		{"OfferObject", service.OfferObject{Contribution: w.remoteCo, Contributor: w.bob, Group: w.group}, func(t *testing.T, o *vocab.Object) {
			check(t, "id", o.ID, w.remoteCo.OfferURI)
			check(t, "type", o.Type, "Offer")
			check(t, "actor", o.Actor, w.bob.URI)
			check(t, "object", o.ObjectID(), w.remoteCo.URI)
			check(t, "target", o.Target.ID, w.group.URI)
		}},
		{"RelayedActivity", service.RelayedActivity{JSON: w.relayed}, func(t *testing.T, o *vocab.Object) {
			check(t, "id", o.ID, "https://remote.example/creates/1")
			check(t, "type", o.Type, "Create")
			check(t, "actor", o.Actor, w.bob.URI)
			check(t, "object", o.ObjectID(), "https://remote.example/notes/1")
			check(t, "object content", o.Object.Content, "<p>hi</p>")
			check(t, "cc", o.CC, []string{w.group.URI})
			check(t, "audience", o.Audience, []string{w.group.URI})
			sameTime(t, "published", o.Published, time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
		}},
		{"QuestionObject", w.question(), func(t *testing.T, o *vocab.Object) {
			q := w.question()
			check(t, "id", o.ID, q.Proposal.URI)
			check(t, "type", o.Type, "Question")
			check(t, "attributedTo", o.AttributedTo, []string{w.group.URI})
			check(t, "audience", o.Audience, []string{w.group.URI})
			check(t, "oneOf", o.OneOf, []vocab.QuestionOption{{Name: "Yes", Replies: 3}, {Name: "No", Replies: 1}, {Name: "Abstain", Replies: 0}})
			check(t, "votersCount", o.VotersCount, 4)
			sameTime(t, "endTime", o.EndTime, q.Proposal.ClosesAt)
			sameTime(t, "closed", *o.Closed, *q.Proposal.ClosedAt)
			check(t, "summary", o.Summary, "")
			for _, want := range []string{"Buy a seed drill", "<em>now</em>", "Majority", q.Proposal.URI} {
				if !strings.Contains(o.Content, want) {
					t.Errorf("content %q lacks %q", o.Content, want)
				}
			}
		}},
		{"OutcomeObject", service.OutcomeObject{Note: w.note, Author: w.group, Fields: map[string]any{"result": "passed",
			"decides": "https://commons.example/proposals/1", "counts": map[string]int64{"Yes": 3}, "eligible": int64(6)}},
			func(t *testing.T, o *vocab.Object) {
				check(t, "id", o.ID, w.note.URI)
				check(t, "type", o.Type, "Note")
				check(t, "commons:result", o.Raw["commons:result"], any("passed"))
				check(t, "commons:decides", o.Raw["commons:decides"], any("https://commons.example/proposals/1"))
				check(t, "commons:eligible", o.Raw["commons:eligible"], any(float64(6)))
				check(t, "commons:counts", o.Raw["commons:counts"], any(map[string]any{"Yes": float64(3)}))
			}},
		{"PollVoteObject", service.PollVoteObject{URI: "https://commons.example/activities/v1", Voter: w.alice,
			Question: "https://remote.example/statuses/9", Author: w.bob.URI, Option: "Tea"},
			func(t *testing.T, o *vocab.Object) {
				check(t, "type", o.Type, "Note")
				check(t, "name", o.Name, "Tea")
				check(t, "inReplyTo", o.InReplyTo, "https://remote.example/statuses/9")
				check(t, "attributedTo", o.AttributedTo, []string{w.alice.URI})
				check(t, "to", o.To, []string{w.bob.URI})
				check(t, "content", o.Content, "")
				check(t, "cc", len(o.CC), 0)
			}},
		{"GroupObject", service.GroupObject{Group: w.group, Members: 7, Community: &models.Community{Licence: "PPL",
			Charter: "Share *seeds*", CharterHTML: "<p>Share <em>seeds</em></p>", PostingPolicy: models.PolicyMaintainers}},
			func(t *testing.T, o *vocab.Object) {
				check(t, "id", o.ID, w.group.URI)
				check(t, "type", o.Type, "Group")
				check(t, "inbox", o.Inbox, w.group.InboxURI)
				check(t, "moderators", o.Moderators, w.group.URI+"/moderators")
				check(t, "publicKey", o.PublicKey != nil && o.PublicKey.PublicKeyPEM == w.group.PublicKeyPEM, true)
				check(t, "postingRestrictedToMods", o.Raw["postingRestrictedToMods"], any(true))
				check(t, "licence", o.Raw["licence"], any("Peer Production License"))
				check(t, "charter", o.Raw["commons:charter"], any("<p>Share <em>seeds</em></p>"))
			}},
		{"AppealObject", w.appeal(), func(t *testing.T, o *vocab.Object) {
			a := w.appeal()
			check(t, "id", o.ID, a.Appeal.URI)
			check(t, "type", o.Type, "Note")
			check(t, "attributedTo", o.AttributedTo, []string{a.Author.URI})
			check(t, "cc", o.CC, []string{a.Author.FollowersURI, w.group.URI})
			sameTime(t, "endTime", o.EndTime, a.Appeal.EndsAt)
			check(t, "hashtag", o.Tags[0].Name, "#FundingAppeal")
			check[any](t, "commonsType", o.Raw["commonsType"], "FundingAppeal")
			check[any](t, "fundingGoal", o.Raw["fundingGoal"], map[string]any{"hasUnit": "one", "hasNumericalValue": "10000.00", "currency": "EUR"})
			check[any](t, "amountRaised", o.Raw["amountRaised"], map[string]any{"hasUnit": "one", "hasNumericalValue": "2350.00", "currency": "EUR"})
			check[any](t, "pledgeCount", o.Raw["pledgeCount"], float64(12))
			check[any](t, "appealStatus", o.Raw["appealStatus"], "open")
			check[any](t, "purpose", o.Raw["purpose"], "request")
		}},
		{"AnnouncementObject", w.announcement(), func(t *testing.T, o *vocab.Object) {
			a := w.announcement()
			check(t, "id", o.ID, a.Announcement.URI)
			check(t, "type", o.Type, "Note")
			check(t, "attributedTo", o.AttributedTo, []string{a.Author.URI})
			check(t, "cc", o.CC, []string{a.Author.FollowersURI, w.group.URI, w.rgroup.URI})
			check[any](t, "commonsType", o.Raw["commonsType"], "CoalitionAnnouncement")
			check[any](t, "announcementKind", o.Raw["announcementKind"], "job")
			check[any](t, "price", o.Raw["price"], map[string]any{"hasUnit": "one", "hasNumericalValue": "25.50", "currency": "EUR"})
			sameTime(t, "endTime", o.EndTime, *a.Announcement.At)
		}},
		{"AgreementObject", service.AgreementObject{PledgeOfferObject: w.pledgeOffer()}, func(t *testing.T, o *vocab.Object) {
			p := w.pledgeOffer()
			check(t, "id", o.ID, p.Pledge.URI+"#agreement")
			check(t, "type", o.Type, "Agreement")
			in, ok := InboundPledge(&vocab.Object{ID: p.Pledge.URI, Type: "Offer", Object: o})
			check(t, "a pledge", ok, true)
			check(t, "satisfies", in.Satisfies, p.AppealURI+"#primary")
			check(t, "provider", in.Provider, w.bob.URI)
			check(t, "monthly", in.Monthly, true)
			check(t, "message", in.Message, "for the seeds")
			m, err := models.MoneyFromQuantity(in.Amount)
			check(t, "amount", m, models.Money{Minor: 2500, Currency: "EUR"})
			check(t, "amount error", err, nil)
		}},
		{"PledgeOfferObject", w.pledgeOffer(), func(t *testing.T, o *vocab.Object) {
			p := w.pledgeOffer()
			check(t, "id", o.ID, p.Pledge.URI)
			check(t, "type", o.Type, "Offer")
			check(t, "actor", o.Actor, w.bob.URI)
			check(t, "agreement", o.Object.ID, p.Pledge.URI+"#agreement")
		}},
		{"PartnershipAgreementObject", service.PartnershipAgreementObject{PartnershipOfferObject: w.partnershipOffer()},
			func(t *testing.T, o *vocab.Object) { checkPartnershipAgreement(t, w, o) }},
		{"PartnershipOfferObject", w.partnershipOffer(), func(t *testing.T, o *vocab.Object) {
			check(t, "type", o.Type, "Offer")
			check(t, "actor", o.Actor, w.bob.URI)
			check(t, "target", o.Target.ID, w.group.URI)
			checkPartnershipAgreement(t, w, o.Object)
		}},
		{"Outbound", &service.Outbound{ID: act("LOCK"), Type: service.TypeLock, Actor: w.group, Object: service.Ref{URI: w.note.URI},
			Audience: w.group.URI, To: []string{vocab.PublicAddress}}, func(t *testing.T, o *vocab.Object) {
			check(t, "id", o.ID, act("LOCK"))
			check(t, "type", o.Type, "Lock")
			check(t, "actor", o.Actor, w.group.URI)
			check(t, "object", o.ObjectID(), w.note.URI)
			check(t, "audience", o.Audience, []string{w.group.URI})
			check(t, "published", o.Published.IsZero(), true)
		}},
	}
	seen := map[reflect.Type]bool{}
	for _, tc := range cases {
		seen[reflect.TypeOf(tc.obj)] = true
		t.Run(tc.name, func(t *testing.T) {
			out := &service.Outbound{ID: act("X"), Type: service.TypeAnnounce, Actor: w.group, Object: tc.obj,
				To: []string{vocab.PublicAddress}, CC: []string{w.group.FollowersURI}}
			doc, err := c.Activity(out)
			if err != nil {
				t.Fatal(err)
			}
			got := roundTrip(t, doc)
			check(t, "activity id", got.ID, out.ID)
			check(t, "activity object id", got.ObjectID(), tc.obj.ObjectID())
			if got.Object == nil {
				t.Fatal("object lost")
			}
			tc.check(t, got.Object)
		})
	}
	for typ := range converters {
		if !seen[typ] {
			t.Errorf("object kind %s has a converter but no round-trip case", typ)
		}
	}
}

// TestActivityRoundTrip checks what the activity itself carries, whatever its
// object: verb, actor, addressing, target, reason, publication time.
func TestActivityRoundTrip(t *testing.T) {
	w := newWorld()
	c := testConverter()
	cases := []struct {
		name string
		out  *service.Outbound
		// published is the expected activity time.
		published time.Time
	}{
		{"defaults to now", &service.Outbound{ID: act("F"), Type: service.TypeFollow, Actor: w.alice,
			Object: service.Ref{URI: w.bob.URI}, To: []string{w.bob.URI}}, now()},
		{"carries its own time", &service.Outbound{ID: act("C"), Type: service.TypeCreate, Actor: w.alice, Published: t0,
			Object: service.NoteObject{Note: w.note, Author: w.alice}, To: []string{vocab.PublicAddress}, CC: []string{w.alice.FollowersURI}}, t0},
		{"target and audience", &service.Outbound{ID: act("A"), Type: service.TypeAdd, Actor: w.group, Object: service.Ref{URI: w.bob.URI},
			Target: w.group.URI + "/moderators", Audience: w.group.URI, To: []string{vocab.PublicAddress}}, now()},
		{"reason as plain text", &service.Outbound{ID: act("R"), Type: service.TypeReject, Actor: w.group,
			Object:  service.MembershipObject{Membership: w.membership, Member: w.bob, Group: w.group},
			Content: "<b>no</b> & never", To: []string{w.bob.URI}}, now()},
		{"undo of an activity", &service.Outbound{ID: act("U"), Type: service.TypeUndo, Actor: w.alice,
			Object: service.FollowObject{Follow: w.myFollow, Follower: w.alice, Target: w.bob}, To: []string{w.bob.URI}}, now()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := c.Activity(tc.out)
			if err != nil {
				t.Fatal(err)
			}
			o := roundTrip(t, doc)
			check(t, "id", o.ID, tc.out.ID)
			check(t, "type", o.Type, tc.out.Type)
			check(t, "actor", o.Actor, tc.out.Actor.URI)
			check(t, "to", o.To, tc.out.To)
			check(t, "cc", o.CC, tc.out.CC)
			sameTime(t, "published", o.Published, tc.published)
			if tc.out.Target != "" {
				check(t, "target", o.Target.ID, tc.out.Target)
			} else if o.Target != nil {
				t.Errorf("target %v, want none", o.Target)
			}
			if tc.out.Audience != "" {
				check(t, "audience", o.Audience, []string{tc.out.Audience})
			}
			if tc.out.Content != "" {
				// The reason arrives as text: HTML-escaped in content and summary.
				check(t, "content", o.Content, "&lt;b&gt;no&lt;/b&gt; &amp; never")
				check(t, "summary", o.Summary, o.Content)
			}
		})
	}
}

// TestActivityRefusesWhatItCannotWrite: a missing verb, actor or object, or an
// object kind without a converter, is an error, not a half-written activity.
func TestActivityRefusesWhatItCannotWrite(t *testing.T) {
	w := newWorld()
	c := testConverter()
	type unknownKind struct{ service.Ref }
	cases := map[string]*service.Outbound{
		"no verb":         {ID: act("1"), Actor: w.alice, Object: service.Ref{URI: w.bob.URI}},
		"no actor":        {ID: act("2"), Type: service.TypeFollow, Object: service.Ref{URI: w.bob.URI}},
		"no object":       {ID: act("3"), Type: service.TypeFollow, Actor: w.alice},
		"unknown kind":    {ID: act("4"), Type: service.TypeLike, Actor: w.alice, Object: unknownKind{service.Ref{URI: w.note.URI}}},
		"pointer to kind": {ID: act("5"), Type: service.TypeLike, Actor: w.alice, Object: &service.Ref{URI: w.note.URI}},
		"bad inner":       {ID: act("6"), Type: service.TypeUndo, Actor: w.alice, Object: &service.Outbound{ID: act("7"), Actor: w.alice}},
		"bad relayed":     {ID: act("8"), Type: service.TypeAnnounce, Actor: w.group, Object: service.RelayedActivity{JSON: "{"}},
	}
	for name, out := range cases {
		t.Run(name, func(t *testing.T) {
			if doc, err := c.Activity(out); err == nil {
				t.Fatalf("converted to %+v, want an error", doc)
			}
		})
	}
}

// TestActorDocumentsRoundTrip covers the actor kinds we serve.
func TestActorDocumentsRoundTrip(t *testing.T) {
	w := newWorld()
	org := actor(models.ActorOrganization, "coalition", "")
	org.Fields, org.Name = "", ""
	cases := []struct {
		a   *models.Actor
		com *models.Community
	}{{w.alice, nil}, {w.group, w.com}, {w.group, nil}, {w.app, nil}, {org, nil}}
	for _, tc := range cases {
		t.Run(tc.a.Type, func(t *testing.T) {
			doc := Actor(tc.a)
			GroupExtras(tc.a, tc.com, 3, doc)
			o := roundTrip(t, doc)
			a := tc.a
			check(t, "id", o.ID, a.URI)
			check(t, "type", o.Type, a.Type)
			check(t, "preferredUsername", o.PreferredUsername, a.Username)
			wantName := a.Name
			if wantName == "" {
				wantName = a.Username
			}
			check(t, "name", o.Name, wantName)
			check(t, "summary", o.Summary, a.Summary)
			check(t, "collections", [5]string{o.Inbox, o.Outbox, o.Followers, o.Following, o.Featured},
				[5]string{a.InboxURI, a.OutboxURI, a.FollowersURI, a.FollowingURI, a.FeaturedURI})
			check(t, "sharedInbox", o.SharedInbox, a.SharedInbox)
			check(t, "publicKey", o.PublicKey, &vocab.PublicKey{ID: a.PublicKeyID, Owner: a.URI, PublicKeyPEM: a.PublicKeyPEM})
			check(t, "assertionMethod", o.AssertionMethod, []vocab.Multikey{{ID: a.Ed25519KeyID, Type: "Multikey",
				Controller: a.URI, PublicKeyMultibase: a.Ed25519PublicKey}})
			check(t, "generator.implements", o.Implements, Implements)
			check(t, "manuallyApprovesFollowers", o.ManuallyApprovesFollowers, a.ManuallyApprovesFollowers)
			check(t, "discoverable", o.Discoverable, a.Discoverable)
			check(t, "icon", o.Icon, a.IconURL)
			check(t, "image", o.Image, a.ImageURL)
			sameTime(t, "published", o.Published, a.CreatedAt)
			var fields []vocab.PropertyValue
			for _, f := range service.Fields(a) {
				// Values go out as Mastodon writes them: HTML, a URL as a rel="me" link.
				fields = append(fields, vocab.PropertyValue{Name: f.Name, Value: service.FieldValueHTML(f.Value)})
			}
			check(t, "fields", o.Fields, fields)
			if a.Type != models.ActorGroup {
				check(t, "moderators", o.Moderators, "")
				return
			}
			check(t, "moderators", o.Moderators, a.URI+"/moderators")
			if tc.com == nil {
				check(t, "no community terms", o.Raw["commons:members"], nil)
				return
			}
			check(t, "memberCount", o.Raw["commons:memberCount"], any(float64(3)))
			check(t, "members", o.Raw["commons:members"], any(a.URI+"/members"))
			check(t, "licence", o.Raw["licence"], any(service.LicenceName(tc.com.Licence)))
			check(t, "charter", o.Raw["commons:charter"], any(tc.com.CharterHTML))
		})
	}
}

// TestDocumentsRoundTrip covers the other documents we serve: a note's
// Tombstone, ledger entries and collection pages.
func TestDocumentsRoundTrip(t *testing.T) {
	w := newWorld()
	t.Run("tombstone", func(t *testing.T) {
		n := *w.note
		n.DeletedAt = &w.accepted
		o := roundTrip(t, Note(&n, w.alice, w.tags))
		check(t, "type", o.Type, "Tombstone")
		check(t, "formerType", o.FormerType, n.Type)
		sameTime(t, "deleted", o.Deleted, w.accepted)
		check(t, "no content", o.Content, "")
	})
	t.Run("ledger entry", func(t *testing.T) {
		e := &models.LedgerEntry{ID: "01GLEDGER", Kind: "design", Weight: 3, RecordedAt: t0}
		o := roundTrip(t, LedgerEntry(w.group, e, w.alice, w.local))
		check(t, "id", o.ID, w.group.URI+"/ledger/01GLEDGER")
		check(t, "attributedTo", o.AttributedTo, []string{w.alice.URI})
		check(t, "object", o.ObjectID(), w.local.URI)
		check(t, "weight", o.Raw["commons:weight"], any(float64(3)))
		sameTime(t, "published", o.Published, t0)
		o = roundTrip(t, LedgerEntry(w.group, e, nil, nil))
		check(t, "unknown contributor", o.AttributedTo, []string(nil))
		check(t, "unknown contribution", o.Object, (*vocab.Object)(nil))
	})
	id := w.group.URI + "/members"
	pages := []struct {
		name             string
		total, num       int
		items            []*vocab.Object
		next, prev       string
		wantItems        int
		collectionHidden bool
	}{
		{"first of three", 45, 1, ActorRefs([]models.Actor{*w.alice, *w.bob}), id + "?page=2", "", 2, false},
		{"middle", 45, 2, ActorRefs([]models.Actor{*w.alice}), id + "?page=3", id + "?page=1", 1, false},
		{"last", 45, 3, nil, "", id + "?page=2", 0, false},
	}
	for _, p := range pages {
		t.Run("page "+p.name, func(t *testing.T) {
			o := roundTrip(t, CollectionPage(id, p.total, p.num, 20, p.items))
			check(t, "type", o.Type, "OrderedCollectionPage")
			check(t, "partOf", o.PartOf, id)
			check(t, "totalItems", *o.TotalItems, p.total)
			check(t, "next", o.Next, p.next)
			check(t, "prev", o.Prev, p.prev)
			check(t, "items", len(o.Items), p.wantItems)
		})
	}
	t.Run("collection", func(t *testing.T) {
		o := roundTrip(t, Collection(id, 45, false))
		check(t, "first", o.First, id+"?page=1")
		check(t, "totalItems", *o.TotalItems, 45)
		o = roundTrip(t, Collection(id, 45, true))
		check(t, "hidden has no first page", o.First, "")
		check(t, "hidden keeps its count", *o.TotalItems, 45)
		o = roundTrip(t, OrderedCollection(id, ActorRefs([]models.Actor{*w.bob})))
		check(t, "items", slices.Collect(func(yield func(string) bool) {
			for _, it := range o.Items {
				yield(it.ID)
			}
		}), []string{w.bob.URI})
	})
}

// question is a closed proposal with its tallies, as the Group sends it.
func (w *world) question() service.QuestionObject {
	closed := t0.Add(72 * time.Hour)
	p := &models.Proposal{ID: "01jgovernance000000000000", URI: "https://commons.example/proposals/01jgovernance000000000000",
		CommunityID: w.group.ID, Kind: "motion", Title: "Buy a seed drill", MotionHTML: "<p>We buy it <em>now</em>.</p>",
		Method: "majority", QuorumNum: 1, QuorumDen: 3, ThresholdNum: 1, ThresholdDen: 2, State: models.ProposalPassed,
		OpensAt: t0, ClosesAt: closed, ClosedAt: &closed}
	return service.QuestionObject{Proposal: p, Group: w.group, Options: []string{"Yes", "No", "Abstain"},
		Counts: map[string]int64{"Yes": 3, "No": 1}, Voters: 4,
		Lines: []string{"Method: Majority (Yes over No).", "Quorum: 1/3 of the 6 members."}}
}

// TestFlagObjects: a Flag we send carries its objects as an array (the
// reported actor, then its notes), which FlaggedObjects, our inbound reader,
// reads back whole; an empty list is refused.
func TestFlagObjects(t *testing.T) {
	w := newWorld()
	c := testConverter()
	uris := []string{w.bob.URI, "https://remote.example/notes/1", "https://remote.example/notes/2"}
	doc, err := c.Activity(&service.Outbound{ID: base + "/reports/1", Type: service.TypeFlag, Actor: w.app,
		Object: service.FlagObject{URIs: uris}, Content: "spam"})
	if err != nil {
		t.Fatal(err)
	}
	got := roundTrip(t, doc)
	check(t, "type", got.Type, "Flag")
	check(t, "objects", FlaggedObjects(got), uris)
	check(t, "reason", AnswerReason(got), "spam")
	if _, err := c.Activity(&service.Outbound{ID: base + "/reports/2", Type: service.TypeFlag, Actor: w.app,
		Object: service.FlagObject{}}); err == nil {
		t.Fatal("a Flag without objects was converted")
	}
}
