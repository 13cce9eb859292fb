package convert

import (
	"strings"

	"github.com/commonsd/commonsd/content"
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// OfferedContribution maps a remote Offer (act) of a contribution object (o,
// embedded or fetched, checked for origin by the caller) onto the input of the
// same service call a local offer makes, and what only a remote offer has.
//
// Title is the object's name, else the first line of its content; the body is
// the source when it is markdown (the HTML content is kept as BodyHTML);
// contributionKind and licence are our extension terms. Link attachments
// become links; Document, Image, Audio and Video attachments are kept as URLs
// (never downloaded); attachments without a URL and other types are dropped.
func OfferedContribution(act, o *vocab.Object) (service.ContributionInput, *service.RemoteOffer) {
	in := service.ContributionInput{Title: o.Name, Kind: rawString(o.Raw["contributionKind"]), Licence: rawString(o.Raw["licence"])}
	// A bounty claimed (issue 12): on the object, or on the Offer itself.
	if in.Bounty = rawString(o.Raw["claimsBounty"]); in.Bounty == "" && act.Raw != nil {
		in.Bounty = rawString(act.Raw["claimsBounty"])
	}
	if o.Source != nil && strings.Contains(o.Source.MediaType, "markdown") {
		in.Body = o.Source.Content
	}
	var docs []models.Attachment
	for _, att := range o.Attachments {
		switch {
		case att.URL == "":
		case att.Type == "Link":
			in.Links = append(in.Links, att.URL)
		case att.Type == "Document" || att.Type == "Image" || att.Type == "Audio" || att.Type == "Video":
			docs = append(docs, models.Attachment{URL: att.URL, MediaType: att.MediaType, Name: att.Name})
		}
	}
	if in.Title == "" {
		in.Title = firstLineOf(o.Content)
	}
	return in, &service.RemoteOffer{ObjectURI: o.ID, OfferURI: act.ID,
		Contributors: o.AttributedTo, BodyHTML: o.Content, Attachments: docs}
}

func rawString(v any) string {
	s, _ := v.(string)
	return s
}

// firstLineOf is the first line of an HTML text as plain text, cut to 200 runes.
func firstLineOf(htmlText string) string {
	t := strings.TrimSpace(content.Text(htmlText))
	line, _, _ := strings.Cut(t, "\n")
	if r := []rune(line); len(r) > 200 {
		return string(r[:199]) + "…"
	}
	return line
}
