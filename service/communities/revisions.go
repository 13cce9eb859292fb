package communities

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/commonsd/commonsd/content"
	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// Revisions of an offer, as a pull request has them: after "changes
// requested" (or any time before the decision, or after a rejection, which
// reopens it) the contributor sends a new revision of the text, links and
// files. The contribution row holds the newest revision, contribution_revisions
// every one (the first is written when the second is made), review comments
// name the revision they were written on, and maintainers review again: a
// revision puts the contribution back to "open". A revision is the contributor's
// alone; an accepted or withdrawn contribution is never revised.
//
// Federation: a revision made here of an offer to a community on another
// server goes there as Update{contribution} (the object, whole, with
// `updated`); that server's inbox calls Revise with the remote revision. A
// withdrawal goes as Undo{Offer}.

// revisable are the states a contributor may revise from.
var revisable = []string{models.ContributionOpen, models.ContributionChangesRequested, models.ContributionRejected}

// RevisionInput is a new revision: the whole text and links (what is not
// sent is emptied), files added, and the URLs of files to drop.
type RevisionInput struct {
	Title, Body string
	Links       []string
	Files       []Upload
	RemoveFiles []string
}

// RemoteRevision is a revision that arrived from the contributor's server: the
// Update activity's id, the object's HTML and its Documents (kept as URLs).
type RemoteRevision struct {
	ActivityURI string
	BodyHTML    string
	Attachments []models.Attachment
}

// Revise makes a new revision of contribution contributionID by its
// contributor by. remote is set when the revision arrived from another server
// (by is then the signer, and must be the contributor).
func (c *Communities) Revise(ctx context.Context, by *models.Actor, contributionID string, in RevisionInput, remote *RemoteRevision) (*models.Contribution, error) {
	if by == nil {
		return nil, errs.Unauthorized("log in to revise a contribution")
	}
	co, group, err := c.Contribution(ctx, contributionID)
	if err != nil {
		return nil, err
	}
	if co.ContributorID != by.ID {
		return nil, errs.Forbidden("only the contributor revises a contribution")
	}
	if remote != nil {
		if !group.Local() || by.Local() {
			return nil, errs.Forbidden("a remote revision is for an offer to a community of this instance")
		}
		if _, err := c.d.Store.ContributionRevisionByURI(ctx, remote.ActivityURI); err == nil {
			return co, nil // a re-delivered Update
		}
		in.Links = content.SafeURLs(in.Links)
	} else if !by.Local() {
		return nil, errs.Forbidden("not an actor of this instance")
	}
	ci := ContributionInput{Title: in.Title, Body: in.Body, Kind: co.Kind, Links: in.Links}
	if err := ci.validate(); err != nil {
		return nil, err
	}
	if !slices.Contains(revisable, co.State) {
		return nil, errs.Conflict("a %s contribution cannot be revised", co.State)
	}
	rev := &models.ContributionRevision{ID: models.NewID(), ContributionID: co.ID, Number: co.Revision + 1,
		Title: ci.Title, Body: ci.Body, BodyHTML: content.Markdown(ci.Body), Links: ci.Links, AuthorID: by.ID}
	var media []*models.Media
	var atts []models.Attachment
	if remote != nil {
		rev.URI = remote.ActivityURI
		if remote.BodyHTML != "" && strings.TrimSpace(ci.Body) == "" {
			rev.BodyHTML = content.Sanitize(remote.BodyHTML)
		}
		atts = remoteAttachments(remote.Attachments)
	} else {
		for _, a := range Attachments(co) {
			if !slices.Contains(in.RemoveFiles, a.URL) {
				atts = append(atts, a)
			}
		}
		if media, err = c.checkUploads(by, in.Files, len(atts)); err != nil {
			return nil, err
		}
	}
	now := c.d.Now()
	before := *co
	err = c.d.Store.Tx(ctx, func(tx *store.Store) error {
		if len(media) > 0 {
			added, err := c.storeUploads(ctx, tx, co, media)
			if err != nil {
				return err
			}
			atts = append(atts, added...)
		}
		if len(atts) > 0 {
			rev.Attachments = mustJSON(atts)
		}
		return c.applyRevision(ctx, tx, group, by, &before, rev, now)
	})
	if err != nil {
		return nil, errs.Internal(err)
	}
	return c.d.Store.ContributionByID(ctx, co.ID)
}

// applyRevision records rev as the new current revision of co (read before
// the transaction) in one conditional update — still revisable and still at
// the revision co has — and sends it on: to the community's server when the
// community is elsewhere.
func (c *Communities) applyRevision(ctx context.Context, tx *store.Store, group, by *models.Actor, co *models.Contribution, rev *models.ContributionRevision, now time.Time) error {
	err := tx.ReviseContribution(ctx, co.ID, revisable, rev, now)
	if core.LostRace(err) {
		return errs.Conflict("this contribution was decided or revised in the meantime; reload it")
	}
	if err != nil {
		return err
	}
	if co.Revision == 1 {
		// The offer as first made becomes revision 1.
		first := &models.ContributionRevision{ID: models.NewID(), ContributionID: co.ID, Number: 1, Title: co.Title,
			Body: co.Body, BodyHTML: co.BodyHTML, Links: co.Links, Attachments: co.Attachments,
			AuthorID: co.ContributorID, CreatedAt: co.CreatedAt}
		if err := tx.AddContributionRevision(ctx, first); err != nil {
			return err
		}
	}
	rev.CreatedAt = now
	if err := tx.AddContributionRevision(ctx, rev); err != nil {
		if errors.Is(err, store.ErrExists) {
			return errs.Conflict("this contribution was revised in the meantime; reload it")
		}
		return err
	}
	if group.Local() || !by.Local() {
		return nil
	}
	fresh, err := tx.ContributionByID(ctx, co.ID)
	if err != nil {
		return err
	}
	return c.d.Pub.Publish(ctx, tx, &core.Outbound{ID: c.d.URLs.Activity(models.NewID()), Type: core.TypeUpdate,
		Actor: by, Object: core.ContributionObject{Contribution: fresh, Group: group}, Published: now,
		To: []string{group.URI}, Recipients: []*models.Actor{group}})
}

// Withdraw takes an undecided offer back (state withdrawn): the contributor
// here, or the contributor's server by Undo{Offer} (remote set). An offer to a
// community on another server is withdrawn there by Undo{Offer}. A withdrawn
// offer is kept, with its revisions and comments, and is not decided any more.
func (c *Communities) Withdraw(ctx context.Context, by *models.Actor, contributionID string, remote bool) (*models.Contribution, error) {
	if by == nil {
		return nil, errs.Unauthorized("log in to withdraw a contribution")
	}
	co, group, err := c.Contribution(ctx, contributionID)
	if err != nil {
		return nil, err
	}
	if co.ContributorID != by.ID || by.Local() == remote {
		return nil, errs.Forbidden("only the contributor withdraws a contribution")
	}
	if remote && !group.Local() {
		return nil, errs.Forbidden("a remote withdrawal is for an offer to a community of this instance")
	}
	if co.State == models.ContributionWithdrawn {
		return co, nil
	}
	undecided := []string{models.ContributionOpen, models.ContributionChangesRequested}
	err = c.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.TransitionContribution(ctx, co.ID, undecided, models.ContributionWithdrawn, nil); err != nil {
			if core.LostRace(err) {
				return errs.Conflict("this contribution was decided in the meantime")
			}
			return err
		}
		co.State = models.ContributionWithdrawn
		if group.Local() || remote {
			return nil
		}
		offer := &core.Outbound{ID: co.OfferURI, Type: core.TypeOffer, Actor: by,
			Object: core.ContributionObject{Contribution: co, Group: group}, Target: group.URI, To: []string{group.URI}}
		return c.d.Pub.Publish(ctx, tx, &core.Outbound{ID: c.d.URLs.Activity(models.NewID()), Type: core.TypeUndo,
			Actor: by, Object: offer, To: []string{group.URI}, Recipients: []*models.Actor{group}})
	})
	if err != nil {
		return nil, errs.Internal(err)
	}
	return co, nil
}

// ReceiveWithdrawal is a remote contributor's Undo{Offer} of an offer to one
// of our communities.
func (c *Communities) ReceiveWithdrawal(ctx context.Context, by *models.Actor, offerURI string) error {
	co, err := c.d.Store.ContributionByOfferURI(ctx, offerURI)
	if err != nil {
		return errs.NotFound("no such offer")
	}
	_, err = c.Withdraw(ctx, by, co.ID, true)
	return err
}

// ContributionByURI finds a contribution by its object id (nil when unknown).
func (c *Communities) ContributionByURI(ctx context.Context, uri string) *models.Contribution {
	co, err := c.d.Store.ContributionByURI(ctx, uri)
	if err != nil {
		return nil
	}
	return co
}

// Revisions lists a contribution's revisions, oldest first. Before the first
// revision it is the offer alone, as revision 1.
func (c *Communities) Revisions(ctx context.Context, co *models.Contribution) ([]models.ContributionRevision, error) {
	out, err := c.d.Store.ContributionRevisions(ctx, co.ID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	if len(out) == 0 {
		out = []models.ContributionRevision{{ContributionID: co.ID, Number: 1, Title: co.Title, Body: co.Body,
			BodyHTML: co.BodyHTML, Links: co.Links, Attachments: co.Attachments, AuthorID: co.ContributorID,
			CreatedAt: co.CreatedAt}}
	}
	return out, nil
}
