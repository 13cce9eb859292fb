package service

import (
	"context"

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

// Outbound is an activity a local actor performs, in domain terms.
type Outbound struct {
	ID    string // the activity's id (URLs.Activity)
	Type  string
	Actor *models.Actor // local

	Note *models.Note // Create, Update, Delete(note), Announce
	Tags []models.NoteTag
	// NoteAuthor is the author of Note when the actor only boosts it.
	NoteAuthor *models.Actor

	Follow   *models.Follow // Follow, Accept, Reject, Undo(Follow)
	Follower *models.Actor
	Target   *models.Actor

	ObjectURI string    // anything else referenced by id
	TargetURI string    // Add/Remove: the collection
	Inner     *Outbound // Undo's object

	// Communities (FEP-1b12).
	Group        *models.Actor        // Join/Leave target, or the relaying Group
	Membership   *models.Membership   // Join, Accept/Reject(Join)
	Contribution *models.Contribution // Offer, Accept/Reject(Offer), Add, Announce
	Contributors []*models.Actor
	Community    *models.Community // licence of a local community's contribution
	// Relayed is an activity a Group re-publishes, as it was received (JSON): the
	// object of the Group's Announce.
	Relayed  string
	Audience string // FEP-1b12 audience (the Group)
	Content  string // e.g. a rejection reason

	To, CC []string
	// ToFollowers delivers to the actor's remote followers.
	ToFollowers bool
	// Recipients are remote actors that get it in their own inbox too.
	Recipients []*models.Actor
	// Public lists the activity in the actor's outbox.
	Public bool
}

// nopPublisher is used until federation is wired (CLI tools, unit tests).
type nopPublisher struct{}

func (nopPublisher) Publish(context.Context, *store.Store, *Outbound) error { return nil }
