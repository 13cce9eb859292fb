package economy

import (
	"context"
	"errors"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// relayAppeal makes each local beneficiary community that recognises the
// appeal's author (an active partnership with the organization) Announce the
// appeal to its followers, and later its author's progress Updates, as it
// relays its own posts and their edits (FEP-1b12). A Mastodon user who
// follows only the community thus sees the foundation's appeal boosted, and
// its progress. A beneficiary that does not recognise the author relays
// nothing: being named a beneficiary is the author's claim, not the
// community's word. Create announces the Note itself (n, when stored here,
// also reaches the community's local followers' home timelines); Update
// announces the received or published activity (activity), which the
// followers' servers re-fetch from its origin.
func (e *Economy) relayAppeal(ctx context.Context, tx *store.Store, author *models.Actor, appealURI string, beneficiaries []string, n *models.Note, activity func() (string, error), update bool) error {
	if author.Type != models.ActorOrganization {
		return nil
	}
	var groups []*models.Actor
	for _, uri := range beneficiaries {
		g, err := tx.ActorByURI(ctx, uri)
		if errors.Is(err, store.ErrNotFound) {
			continue
		} else if err != nil {
			return err
		}
		if !g.Local() || g.Type != models.ActorGroup {
			continue
		}
		p, err := tx.OpenPartnership(ctx, g.ID, author.ID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		} else if err != nil {
			return err
		}
		if p.State == models.PartnershipActive {
			groups = append(groups, g)
		}
	}
	if len(groups) == 0 {
		return nil
	}
	var raw string
	if update {
		var err error
		if raw, err = activity(); err != nil || raw == "" {
			return err
		}
	}
	for _, g := range groups {
		var err error
		switch {
		case update:
			err = e.d.Communities.AnnounceActivity(ctx, tx, g, raw)
		case n != nil:
			err = e.d.Communities.RelayNote(ctx, tx, g, n)
		default:
			err = e.d.Communities.AnnounceObject(ctx, tx, g, appealURI)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// RelayRemoteAppeal is relayAppeal for a remote author's appeal once its note
// is stored (n) and the appeal kept (a, from ReceiveAppeal: nil when nobody
// here wanted it). activity is the Create or Update as received.
func (e *Economy) RelayRemoteAppeal(ctx context.Context, author *models.Actor, a *models.FundingAppeal, n *models.Note, activity string, update bool) error {
	if a == nil || a.AuthorID != author.ID || a.Local {
		return nil
	}
	err := e.d.Store.Tx(ctx, func(tx *store.Store) error {
		return e.relayAppeal(ctx, tx, author, a.URI, a.Beneficiaries, n, func() (string, error) { return activity, nil }, update)
	})
	if err != nil {
		return errs.Internal(err)
	}
	return nil
}
