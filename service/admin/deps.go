// Package admin is the federation administration domain: the domain policy
// (configuration entries and admins' rows) and the view of outgoing deliveries.
// It calls no other domain; it sees the store only through Store.
package admin

import (
	"context"
	"log/slog"
	"time"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// Deps is everything the admin domain needs, passed explicitly (no hub).
type Deps struct {
	Store      Store
	Cfg        config.Config
	Now        func() time.Time
	Log        *slog.Logger
	Domains    core.DomainPolicy // nil until the federation edge exists
	Deliveries core.DeliveryLog  // nil until the queue exists
}

// New builds the federation administration service.
func New(d Deps) *FederationAdmin { return &FederationAdmin{d: d} }

// SetDomainPolicy plugs in the federation edge's domain policy, built after
// the services.
func (a *FederationAdmin) SetDomainPolicy(d core.DomainPolicy) { a.d.Domains = d }

// SetDeliveryLog plugs in the queue's delivery log, built after the services.
func (a *FederationAdmin) SetDeliveryLog(l core.DeliveryLog) { a.d.Deliveries = l }

// Store is the part of the store this package uses (satisfied by *store.Store).
type Store interface {
	DeleteDomainPolicy(ctx context.Context, domain string) error
	ListDomainPolicies(ctx context.Context) ([]models.DomainPolicy, error)
	PutDomainPolicy(ctx context.Context, p *models.DomainPolicy) error
}

var _ Store = (*store.Store)(nil)
