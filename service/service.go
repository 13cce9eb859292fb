// Package service is the facade of the domain layer: every state change — from
// the web UI, the JSON API, the CLI or an inbox — goes through a method of one
// of its domain services, so one rule is written once. The domain knows neither
// HTTP nor ActivityStreams JSON: it returns *errs.Error values that carry a
// status and a client-safe message, reads and writes through the store, and
// hands side effects that leave the process to its ports (Publisher, Jobs).
//
// The domain is split into one package per domain so that each sees only what
// it needs and can be tested alone:
//
//	service/core         shared base: ports, Outbound and the object kinds,
//	                     URLs, the visibility rule
//	service/accounts     users, sessions, tokens, actors, keys, instance settings
//	service/social       follows, notes, boosts, likes, blocks, reports, timelines
//	service/communities  communities, membership, contributions, ledger
//	service/governance   proposals, votes, tallies and their effects
//	service/economy      organizations, funding appeals, pledges, the money ledger
//	service/admin        domain policy, delivery log
//	service/notifications notifications of local accounts, their e-mail
//
// Arrows: communities → social → accounts → core; governance → core (and
// communities through an interface); admin → core; this package
// imports them all and nothing imports it from inside service/. Each domain
// service is built from an explicit Deps struct (its narrow store interface,
// the ports it uses, clock, URLs, logger, the domain services it calls); the
// one reverse call, social into communities, is social.CommunityHooks, plugged
// in here. Service keeps the fields and type names callers have always used:
// the types re-exported below are aliases, so service.Outbound and
// core.Outbound are the same type.
package service

import (
	"context"
	"log/slog"
	"time"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/accounts"
	"github.com/commonsd/commonsd/service/admin"
	"github.com/commonsd/commonsd/service/communities"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/service/economy"
	"github.com/commonsd/commonsd/service/governance"
	"github.com/commonsd/commonsd/service/moderation"
	"github.com/commonsd/commonsd/service/notifications"
	"github.com/commonsd/commonsd/service/search"
	"github.com/commonsd/commonsd/service/social"
	"github.com/commonsd/commonsd/service/userdata"
	"github.com/commonsd/commonsd/store"
)

// Service bundles the domain services of one instance.
type Service struct {
	Cfg         config.Config // read by New: the domains keep their copy
	Store       *store.Store
	Keys        *Keys
	Log         *slog.Logger
	Now         func() time.Time
	Accounts    *Accounts
	Actors      *Actors
	Instance    *Instance
	Social      *Social
	Communities *Communities
	Governance  *governance.Governance
	Economy     *economy.Economy
	Admin       *FederationAdmin
	// Notifications records what happened to local accounts and e-mails it;
	// other domains call Notifications.Notify in their transactions.
	Notifications *notifications.Notifications
	Search        *search.Search
	UserData      *userdata.UserData
	Moderation    *moderation.Moderation

	// Outbound ports, set by SetPorts once the federation edge exists.
	Pub      Publisher
	Resolver Resolver
	Domains  DomainPolicy
	// Ports to the job queue, set by SetQueue (app builds the queue).
	Jobs       Jobs
	Deliveries DeliveryLog
	// Mailer sends e-mail (core.NoMailer until app plugs in SMTP with SetMailer).
	Mailer Mailer
}

// SetMailer plugs in the e-mail port (app builds it from the smtp
// configuration; nil keeps core.NoMailer). The domains hold MailerPort, which
// forwards to it, so none needs to be told.
func (s *Service) SetMailer(m Mailer) {
	if m == nil {
		m = core.NoMailer{}
	}
	s.Mailer = m
	s.Accounts.SetMailer(m)
}

// MailerPort is the Mailer a domain takes in its Deps: it forwards each call
// to Service.Mailer, which app sets after the domains are built.
func (s *Service) MailerPort() Mailer { return portMailer{s} }

type portMailer struct{ s *Service }

func (m portMailer) Enabled() bool { return m.s.Mailer.Enabled() }

func (m portMailer) Send(ctx context.Context, tx *store.Store, msg Mail) error {
	return m.s.Mailer.Send(ctx, tx, msg)
}

// SetPorts plugs in the federation edge (a nil p keeps publishing a no-op).
func (s *Service) SetPorts(p Publisher, r Resolver, d DomainPolicy) {
	if p == nil {
		p = core.NopPublisher{}
	}
	s.Pub = p
	s.Resolver = r
	s.Domains = d
	s.Social.SetPorts(p, r, d)
	s.Communities.SetPublisher(p)
	s.Governance.SetPublisher(p)
	s.Economy.SetPublisher(p)
	s.Admin.SetDomainPolicy(d)
	s.Search.SetResolver(r)
	s.UserData.SetPublisher(p)
	s.Moderation.SetPublisher(p)
}

// SetQueue plugs in the job queue (nil j keeps jobs refused).
func (s *Service) SetQueue(j Jobs, d DeliveryLog) {
	if j != nil {
		s.Jobs = j
	}
	s.Actors.SetJobs(s.Jobs)
	s.Governance.SetJobs(s.Jobs)
	s.Notifications.SetJobs(s.Jobs)
	s.Economy.SetJobs(s.Jobs)
	s.Deliveries = d
	s.Admin.SetDeliveryLog(d)
}

// New wires the domain services.
func New(cfg config.Config, st *store.Store, keys *Keys, log *slog.Logger) *Service {
	s := &Service{Cfg: cfg, Store: st, Keys: keys, Log: log, Now: func() time.Time { return time.Now().UTC() }}
	s.Pub = core.NopPublisher{}
	s.Jobs = core.NoJobs{}
	s.Mailer = core.NoMailer{}
	// now reads s.Now at each call, so a test that replaces s.Now moves every
	// domain's clock.
	now := func() time.Time { return s.Now() }
	urls := s.URLs()
	s.Accounts, s.Actors, s.Instance = accounts.New(accounts.Deps{Store: st, Cfg: cfg, Keys: keys, URLs: urls, Now: now, Log: log, Jobs: s.Jobs})
	s.Notifications = notifications.New(notifications.Deps{Store: st, URLs: urls, Now: now, Log: log,
		Mailer: s.MailerPort(), Jobs: s.Jobs, Signer: keys, Instance: cfg.Instance.Name,
		Retention: cfg.Notifications.Retention, MaxPerUser: cfg.Notifications.MaxPerUser})
	s.Social = social.New(social.Deps{Store: st, Cfg: cfg, URLs: urls, Now: now, Log: log, Pub: s.Pub,
		Visibility: core.Visibility{Store: st}, Actors: s.Actors, Notify: s.Notifications})
	s.Communities = communities.New(communities.Deps{Store: st, Cfg: cfg, URLs: urls, Now: now, Log: log, Pub: s.Pub,
		Accounts: s.Accounts, Actors: s.Actors, Social: s.Social, Notify: s.Notifications})
	s.Social.SetCommunityHooks(s.Communities.Hooks())
	s.Economy = economy.New(economy.Deps{Store: st, Cfg: cfg, URLs: urls, Now: now, Log: log, Pub: s.Pub, Jobs: s.Jobs,
		Actors: s.Actors, Social: s.Social, Communities: s.Communities})
	s.Communities.SetBountyHooks(s.Economy) // bounty claims close and pay out at acceptance
	s.Governance = governance.New(governance.Deps{Store: st, URLs: urls, Now: now, Log: log, Pub: s.Pub, Jobs: s.Jobs,
		Communities: s.Communities, Partners: s.Economy, UpdateWindow: cfg.Federation.PollUpdateWindow})
	s.Admin = admin.New(admin.Deps{Store: st, Cfg: cfg, Now: now, Log: log})
	s.Search = search.New(search.Deps{Store: st, Cfg: cfg, Log: log})
	s.Moderation = moderation.New(moderation.Deps{Store: st, URLs: urls, Now: now, Log: log, Accounts: s.Accounts,
		Actors: s.Actors, Social: s.Social, Admin: s.Admin, Visibility: core.Visibility{Store: st}, Pub: s.Pub})
	s.UserData = userdata.New(userdata.Deps{Store: st, URLs: urls, Host: cfg.PublicHost(), Now: now, Log: log, Pub: s.Pub})
	return s
}

// SetPageFetcher plugs in the fetcher of web pages (rel=me verification).
func (s *Service) SetPageFetcher(p PageFetcher) { s.Actors.SetPageFetcher(p) }

// URLs returns the URL builder for this instance.
func (s *Service) URLs() URLs { return URLs{Base: s.Cfg.Server.PublicURL} }

// Ctx-free helper so callers can tell local from remote actors.
func (s *Service) IsLocal(a *models.Actor) bool { return a.Domain == "" }

// EnsureInstanceActor creates the Application actor on first start.
func (s *Service) EnsureInstanceActor(ctx context.Context) (*models.Actor, error) {
	return s.Actors.Instance(ctx)
}

// CanSee decides whether reader (nil: anonymous; a remote actor: the signer of
// a signed GET) may read n; see core.Visibility.
func (s *Service) CanSee(ctx context.Context, reader *models.Actor, n *models.Note) bool {
	return core.Visibility{Store: s.Store}.CanSee(ctx, reader, n)
}

// NoteScope is CanSee for a list, as a store condition; see core.NoteScope.
func (s *Service) NoteScope(reader *models.Actor, l Listing) store.NoteScope {
	return core.NoteScope(reader, l)
}

// DomainAllowed reports whether the instance talks to host under the domain
// policy (true when no federation edge is wired).
func (s *Service) DomainAllowed(host string) bool {
	return s.Domains == nil || s.Domains.Allowed(host)
}
