package core

import (
	"context"
	"net/http"
	"time"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// Publisher is the outbound port. The federation package implements it: it turns
// an Outbound into an ActivityStreams document, stores it (so it can be fetched at
// its id) and enqueues a delivery per distinct inbox — all inside tx, the
// transaction of the change that caused it, so a crash can lose neither.
type Publisher interface {
	Publish(ctx context.Context, tx *store.Store, out *Outbound) error
}

// Resolver finds remote actors by handle or URL (WebFinger and signed fetches),
// under the domain policy: a blocked domain is never contacted.
type Resolver interface {
	ResolveActor(ctx context.Context, handleOrURL string) (*models.Actor, error)
	// SubscribeTemplate asks the WebFinger of host for acct:user@host and returns
	// its OStatus subscribe template (containing "{uri}"): where that account
	// follows something from its own server.
	SubscribeTemplate(ctx context.Context, user, host string) (string, error)
}

// Activity types the service publishes.
const (
	TypeCreate   = "Create"
	TypeUpdate   = "Update"
	TypeDelete   = "Delete"
	TypeFollow   = "Follow"
	TypeAccept   = "Accept"
	TypeReject   = "Reject"
	TypeUndo     = "Undo"
	TypeAnnounce = "Announce"
	TypeLike     = "Like"
	TypeBlock    = "Block"
	TypeJoin     = "Join"
	TypeLeave    = "Leave"
	TypeOffer    = "Offer"
	TypeAdd      = "Add"
	TypeRemove   = "Remove"
	TypeLock     = "Lock"
	TypeFlag     = "Flag"
)

// Outbound is an activity a local actor performs, in domain terms: a verb (Type)
// done by Actor to an Object (a typed domain value, see objects.go), optionally
// towards a Target, with its addressing. The federation edge turns it into
// ActivityStreams with the one converter registered for the object's kind
// (federation/convert), so adding an activity never adds a field here.
type Outbound struct {
	ID    string        // the activity's id (URLs.Activity)
	Type  string        // the verb: TypeCreate, TypeFollow, …
	Actor *models.Actor // local

	Object Object
	// Target is the IRI the activity is directed at: the Group of an Offer, the
	// collection of an Add or Remove.
	Target string
	// Content is a reason given with the activity (e.g. why an Offer or a Join was
	// rejected), sent as plain text.
	Content string
	// Published is when the activity happened; zero means now (a Create carries
	// its note's publication time).
	Published time.Time

	Audience string // FEP-1b12 audience (the Group)
	To, CC   []string
	// ToFollowers delivers to the actor's remote followers.
	ToFollowers bool
	// Recipients are remote actors that get it in their own inbox too.
	Recipients []*models.Actor
	// Public lists the activity in the actor's outbox.
	Public bool
	// Context is the AS2 context of the activity: the proposal (its
	// Question) whose decision this activity carries out. Empty: the
	// publisher takes DecisionOf(ctx).
	Context string
}

type decisionKey struct{}

// WithDecision marks ctx as carrying out the decision of the proposal whose
// Question is questionURI: every activity published under it gets that
// proposal as its context (the effect of a passed proposal, issue 11).
func WithDecision(ctx context.Context, questionURI string) context.Context {
	return context.WithValue(ctx, decisionKey{}, questionURI)
}

// DecisionOf is the proposal WithDecision put in ctx ("" when none).
func DecisionOf(ctx context.Context) string {
	s, _ := ctx.Value(decisionKey{}).(string)
	return s
}

// ObjectID makes an activity the object of another one (Undo of a Lock we sent).
func (o *Outbound) ObjectID() string { return o.ID }

// NoJobs stands in until app plugs in the queue (CLI tools, unit tests): a job
// that cannot be written fails the change that needs it rather than being lost.
type NoJobs struct{}

func (NoJobs) Enqueue(_ context.Context, _ *store.Store, job Job) error {
	return errs.New(http.StatusServiceUnavailable, "no job queue to run %s", job.Kind())
}

func (NoJobs) ScheduleAt(_ context.Context, _ *store.Store, job Job, _ time.Time) error {
	return errs.New(http.StatusServiceUnavailable, "no job queue to run %s", job.Kind())
}

// NopPublisher is used until federation is wired (CLI tools, unit tests).
type NopPublisher struct{}

func (NopPublisher) Publish(context.Context, *store.Store, *Outbound) error { return nil }

// Job is the arguments of one background job: a JSON-encodable struct with a
// stable kind name (the queue's worker for that kind decodes it).
type Job interface {
	Kind() string
}

// Jobs is the port through which the service hands work to the durable job queue
// (package queue implements it; app plugs it in, and registers the service's job
// handlers on the queue with queue.AddWorker). Both calls write the job inside
// tx, the transaction of the change that caused it, so the change and its job
// commit or roll back together. Governance closes proposals at their end time,
// appeals expire and notifications are sent through it.
type Jobs interface {
	// Enqueue makes job runnable as soon as a worker is free.
	Enqueue(ctx context.Context, tx *store.Store, job Job) error
	// ScheduleAt makes job runnable at (or after) at.
	ScheduleAt(ctx context.Context, tx *store.Store, job Job, at time.Time) error
}

// DeliveryLog is the port through which admins see outgoing deliveries: the
// queue's delivery jobs (package queue implements it).
type DeliveryLog interface {
	Deliveries(ctx context.Context, f DeliveryFilter) ([]DeliveryInfo, error)
	DeliveryCounts(ctx context.Context) (map[string]int64, error)
}

// DomainPolicy is the port to the federation edge's enforcement of the domain
// policy (the fetcher's, inbox's and delivery's cached copy of it). The service
// owns the rule and writes the admins' entries; after a change it calls Reload
// so the change applies at once in this process (other processes re-read within
// their cache's lifetime).
type DomainPolicy interface {
	// Allowed reports whether we talk to host (host[:port]).
	Allowed(host string) bool
	// Reload re-reads the admins' entries.
	Reload(ctx context.Context) error
}

// Mail is one e-mail message: plain text always, HTML optional.
type Mail struct {
	To      string // one address
	Subject string
	Text    string
	HTML    string // optional alternative part
	// Unsubscribe, when set, is the one-click unsubscribe URL (sent as
	// List-Unsubscribe and shown at the end of the text).
	Unsubscribe string
}

// Mailer sends e-mail. Send is called inside the caller's transaction and
// enqueues the message as a job (retried with backoff), so a change that rolls
// back sends nothing. Enabled says whether the instance has SMTP configured:
// flows that need e-mail (forgot password, e-mail notifications) are offered
// only when it is true.
type Mailer interface {
	Enabled() bool
	Send(ctx context.Context, tx *store.Store, m Mail) error
}

// NoMailer is the Mailer of an instance without SMTP configured.
type NoMailer struct{}

// Enabled reports false: there is no SMTP server.
func (NoMailer) Enabled() bool { return false }

// Send refuses: nothing can be sent.
func (NoMailer) Send(context.Context, *store.Store, Mail) error {
	return errs.New(http.StatusServiceUnavailable, "e-mail is not configured on this instance")
}
