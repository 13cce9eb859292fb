package social

import (
	"math"
	"strings"
	"unicode/utf8"

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
	n.Attachments = safeAttachments(n.Attachments)
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

// Bounds of what is kept of a remote attachment: Mastodon's alt text limit,
// a media type's longest registered form, a blurhash of 9×9 components.
const (
	maxAltText      = 1500
	maxMediaType    = 255
	maxBlurhash     = 200
	maxMediaPixels  = 100000
	maxAttachmentTy = 32
)

// safeAttachments keeps at most models.MaxNoteAttachments attachments whose
// URL is a safe http(s) URL (javascript:, data: and the rest are dropped with
// their attachment), with alt text, media type and blurhash cut to size,
// sizes outside 0..100000 zeroed and a focal point outside [-1, 1]² dropped.
// The pages put URL into src or href and the rest into attributes (escaped
// by html/template): nothing here is trusted to be HTML.
func safeAttachments(in []models.NoteAttachment) []models.NoteAttachment {
	var out []models.NoteAttachment
	for _, a := range in {
		if len(out) == models.MaxNoteAttachments {
			break
		}
		if a.URL = content.SafeURL(a.URL); a.URL == "" {
			continue
		}
		a.Type = cut(a.Type, maxAttachmentTy)
		a.MediaType = strings.ToLower(strings.TrimSpace(cut(a.MediaType, maxMediaType)))
		if strings.ContainsAny(a.MediaType, " \t\r\n\"<>") {
			a.MediaType = ""
		}
		a.Name = cut(strings.TrimSpace(a.Name), maxAltText)
		a.Blurhash = cut(a.Blurhash, maxBlurhash)
		if a.Width < 0 || a.Width > maxMediaPixels || a.Height < 0 || a.Height > maxMediaPixels {
			a.Width, a.Height = 0, 0
		}
		if len(a.FocalPoint) != 2 || !inUnit(a.FocalPoint[0]) || !inUnit(a.FocalPoint[1]) {
			a.FocalPoint = nil
		}
		out = append(out, a)
	}
	return out
}

func inUnit(f float64) bool { return !math.IsNaN(f) && f >= -1 && f <= 1 }

// cut shortens s to at most max runes, dropping invalid UTF-8.
func cut(s string, max int) string {
	s = strings.ToValidUTF8(s, "")
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max])
}
