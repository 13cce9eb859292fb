// Package api is the JSON API under /api/v1: thin handlers that authenticate, parse,
// call the service layer and render. Its contract is api/openapi.json, served at
// /api/v1/openapi.json.
package api

import (
	"github.com/commonsd/commonsd/federation"
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

// API holds the handlers' dependencies.
type API struct {
	svc *service.Service
	fed *federation.Federation
}

// New builds the API.
func New(svc *service.Service, fed *federation.Federation) *API { return &API{svc: svc, fed: fed} }

// Register mounts /api/v1.
func (a *API) Register(e *echo.Echo) {}
