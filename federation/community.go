package federation

import (
	"context"
	"net/http"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/federation/convert"
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
	"github.com/labstack/echo/v4"
)

// groupExtras adds a local community's terms to its Group actor document.
func (f *Federation) groupExtras(ctx context.Context, a *models.Actor, o *vocab.Object) {
	if a.Type != models.ActorGroup {
		return
	}
	com, err := f.svc.Store.CommunityByActorID(ctx, a.ID)
	if err != nil {
		convert.GroupExtras(a, nil, 0, o)
		return
	}
	n, _ := f.svc.Store.CountMembers(ctx, a.ID, nil)
	convert.GroupExtras(a, com, n, o)
}

func (f *Federation) contributorURIs(co *models.Contribution) []string {
	l := convert.Contributors(co)
	if len(l) == 0 {
		if a, err := f.svc.Store.ActorByID(context.Background(), co.ContributorID); err == nil {
			l = []string{a.URI}
		}
	}
	return l
}

// contribution serves a contribution offered from this instance (or one in a
// local commons) at its id.
func (f *Federation) contribution(c echo.Context) error {
	ctx := c.Request().Context()
	co, group, err := f.svc.Communities.Contribution(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	if co.URI != f.svc.URLs().Contribution(co.ID) {
		return errs.NotFound("contribution not found")
	}
	return writeAP(c, http.StatusOK, convert.Contribution(co, group, f.contributorURIs(co)))
}

// localGroup loads the community named in the route.
func (f *Federation) localGroup(c echo.Context) (*models.Actor, *models.Community, error) {
	return f.svc.Communities.Local(c.Request().Context(), c.Param("name"))
}

// moderators is the collection of maintainers and stewards (Lemmy's moderators).
func (f *Federation) moderators(c echo.Context) error {
	group, _, err := f.localGroup(c)
	if err != nil {
		return err
	}
	rows, err := f.svc.Communities.Maintainers(c.Request().Context(), group)
	if err != nil {
		return err
	}
	items := make([]*vocab.Object, len(rows))
	for i, r := range rows {
		items[i] = vocab.Ref(r.Actor.URI)
	}
	return writeAP(c, http.StatusOK, convert.OrderedCollection(group.URI+"/moderators", items))
}

// partners is the community's partners collection (issue 12): the
// organizations it recognises, Added and Removed as partnerships begin and end.
func (f *Federation) partners(c echo.Context) error {
	group, _, err := f.localGroup(c)
	if err != nil {
		return err
	}
	orgs, err := f.svc.Economy.PartnerActors(c.Request().Context(), group, 1000, 0)
	if err != nil {
		return err
	}
	items := make([]*vocab.Object, len(orgs))
	for i, o := range orgs {
		items[i] = vocab.Ref(o.URI)
	}
	return writeAP(c, http.StatusOK, convert.OrderedCollection(group.URI+"/partners", items))
}

// members is the members collection: its count is public, the list only when the
// community shows it.
func (f *Federation) members(c echo.Context) error {
	ctx := c.Request().Context()
	group, com, err := f.localGroup(c)
	if err != nil {
		return err
	}
	total, err := f.svc.Store.CountMembers(ctx, group.ID, nil)
	if err != nil {
		return errs.Internal(err)
	}
	return collection(c, group.URI+"/members", total, !com.MembersPublic, func(limit, offset int) ([]*vocab.Object, error) {
		rows, err := f.svc.Store.ListMembers(ctx, group.ID, models.MembershipActive, nil, limit, offset)
		out := make([]*vocab.Object, len(rows))
		for i, r := range rows {
			out[i] = vocab.Ref(r.Actor.URI)
		}
		return out, err
	})
}

// commons is the paged collection of accepted contributions, each embedded with
// its attribution and licence.
func (f *Federation) commons(c echo.Context) error {
	ctx := c.Request().Context()
	group, _, err := f.localGroup(c)
	if err != nil {
		return err
	}
	_, total, err := f.svc.Communities.Commons(ctx, group, "", 1, 0)
	if err != nil {
		return err
	}
	return collection(c, group.URI+"/commons", total, false, func(limit, offset int) ([]*vocab.Object, error) {
		list, _, err := f.svc.Communities.Commons(ctx, group, "", limit, offset)
		out := make([]*vocab.Object, len(list))
		for i := range list {
			out[i] = convert.Contribution(&list[i], group, f.contributorURIs(&list[i]))
		}
		return out, err
	})
}

// ledger is the contributor ledger as a paged collection.
func (f *Federation) ledger(c echo.Context) error {
	ctx := c.Request().Context()
	group, _, err := f.localGroup(c)
	if err != nil {
		return err
	}
	_, total, err := f.svc.Communities.Ledger(ctx, group, 1, 0)
	if err != nil {
		return err
	}
	return collection(c, group.URI+"/ledger", total, false, func(limit, offset int) ([]*vocab.Object, error) {
		list, _, err := f.svc.Communities.Ledger(ctx, group, limit, offset)
		if err != nil {
			return nil, err
		}
		ids := make([]string, 0, len(list))
		for _, e := range list {
			ids = append(ids, e.ContributorID)
		}
		actors, err := f.svc.Store.ActorsByIDs(ctx, ids)
		if err != nil {
			return nil, err
		}
		out := make([]*vocab.Object, 0, len(list))
		for i := range list {
			co, _ := f.svc.Store.ContributionByID(ctx, list[i].ContributionID)
			out = append(out, convert.LedgerEntry(group, &list[i], actors[list[i].ContributorID], co))
		}
		return out, nil
	})
}
