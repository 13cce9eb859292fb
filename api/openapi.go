package api

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

// OpenAPIDocument is the API's contract (OpenAPI 3.1).
//
//go:embed openapi.json
var OpenAPIDocument []byte

// openAPI is GET /api/v1/openapi.json.
func (a *API) openAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, OpenAPIDocument)
}
