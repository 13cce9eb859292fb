package economy

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/commonsd/commonsd/content"
	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// RemoteAppeal is an appeal received from another server, as
// convert.InboundAppeal reads it (amounts already checked strictly).
type RemoteAppeal struct {
	URI, URL, Title, PurposeHTML string
	Goal, Raised, Pledged        models.Money
	PledgeCount                  int64
	EndsAt                       time.Time
	State                        string
	Beneficiaries                []string
	Hashtag                      string
	LedgerURI                    string
}

// ReceiveAppeal stores or refreshes an appeal published by a remote
// foundation or community (Create or Update{Note} with commonsType
// FundingAppeal). It is kept when someone here follows the author or a
// beneficiary is local (otherwise nothing is kept: nil, nil); only its author may update it, and its goal and
// currency change only while nothing is pledged.
func (e *Economy) ReceiveAppeal(ctx context.Context, author *models.Actor, in RemoteAppeal) (*models.FundingAppeal, error) {
	if author == nil || author.Local() {
		return nil, errs.BadRequest("not a remote author")
	}
	old, err := e.d.Store.AppealByURI(ctx, in.URI)
	if err == nil && old.AuthorID != author.ID {
		return nil, errs.Forbidden("only an appeal's author may update it")
	}
	if author.Type != models.ActorOrganization && author.Type != models.ActorGroup {
		return nil, errs.Forbidden("only organizations and communities publish appeals")
	}
	if !validState(in.State) {
		return nil, errs.BadRequest("unknown appealStatus %q", in.State)
	}
	if in.Goal.Currency != in.Raised.Currency || in.Goal.Currency != in.Pledged.Currency {
		return nil, errs.BadRequest("an appeal's amounts are in one currency")
	}
	if in.PledgeCount < 0 || in.Raised.Minor < 0 || in.Pledged.Minor < 0 {
		return nil, errs.BadRequest("negative totals")
	}
	if len([]rune(in.Title)) > 300 {
		in.Title = string([]rune(in.Title)[:300])
	}
	if strings.TrimSpace(in.Title) == "" {
		in.Title = "Funding appeal"
	}
	now := e.d.Now()
	if err == nil {
		if old.Local {
			return nil, errs.Forbidden("that appeal is ours")
		}
		// The goal and its currency change only while nothing is pledged, as
		// the author's EditAppeal allows: not once a pledge was published or
		// one of ours was sent.
		goalChanged := old.Currency != in.Goal.Currency || old.GoalMinor != in.Goal.Minor
		if goalChanged && (old.RemotePledgeCount > 0 || in.PledgeCount > 0 || in.Pledged.Minor > 0 || e.pledgedFromHere(ctx, old.ID)) {
			return nil, errs.BadRequest("an appeal's goal does not change once someone pledged")
		}
		set := map[string]any{"remote_raised": in.Raised.Minor,
			"remote_pledged": in.Pledged.Minor, "remote_pledge_count": in.PledgeCount, "state": in.State,
			"title": in.Title, "purpose_html": content.Sanitize(in.PurposeHTML), "ends_at": in.EndsAt.UTC(), "updated_at": now}
		if goalChanged {
			set["goal_minor"], set["currency"] = in.Goal.Minor, in.Goal.Currency
		}
		err := e.d.Store.Tx(ctx, func(tx *store.Store) error {
			return tx.SetRemoteAppealProgress(ctx, old.ID, set)
		})
		if err != nil {
			return nil, errs.Internal(err)
		}
		return e.d.Store.AppealByID(ctx, old.ID)
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, errs.Internal(err)
	}
	if !e.wanted(ctx, author, in.Beneficiaries) {
		return nil, nil // nobody here asked for it: not kept, not an error
	}
	a := &models.FundingAppeal{ID: models.NewID(), URI: in.URI, URL: content.SafeURL(in.URL), AuthorID: author.ID, Title: in.Title,
		PurposeHTML: content.Sanitize(in.PurposeHTML), Currency: in.Goal.Currency, GoalMinor: in.Goal.Minor,
		EndsAt: in.EndsAt.UTC(), State: in.State, Beneficiaries: in.Beneficiaries, Hashtag: in.Hashtag,
		LedgerURI: content.SafeURL(in.LedgerURI), RemoteRaised: in.Raised.Minor, RemotePledged: in.Pledged.Minor,
		RemotePledgeCount: in.PledgeCount, CreatedAt: now, UpdatedAt: now}
	if a.URL == "" {
		a.URL = a.URI
	}
	if err := e.d.Store.CreateAppeal(ctx, a); err != nil {
		if errors.Is(err, store.ErrExists) {
			return e.d.Store.AppealByURI(ctx, in.URI)
		}
		return nil, errs.Internal(err)
	}
	return a, nil
}

// pledgedFromHere reports whether one of our users pledged to the remote
// appeal (pending or accepted).
func (e *Economy) pledgedFromHere(ctx context.Context, appealID string) bool {
	list, err := e.d.Store.ListPledges(ctx, appealID, []string{models.PledgePending, models.PledgeAccepted}, 1, 0)
	return err != nil || len(list) > 0
}

// wanted: someone here follows the author, or a beneficiary is one of ours.
func (e *Economy) wanted(ctx context.Context, author *models.Actor, beneficiaries []string) bool {
	if ids, err := e.d.Store.LocalFollowerIDs(ctx, author.ID); err == nil && len(ids) > 0 {
		return true
	}
	for _, b := range beneficiaries {
		if a, err := e.d.Store.ActorByURI(ctx, b); err == nil && a.Local() {
			return true
		}
	}
	return false
}

// RemotePledge is an Offer{Agreement} as convert.InboundPledge reads it.
type RemotePledge struct {
	OfferURI  string
	Satisfies string // the intent the Commitment satisfies: {appeal URI}#primary
	Provider  string // the Commitment's provider
	Amount    any    // resourceQuantity, read strictly by models.MoneyFromQuantity
	Monthly   bool
	Message   string
}

// ReceivePledge takes a remote actor's pledge to one of our appeals (FEP-0837
// Offer{Agreement}) and answers with Accept, or Reject with the reason. A
// duplicate Offer id, an Offer whose provider is not its actor or one for an
// appeal not ours changes nothing and is answered with nothing.
func (e *Economy) ReceivePledge(ctx context.Context, pledger *models.Actor, in RemotePledge) (*models.Pledge, error) {
	if pledger == nil || pledger.Local() {
		return nil, errs.BadRequest("not a remote pledger")
	}
	if in.Provider != "" && in.Provider != pledger.URI {
		return nil, errs.Forbidden("the Commitment's provider is not the Offer's actor")
	}
	appealURI, ok := strings.CutSuffix(in.Satisfies, "#primary")
	if !ok {
		return nil, errs.BadRequest("the Commitment satisfies no appeal's primary intent")
	}
	a, err := e.d.Store.AppealByURI(ctx, appealURI)
	if err != nil || !a.Local {
		return nil, errs.NotFound("no appeal of ours at %s", appealURI)
	}
	if _, err := e.d.Store.PledgeByURI(ctx, in.OfferURI); err == nil {
		return nil, errs.Conflict("this Offer was received already")
	}
	author, err := e.d.Store.ActorByID(ctx, a.AuthorID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	p := &models.Pledge{ID: models.NewID(), URI: in.OfferURI, AppealID: a.ID, PledgerID: pledger.ID, Monthly: in.Monthly,
		Message: strings.TrimSpace(content.Text(in.Message)), State: models.PledgeAccepted}
	m, err := models.MoneyFromQuantity(in.Amount)
	if err == nil {
		m, err = e.checkPledge(a, m.Decimal(), m.Currency, p.Message)
	} else {
		err = errs.Unprocessable("%s", err.Error())
	}
	if err == nil {
		p.AmountMinor, p.Currency = m.Minor, m.Currency
		err = e.acceptPledge(ctx, a, p, func(tx *store.Store) error {
			return e.answerPledge(ctx, tx, core.TypeAccept, author, pledger, a, p, "")
		})
	}
	if err != nil && errs.Status(err) == 422 {
		// refused for what it says: tell the pledger why (nothing is stored)
		p.State, p.Currency = models.PledgeRejected, a.Currency
		_ = e.d.Store.Tx(ctx, func(tx *store.Store) error {
			return e.answerPledge(ctx, tx, core.TypeReject, author, pledger, a, p, errs.Message(err))
		})
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

func (e *Economy) answerPledge(ctx context.Context, tx *store.Store, verb string, author, pledger *models.Actor, a *models.FundingAppeal, p *models.Pledge, reason string) error {
	return e.d.Pub.Publish(ctx, tx, &core.Outbound{ID: e.d.URLs.Activity(models.NewID()), Type: verb, Actor: author,
		Object:  core.PledgeOfferObject{Pledge: p, Pledger: pledger, AppealURI: a.URI, Author: author},
		Content: reason, To: []string{pledger.URI}, Recipients: []*models.Actor{pledger}})
}

// pledgeRemote sends a local actor's pledge to a remote appeal's author as
// Offer{Agreement}; it stays pending until the author answers.
func (e *Economy) pledgeRemote(ctx context.Context, pledger *models.Actor, a *models.FundingAppeal, in PledgeInput) (*models.Pledge, error) {
	m, err := e.checkPledge(a, in.Amount, in.Currency, in.Message)
	if err != nil {
		return nil, err
	}
	author, err := e.d.Store.ActorByID(ctx, a.AuthorID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	now := e.d.Now()
	id := models.NewID()
	p := &models.Pledge{ID: id, URI: e.d.URLs.Pledge(id), AppealID: a.ID, PledgerID: pledger.ID, AmountMinor: m.Minor,
		Currency: m.Currency, Monthly: in.Monthly, Anonymous: in.Anonymous, Message: strings.TrimSpace(in.Message),
		State: models.PledgePending, CreatedAt: now, UpdatedAt: now}
	err = e.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreatePledge(ctx, p); err != nil {
			return err
		}
		return e.d.Pub.Publish(ctx, tx, &core.Outbound{ID: p.URI, Type: core.TypeOffer, Actor: pledger,
			Object: core.AgreementObject{PledgeOfferObject: core.PledgeOfferObject{Pledge: p, Pledger: pledger, AppealURI: a.URI, Author: author}},
			To:     []string{author.URI}, Recipients: []*models.Actor{author}})
	})
	if err != nil {
		return nil, errs.Internal(err)
	}
	return p, nil
}

// ReceivePledgeAnswer records the remote appeal author's Accept or Reject of a
// pledge we sent; only that author may answer, once.
func (e *Economy) ReceivePledgeAnswer(ctx context.Context, from *models.Actor, offerURI string, accepted bool, reason string) error {
	p, err := e.d.Store.PledgeByURI(ctx, offerURI)
	if err != nil {
		return errs.NotFound("no pledge of ours at %s", offerURI)
	}
	a, err := e.d.Store.AppealByID(ctx, p.AppealID)
	if err != nil {
		return errs.Internal(err)
	}
	if a.Local || from == nil || a.AuthorID != from.ID {
		return errs.Forbidden("only the appeal's author answers a pledge")
	}
	to, set := models.PledgeAccepted, map[string]any{"updated_at": e.d.Now()}
	if !accepted {
		to, set["reason"] = models.PledgeRejected, content.Text(reason)
	}
	err = e.d.Store.Tx(ctx, func(tx *store.Store) error {
		return tx.Transition(ctx, &models.Pledge{}, p.ID, []string{models.PledgePending}, to, set)
	})
	if core.LostRace(err) {
		return errs.Conflict("this pledge was answered already")
	} else if err != nil {
		return errs.Internal(err)
	}
	return nil
}
