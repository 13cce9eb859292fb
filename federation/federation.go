// Package federation is the ActivityPub edge of commonsd: actor documents,
// WebFinger, host-meta and NodeInfo discovery, signed inboxes, outboxes and
// collections, remote fetching (federation/fetch) and durable delivery (through the
// queue that app builds and hands to New). It decides no domain rule and writes no
// rule-bearing state itself: it verifies, translates and calls the service layer,
// and implements the service's outbound ports (Publisher, Resolver, and through
// fetch.Policy the enforcement side of DomainPolicy).
package federation

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/federation/fetch"
	"github.com/commonsd/commonsd/federation/signing"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/queue"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/version"
	"github.com/labstack/echo/v4"
)

// InboxConcurrency bounds inbox requests being checked at once (signature checks
// are CPU-bound; beyond this a sender is told to retry).
const InboxConcurrency = 256

// Federation holds the ActivityPub edge of one instance.
type Federation struct {
	cfg        config.Config
	svc        *service.Service
	log        *slog.Logger
	queue      *queue.Queue
	fetch      *fetch.Fetcher
	policy     *fetch.Policy
	client     *http.Client
	verifier   *signing.Verifier
	inboxSlots slots
	inboxPeers peerSlots // per client address share of inboxSlots
	keys       keyCache
	sigs       sigChoice // RSA or Ed25519, per inbox (sigchoice.go)
	bodies     bodyCache
	docs       *docCache
	discovery  discoveryDocs
	inboxBatch *inboxBatcher
	userAgent  []string // the User-Agent header value of deliveries, built once
}

// New builds the federation edge on the queue q (built by app), registers its
// workers (delivery, inbox processing) on it and plugs itself into the service as
// its outbound ports.
func New(cfg config.Config, svc *service.Service, q *queue.Queue, log *slog.Logger) (*Federation, error) {
	policy := fetch.NewPolicy(cfg.Federation, svc.Store, log)
	// Load the admins' domain entries now, outside any transaction (see Policy.refresh).
	if err := policy.Reload(context.Background()); err != nil {
		return nil, fmt.Errorf("domain policy: %w", err)
	}
	client := fetch.NewHTTPClient(cfg.Federation.AllowPrivateAddresses, policy)
	f := &Federation{
		cfg: cfg, svc: svc, log: log, policy: policy, client: client,
		fetch:      fetch.New(cfg, svc.Store, svc.Actors, client, policy, log),
		inboxSlots: make(slots, InboxConcurrency),
		keys:       keyCache{keys: map[string]cachedKey{}},
		docs:       newDocCache(svc.Store.ActorsGeneration),
		userAgent:  []string{"commonsd/" + version.Version + " (+" + cfg.Server.PublicURL + ")"},
	}
	f.verifier = &signing.Verifier{Keys: f.fetch, PublicScheme: cfg.PublicScheme()}
	f.queue = q
	f.inboxBatch = newInboxBatcher(svc.Store, q)
	if err := q.RegisterDelivery(f, f); err != nil {
		return nil, err
	}
	if err := queue.AddWorker(q, f.processInbox); err != nil {
		return nil, err
	}
	svc.SetPorts(f, f, policy)
	svc.SetPageFetcher(f.fetch)
	return f, nil
}

// ResolveActor implements service.Resolver.
func (f *Federation) ResolveActor(ctx context.Context, handleOrURL string) (*models.Actor, error) {
	return f.fetch.Resolve(ctx, handleOrURL)
}

// SubscribeTemplate implements service.Resolver.
func (f *Federation) SubscribeTemplate(ctx context.Context, user, host string) (string, error) {
	return f.fetch.SubscribeTemplate(ctx, user, host)
}

// HTMLPages are the browser views of URLs that are also ActivityPub ids: one URL
// serves both, by content negotiation.
type HTMLPages struct {
	Profile      echo.HandlerFunc // /users/:name
	Contribution echo.HandlerFunc // /contributions/:id
	Proposal     echo.HandlerFunc // /proposals/:id (nil: ActivityPub only)
	Appeal       echo.HandlerFunc // /appeals/:id (nil: ActivityPub only)
	Funds        echo.HandlerFunc // /users/:name/funds and /appeals/:id/ledger (nil: ActivityPub only)
	Announcement echo.HandlerFunc // /announcements/:id (nil: ActivityPub only)
}

// Register mounts the discovery and ActivityPub routes.
func (f *Federation) Register(e *echo.Echo, pages HTMLPages) {
	html := pages.Profile
	e.GET("/.well-known/webfinger", f.webfinger)
	e.GET("/.well-known/host-meta", f.hostMeta)
	e.GET("/.well-known/nodeinfo", f.nodeinfoIndex)
	e.GET("/nodeinfo/2.1", f.nodeinfo)
	e.GET("/ns", f.contextDocument)

	ap := f.authorizedFetch
	e.GET("/actor", f.instanceActor) // always public: peers fetch it to verify our signed GETs
	e.POST("/actor/inbox", f.inbox)
	e.POST("/inbox", f.inbox)
	e.GET("/users/:name", negotiate(ap(f.actor), html))
	e.POST("/users/:name/inbox", f.inbox)
	e.GET("/users/:name/outbox", ap(f.outbox))
	e.GET("/users/:name/followers", ap(f.followers))
	e.GET("/users/:name/following", ap(f.following))
	e.GET("/users/:name/collections/featured", ap(f.featured))
	e.GET("/notes/:id", negotiate(ap(f.note), f.noteHTML))
	e.GET("/activities/:id", ap(f.activity))
	e.GET("/contributions/:id", negotiate(ap(f.contribution), pages.Contribution))
	if pages.Proposal != nil {
		e.GET("/proposals/:id", negotiate(ap(f.proposal), pages.Proposal))
	} else {
		e.GET("/proposals/:id", ap(f.proposal))
	}
	e.GET("/proposals/:id/ballots", ap(f.ballots))
	e.GET("/users/:name/moderators", ap(f.moderators))
	e.GET("/users/:name/partners", ap(f.partners))
	e.GET("/users/:name/members", ap(f.members))
	e.GET("/users/:name/commons", ap(f.commons))
	e.GET("/users/:name/ledger", ap(f.ledger))
	orAP := func(h echo.HandlerFunc, page echo.HandlerFunc) echo.HandlerFunc {
		if page == nil {
			return ap(h)
		}
		return negotiate(ap(h), page)
	}
	e.GET("/appeals/:id", orAP(f.appeal, pages.Appeal))
	e.GET("/appeals/:id/ledger", orAP(f.appealLedger, pages.Funds))
	e.GET("/users/:name/funds", orAP(f.funds, pages.Funds))
	e.GET("/ledger/:id", ap(f.ledgerEntry))
	e.GET("/announcements/:id", orAP(f.announcement, pages.Announcement))
}
