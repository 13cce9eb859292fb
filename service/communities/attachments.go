package communities

import (
	"bytes"
	"context"
	"encoding/json"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/commonsd/commonsd/content"
	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// Upload is a file as a contributor sends it (web form or API).
type Upload struct {
	Name        string // the file name the client gave
	ContentType string // the type the client declared (only tells Markdown from plain text)
	Data        []byte
}

// Attachment types are decided by the bytes, never by the name or the declared
// type: images by their magic numbers, PDF, ZIP, and text when it is valid UTF-8
// without NUL bytes (Markdown when the name or the declared type says so).
func attachmentType(up Upload) (string, bool) {
	d := up.Data
	switch {
	case bytes.HasPrefix(d, []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}):
		return "image/png", true
	case bytes.HasPrefix(d, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg", true
	case bytes.HasPrefix(d, []byte("GIF87a")), bytes.HasPrefix(d, []byte("GIF89a")):
		return "image/gif", true
	case len(d) >= 12 && bytes.HasPrefix(d, []byte("RIFF")) && string(d[8:12]) == "WEBP":
		return "image/webp", true
	case bytes.HasPrefix(d, []byte("%PDF-")):
		return "application/pdf", true
	case bytes.HasPrefix(d, []byte("PK\x03\x04")):
		return "application/zip", true
	case utf8.Valid(d) && bytes.IndexByte(d, 0) < 0:
		ext := strings.ToLower(path.Ext(up.Name))
		if ext == ".md" || ext == ".markdown" || strings.Contains(strings.ToLower(up.ContentType), "markdown") {
			return "text/markdown", true
		}
		return "text/plain", true
	}
	return "", false
}

// IsImage says whether a media type is one of the image types we accept.
func IsImage(mediaType string) bool {
	switch mediaType {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return true
	}
	return false
}

// cleanFileName keeps the last path element of a client's file name, without
// control characters, at most 255 bytes.
func cleanFileName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(strings.TrimSpace(name))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7F || r == '"' {
			return -1
		}
		return r
	}, name)
	if name == "." || name == "/" {
		name = ""
	}
	for len(name) > 255 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return name
}

// checkUploads validates a contribution's files before anything is stored:
// how many (MaxAttachments, counting those already attached), how big (413) and
// what they are (415). It returns the media rows to create.
func (c *Communities) checkUploads(owner *models.Actor, ups []Upload, already int) ([]*models.Media, error) {
	if len(ups)+already > models.MaxAttachments {
		return nil, errs.Unprocessable("at most %d attachments", models.MaxAttachments)
	}
	max := c.d.Cfg.Media.MaxAttachmentBytes
	out := make([]*models.Media, 0, len(ups))
	for i, up := range ups {
		name := cleanFileName(up.Name)
		if name == "" {
			name = "attachment-" + string(rune('1'+i))
		}
		if int64(len(up.Data)) > max {
			return nil, errs.New(413, "attachment %q is larger than %s", name, content.HumanBytes(max))
		}
		if len(up.Data) == 0 {
			return nil, errs.Unprocessable("attachment %q is empty", name)
		}
		mt, ok := attachmentType(up)
		if !ok {
			return nil, errs.New(415, "attachment %q is not an accepted file: images (PNG, JPEG, GIF, WebP), PDF, plain text or Markdown, ZIP", name)
		}
		out = append(out, &models.Media{ID: models.NewID(), OwnerID: owner.ID, ContentType: mt, Size: int64(len(up.Data)),
			Data: up.Data, Name: name})
	}
	return out, nil
}

// storeUploads creates the media rows of a contribution inside tx and returns
// their Attachment entries.
func (c *Communities) storeUploads(ctx context.Context, tx *store.Store, co *models.Contribution, media []*models.Media) ([]models.Attachment, error) {
	out := make([]models.Attachment, 0, len(media))
	for _, m := range media {
		id := co.ID
		m.ContributionID = &id
		if err := tx.CreateMedia(ctx, m); err != nil {
			return nil, err
		}
		out = append(out, models.Attachment{URL: c.d.URLs.Media(m.ID), MediaType: m.ContentType, Name: m.Name, Size: m.Size})
	}
	return out, nil
}

// remoteAttachments keeps at most MaxAttachments of a remote offer's Documents
// with an http(s) URL; nothing is downloaded.
func remoteAttachments(in []models.Attachment) []models.Attachment {
	var out []models.Attachment
	for _, a := range in {
		if content.SafeURL(a.URL) == "" {
			continue
		}
		mt := strings.TrimSpace(a.MediaType)
		if len(mt) > 100 {
			mt = ""
		}
		out = append(out, models.Attachment{URL: a.URL, MediaType: mt, Name: cleanFileName(a.Name)})
		if len(out) == models.MaxAttachments {
			break
		}
	}
	return out
}

// Attachments decodes a contribution's attachments.
func Attachments(co *models.Contribution) []models.Attachment {
	out := []models.Attachment{}
	if co.Attachments != "" {
		_ = json.Unmarshal([]byte(co.Attachments), &out)
	}
	return out
}
