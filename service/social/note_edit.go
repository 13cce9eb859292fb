package social

import (
	"context"
	"errors"
	"fmt"
	"github.com/commonsd/commonsd/service/core"
	"html"
	"strings"

	"github.com/commonsd/commonsd/content"
	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// renderSource resolves a note's Markdown source as PostNote and EditNote
// read it: mentions that resolve become links and Mention tags (an unknown
// handle stays plain text, as on Mastodon), hashtags become links and Hashtag
// tags. linked is the source with those links, ready for content.Markdown;
// seen holds the mentioned URIs and "#tag"s.
func (s *Social) renderSource(ctx context.Context, src string) (linked string, tags []models.NoteTag, mentioned []*models.Actor, seen map[string]bool) {
	seen = map[string]bool{}
	linked = src
	for _, m := range mentionRE.FindAllStringSubmatch(src, 20) {
		handle := "@" + m[2]
		if m[3] != "" {
			handle += "@" + m[3]
		}
		act, err := s.ResolveActor(ctx, handle)
		if err != nil {
			continue // an unknown handle stays plain text, as on Mastodon
		}
		if seen[act.URI] {
			continue
		}
		seen[act.URI] = true
		mentioned = append(mentioned, act)
		full := "@" + act.Username + "@" + s.domainOf(act)
		tags = append(tags, models.NoteTag{Type: "Mention", Name: full, Href: act.URI})
		link := fmt.Sprintf(`[@%s](%s)`, act.Username, act.URL)
		if act.URL == "" {
			link = fmt.Sprintf(`[@%s](%s)`, act.Username, act.URI)
		}
		linked = strings.Replace(linked, m[0], m[1]+link, 1)
	}
	for _, m := range hashtagRE.FindAllStringSubmatch(src, 20) {
		name := strings.ToLower(m[2])
		if seen["#"+name] {
			continue
		}
		seen["#"+name] = true
		href := s.d.Cfg.Server.PublicURL + "/tags/" + name
		tags = append(tags, models.NoteTag{Type: "Hashtag", Name: "#" + name, Href: href})
		linked = strings.Replace(linked, m[0], m[1]+fmt.Sprintf(`[#%s](%s)`, m[2], href), 1)
	}
	return linked, tags, mentioned, seen
}

// NoteEdit is what an author may change in a note: its text, content
// warning and sensitivity. Visibility, the thread and the community stay as
// posted (as on Mastodon).
type NoteEdit struct {
	Content   string // Markdown
	Summary   string // content warning
	Sensitive bool
}

// EditNote lets the author of a local note change it. The note is rendered
// as PostNote renders it (mentions, hashtags, the parent's author mentioned
// in a reply); people newly mentioned are added to its addressing and to
// local timelines, and local ones are notified (a mention), as Mastodon does;
// people mentioned before the edit are not notified again. The edit is
// federated as Update{Note} with `updated` to everyone who got the note and to
// the newly mentioned (in their own inbox), so that Mastodon and GoToSocial
// show it as edited and a server that did not have the note learns it.
func (s *Social) EditNote(ctx context.Context, by *models.Actor, noteID string, in NoteEdit) (*models.Note, error) {
	n, err := s.d.Store.NoteByID(ctx, noteID)
	if err != nil || n.DeletedAt != nil || !s.d.Visibility.CanSee(ctx, by, n) {
		return nil, errs.NotFound("note not found")
	}
	if n.AuthorID != by.ID || !by.Local() || !n.Local {
		return nil, errs.Forbidden("only the author may edit this note")
	}
	src := strings.TrimSpace(in.Content)
	if src == "" {
		return nil, errs.Unprocessable("content is required")
	}
	if len([]rune(src)) > 5000 {
		return nil, errs.Unprocessable("content is longer than 5000 characters")
	}
	wasMentioned, err := s.mentionedBefore(ctx, n.ID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	linked, tags, mentioned, seen := s.renderSource(ctx, src)
	if n.InReplyToURI != "" {
		if parent, err := s.d.Store.NoteByURI(ctx, n.InReplyToURI); err == nil {
			if a := s.replyAddressee(ctx, by, parent, n.Visibility, len(mentioned)); a != nil && !seen[a.URI] {
				mentioned = append(mentioned, a)
				tags = append(tags, models.NoteTag{Type: "Mention", Name: "@" + a.Username + "@" + s.domainOf(a), Href: a.URI})
			}
		}
	}
	oldName := firstLine(content.Text(n.Content), 100)
	n.Source = src
	n.Content = content.Markdown(linked)
	n.Summary = html.EscapeString(strings.TrimSpace(in.Summary))
	n.Sensitive = in.Sensitive || n.Summary != ""
	if n.AudienceURI != "" && n.Name == oldName {
		// A title taken from the first line follows the text.
		n.Name = firstLine(content.Text(n.Content), 100)
	}
	to, cc := append([]string{}, n.To...), append([]string{}, n.CC...)
	addressed := map[string]bool{}
	for _, u := range append(append([]string{}, to...), cc...) {
		addressed[u] = true
	}
	var newLocal []string
	var remote []*models.Actor
	for _, a := range mentioned {
		if !addressed[a.URI] {
			if n.Visibility == models.VisibilityDirect {
				to = append(to, a.URI)
			} else {
				cc = append(cc, a.URI)
			}
		}
		if a.Local() {
			if !wasMentioned[a.URI] {
				newLocal = append(newLocal, a.ID)
			}
		} else {
			remote = append(remote, a)
		}
	}
	// People mentioned before and not now still get the Update (they have
	// the note).
	for uri := range wasMentioned {
		if seen[uri] || slicesHasURI(mentioned, uri) {
			continue
		}
		if a, err := s.d.Store.ActorByURI(ctx, uri); err == nil && !a.Local() {
			remote = append(remote, a)
		}
	}
	if n.AudienceURI != "" {
		if g, err := s.d.Store.ActorByURI(ctx, n.AudienceURI); err == nil && !g.Local() {
			remote = append(remote, g)
		}
	}
	n.To, n.CC = to, cc
	now := s.now()
	n.EditedAt = &now
	group := s.postCommunity(ctx, n)
	updateID := s.d.URLs.Activity(models.NewID())
	err = s.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.EditNote(ctx, n, tags); err != nil {
			return err
		}
		if err := tx.AddToTimelines(ctx, n.ID, "", newLocal); err != nil {
			return err
		}
		// Only the newly mentioned are told (those mentioned before were told
		// when the note was posted or when the edit first named them).
		if err := s.notifyNote(ctx, tx, by, n, nil, newLocal); err != nil {
			return err
		}
		err := s.d.Pub.Publish(ctx, tx, &core.Outbound{ID: updateID, Type: core.TypeUpdate, Published: now,
			Actor: by, Object: core.NoteObject{Note: n, Tags: tags, Author: by}, To: to, CC: cc, Recipients: remote, Audience: n.AudienceURI,
			ToFollowers: n.Visibility != models.VisibilityDirect,
			Public:      n.Visibility == models.VisibilityPublic || n.Visibility == models.VisibilityUnlisted})
		if err != nil || group == nil {
			return err
		}
		// A post in a local community: the Group announces the Update to its
		// followers, as it announced the Create (FEP-1b12, Lemmy).
		return s.relayOwn(ctx, tx, group, n, updateID)
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, errs.NotFound("note not found")
	}
	if err != nil {
		return nil, errs.Internal(err)
	}
	return n, nil
}

func slicesHasURI(l []*models.Actor, uri string) bool {
	for _, a := range l {
		if a.URI == uri {
			return true
		}
	}
	return false
}

// OwnNote is one of by's own local notes, for the edit form; any other note
// is a 404, so that ids cannot be probed.
func (s *Social) OwnNote(ctx context.Context, by *models.Actor, noteID string) (*models.Note, error) {
	n, err := s.d.Store.NoteByID(ctx, noteID)
	if err != nil || n.DeletedAt != nil || n.AuthorID != by.ID || !n.Local {
		return nil, errs.NotFound("note not found")
	}
	return n, nil
}
