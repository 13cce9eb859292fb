package api

import (
	"net/http"

	"github.com/commonsd/commonsd/errs"
	"github.com/labstack/echo/v4"
)

// communityRoleLog is GET /api/v1/communities/{handle}/roles/log?limit: joins,
// leaves and role changes, newest first. It names members, so a community that
// hides its member list shows it to members only.
func (a *API) communityRoleLog(c echo.Context) error {
	limit, err := queryInt(c, "limit", defaultPageSize, 1, maxPageSize)
	if err != nil {
		return err
	}
	group, com, err := a.localCommunity(c)
	if err != nil {
		return err
	}
	me, err := a.me(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if !com.MembersPublic && a.svc.Communities.Role(ctx, group, me) == "" {
		return errs.Forbidden("this community's member list is private")
	}
	log, err := a.svc.Communities.RoleLog(ctx, group, limit)
	if err != nil {
		return err
	}
	ids := make([]string, 0, 2*len(log))
	for _, l := range log {
		ids = append(ids, l.ActorID, l.ByID)
	}
	refs, err := a.actorRefs(ctx, ids)
	if err != nil {
		return err
	}
	out := make([]roleChangeJSON, 0, len(log))
	for _, l := range log {
		v := roleChangeJSON{ID: l.ID, Actor: refs[l.ActorID], OldRole: l.OldRole, NewRole: l.NewRole, CreatedAt: l.CreatedAt.UTC()}
		if by, ok := refs[l.ByID]; ok {
			v.By = &by
		}
		out = append(out, v)
	}
	return c.JSON(http.StatusOK, out)
}
