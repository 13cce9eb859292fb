// Package api is the JSON API under /api/v1: thin handlers that authenticate, parse,
// call the service layer and render. Its contract is api/openapi.json, served at
// /api/v1/openapi.json; a test keeps the document and the registered routes equal.
package api

import (
	"github.com/commonsd/commonsd/service"
	"github.com/labstack/echo/v4"
)

// Prefix is where the API is mounted.
const Prefix = "/api/v1"

// API holds the handlers' dependencies.
type API struct {
	svc *service.Service
}

// New builds the API.
func New(svc *service.Service) *API { return &API{svc: svc} }

// Register mounts /api/v1. Middleware is attached per route (not with Group.Use) so
// that e.Routes() lists exactly the documented endpoints.
func (a *API) Register(e *echo.Echo) {
	g := e.Group(Prefix)
	auth, staff, admin := a.authenticate, a.requireStaff, a.requireAdmin

	g.GET("/openapi.json", a.openAPI)
	g.GET("/instance", a.instance)

	g.POST("/auth/token", a.createToken)
	g.GET("/auth/tokens", a.listTokens, auth)
	g.DELETE("/auth/tokens/:id", a.revokeToken, auth)
	g.POST("/auth/password_reset", a.requestPasswordReset)
	g.POST("/auth/password_reset/confirm", a.confirmPasswordReset)

	g.POST("/accounts", a.createAccount)
	g.GET("/accounts/verify_credentials", a.verifyCredentials, auth)
	g.PATCH("/accounts/me", a.updateProfile, auth)
	g.POST("/accounts/me/password", a.changePassword, auth)
	g.POST("/accounts/me/email", a.changeEmail, auth)
	g.GET("/accounts/me/export", a.exportAccount, auth)
	g.GET("/accounts/me/export/follows.csv", a.exportFollows, auth)
	g.POST("/accounts/me/delete", a.deleteAccount, auth)
	g.POST("/accounts/me/avatar", a.uploadAvatar, auth)
	g.POST("/accounts/me/banner", a.uploadBanner, auth)
	g.GET("/accounts/:username", a.showAccount)

	g.POST("/follows", a.createFollow, auth)
	g.GET("/follows", a.listFollows, auth)
	g.DELETE("/follows/:id", a.deleteFollow, auth)
	g.GET("/followers", a.listFollowers, auth)
	g.GET("/follow_requests", a.listFollowRequests, auth)
	g.POST("/follow_requests/:id/authorize", a.authorizeFollowRequest, auth)
	g.POST("/follow_requests/:id/reject", a.rejectFollowRequest, auth)

	g.POST("/notes", a.createNote, auth)
	g.PUT("/notes/:id", a.updateNote, auth)
	g.DELETE("/notes/:id", a.deleteNote, auth)
	g.GET("/timeline", a.timeline, auth)
	g.GET("/search", a.search, a.optionalAuth)

	g.GET("/admin/users", a.adminListUsers, auth, staff)
	g.PATCH("/admin/users/:username", a.adminUpdateUser, auth, staff)
	g.PUT("/admin/registration", a.adminSetRegistration, auth, staff)
	g.POST("/admin/invites", a.adminCreateInvite, auth, staff)
	g.GET("/admin/invites", a.adminListInvites, auth, staff)
	g.GET("/admin/deliveries", a.adminListDeliveries, auth, staff)
	g.GET("/admin/deliveries/counts", a.adminDeliveryCounts, auth, staff)
	g.GET("/admin/domain_blocks", a.adminListDomainBlocks, auth, staff)
	g.POST("/admin/domain_blocks", a.adminCreateDomainBlock, auth, staff, admin)
	g.DELETE("/admin/domain_blocks/:domain", a.adminDeleteDomainBlock, auth, staff, admin)
	g.GET("/admin/reports", a.adminListReports, auth, staff)
	g.GET("/admin/reports/:id", a.adminShowReport, auth, staff)
	g.POST("/admin/reports/:id/resolve", a.adminResolveReport, auth, staff)
	g.POST("/admin/users/:username/reject", a.adminRejectUser, auth, staff)
	g.DELETE("/admin/invites/:code", a.adminRevokeInvite, auth, staff)
	g.POST("/reports", a.createReport, auth)
	g.GET("/admin/instance", a.adminInstanceSettings, auth, staff)
	g.PUT("/admin/instance", a.adminSetInstanceSettings, auth, staff, admin)
	a.registerCommunities(g)
	a.registerProposals(g)
	a.registerNotifications(g)
	a.registerEditing(g)
	a.registerEconomy(g)
}
