package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// exportAccount is GET /api/v1/accounts/me/export: the caller's data as JSON.
func (a *API) exportAccount(c echo.Context) error {
	e, err := a.svc.UserData.Export(c.Request().Context(), caller(c))
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="commonsd-export.json"`)
	return c.JSON(http.StatusOK, e)
}

// exportFollows is GET /api/v1/accounts/me/export/follows.csv: whom the caller
// follows, as the CSV Mastodon imports.
func (a *API) exportFollows(c echo.Context) error {
	b, err := a.svc.UserData.FollowsCSV(c.Request().Context(), caller(c))
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="following_accounts.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", b)
}

type deleteAccountRequest struct {
	Password string `json:"password"`
}

// deleteAccount is POST /api/v1/accounts/me/delete: deletes the caller's
// account for good (federated as Delete of the actor).
func (a *API) deleteAccount(c echo.Context) error {
	var req deleteAccountRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if err := a.svc.UserData.Delete(c.Request().Context(), caller(c), req.Password); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
