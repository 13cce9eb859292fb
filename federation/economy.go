package federation

import (
	"context"
	"net/http"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/federation/convert"
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

// The economy's documents (issue 12): an appeal's Note at its id, the money
// ledgers as OrderedCollections of economic events (per organization or
// community at /users/{name}/funds, per appeal at /appeals/{id}/ledger) and
// each entry at /ledger/{id}.

// orgExtras adds an Organization's economy terms to its actor document.
func (f *Federation) orgExtras(ctx context.Context, a *models.Actor, o *vocab.Object) {
	if a.Type != models.ActorOrganization {
		return
	}
	if org, err := f.svc.Economy.OrganizationOf(ctx, a); err == nil {
		convert.OrganizationExtras(f.svc.URLs(), a, org, o)
	}
}

// appeal serves a local appeal's Note with its current totals.
func (f *Federation) appeal(c echo.Context) error {
	ctx := c.Request().Context()
	a, err := f.svc.Economy.Appeal(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	if !a.Local {
		return errs.NotFound("appeal not found")
	}
	obj, err := f.svc.Economy.Object(ctx, a)
	if err != nil {
		return err
	}
	return writeAP(c, http.StatusOK, convert.Appeal(f.svc.URLs(), obj))
}

// appealLedger is a local appeal's ledger.
func (f *Federation) appealLedger(c echo.Context) error {
	ctx := c.Request().Context()
	a, err := f.svc.Economy.Appeal(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	if !a.Local {
		return errs.NotFound("appeal not found")
	}
	return f.ledgerCollection(c, a.LedgerURI, service.LedgerScope{AppealID: a.ID})
}

// funds is a local organization's or community's money ledger.
func (f *Federation) funds(c echo.Context) error {
	ctx := c.Request().Context()
	act, err := f.svc.Actors.LocalByHandle(ctx, c.Param("name"))
	if err != nil {
		return err
	}
	if act.Type != models.ActorOrganization && act.Type != models.ActorGroup {
		return errs.NotFound("no ledger here")
	}
	return f.ledgerCollection(c, f.svc.URLs().Funds(act.Username), service.LedgerScope{LedgerID: act.ID})
}

func (f *Federation) ledgerCollection(c echo.Context, id string, sc service.LedgerScope) error {
	ctx := c.Request().Context()
	_, total, err := f.svc.Economy.Entries(ctx, sc, 1, 0)
	if err != nil {
		return err
	}
	return collection(c, id, total, false, func(limit, offset int) ([]*vocab.Object, error) {
		list, _, err := f.svc.Economy.Entries(ctx, sc, limit, offset)
		if err != nil {
			return nil, err
		}
		return f.entryDocs(ctx, list)
	})
}

func (f *Federation) entryDocs(ctx context.Context, list []models.EconomicEvent) ([]*vocab.Object, error) {
	ids := make([]string, 0, 2*len(list))
	for _, e := range list {
		ids = append(ids, e.ProviderID, e.ReceiverID)
	}
	actors, err := f.svc.Store.ActorsByIDs(ctx, ids)
	if err != nil {
		return nil, errs.Internal(err)
	}
	out := make([]*vocab.Object, len(list))
	for i := range list {
		out[i] = convert.EconomicEvent(f.svc.URLs(), &list[i], actors[list[i].ProviderID], actors[list[i].ReceiverID])
	}
	return out, nil
}

// ledgerEntry serves one ledger entry.
func (f *Federation) ledgerEntry(c echo.Context) error {
	ctx := c.Request().Context()
	e, err := f.svc.Economy.Entry(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	docs, err := f.entryDocs(ctx, []models.EconomicEvent{*e})
	if err != nil {
		return err
	}
	return writeAP(c, http.StatusOK, docs[0])
}
