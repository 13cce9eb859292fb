package economy

import (
	"context"
	"errors"
	"time"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// Editing an appeal (issue 12): its author's admins (stewards) change the
// title, the purpose, the payment links and the tiers, and may extend the
// deadline (never shorten it: pledgers counted on it); the goal and its
// currency only while nothing is pledged (a pledge is a promise against that
// goal, in that currency). A closed or cancelled appeal is not edited. The
// change goes to followers and beneficiaries as Update{Note}, the same
// document the progress Updates carry; the pending close job re-schedules
// itself at the new deadline (RunCloseJob). A remote appeal is changed only
// by its author's Update (ReceiveAppeal).

// AppealEdit is the new state of an appeal's editable fields; an empty Goal
// keeps the goal, a zero EndsAt the deadline.
type AppealEdit struct {
	Title, Purpose string
	Goal, Currency string
	EndsAt         time.Time
	PaymentLinks   []models.Field
	Tiers          []TierInput
}

// EditAppeal applies ed to a local open or funded appeal; see above.
func (e *Economy) EditAppeal(ctx context.Context, by *models.User, id string, ed AppealEdit) (*models.FundingAppeal, error) {
	a, err := e.Appeal(ctx, id)
	if err != nil {
		return nil, err
	}
	if !a.Local {
		return nil, errs.Forbidden("only its author's server edits an appeal")
	}
	author, err := e.d.Store.ActorByID(ctx, a.AuthorID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	if _, _, err := e.owner(ctx, by, author.Username); err != nil {
		return nil, err
	}
	if a.State != models.AppealOpen && a.State != models.AppealFunded {
		return nil, errs.Conflict("a %s appeal is not edited", a.State)
	}
	now := e.d.Now()
	goal, currency := ed.Goal, ed.Currency
	if goal == "" {
		goal, currency = models.Money{Minor: a.GoalMinor, Currency: a.Currency}.Decimal(), a.Currency
	}
	endsAt := a.EndsAt
	if !ed.EndsAt.IsZero() {
		if ed.EndsAt.Before(a.EndsAt) {
			return nil, errs.Unprocessable("the deadline can be extended, not brought forward")
		}
		if ed.EndsAt.After(now.AddDate(1, 0, 0)) {
			return nil, errs.Unprocessable("the deadline must be within one year from now")
		}
		endsAt = ed.EndsAt
	}
	// the shared checks of an appeal (title, purpose, goal, links, tiers),
	// with a deadline buildAppeal accepts: the real one was checked above
	built, _, err := e.buildAppeal(ctx, AppealInput{Title: ed.Title, Purpose: ed.Purpose, Goal: goal, Currency: currency,
		EndsAt: now.Add(48 * time.Hour), PaymentLinks: ed.PaymentLinks, Tiers: ed.Tiers, Hashtag: a.Hashtag}, now)
	if err != nil {
		return nil, err
	}
	set := map[string]any{"title": built.Title, "purpose": built.Purpose, "purpose_html": built.PurposeHTML,
		"payment_links": built.PaymentLinks, "tiers": built.Tiers, "ends_at": endsAt.UTC(), "updated_at": now}
	goalChanged := built.GoalMinor != a.GoalMinor || built.Currency != a.Currency
	if goalChanged {
		set["goal_minor"], set["currency"] = built.GoalMinor, built.Currency
	}
	err = e.d.Store.Tx(ctx, func(tx *store.Store) error {
		// take the appeal's row first, as pledges do: none slips in between
		// the check that nothing is pledged and the new goal
		if err := tx.HoldAppeal(ctx, a.ID, []string{models.AppealOpen, models.AppealFunded}, time.Time{}, now); err != nil {
			return err
		}
		if goalChanged {
			tot, err := tx.LedgerTotals(ctx, store.LedgerScope{AppealID: a.ID})
			if err != nil {
				return err
			}
			if len(tot) > 0 {
				return errs.Conflict("the goal and its currency are fixed once someone has pledged")
			}
		}
		if err := tx.EditAppeal(ctx, a.ID, set); err != nil {
			return err
		}
		fresh, err := tx.AppealByID(ctx, a.ID)
		if err != nil {
			return err
		}
		return e.publishAppeal(ctx, tx, core.TypeUpdate, author, fresh, nil, now)
	})
	switch {
	case errors.Is(err, store.ErrConflict):
		return nil, errs.Conflict("the appeal was closed meanwhile")
	case err != nil && errs.Status(err) == 0:
		return nil, errs.Internal(err)
	case err != nil:
		return nil, err
	}
	return e.d.Store.AppealByID(ctx, a.ID)
}
