package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// deleteNote is DELETE /api/v1/notes/{id}: its author deletes a note; a Delete
// goes to every server that got it.
func (a *API) deleteNote(c echo.Context) error {
	me, err := a.callerActor(c)
	if err != nil {
		return err
	}
	if err := a.svc.Social.DeleteNote(c.Request().Context(), me, c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
