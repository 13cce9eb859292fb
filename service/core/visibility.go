package core

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// Who may read a note. Every read path (API, web pages, feeds, ActivityPub GETs
// and collections) asks CanSee for one note or NoteScope for a list, so the rule
// below is written once:
//
//   - public and unlisted notes: everyone, anonymous readers included (unlisted
//     ones stay out of tag pages, as on Mastodon);
//   - followers-only and direct notes: never an anonymous reader; a local actor
//     when they wrote it, when it was delivered to them (their home timeline
//     holds it: followers when it arrived, the actors it addresses or mentions,
//     the stewards of a community it was addressed to), when they follow the
//     author (followers-only), or when it addresses or mentions them;
//   - a remote actor (a signed GET from another server): when the note
//     addresses or mentions an actor on the signer's server, or, for
//     followers-only notes, when the author has an accepted follower there —
//     that server was sent the note anyway, as Mastodon decides.
//
// A community post is public or unlisted; a private note addressed to a
// community is no post of it (see Social.ReceiveNote) and is never relayed.

// IsPublicAddress reports whether an addressee is ActivityStreams' Public
// collection, in any of the forms servers write it.
func IsPublicAddress(v string) bool {
	return v == PublicCollection || v == "as:Public" || v == "Public"
}

func anyPublic(l []string) bool {
	for _, v := range l {
		if IsPublicAddress(v) {
			return true
		}
	}
	return false
}

// VisibilityOf derives Mastodon's four levels from an object's addressing: Public
// in to is public, in cc unlisted; a followers collection makes it
// followers-only, anything else direct. A post addressed with audience only and
// neither to nor cc (Discourse and NodeBB address forum posts that way) is a
// public post in that Group, not a direct message.
func VisibilityOf(to, cc, audience []string, authorFollowersURI string) string {
	switch {
	case anyPublic(to):
		return models.VisibilityPublic
	case anyPublic(cc):
		return models.VisibilityUnlisted
	case len(to) == 0 && len(cc) == 0 && len(audience) > 0:
		return models.VisibilityPublic
	}
	for _, v := range append(append([]string{}, to...), cc...) {
		if (authorFollowersURI != "" && v == authorFollowersURI) || strings.HasSuffix(v, "/followers") {
			return models.VisibilityFollowers
		}
	}
	return models.VisibilityDirect
}

// VisibleToAnyone: public and unlisted notes (the only ones a community shows).
func VisibleToAnyone(n *models.Note) bool {
	return n.Visibility == models.VisibilityPublic || n.Visibility == models.VisibilityUnlisted
}

// VisibilityStore is what the read rule needs of the store.
type VisibilityStore interface {
	NoteVisible(ctx context.Context, noteID string, sc store.NoteScope) (bool, error)
	NoteTags(ctx context.Context, noteID string) ([]models.NoteTag, error)
	ActorByID(ctx context.Context, id string) (*models.Actor, error)
	HasFollowerOnHost(ctx context.Context, actorID, host string) (bool, error)
}

var _ VisibilityStore = (*store.Store)(nil)

// Visibility applies the read rule above; every domain that reads notes for
// someone holds one.
type Visibility struct{ Store VisibilityStore }

// CanSee decides whether reader (nil: anonymous; a remote actor: the signer of a
// signed GET) may read n. It does not look at deletion: callers serve a
// Tombstone or nothing for a deleted note.
func (s Visibility) CanSee(ctx context.Context, reader *models.Actor, n *models.Note) bool {
	if n == nil {
		return false
	}
	if VisibleToAnyone(n) {
		return true
	}
	if reader == nil || reader.Suspended {
		return false
	}
	if reader.ID != "" && reader.ID == n.AuthorID {
		return true
	}
	if reader.Local() {
		ok, err := s.Store.NoteVisible(ctx, n.ID, NoteScope(reader, ListAll))
		return err == nil && ok
	}
	host := hostOfURI(reader.URI)
	if host == "" {
		return false
	}
	addressed := append(append([]string{}, n.To...), n.CC...)
	if tags, err := s.Store.NoteTags(ctx, n.ID); err == nil {
		for _, t := range tags {
			if t.Type == "Mention" {
				addressed = append(addressed, t.Href)
			}
		}
	}
	author, err := s.Store.ActorByID(ctx, n.AuthorID)
	if err != nil {
		return false
	}
	for _, a := range addressed {
		if a != author.FollowersURI && !IsPublicAddress(a) && hostOfURI(a) == host {
			return true
		}
	}
	if n.Visibility == models.VisibilityFollowers {
		ok, err := s.Store.HasFollowerOnHost(ctx, n.AuthorID, host)
		return err == nil && ok
	}
	return false
}

// Listing names a kind of list of notes; each shows a subset of what its reader
// may see.
type Listing int

const (
	// ListAll: every note the reader may see (home timeline, thread lookups).
	ListAll Listing = iota
	// ListTag: a hashtag page shows public notes only, to every reader.
	ListTag
	// ListCommunity: a community's discussions and feeds show its posts, which
	// are public or unlisted, to every reader alike.
	ListCommunity
	// ListSearch: search results show public notes to everyone and, to a local
	// reader, the other notes they may see (their own, those delivered to them
	// or addressing them); unlisted notes of others stay out, as on Mastodon.
	ListSearch
)

// NoteScope is CanSee for a list, as a store condition, so that lists are
// filtered in SQL before they are paged. Remote readers only ever list what
// anonymous readers list (outboxes); single notes go through CanSee.
func NoteScope(reader *models.Actor, l Listing) store.NoteScope {
	switch l {
	case ListTag:
		return store.NoteScope{Visibilities: []string{models.VisibilityPublic}}
	case ListCommunity:
		return store.PublicNotes
	case ListSearch:
		sc := store.NoteScope{Visibilities: []string{models.VisibilityPublic}}
		if reader != nil && reader.Local() && !reader.Suspended {
			sc.Reader = reader
		}
		return sc
	}
	sc := store.PublicNotes
	if reader != nil && reader.Local() && !reader.Suspended {
		sc.Reader = reader
	}
	return sc
}

// LostRace reports whether a conditional transition did not apply because its
// row was changed or removed by another request first.
func LostRace(err error) bool {
	return errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound)
}

func hostOfURI(u string) string {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") {
		return ""
	}
	return strings.ToLower(p.Host)
}
