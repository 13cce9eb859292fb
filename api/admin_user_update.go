package api

import (
	"net/http"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

type adminUpdateUserRequest struct {
	Role      *string `json:"role"`
	Suspended *bool   `json:"suspended"`
	Approved  *bool   `json:"approved"`
}

// adminUpdateUser is PATCH /api/v1/admin/users/{username}: role, suspension and
// approval. service.Accounts.Moderate decides who may change what.
func (a *API) adminUpdateUser(c echo.Context) error {
	var req adminUpdateUserRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ch := service.ModerationChange{Suspended: req.Suspended, Approved: req.Approved}
	if req.Role != nil {
		if *req.Role == "" { // the service reads "" as "keep"; here it is a mistake
			return errs.Unprocessable("role must be admin, moderator or member")
		}
		ch.Role = *req.Role
	}
	u, err := a.svc.Accounts.Moderate(c.Request().Context(), caller(c), c.Param("username"), ch)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, userView(u))
}
