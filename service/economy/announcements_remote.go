package economy

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/commonsd/commonsd/content"
	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// RemoteAnnouncement is an announcement received from another server, as
// convert.InboundAnnouncement reads it (the amount already checked
// strictly).
type RemoteAnnouncement struct {
	URI, URL, Title, BodyHTML string
	Kind, Purpose             string
	ForWhom, Link, PayNote    string
	Price                     *models.Money // nil: none
	At                        time.Time
	// Communities are the actors it is addressed to (audience, to, cc);
	// those that are our communities decide on it.
	Communities []string
	// PartnerOf are the communities the announcement says its author is a
	// recognised partner of: each one of ours must say so too, or the
	// announcement is refused whole.
	PartnerOf []string
}

// CheckRemoteAnnouncement refuses an announcement that must not be taken, so
// that the caller stores nothing of it (not even its note): an author that
// is not a remote Organization, an unknown kind, a bounty without payout, a
// partnership it claims with one of our communities that does not exist,
// an id already taken by another author.
func (e *Economy) CheckRemoteAnnouncement(ctx context.Context, author *models.Actor, in RemoteAnnouncement) error {
	if author == nil || author.Local() {
		return errs.BadRequest("not a remote author")
	}
	if author.Type != models.ActorOrganization {
		return errs.Forbidden("only organizations publish announcements (this is a %s)", author.Type)
	}
	if !ValidAnnouncementKind(in.Kind) {
		return errs.BadRequest("unknown announcementKind %q", in.Kind)
	}
	if in.Purpose != "" && in.Purpose != "offer" && in.Purpose != "request" {
		return errs.BadRequest("purpose must be offer or request")
	}
	if in.Kind == models.AnnouncementBounty && in.Price == nil {
		return errs.BadRequest("a bounty needs its payout")
	}
	switch in.PayNote {
	case "", models.PayUnpaid, models.PayVolunteer:
	default:
		return errs.BadRequest("unknown payNote %q", in.PayNote)
	}
	if in.Price != nil && in.PayNote != "" {
		return errs.BadRequest("an amount is not unpaid nor volunteer work")
	}
	if old, err := e.d.Store.AnnouncementByURI(ctx, in.URI); err == nil && old.AuthorID != author.ID {
		return errs.Forbidden("that announcement belongs to another actor")
	}
	for _, u := range in.PartnerOf {
		g, err := e.d.Store.ActorByURI(ctx, u)
		if err != nil || !g.Local() {
			continue // not ours to vouch for
		}
		if g.Type != models.ActorGroup || !e.IsPartner(ctx, g, author) {
			return errs.Forbidden("the announcement claims a partnership with @%s that does not exist", g.Username)
		}
	}
	return nil
}

// ReceiveAnnouncement takes a remote organization's announcement (a Create
// of its Note): after CheckRemoteAnnouncement, note stores the Note (the
// caller's, as for any post) and the announcement is kept, and each of our
// communities it is addressed to relays or holds it (relayOrHold), in one
// transaction. Kept only when one of our communities is addressed or
// someone here follows the author (otherwise nil, nil: the note alone). A
// re-delivered announcement changes nothing.
func (e *Economy) ReceiveAnnouncement(ctx context.Context, author *models.Actor, in RemoteAnnouncement, note func(ctx context.Context) (*models.Note, error)) (*models.Announcement, error) {
	if err := e.CheckRemoteAnnouncement(ctx, author, in); err != nil {
		return nil, err
	}
	n, err := note(ctx)
	if err != nil {
		return nil, err
	}
	if n == nil {
		return nil, nil
	}
	if old, err := e.d.Store.AnnouncementByURI(ctx, in.URI); err == nil {
		return old, nil // a re-delivery: decided already
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, errs.Internal(err)
	}
	var groups []*models.Actor
	var uris []string
	for _, u := range content.SafeURLs(in.Communities) {
		if len(uris) == maxAddressed {
			break
		}
		if g, err := e.d.Store.ActorByURI(ctx, u); err == nil && g.Type == models.ActorGroup {
			uris = append(uris, u)
			if g.Local() {
				groups = append(groups, g)
			}
		}
	}
	if len(groups) == 0 {
		if ids, err := e.d.Store.LocalFollowerIDs(ctx, author.ID); err != nil || len(ids) == 0 {
			return nil, nil // nobody here asked for it: the note alone
		}
	}
	now := e.d.Now()
	title := strings.TrimSpace(in.Title)
	if r := []rune(title); len(r) > 300 {
		title = string(r[:300])
	}
	if title == "" {
		title = KindName(in.Kind)
	}
	forWhom := strings.TrimSpace(in.ForWhom)
	if r := []rune(forWhom); len(r) > maxForWhom {
		forWhom = string(r[:maxForWhom])
	}
	a := &models.Announcement{ID: models.NewID(), URI: in.URI, URL: content.SafeURL(in.URL), NoteID: n.ID, AuthorID: author.ID,
		Kind: in.Kind, Purpose: AnnouncementPurpose(in.Kind), Title: title, BodyHTML: content.Sanitize(in.BodyHTML),
		ForWhom: forWhom, PayNote: in.PayNote, Link: content.SafeURL(in.Link), Communities: uris,
		State: models.AnnouncementOpen, CreatedAt: now}
	if a.URL == "" {
		a.URL = a.URI
	}
	if in.Price != nil {
		a.PriceMinor, a.Currency = in.Price.Minor, in.Price.Currency
	}
	if !in.At.IsZero() {
		at := in.At.UTC()
		a.At = &at
	}
	err = e.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateAnnouncement(ctx, a); err != nil {
			return err
		}
		for _, g := range groups {
			if err := e.relayOrHold(ctx, tx, g, author, a, n); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, store.ErrExists) {
		return e.d.Store.AnnouncementByURI(ctx, in.URI)
	}
	if err != nil {
		return nil, asDomain(err)
	}
	return a, nil
}
