package communities

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// Co-contributor credit. An offer may name co-contributors (a local offer's
// co_contributors, a remote Offer's attributedTo after the offering actor), but
// naming someone is a claim about them: in the community that keeps the ledger
// (a local one) they are stored as pending, shown as "awaiting confirmation", and
// get no ledger credit until they confirm. A local co-contributor confirms on the
// contribution's page or with the API; one on another server by a message to the
// community containing CreditCode (see ConfirmByMessage). Confirming after the
// contribution was accepted adds their ledger entry then. Only the offering
// actor is credited without a confirmation: the Offer is their own act.

// maxCoContributors bounds how many co-contributors one offer may name.
const maxCoContributors = 20

// CreditCode is the code a named co-contributor sends to confirm co's credit.
// Like JoinCode it need not be secret: the signed message proves who sends it.
func CreditCode(co *models.Contribution) string { return "credit-" + strings.ToLower(co.ID) }

// PendingContributors lists the actor URIs named by co's offer who have not
// confirmed yet.
func PendingContributors(co *models.Contribution) []string {
	var l []string
	_ = json.Unmarshal([]byte(co.PendingContributors), &l) // "" (none) reads as empty
	return l
}

// splitCredit returns the confirmed contributors (the offering actor) and the
// pending ones (everyone else named, deduplicated) of an offer to a local
// community.
func splitCredit(offering string, named []string) (confirmed, pending []string, err error) {
	seen := map[string]bool{offering: true}
	for _, u := range named {
		if u == "" || seen[u] {
			continue
		}
		seen[u] = true
		pending = append(pending, u)
	}
	if len(pending) > maxCoContributors {
		return nil, nil, errs.Unprocessable("at most %d co-contributors", maxCoContributors)
	}
	return []string{offering}, pending, nil
}

// ConfirmCredit is a local co-contributor confirming that they co-authored a
// contribution offered to a local community (web or API).
func (c *Communities) ConfirmCredit(ctx context.Context, by *models.Actor, contributionID string) (*models.Contribution, error) {
	co, group, err := c.Contribution(ctx, contributionID)
	if err != nil {
		return nil, err
	}
	if !group.Local() {
		return nil, errs.Forbidden("a remote community keeps its own ledger: confirm there")
	}
	return c.confirmCreditOf(ctx, group, co, by)
}

// confirmCredit is a remote co-contributor's confirming message for the
// contribution id (a ULID, lower-cased like our ids) in group.
func (c *Communities) confirmCredit(ctx context.Context, group, author *models.Actor, id string) error {
	co, err := c.d.Store.ContributionByID(ctx, strings.ToLower(id))
	if err != nil || co.CommunityID != group.ID {
		return nil
	}
	_, err = c.confirmCreditOf(ctx, group, co, author)
	if s := errs.Status(err); s == 403 || s == 409 {
		return nil // not named, or already confirmed: nothing to do
	}
	return err
}

// confirmCreditOf moves a from co's pending co-contributors to its
// contributors, with a ledger entry if co is already accepted. The change is
// conditional on the pending list read, and retried once if another
// confirmation changed it meanwhile.
func (c *Communities) confirmCreditOf(ctx context.Context, group *models.Actor, co *models.Contribution, a *models.Actor) (*models.Contribution, error) {
	for attempt := 0; ; attempt++ {
		pending := PendingContributors(co)
		idx := -1
		for i, u := range pending {
			if u == a.URI {
				idx = i
			}
		}
		if idx < 0 {
			for _, u := range co.Contributors {
				if u == a.URI {
					return nil, errs.Conflict("you are already credited for this contribution")
				}
			}
			return nil, errs.Forbidden("this contribution does not name you as a co-contributor")
		}
		rest := append(append([]string{}, pending[:idx]...), pending[idx+1:]...)
		newPending := ""
		if len(rest) > 0 {
			newPending = mustJSON(rest)
		}
		contributors := append(co.Contributors, a.URI)
		var entries []models.LedgerEntry
		if co.State == models.ContributionAccepted {
			com, err := c.ByActor(ctx, group)
			if err != nil {
				return nil, err
			}
			weight := com.WeightMin
			if weight < 1 && com.WeightMax >= 1 {
				weight = 1
			}
			entries = []models.LedgerEntry{{ID: models.NewID(), CommunityID: group.ID, ContributionID: co.ID,
				ContributorID: a.ID, Kind: co.Kind, Weight: weight, SetByID: co.DecidedByID, RecordedAt: c.d.Now()}}
		}
		changed, err := c.d.Store.SetContributors(ctx, co.ID, co.State, co.PendingContributors, contributors, newPending, entries)
		if err != nil {
			return nil, errs.Internal(err)
		}
		fresh, ferr := c.d.Store.ContributionByID(ctx, co.ID)
		if ferr != nil {
			if errors.Is(ferr, store.ErrNotFound) {
				return nil, errs.NotFound("no such contribution")
			}
			return nil, errs.Internal(ferr)
		}
		if changed {
			c.d.Log.Info("co-contributor confirmed", "contribution", co.ID, "actor", a.URI)
			return fresh, nil
		}
		if attempt == 1 {
			return nil, errs.Conflict("the contribution changed meanwhile; try again")
		}
		co = fresh
	}
}
