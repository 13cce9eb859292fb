// Package service is the domain layer: every state change — from the web UI, the
// JSON API, the CLI or an inbox — goes through a method here, so one rule is written
// once. It knows neither HTTP nor ActivityStreams JSON: it returns *errs.Error values
// that carry a status and a client-safe message, reads and writes through the store,
// and hands side effects that leave the process (deliveries) to the outbound port
// Publisher, which the federation package implements.
package service

import (
	"context"
	"log/slog"
	"time"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// Service bundles the domain services of one instance.
type Service struct {
	Cfg         config.Config
	Store       *store.Store
	Keys        *Keys
	Log         *slog.Logger
	Now         func() time.Time
	Accounts    *Accounts
	Actors      *Actors
	Instance    *Instance
	Social      *Social
	Communities *Communities
	Admin       *FederationAdmin

	// Outbound ports, set by SetPorts once the federation edge exists.
	Pub      Publisher
	Resolver Resolver
	Domains  DomainPolicy
	// Ports to the job queue, set by SetQueue (app builds the queue).
	Jobs       Jobs
	Deliveries DeliveryLog
	// pages fetches web pages for rel=me verification (SetPageFetcher).
	pages PageFetcher
}

// SetPorts plugs in the federation edge.
func (s *Service) SetPorts(p Publisher, r Resolver, d DomainPolicy) {
	s.Pub = p
	s.Resolver = r
	s.Domains = d
}

// SetQueue plugs in the job queue (nil j keeps jobs refused).
func (s *Service) SetQueue(j Jobs, d DeliveryLog) {
	if j != nil {
		s.Jobs = j
	}
	s.Deliveries = d
}

// New wires the domain services.
func New(cfg config.Config, st *store.Store, keys *Keys, log *slog.Logger) *Service {
	s := &Service{Cfg: cfg, Store: st, Keys: keys, Log: log, Now: func() time.Time { return time.Now().UTC() }}
	s.Instance = &Instance{svc: s}
	s.Actors = &Actors{svc: s}
	s.Accounts = newAccounts(s)
	s.Social = &Social{svc: s}
	s.Communities = &Communities{svc: s}
	s.Admin = &FederationAdmin{svc: s}
	s.Pub = nopPublisher{}
	s.Jobs = noJobs{}
	return s
}

// URLs builds this instance's public URLs in one place so ids never disagree.
type URLs struct{ Base string }

func (u URLs) Actor(username string) string     { return u.Base + "/users/" + username }
func (u URLs) Inbox(username string) string     { return u.Actor(username) + "/inbox" }
func (u URLs) Outbox(username string) string    { return u.Actor(username) + "/outbox" }
func (u URLs) Followers(username string) string { return u.Actor(username) + "/followers" }
func (u URLs) Following(username string) string { return u.Actor(username) + "/following" }
func (u URLs) Featured(username string) string  { return u.Actor(username) + "/collections/featured" }
func (u URLs) Profile(username string) string   { return u.Base + "/@" + username }
func (u URLs) SharedInbox() string              { return u.Base + "/inbox" }
func (u URLs) InstanceActor() string            { return u.Base + "/actor" }
func (u URLs) Media(id string) string           { return u.Base + "/media/" + id }
func (u URLs) KeyID(actorURI string) string     { return actorURI + "#main-key" }
func (u URLs) Activity(id string) string        { return u.Base + "/activities/" + id }
func (u URLs) Note(id string) string            { return u.Base + "/notes/" + id }
func (u URLs) Contribution(id string) string    { return u.Base + "/contributions/" + id }

// URLs returns the URL builder for this instance.
func (s *Service) URLs() URLs { return URLs{Base: s.Cfg.Server.PublicURL} }

// InstanceActorName is the reserved username of the instance's Application actor.
const InstanceActorName = "instance.actor"

// Ctx-free helper so callers can tell local from remote actors.
func (s *Service) IsLocal(a *models.Actor) bool { return a.Domain == "" }

// EnsureInstanceActor creates the Application actor on first start.
func (s *Service) EnsureInstanceActor(ctx context.Context) (*models.Actor, error) {
	return s.Actors.ensureInstance(ctx)
}
