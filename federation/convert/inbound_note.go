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
// and its Mention and Hashtag tags (emoji and other tags are dropped). Content
// is sanitised by the service when it is stored, not here.
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
