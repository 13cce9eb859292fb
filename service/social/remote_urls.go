package social

import (
	"github.com/commonsd/commonsd/content"
	"github.com/commonsd/commonsd/models"
)

// safeRemoteURLs keeps only http(s) URLs in a remote note and its tags (see
// content.SafeURL): the note's url and the ids it points to are cleared if
// unsafe, a Mention whose href is unsafe is dropped (it names nobody we can
// link), and a Hashtag keeps its name without an unsafe href.
func safeRemoteURLs(n *models.Note, tags []models.NoteTag) []models.NoteTag {
	n.URL = content.SafeURL(n.URL)
	n.InReplyToURI = content.SafeURL(n.InReplyToURI)
	n.AudienceURI = content.SafeURL(n.AudienceURI)
	out := tags[:0:0]
	for _, t := range tags {
		href := content.SafeURL(t.Href)
		if href == "" && t.Type == "Mention" {
			continue
		}
		t.Href = href
		out = append(out, t)
	}
	return out
}
