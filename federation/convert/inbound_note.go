package convert

import (
	"encoding/json"

	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// RemoteNote maps a remote note-like object (Note, Article, Page, Question,
// Event, Video), already checked for origin and authorship by the caller, onto
// our note model: its addressing and the visibility derived from it, content
// (or the first contentMap entry when content is absent), the first audience,
// its Mention and Hashtag tags (emoji and other tags are dropped) and its
// attachments (NoteAttachments). Content and URLs are made safe by the service
// when it is stored, not here.
func RemoteNote(author *models.Actor, o *vocab.Object) service.RemoteNote {
	n := &models.Note{ID: models.NewID(), URI: o.ID, URL: o.URL, Type: o.Type, Name: o.Name, Summary: o.Summary,
		Content: o.Content, Sensitive: o.Sensitive, InReplyToURI: o.InReplyTo, Published: o.Published,
		To: emptyIfNil(o.To), CC: emptyIfNil(o.CC), Visibility: Visibility(o, author)}
	if n.Content == "" {
		for _, v := range o.ContentMap {
			n.Content = v
			break
		}
	}
	if len(o.Audience) > 0 {
		n.AudienceURI = o.Audience[0]
	}
	n.Attachments = NoteAttachments(o)
	var tags []models.NoteTag
	for _, t := range o.Tags {
		if t.Type == vocab.TagMention || t.Type == vocab.TagHashtag {
			tags = append(tags, models.NoteTag{Type: t.Type, Name: t.Name, Href: t.Href})
		}
	}
	return service.RemoteNote{Note: n, Tags: tags}
}

// CreatedNote is RemoteNote for a note that came in a Create or Update act: it
// also records every id the activity and the note were addressed to (a local
// community among them makes it a community post) and the activity as received
// (which a community re-publishes).
func CreatedNote(author *models.Actor, act, o *vocab.Object) service.RemoteNote {
	rn := RemoteNote(author, o)
	rn.Addressed = append(append(append([]string{}, act.Audience...), act.To...), act.CC...)
	rn.Addressed = append(append(append(rn.Addressed, o.Audience...), o.To...), o.CC...)
	rn.Activity = RawJSON(act)
	return rn
}

// Visibility derives Mastodon's four levels from an object's addressing; the
// rule is the service's (an audience-only Group post is public).
func Visibility(o *vocab.Object, author *models.Actor) string {
	return service.VisibilityOf(o.To, o.CC, o.Audience, author.FollowersURI)
}

// RawJSON is the document o was read from, encoded again ("" when it cannot be).
func RawJSON(o *vocab.Object) string {
	b, err := json.Marshal(o.Raw)
	if err != nil {
		return ""
	}
	return string(b)
}

// emptyIfNil keeps an empty addressing list stored as [] rather than NULL.
func emptyIfNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// NoteAttachments are a remote object's media attachments: Document, Image,
// Video and Audio, and Links (Lemmy's link or image of a post); a url given as
// a Link or a list of Links (PeerTube) has been read to its media Link by
// vocab. A Video or Audio object (PeerTube) that attaches nothing is its own
// media: its first media Link becomes the attachment. At most
// models.MaxNoteAttachments are kept, in order; the service checks the URLs.
func NoteAttachments(o *vocab.Object) []models.NoteAttachment {
	var out []models.NoteAttachment
	for _, a := range o.Attachments {
		if len(out) == models.MaxNoteAttachments {
			break
		}
		switch a.Type {
		case "Document", "Image", "Video", "Audio", "Link":
		default:
			continue
		}
		if a.URL == "" {
			continue
		}
		out = append(out, models.NoteAttachment{Type: a.Type, URL: a.URL, MediaType: a.MediaType, Name: a.Name,
			Width: a.Width, Height: a.Height, Blurhash: a.Blurhash, FocalPoint: a.FocalPoint})
	}
	if len(out) == 0 && (o.Type == "Video" || o.Type == "Audio") && len(o.MediaLinks) > 0 {
		l := o.MediaLinks[0]
		out = append(out, models.NoteAttachment{Type: o.Type, URL: l.URL, MediaType: l.MediaType, Name: o.Name,
			Width: l.Width, Height: l.Height})
	}
	return out
}
