package service

import (
	"context"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// Publisher is the outbound port. The federation package implements it: it turns
// an Outbound into an ActivityStreams document, stores it (so it can be fetched at
// its id) and writes one delivery job per distinct inbox — all inside tx, the
// transaction of the change that caused it, so a crash can lose neither.
type Publisher interface {
	Publish(ctx context.Context, tx *store.Store, out *Outbound) error
}

// Resolver finds remote actors by handle or URL (WebFinger and signed fetches).
type Resolver interface {
	ResolveActor(ctx context.Context, handleOrURL string) (*models.Actor, error)
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
}

// ObjectID makes an activity the object of another one (Undo of a Lock we sent).
func (o *Outbound) ObjectID() string { return o.ID }

// nopPublisher is used until federation is wired (CLI tools, unit tests).
type nopPublisher struct{}

func (nopPublisher) Publish(context.Context, *store.Store, *Outbound) error { return nil }
