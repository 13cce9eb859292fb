package convert

import (
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

func init() {
	register(func(_ *Converter, n service.NoteObject) (*vocab.Object, error) {
		return Note(n.Note, n.Author, n.Tags), nil
	})
}

// Note is the ActivityPub face of a note; a deleted note is its Tombstone.
func Note(n *models.Note, author *models.Actor, tags []models.NoteTag) *vocab.Object {
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
