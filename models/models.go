// Package models holds the plain structs shared by the layers. gorm tags are allowed;
// behaviour that needs the database is not. Ids are ULIDs (sortable, and they never
// leak row counts in public URLs).
//
// No gorm `default:` tag on a bool column: gorm writes the default instead of a
// false zero value on Create (an unapproved user would come out approved).
//
// Lists of strings (addressing, contributors, links, reported objects) are []string
// fields with gorm's JSON serializer (`gorm:"type:text;serializer:json"`): the column
// stays text holding a JSON array, as the hand-written helpers stored it. A nil
// list is written as NULL; NULL, "" and [] all read back as an empty list
// (store's TestJSONListColumns).
package models

import (
	"crypto/rand"
	"strings"
	"sync"
	"time"

	"github.com/oklog/ulid/v2"
)

var (
	idMu      sync.Mutex
	idEntropy = ulid.Monotonic(rand.Reader, 0)
)

// NewID returns a new lower-case ULID.
func NewID() string {
	idMu.Lock()
	defer idMu.Unlock()
	return strings.ToLower(ulid.MustNew(ulid.Timestamp(time.Now()), idEntropy).String())
}

// Actor types.
const (
	ActorPerson       = "Person"
	ActorGroup        = "Group"
	ActorOrganization = "Organization"
	ActorApplication  = "Application"
)

// Roles of local users on the instance.
const (
	RoleAdmin     = "admin"
	RoleModerator = "moderator"
	RoleMember    = "member"
)

// Actor is any ActivityPub actor, local (Domain == "") or remote. Users, communities,
// organizations and the instance itself are all actors, so handles share one
// namespace: (UsernameLower, Domain) is unique.
type Actor struct {
	ID            string `gorm:"primaryKey;size:26"`
	Type          string `gorm:"size:32;not null"`
	Username      string `gorm:"size:255;not null"`
	UsernameLower string `gorm:"size:255;not null;uniqueIndex:idx_actor_handle"`
	Domain        string `gorm:"size:255;not null;default:'';uniqueIndex:idx_actor_handle"`
	URI           string `gorm:"size:2048;not null;uniqueIndex"`
	URL           string `gorm:"size:2048"`
	Name          string `gorm:"size:255"`
	Summary       string `gorm:"type:text"` // sanitised HTML
	SummarySource string `gorm:"type:text"` // what a local user typed
	InboxURI      string `gorm:"size:2048;index"`
	OutboxURI     string `gorm:"size:2048"`
	FollowersURI  string `gorm:"size:2048"`
	FollowingURI  string `gorm:"size:2048"`
	FeaturedURI   string `gorm:"size:2048"`
	SharedInbox   string `gorm:"size:2048;index"`
	IconURL       string `gorm:"size:2048"`
	IconMediaID   string `gorm:"size:26"`
	ImageURL      string `gorm:"size:2048"`
	ImageMediaID  string `gorm:"size:26"`
	PublicKeyID   string `gorm:"size:2048;index"`
	PublicKeyPEM  string `gorm:"type:text"`
	// PrivateKey is the PKCS#8 PEM sealed with the instance secret (see service.Keys);
	// it is never serialised to clients.
	PrivateKey []byte `gorm:"" json:"-"`
	// Ed25519KeyID is the id of the actor's Ed25519 FEP-521a Multikey (listed in
	// assertionMethod, used for RFC 9421 signatures between peers that support
	// it): "<uri>#ed25519-key" for ours, the first valid one a remote actor
	// advertises (on its host, controller = the actor). Empty: none.
	Ed25519KeyID string `gorm:"size:2048;index"`
	// Ed25519PublicKey is that key's publicKeyMultibase ("z6Mk…").
	Ed25519PublicKey string `gorm:"size:64"`
	// Ed25519PrivateKey is a local actor's PKCS#8 Ed25519 key sealed like
	// PrivateKey; never serialised to clients.
	Ed25519PrivateKey []byte `gorm:"" json:"-"`
	// AcceptsEd25519: the actor's server says it verifies RFC 9421 Ed25519
	// signatures (FEP-844e: its generator implements
	// vocab.CapRFC9421Ed25519) and the actor has an Ed25519 Multikey.
	// Deliveries to it are signed with Ed25519 (see federation/sigchoice.go).
	AcceptsEd25519            bool   `gorm:"not null"`
	ManuallyApprovesFollowers bool   `gorm:"not null"`
	Discoverable              bool   `gorm:"not null"`
	HideFollowers             bool   `gorm:"not null"`
	Bot                       bool   `gorm:"not null"`
	Fields                    string `gorm:"type:text"` // JSON [{"name","value"}]
	Suspended                 bool   `gorm:"not null"`
	// DeletedAt is set when a local account was deleted by its owner (served
	// as a Tombstone from then on; the handle stays taken).
	DeletedAt *time.Time
	FetchedAt *time.Time
	CreatedAt time.Time `gorm:"index"`
	UpdatedAt time.Time
}

// Local reports whether the actor lives on this instance.
func (a *Actor) Local() bool { return a.Domain == "" }

// Field is one profile metadata pair.
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	// VerifiedAt is when a local actor's URL value was last found linking back
	// to the profile with rel="me" (nil: not verified). Not federated: as on
	// Mastodon, every server verifies for itself.
	VerifiedAt *time.Time `json:"verified_at,omitempty"`
}

// User is a local account. Its public face is ActorID.
type User struct {
	ID            string `gorm:"primaryKey;size:26"`
	ActorID       string `gorm:"size:26;not null;uniqueIndex"`
	Username      string `gorm:"size:64;not null"`
	UsernameLower string `gorm:"size:64;not null;uniqueIndex"`
	Email         string `gorm:"size:320;not null;uniqueIndex"` // stored lower-case
	PasswordHash  string `gorm:"size:255;not null" json:"-"`
	Role          string `gorm:"size:16;not null;default:'member'"`
	Approved      bool   `gorm:"not null"`
	Suspended     bool   `gorm:"not null"`
	SignupReason  string `gorm:"type:text"`
	InviteCode    string `gorm:"size:64"`
	LastLoginAt   *time.Time
	CreatedAt     time.Time `gorm:"index"`
	UpdatedAt     time.Time
}

// PasswordReset is a one-time password reset token. ID is the SHA-256 of the
// secret sent by e-mail (or printed by the CLI); UsedAt is set once, by a
// conditional update, when the token is consumed.
type PasswordReset struct {
	ID        string    `gorm:"primaryKey;size:64"`
	UserID    string    `gorm:"size:26;not null;index"`
	ExpiresAt time.Time `gorm:"not null"`
	UsedAt    *time.Time
	CreatedAt time.Time `gorm:"index"`
}

// Session is a browser session; ID is the SHA-256 of the cookie value.
type Session struct {
	ID        string    `gorm:"primaryKey;size:64"`
	UserID    string    `gorm:"size:26;not null;index"`
	CSRFToken string    `gorm:"size:64;not null"`
	UserAgent string    `gorm:"size:512"`
	ExpiresAt time.Time `gorm:"index"`
	CreatedAt time.Time
}

// APIToken is a bearer token for the JSON API; only its SHA-256 is stored.
type APIToken struct {
	ID         string `gorm:"primaryKey;size:26"`
	UserID     string `gorm:"size:26;not null;index"`
	Name       string `gorm:"size:255"`
	TokenHash  string `gorm:"size:64;not null;uniqueIndex" json:"-"`
	LastUsedAt *time.Time
	RevokedAt  *time.Time
	CreatedAt  time.Time
}

// Invite is a sign-up link for closed registration.
type Invite struct {
	Code        string `gorm:"primaryKey;size:64"`
	CreatedByID string `gorm:"size:26;not null"`
	MaxUses     int    `gorm:"not null;default:1"`
	Uses        int    `gorm:"not null;default:0"`
	ExpiresAt   *time.Time
	CreatedAt   time.Time
}

// Setting is a run-time instance setting changed by admins (registration mode, …).
type Setting struct {
	Key       string `gorm:"primaryKey;size:64"`
	Value     string `gorm:"type:text"`
	UpdatedAt time.Time
}

// Media is an uploaded file (avatars, banners). It is kept in the database so that
// several processes on one PostgreSQL serve the same files without a shared disk.
type Media struct {
	ID          string `gorm:"primaryKey;size:26"`
	OwnerID     string `gorm:"size:26;not null;index"` // actor id
	ContentType string `gorm:"size:64;not null"`
	Size        int64  `gorm:"not null"`
	Data        []byte `gorm:"not null" json:"-"`
	// ContributionID is set for a file attached to a contribution; Name is the
	// uploaded file name (offered as the download's name).
	ContributionID *string `gorm:"size:26;index"`
	Name           string  `gorm:"size:255"`
	CreatedAt      time.Time
}
