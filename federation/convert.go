package federation

import (
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// actorObject is the ActivityPub face of a local actor: what Mastodon reads.
func actorObject(a *models.Actor) *vocab.Object {
	o := &vocab.Object{
		ID: a.URI, Type: a.Type, PreferredUsername: a.Username, Name: a.Name, Summary: a.Summary,
		URL: a.URL, Inbox: a.InboxURI, Outbox: a.OutboxURI, Followers: a.FollowersURI,
		Following: a.FollowingURI, Featured: a.FeaturedURI, SharedInbox: a.SharedInbox,
		PublicKey:                 &vocab.PublicKey{ID: a.PublicKeyID, Owner: a.URI, PublicKeyPEM: a.PublicKeyPEM},
		ManuallyApprovesFollowers: a.ManuallyApprovesFollowers, Discoverable: a.Discoverable,
		Icon: a.IconURL, Image: a.ImageURL, Published: a.CreatedAt,
	}
	if o.Name == "" {
		o.Name = a.Username
	}
	for _, f := range service.Fields(a) {
		o.Fields = append(o.Fields, vocab.PropertyValue{Name: f.Name, Value: f.Value})
	}
	return o
}

// noteObject is the ActivityPub face of a note; deleted notes become Tombstones.
func noteObject(n *models.Note, author *models.Actor, tags []models.NoteTag) *vocab.Object {
	if n.DeletedAt != nil {
		return &vocab.Object{ID: n.URI, Type: "Tombstone", FormerType: n.Type, Deleted: *n.DeletedAt}
	}
	o := &vocab.Object{
		ID: n.URI, Type: n.Type, AttributedTo: []string{author.URI}, Content: n.Content, Name: n.Name,
		Summary: n.Summary, Sensitive: n.Sensitive, Published: n.Published, URL: n.URL,
		InReplyTo: n.InReplyToURI, To: n.To, CC: n.CC,
	}
	if n.AudienceURI != "" {
		o.Audience = []string{n.AudienceURI}
	}
	if n.EditedAt != nil {
		o.Updated = *n.EditedAt
	}
	if n.Source != "" {
		o.Source = &vocab.Source{Content: n.Source, MediaType: "text/markdown"}
	}
	for _, t := range tags {
		o.Tags = append(o.Tags, vocab.Tag{Type: t.Type, Name: t.Name, Href: t.Href})
	}
	return o
}
