package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// communityDirectory is GET /api/v1/communities?q&limit&offset: this instance's
// communities, newest first.
func (a *API) communityDirectory(c echo.Context) error {
	limit, offset, err := page(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	list, err := a.svc.Communities.Directory(ctx, c.QueryParam("q"), limit, offset)
	if err != nil {
		return err
	}
	out := make([]communityJSON, 0, len(list))
	for i := range list {
		com, err := a.svc.Communities.ByActor(ctx, &list[i])
		if err != nil {
			continue
		}
		v, err := a.communityView(ctx, &list[i], com, false, nil)
		if err != nil {
			return err
		}
		out = append(out, v)
	}
	return c.JSON(http.StatusOK, out)
}
