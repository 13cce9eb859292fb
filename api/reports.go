package api

import (
	"net/http"

	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

type createReportRequest struct {
	AccountID string   `json:"account_id"`
	NoteIDs   []string `json:"note_ids"`
	Comment   string   `json:"comment"`
	Forward   bool     `json:"forward"`
}

// createReport is POST /api/v1/reports: a local user reports an account or
// notes of one account to this server's moderators; forward also sends it to
// a remote account's server (a Flag from the instance actor).
func (a *API) createReport(c echo.Context) error {
	var req createReportRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	r, err := a.svc.Moderation.File(c.Request().Context(), caller(c), service.ReportInput{AccountID: req.AccountID,
		NoteIDs: req.NoteIDs, Comment: req.Comment, Forward: req.Forward})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]string{"id": r.ID})
}

// adminShowReport is GET /api/v1/admin/reports/{id}.
func (a *API) adminShowReport(c echo.Context) error {
	d, err := a.svc.Moderation.Report(c.Request().Context(), caller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a.reportView(&d.ReportView))
}

type resolveReportRequest struct {
	Action string `json:"action"`
	Note   string `json:"note"`
}

// adminResolveReport is POST /api/v1/admin/reports/{id}/resolve.
func (a *API) adminResolveReport(c echo.Context) error {
	var req resolveReportRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := a.svc.Moderation.Resolve(ctx, caller(c), c.Param("id"), service.ReportResolution{Action: req.Action, Note: req.Note}); err != nil {
		return err
	}
	d, err := a.svc.Moderation.Report(ctx, caller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a.reportView(&d.ReportView))
}

// adminRejectUser is POST /api/v1/admin/users/{username}/reject: refuses a
// sign-up waiting for approval.
func (a *API) adminRejectUser(c echo.Context) error {
	if err := a.svc.Accounts.RejectSignup(c.Request().Context(), caller(c), c.Param("username")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// adminRevokeInvite is DELETE /api/v1/admin/invites/{code}.
func (a *API) adminRevokeInvite(c echo.Context) error {
	if err := a.svc.Instance.RevokeInvite(c.Request().Context(), caller(c), c.Param("code")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
