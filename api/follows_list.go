package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// listFollows is GET /api/v1/follows?limit&offset: whom the caller follows,
// pending follows included, newest first.
func (a *API) listFollows(c echo.Context) error {
	limit, offset, err := pageParams(c)
	if err != nil {
		return err
	}
	me, err := a.callerActor(c)
	if err != nil {
		return err
	}
	list, err := a.svc.Social.Following(c.Request().Context(), me, limit, offset)
	if err != nil {
		return err
	}
	out := make([]followJSON, 0, len(list))
	for i := range list {
		out = append(out, a.followingView(&list[i].Follow, list[i].Actor))
	}
	return c.JSON(http.StatusOK, out)
}

// pageParams reads limit and offset like every offset-paged list.
func pageParams(c echo.Context) (limit, offset int, err error) {
	if limit, err = queryInt(c, "limit", defaultPageSize, 1, maxPageSize); err != nil {
		return 0, 0, err
	}
	if offset, err = queryInt(c, "offset", 0, 0, 1<<31-1); err != nil {
		return 0, 0, err
	}
	return limit, offset, nil
}
