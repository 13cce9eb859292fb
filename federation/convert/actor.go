package convert

import (
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// Implements is what our actors' generator lists (FEP-844e).
var Implements = []vocab.Implement{
	{Name: "RFC-9421: HTTP Message Signatures", Href: vocab.CapRFC9421},
	{Name: "RFC-9421 signatures using the Ed25519 algorithm", Href: vocab.CapRFC9421Ed25519},
}

// Actor is the ActivityPub face of a local actor (Person, Group, Organization,
// Application): what Mastodon reads. A Group's community terms are added by
// GroupExtras.
func Actor(a *models.Actor) *vocab.Object {
	o := &vocab.Object{
		ID: a.URI, Type: a.Type, PreferredUsername: a.Username, Name: a.Name, Summary: a.Summary,
		URL: a.URL, Inbox: a.InboxURI, Outbox: a.OutboxURI, Followers: a.FollowersURI,
		Following: a.FollowingURI, Featured: a.FeaturedURI, SharedInbox: a.SharedInbox,
		PublicKey:                 &vocab.PublicKey{ID: a.PublicKeyID, Owner: a.URI, PublicKeyPEM: a.PublicKeyPEM},
		ManuallyApprovesFollowers: a.ManuallyApprovesFollowers, Discoverable: a.Discoverable,
		Icon: a.IconURL, Image: a.ImageURL, Published: a.CreatedAt,
	}
	if a.Ed25519KeyID != "" && a.Ed25519PublicKey != "" {
		// FEP-521a: the Ed25519 key peers that support it verify our RFC 9421
		// signatures with; publicKey stays the RSA key Mastodon reads.
		o.AssertionMethod = []vocab.Multikey{{ID: a.Ed25519KeyID, Type: "Multikey", Controller: a.URI,
			PublicKeyMultibase: a.Ed25519PublicKey}}
		// FEP-844e: we verify RFC 9421 signatures, Ed25519 ones included. This,
		// not the Multikey alone, is what makes a peer sign to us with Ed25519:
		// Fedify lists Multikeys but verifies HTTP signatures with publicKey only.
		o.Implements = Implements
	}
	if o.Name == "" {
		o.Name = a.Username
	}
	for _, f := range service.Fields(a) {
		o.Fields = append(o.Fields, vocab.PropertyValue{Name: f.Name, Value: service.FieldValueHTML(f.Value)})
	}
	return o
}

// GroupExtras adds what FEP-1b12 and Lemmy readers look for on a community's
// Group actor: the moderators collection (also written as attributedTo) and, when
// its community row could be read (com non-nil), the posting restriction, member
// count, our own collections, licence and charter. Other actors are left as they are.
func GroupExtras(a *models.Actor, com *models.Community, members int64, o *vocab.Object) {
	if a.Type != models.ActorGroup {
		return
	}
	o.Moderators = a.URI + "/moderators"
	if com == nil {
		return
	}
	o.Extra = map[string]any{
		"postingRestrictedToMods": com.PostingPolicy == models.PolicyMaintainers,
		"commons:memberCount":     members,
		"commons:members":         a.URI + "/members",
		"commons:commons":         a.URI + "/commons",
		"commons:ledger":          a.URI + "/ledger",
		"partners":                a.URI + "/partners",
		"licence":                 service.LicenceName(com.Licence),
	}
	if com.CharterHTML != "" {
		o.Extra["commons:charter"] = com.CharterHTML
	}
}
