package frontend

import (
	"strings"

	"github.com/commonsd/commonsd/models"
)

// attachmentView is one media attachment of a remote note as the pages show it.
//
// Decision (README, "Remote media"): the pages' Content-Security-Policy allows
// images from 'self', https: and data: and nothing else (default-src 'none'),
// so an https image is shown as <img> straight from its server, with its alt
// text and its size (no layout shift), lazily and without a referrer. Anything
// else — an http image (blocked by the CSP), a video, audio or document
// (media-src is 'none'), a Link — is a link labelled with its alt text (or
// name, or URL) and its media type. No proxy: it would make this server fetch
// whatever a remote note names, for every reader, which is an SSRF surface and
// a bandwidth cost we do not take on for thumbnails.
type attachmentView struct {
	URL           string
	Alt           string // alt text (the attachment's name)
	Label         string // the link text when not inline
	Kind          string // media type, or the AS2 type when none is given
	Inline        bool   // shown as <img>
	Width, Height int
}

// attachmentViews prepares a note's attachments for the "attachments" template.
// The service stored only http(s) URLs; the scheme is checked again here since
// an <img> or href must never carry anything else.
func attachmentViews(atts []models.NoteAttachment) []attachmentView {
	var out []attachmentView
	for _, a := range atts {
		low := strings.ToLower(a.URL)
		if !strings.HasPrefix(low, "https://") && !strings.HasPrefix(low, "http://") {
			continue
		}
		v := attachmentView{URL: a.URL, Alt: a.Name, Kind: a.MediaType, Width: a.Width, Height: a.Height}
		if v.Kind == "" {
			v.Kind = strings.ToLower(a.Type)
		}
		v.Inline = a.IsImage() && strings.HasPrefix(low, "https://")
		if v.Width <= 0 || v.Height <= 0 {
			v.Width, v.Height = 0, 0
		}
		v.Label = a.Name
		if v.Label == "" {
			v.Label = a.URL
		}
		out = append(out, v)
	}
	return out
}
