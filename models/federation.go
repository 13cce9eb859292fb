package models

import (
	"strings"
	"time"
)

// Follow states.
const (
	FollowPending  = "pending"
	FollowAccepted = "accepted"
)

// Visibility of a note, as Mastodon names them.
const (
	VisibilityPublic    = "public"
	VisibilityUnlisted  = "unlisted"
	VisibilityFollowers = "followers"
	VisibilityDirect    = "direct"
)

// Follow is a follow relation between two actors (either side local or remote).
type Follow struct {
	ID         string `gorm:"primaryKey;size:26"`
	URI        string `gorm:"size:2048;not null;uniqueIndex"` // the Follow activity's id
	FollowerID string `gorm:"size:26;not null;uniqueIndex:idx_follow_pair"`
	TargetID   string `gorm:"size:26;not null;uniqueIndex:idx_follow_pair;index"`
	State      string `gorm:"size:16;not null"`
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Note is a post: a local note, or a remote Note/Page/Article/Question we received.
type Note struct {
	ID           string    `gorm:"primaryKey;size:26"`
	URI          string    `gorm:"size:2048;not null;uniqueIndex"`
	URL          string    `gorm:"size:2048"`
	Type         string    `gorm:"size:32;not null"`
	AuthorID     string    `gorm:"size:26;not null;index"`
	Name         string    `gorm:"size:1024"`
	Summary      string    `gorm:"type:text"` // content warning
	Content      string    `gorm:"type:text"` // sanitised HTML
	Source       string    `gorm:"type:text"` // Markdown a local author typed
	Sensitive    bool      `gorm:"not null"`
	Visibility   string    `gorm:"size:16;not null;index"`
	InReplyToURI string    `gorm:"size:2048;index"`
	AudienceURI  string    `gorm:"size:2048;index"`
	To           []string  `gorm:"type:text;serializer:json"` // IRIs, stored as a JSON array
	CC           []string  `gorm:"type:text;serializer:json"` // IRIs, stored as a JSON array
	Local        bool      `gorm:"not null"`
	Locked       bool      `gorm:"not null"` // replies closed by a moderator
	Published    time.Time `gorm:"index"`
	EditedAt     *time.Time
	DeletedAt    *time.Time `gorm:"index"` // a Tombstone is served once set
	CreatedAt    time.Time
	UpdatedAt    time.Time

	// Attachments are a remote note's media (images, videos, audio, documents)
	// as its server described them; only http(s) URLs, at most
	// MaxNoteAttachments (the service checks both when the note is stored).
	Attachments []NoteAttachment `gorm:"type:text;serializer:json"`
}

// NoteAttachment is one media attachment of a remote note: an AS2 Document,
// Image, Video or Audio (or a Link to an image, as Lemmy sends). Name is the
// alt text; Width, Height, Blurhash and FocalPoint are Mastodon's hints for
// laying it out before it loads.
type NoteAttachment struct {
	Type       string    `json:"type"`
	URL        string    `json:"url"`
	MediaType  string    `json:"media_type,omitempty"`
	Name       string    `json:"name,omitempty"`
	Width      int       `json:"width,omitempty"`
	Height     int       `json:"height,omitempty"`
	Blurhash   string    `json:"blurhash,omitempty"`
	FocalPoint []float64 `json:"focal_point,omitempty"`
}

// IsImage: the attachment is a picture (by media type, or by AS2 type when the
// sender gave none).
func (a NoteAttachment) IsImage() bool {
	if a.MediaType != "" {
		return strings.HasPrefix(a.MediaType, "image/")
	}
	return a.Type == "Image"
}

// MaxNoteAttachments is how many attachments of a remote note are kept
// (Mastodon sends at most 4, Pleroma and Misskey up to 16); more are dropped.
const MaxNoteAttachments = 16

// NoteTag is a Mention or Hashtag of a note.
type NoteTag struct {
	ID     string `gorm:"primaryKey;size:26"`
	NoteID string `gorm:"size:26;not null;index"`
	Type   string `gorm:"size:16;not null"` // Mention | Hashtag
	Name   string `gorm:"size:512;index"`
	Href   string `gorm:"size:2048;index"`
}

// TimelineEntry puts a note (or a boost of it) in a local actor's home timeline.
type TimelineEntry struct {
	ID          string `gorm:"primaryKey;size:26"` // ULID: orders the timeline
	OwnerID     string `gorm:"size:26;not null;uniqueIndex:idx_timeline_entry;index:idx_timeline_owner"`
	NoteID      string `gorm:"size:26;not null;uniqueIndex:idx_timeline_entry;index"`
	BoostedByID string `gorm:"size:26;not null;uniqueIndex:idx_timeline_entry"` // "" for the post itself
	CreatedAt   time.Time
}

// Announce is a boost.
type Announce struct {
	ID        string `gorm:"primaryKey;size:26"`
	URI       string `gorm:"size:2048;not null;uniqueIndex"`
	ActorID   string `gorm:"size:26;not null;index"`
	ObjectURI string `gorm:"size:2048;not null;index"`
	CreatedAt time.Time
}

// Like is a favourite.
type Like struct {
	ID        string `gorm:"primaryKey;size:26"`
	URI       string `gorm:"size:2048;not null;uniqueIndex"`
	ActorID   string `gorm:"size:26;not null;uniqueIndex:idx_like_pair"`
	ObjectURI string `gorm:"size:2048;not null;uniqueIndex:idx_like_pair"`
	CreatedAt time.Time
}

// Block is an actor blocking another.
type Block struct {
	ID        string `gorm:"primaryKey;size:26"`
	URI       string `gorm:"size:2048;not null;uniqueIndex"`
	ActorID   string `gorm:"size:26;not null;uniqueIndex:idx_block_pair"`
	TargetID  string `gorm:"size:26;not null;uniqueIndex:idx_block_pair"`
	CreatedAt time.Time
}

// Report is a Flag received from another server (or made locally), for moderators.
type Report struct {
	ID            string   `gorm:"primaryKey;size:26"`
	URI           string   `gorm:"size:2048;not null;uniqueIndex"`
	ReporterID    string   `gorm:"size:26;not null"`
	TargetActorID string   `gorm:"size:26;index"`
	ObjectURIs    []string `gorm:"type:text;serializer:json"` // stored as a JSON array
	Content       string   `gorm:"type:text"`
	ResolvedAt    *time.Time
	// ResolvedByID is the local user (not actor) who resolved it, Action what
	// they did (ReportAction*), Resolution the note they left.
	ResolvedByID string    `gorm:"size:26"`
	Action       string    `gorm:"size:32"`
	Resolution   string    `gorm:"type:text"`
	CreatedAt    time.Time `gorm:"index"`
}

// What a moderator did when resolving a report.
const (
	ReportActionNone          = "none"
	ReportActionRemoveContent = "remove_content"
	ReportActionSuspend       = "suspend"
	ReportActionBlockDomain   = "block_domain"
)

// Activity directions and states.
const (
	ActivityPending   = "pending"
	ActivityProcessed = "processed"
	ActivityIgnored   = "ignored"
	ActivityFailed    = "failed"
)

// Activity is an ActivityPub activity we received (deduplicated by URI) or sent
// (served at its id, and the body of its deliveries). The index on (object_uri,
// type) answers "did this actor Undo or Delete that?", asked for every inbound
// activity, without reading the sender's history; actor_uri stays out of it
// because two 2048-character URIs overflow a PostgreSQL btree entry.
type Activity struct {
	ID          string    `gorm:"primaryKey;size:26"`
	URI         string    `gorm:"size:2048;not null;uniqueIndex"`
	Type        string    `gorm:"size:32;not null;index:idx_activities_object_type,priority:2"`
	ActorURI    string    `gorm:"size:2048;not null;index"`
	ObjectURI   string    `gorm:"size:2048;index:idx_activities_object_type,priority:1"`
	Local       bool      `gorm:"not null;index"`
	Public      bool      `gorm:"not null"`
	Raw         string    `gorm:"type:text;not null"`
	State       string    `gorm:"size:16;not null"`
	Error       string    `gorm:"type:text"`
	CreatedAt   time.Time `gorm:"index"`
	ProcessedAt *time.Time
}

// DomainPolicy is an admin's run-time block (or allow, in allowlist mode) of a domain.
type DomainPolicy struct {
	Domain    string `gorm:"primaryKey;size:255"`
	Policy    string `gorm:"size:8;not null"` // block | allow
	Reason    string `gorm:"type:text"`
	CreatedAt time.Time
}
