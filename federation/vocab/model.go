package vocab

import "time"

// PublicAddress is the special "everyone" collection of ActivityStreams.
const PublicAddress = "https://www.w3.org/ns/activitystreams#Public"

// Object is one ActivityStreams object, link, activity, actor or collection,
// flattened into plain fields. Absent values are zero values. IRIs are
// strings. Embedded objects (Object, Target, Origin, Items) may carry only
// an ID when the JSON had a bare IRI.
type Object struct {
	ID   string
	Type string // first entry when the JSON had an array of types

	// Activity
	Actor  string  // first actor IRI
	Object *Object // IRI-only or embedded
	Target *Object
	Origin *Object

	// Addressing
	To, CC, BTo, BCC []string
	Audience         []string // FEP-1b12: the Group a post belongs to

	// Content
	Name       string
	Summary    string
	Content    string
	ContentMap map[string]string // language → HTML (kept even when content is set)
	MediaType  string
	Source     *Source

	Published time.Time
	Updated   time.Time
	StartTime time.Time
	EndTime   time.Time
	Deleted   time.Time
	// Closed is non-nil when a Question is closed; a zero time means
	// "closed: true" without a date.
	Closed *time.Time

	AttributedTo []string
	InReplyTo    string
	URL          string // first href (prefers text/html links)
	Context      string // AS2 "context" (thread), not "@context"
	Conversation string // OStatus conversation (Mastodon)

	Tags        []Tag
	Attachments []Attachment // everything but PropertyValue (see Fields)
	// MediaLinks are the Links of "url" that point at media (a media type
	// image/, video/ or audio/), including those PeerTube nests in a
	// playlist Link's "tag": a Video's files. Read, not written.
	MediaLinks []Attachment
	Sensitive  bool

	// Question
	OneOf       []QuestionOption
	AnyOf       []QuestionOption
	VotersCount int

	// Replies/likes/shares collections and their totals when embedded.
	Replies      string
	RepliesCount int
	Likes        string
	LikesCount   int
	Shares       string
	SharesCount  int

	// Tombstone
	FormerType string

	// Actor
	PreferredUsername string
	Inbox             string
	Outbox            string
	Followers         string
	Following         string
	Featured          string
	FeaturedTags      string
	SharedInbox       string // endpoints.sharedInbox
	PublicKey         *PublicKey
	AssertionMethod   []Multikey // FEP-521a keys (objects only; IRIs are skipped)
	// Implements lists what the software that made the object says it
	// implements (FEP-844e: generator.implements, an Application); Name is
	// informative, Href identifies the capability.
	Implements                []Implement
	ManuallyApprovesFollowers bool
	Discoverable              bool
	Icon                      string // URL of the (first) icon image
	Image                     string // URL of the (first) header image
	AlsoKnownAs               []string
	MovedTo                   string
	Fields                    []PropertyValue // PropertyValue attachments
	Moderators                string          // Lemmy's moderators collection IRI

	// Collections and pages
	TotalItems *int
	First      string
	Last       string
	Next       string
	Prev       string
	PartOf     string
	Items      []*Object // items or orderedItems; IRI-only or embedded

	// Extra holds extension terms to write (Serialize adds each key that
	// the standard fields did not already produce). Parse leaves it nil;
	// read extension terms from Raw.
	Extra map[string]any

	// Raw is the decoded JSON of this object (Parse only). Embedded
	// objects point into their parent's Raw.
	Raw map[string]any

	// VocabErr is non-nil when go-fed's strict reading failed for a
	// reason other than an unknown type; the fields were read from the
	// raw JSON anyway. It is informational.
	VocabErr error
}

// Source is the source form of the content (e.g. Markdown).
type Source struct {
	Content   string
	MediaType string
}

// PublicKey is a security-v1 key of an actor.
type PublicKey struct {
	ID           string
	Owner        string
	PublicKeyPEM string
}

// Multikey is a FEP-521a key listed in an actor's assertionMethod. Parse
// keeps every object entry as found (Type may be another type than
// "Multikey"); what is usable is for the reader to decide.
type Multikey struct {
	ID                 string
	Type               string
	Controller         string
	PublicKeyMultibase string
}

// Implement is one FEP-844e capability.
type Implement struct {
	Name string
	Href string
}

// FEP-844e capabilities (the registry's identifiers).
const (
	CapRFC9421        = "https://datatracker.ietf.org/doc/html/rfc9421"
	CapRFC9421Ed25519 = "https://datatracker.ietf.org/doc/html/rfc9421#name-eddsa-using-curve-edwards25"
)

// MaxImplements bounds the capabilities read from one generator.
const MaxImplements = 32

// MaxAssertionMethods bounds the keys read from one actor's assertionMethod.
const MaxAssertionMethods = 8

// Tag types.
const (
	TagMention = "Mention"
	TagHashtag = "Hashtag"
	TagEmoji   = "Emoji"
)

// Tag is a tag entry (Mention, Hashtag, Emoji, or another type).
type Tag struct {
	Type string
	ID   string // Emoji id, Lemmy tag id
	Href string
	Name string
	Icon string // Emoji image URL
}

// Attachment is a media or link attachment.
type Attachment struct {
	Type      string // Document, Image, Link, Video, Audio...
	Rel       string // a Link's rel (FEP-0ea0: "payment"); written, not read
	MediaType string
	URL       string
	Name      string
	Blurhash  string
	Width     int
	Height    int
	// FocalPoint is Mastodon's [x, y] in -1..1; read, not written.
	FocalPoint []float64
}

// PropertyValue is a schema.org PropertyValue (profile field).
type PropertyValue struct {
	Name  string
	Value string
}

// QuestionOption is one choice of a Question.
type QuestionOption struct {
	Name    string
	Replies int // replies.totalItems
}

var activityTypes = map[string]bool{
	"Accept": true, "Add": true, "Announce": true, "Arrive": true, "Block": true,
	"Create": true, "Delete": true, "Dislike": true, "Flag": true, "Follow": true,
	"Ignore": true, "Invite": true, "Join": true, "Leave": true, "Like": true,
	"Listen": true, "Move": true, "Offer": true, "Read": true, "Reject": true,
	"Remove": true, "TentativeAccept": true, "TentativeReject": true,
	"Travel": true, "Undo": true, "Update": true, "View": true,
	"Activity": true, "IntransitiveActivity": true,
	// Extensions seen in the wild.
	"EmojiReact": true, "Lock": true, "Resolve": true,
}

var actorTypes = map[string]bool{
	"Person": true, "Group": true, "Organization": true, "Application": true, "Service": true,
}

var collectionTypes = map[string]bool{
	"Collection": true, "OrderedCollection": true,
	"CollectionPage": true, "OrderedCollectionPage": true,
}

// Object types of AS2 and common extensions; used to decide whether an
// unknown type with an actor is an activity.
var objectTypes = map[string]bool{
	"Object": true, "Note": true, "Article": true, "Page": true, "Question": true,
	"Tombstone": true, "Event": true, "Place": true, "Profile": true,
	"Relationship": true, "Document": true, "Image": true, "Video": true,
	"Audio": true, "Link": true, "Mention": true, "Hashtag": true, "Emoji": true,
	"ChatMessage": true, "PropertyValue": true,
}

// IsActivity reports whether o is an activity: a known activity type, or an
// unknown type that has an actor (e.g. Lemmy's Warn).
func (o *Object) IsActivity() bool {
	if o == nil {
		return false
	}
	if activityTypes[o.Type] {
		return true
	}
	if actorTypes[o.Type] || collectionTypes[o.Type] || objectTypes[o.Type] {
		return false
	}
	return o.Actor != ""
}

// IsActor reports whether o is an actor (Person, Group, Organization,
// Application, Service).
func (o *Object) IsActor() bool { return o != nil && actorTypes[o.Type] }

// IsCollection reports whether o is a collection or collection page.
func (o *Object) IsCollection() bool { return o != nil && collectionTypes[o.Type] }

// IsTombstone reports whether o is a Tombstone.
func (o *Object) IsTombstone() bool { return o != nil && o.Type == "Tombstone" }

// IsPublic reports whether the Public collection is among To/CC (also
// accepting the "as:Public" and "Public" short forms).
func (o *Object) IsPublic() bool {
	if o == nil {
		return false
	}
	for _, l := range [][]string{o.To, o.CC} {
		for _, a := range l {
			if a == PublicAddress || a == "as:Public" || a == "Public" {
				return true
			}
		}
	}
	return false
}

// ObjectID returns the ID of the activity's object, or "".
func (o *Object) ObjectID() string {
	if o == nil || o.Object == nil {
		return ""
	}
	return o.Object.ID
}

// IsIRIOnly reports whether o carries nothing but an ID (the JSON had a
// bare IRI).
func (o *Object) IsIRIOnly() bool {
	return o != nil && o.ID != "" && o.Type == "" && o.Raw == nil
}

// Ref returns an Object holding only an IRI, for Object/Target fields.
func Ref(iri string) *Object { return &Object{ID: iri} }
