package accounts

import (
	"context"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strings"

	"github.com/commonsd/commonsd/content"
	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// Actors owns the rules shared by every kind of local actor: handle syntax, the one
// namespace of handles, key pairs and profile fields.
type Actors struct{ d Deps }

var handleRE = regexp.MustCompile(`^[a-zA-Z0-9_]{1,30}$`)

// reserved handles would shadow routes or confuse readers.
var reserved = map[string]bool{
	"admin": true, "administrator": true, "me": true, "verify_credentials": true, "api": true, "about": true, "actor": true, "inbox": true,
	"outbox": true, "instance": true, "login": true, "logout": true, "signup": true, "settings": true,
	"static": true, "media": true, "users": true, "c": true, "communities": true, "nodeinfo": true,
	"root": true, "system": true, "support": true, "healthz": true, "readyz": true, "metrics": true,
	"well_known": true, "commonsd": true, "moderator": true, "postmaster": true, "webmaster": true,
}

// ValidateHandle checks a new local handle (users, communities, organizations share
// one namespace). It does not check availability: the unique index does, atomically.
// The rule, as the forms state it: 1 to 30 characters from a–z, 0–9 and _
// (capitals are kept as typed but @Ada and @ada are one handle), with at least
// one letter or digit: "_" or "___" alone are refused.
func ValidateHandle(h string) error { return validateHandleAs("handle", h) }

// ValidateUsername is ValidateHandle for a person's account, whose messages say
// "username".
func ValidateUsername(h string) error { return validateHandleAs("username", h) }

func validateHandleAs(what, h string) error {
	if h == "" {
		return errs.Unprocessable("choose a %s", what)
	}
	if !handleRE.MatchString(h) {
		return errs.Unprocessable("a %s is 1 to 30 characters from a–z, 0–9 and _ (no spaces, dots or accents)", what)
	}
	if strings.Trim(h, "_") == "" {
		return errs.Unprocessable("a %s needs at least one letter or digit", what)
	}
	if reserved[strings.ToLower(h)] {
		return errs.Unprocessable("the %s %q is reserved", what, h)
	}
	return nil
}

// ValidateDisplayName checks a display name (people, communities): at most 100
// characters and no bidirectional override or isolate characters (U+202A–U+202E,
// U+2066–U+2069), which can make a name read as someone else's or reverse the
// text around it.
func ValidateDisplayName(what, name string) error {
	if len([]rune(name)) > 100 {
		return errs.Unprocessable("%s is longer than 100 characters", what)
	}
	for _, r := range name {
		if (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') {
			return errs.Unprocessable("%s contains a text-direction control character (U+%04X); remove it", what, r)
		}
	}
	return nil
}

// NewLocal builds (without saving) a local actor with fresh key pairs: RSA-2048
// (publicKey, draft-cavage, for every peer) and Ed25519 (FEP-521a Multikey in
// assertionMethod, RFC 9421, for peers that advertise one too).
func (a *Actors) NewLocal(typ, username, name string) (*models.Actor, error) {
	sealed, pub, err := a.d.Keys.NewKeyPair()
	if err != nil {
		return nil, errs.Internal(err)
	}
	edSealed, edPub, err := a.d.Keys.NewEd25519Pair()
	if err != nil {
		return nil, errs.Internal(err)
	}
	u := a.d.URLs
	uri := u.Actor(username)
	if typ == models.ActorApplication {
		uri = u.InstanceActor()
	}
	return &models.Actor{
		ID: models.NewID(), Type: typ, Username: username, Domain: "", URI: uri,
		URL: u.Profile(username), Name: name,
		InboxURI: uri + "/inbox", OutboxURI: uri + "/outbox", FollowersURI: uri + "/followers",
		FollowingURI: uri + "/following", FeaturedURI: uri + "/collections/featured",
		SharedInbox: u.SharedInbox(), PublicKeyID: u.KeyID(uri), PublicKeyPEM: pub, PrivateKey: sealed,
		Ed25519KeyID: u.Ed25519KeyID(uri), Ed25519PublicKey: edPub, Ed25519PrivateKey: edSealed,
		Discoverable: true, Bot: typ == models.ActorApplication,
	}, nil
}

// CreateLocal validates the handle and saves a new local actor.
func (a *Actors) CreateLocal(ctx context.Context, typ, username, name string) (*models.Actor, error) {
	if err := ValidateHandle(username); err != nil {
		return nil, err
	}
	act, err := a.NewLocal(typ, username, name)
	if err != nil {
		return nil, err
	}
	if err := a.d.Store.CreateActor(ctx, act); err != nil {
		if errors.Is(err, store.ErrExists) {
			return nil, errs.Conflict("handle %q is taken", username)
		}
		return nil, errs.Internal(err)
	}
	return act, nil
}

// PrivateKey opens a local actor's signing key.
func (a *Actors) PrivateKey(act *models.Actor) (*rsa.PrivateKey, error) {
	if !act.Local() || len(act.PrivateKey) == 0 {
		return nil, errs.Internal(errors.New("actor has no private key: " + act.URI))
	}
	return a.d.Keys.Private(act.PrivateKey)
}

// Ed25519PrivateKey opens a local actor's Ed25519 signing key.
func (a *Actors) Ed25519PrivateKey(act *models.Actor) (ed25519.PrivateKey, error) {
	if !act.Local() || len(act.Ed25519PrivateKey) == 0 {
		return nil, errs.Internal(errors.New("actor has no Ed25519 private key: " + act.URI))
	}
	return a.d.Keys.PrivateEd25519(act.Ed25519PrivateKey)
}

// EnsureEd25519Keys gives every local actor made before Ed25519 keys existed
// (migration 0015) its key pair, in batches; it returns how many it made. It
// runs at start (app.New): sealing needs the instance secret, which the
// migration does not have. A concurrent run keeps whichever key was stored first.
func (a *Actors) EnsureEd25519Keys(ctx context.Context) (int, error) {
	made := 0
	for {
		batch, err := a.d.Store.LocalActorsWithoutEd25519(ctx, 200)
		if err != nil {
			return made, errs.Internal(err)
		}
		if len(batch) == 0 {
			return made, nil
		}
		for _, act := range batch {
			sealed, pub, err := a.d.Keys.NewEd25519Pair()
			if err != nil {
				return made, errs.Internal(err)
			}
			ok, err := a.d.Store.SetEd25519Key(ctx, act.ID, a.d.URLs.Ed25519KeyID(act.URI), pub, sealed)
			if err != nil {
				return made, errs.Internal(err)
			}
			if ok {
				made++
			}
		}
	}
}

// LocalByHandle finds a local, unsuspended actor by handle.
func (a *Actors) LocalByHandle(ctx context.Context, username string) (*models.Actor, error) {
	act, err := a.d.Store.ActorByHandle(ctx, username, "")
	if err == nil && act.DeletedAt != nil {
		return nil, errs.New(http.StatusGone, "@%s has deleted their account", act.Username)
	}
	if errors.Is(err, store.ErrNotFound) || (err == nil && act.Suspended) {
		return nil, errs.NotFound("no actor @%s here", username)
	}
	if err != nil {
		return nil, errs.Internal(err)
	}
	return act, nil
}

// Deleted returns the local actor with this handle if its account was
// deleted (it is served as a Tombstone), else nil.
func (a *Actors) Deleted(ctx context.Context, username string) *models.Actor {
	act, err := a.d.Store.ActorByHandle(ctx, username, "")
	if err != nil || act.DeletedAt == nil {
		return nil
	}
	return act
}

// ByID loads any actor.
func (a *Actors) ByID(ctx context.Context, id string) (*models.Actor, error) {
	act, err := a.d.Store.ActorByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errs.NotFound("actor not found")
	}
	if err != nil {
		return nil, errs.Internal(err)
	}
	return act, nil
}

// Instance returns the Application actor.
func (a *Actors) Instance(ctx context.Context) (*models.Actor, error) {
	return a.ensureInstance(ctx)
}

func (a *Actors) ensureInstance(ctx context.Context) (*models.Actor, error) {
	act, err := a.d.Store.ActorByURI(ctx, a.d.URLs.InstanceActor())
	if err == nil {
		return act, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return nil, errs.Internal(err)
	}
	act, err = a.NewLocal(models.ActorApplication, core.InstanceActorName, a.d.Cfg.Instance.Name)
	if err != nil {
		return nil, err
	}
	act.URL = a.d.Cfg.Server.PublicURL + "/about"
	act.ManuallyApprovesFollowers = true
	act.Discoverable = false
	if err := a.d.Store.CreateActor(ctx, act); err != nil {
		if errors.Is(err, store.ErrExists) { // another process won the race
			return a.d.Store.ActorByURI(ctx, a.d.URLs.InstanceActor())
		}
		return nil, errs.Internal(err)
	}
	return act, nil
}

// Profile is what a local actor may change about itself.
type Profile struct {
	DisplayName               string
	Bio                       string // plain text with blank-line paragraphs, like Mastodon's
	Fields                    []models.Field
	Discoverable              *bool
	ManuallyApprovesFollowers *bool
	HideFollowers             *bool
}

// UpdateProfile validates and saves profile changes of a local actor.
func (a *Actors) UpdateProfile(ctx context.Context, act *models.Actor, p Profile) error {
	p.DisplayName = strings.TrimSpace(p.DisplayName)
	var bad errs.Fields
	bad.Add("display_name", ValidateDisplayName("display name", p.DisplayName))
	if len([]rune(p.Bio)) > 2000 {
		bad.Add("bio", errs.Unprocessable("bio is longer than 2000 characters"))
	}
	if len(p.Fields) > 8 {
		bad.Add("fields", errs.Unprocessable("at most 8 profile fields"))
	}
	var fields []models.Field
	for _, f := range p.Fields {
		f.Name, f.Value = strings.TrimSpace(f.Name), strings.TrimSpace(f.Value)
		if f.Name == "" && f.Value == "" {
			continue
		}
		if len([]rune(f.Name)) > 255 || len([]rune(f.Value)) > 255 {
			bad.Add("fields", errs.Unprocessable("profile field names and values are at most 255 characters"))
		}
		bad.Add("fields", ValidateDisplayName("a profile field label", f.Name))
		fields = append(fields, f)
	}
	if err := bad.Err(); err != nil {
		return err
	}
	act.Name = p.DisplayName
	act.SummarySource = p.Bio
	act.Summary = content.PlainLinked(p.Bio, a.d.URLs.Base) // URLs, @mentions and #tags linked
	verify := keepVerified(Fields(act), fields)
	b, _ := json.Marshal(fields)
	act.Fields = string(b)
	if p.Discoverable != nil {
		act.Discoverable = *p.Discoverable
	}
	if p.ManuallyApprovesFollowers != nil {
		act.ManuallyApprovesFollowers = *p.ManuallyApprovesFollowers
	}
	if p.HideFollowers != nil {
		act.HideFollowers = *p.HideFollowers
	}
	err := a.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.UpdateActor(ctx, act); err != nil {
			return err
		}
		if verify {
			return a.enqueueVerify(ctx, tx, act)
		}
		return nil
	})
	if err != nil {
		return errs.Internal(err)
	}
	return nil
}

// Fields decodes an actor's profile fields.
func Fields(act *models.Actor) []models.Field {
	var f []models.Field
	if act.Fields != "" {
		_ = json.Unmarshal([]byte(act.Fields), &f)
	}
	return f
}

// Avatar types and their magic numbers: the declared type must match the bytes.
var imageMagic = map[string][]byte{
	"image/png":  {0x89, 'P', 'N', 'G'},
	"image/jpeg": {0xFF, 0xD8, 0xFF},
	"image/gif":  []byte("GIF8"),
	"image/webp": []byte("RIFF"),
}

// Image slots of an actor.
const (
	ImageIcon   = "icon"   // avatar
	ImageBanner = "banner" // header image
)

// SetAvatar stores an uploaded image and points the actor's icon at it.
func (a *Actors) SetAvatar(ctx context.Context, act *models.Actor, contentType string, data []byte) error {
	return a.SetImage(ctx, act, ImageIcon, contentType, data)
}

// SetImage stores an uploaded image as the actor's icon (avatar) or banner
// (header image), replacing the previous one. The declared type must match the
// bytes; the size limit is media.max_avatar_bytes.
func (a *Actors) SetImage(ctx context.Context, act *models.Actor, slot, contentType string, data []byte) error {
	what := "avatar"
	if slot == ImageBanner {
		what = "banner"
	} else if slot != ImageIcon {
		return errs.Unprocessable("image must be icon or banner")
	}
	if max := a.d.Cfg.Media.MaxAvatarBytes; int64(len(data)) > max {
		return errs.New(413, "%s is larger than %s", what, content.HumanBytes(max))
	}
	if len(data) == 0 {
		return errs.Unprocessable("%s file is empty", what)
	}
	magic, ok := imageMagic[contentType]
	if !ok {
		return errs.New(415, "%s must be PNG, JPEG, GIF or WebP", what)
	}
	if !strings.HasPrefix(string(data), string(magic)) {
		return errs.New(415, "%s content is not a %s image", what, contentType)
	}
	m := &models.Media{ID: models.NewID(), OwnerID: act.ID, ContentType: contentType, Size: int64(len(data)), Data: data}
	idField, urlField := &act.IconMediaID, &act.IconURL
	if slot == ImageBanner {
		idField, urlField = &act.ImageMediaID, &act.ImageURL
	}
	old := *idField
	err := a.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateMedia(ctx, m); err != nil {
			return err
		}
		*idField = m.ID
		*urlField = a.d.URLs.Media(m.ID)
		if err := tx.UpdateActor(ctx, act); err != nil {
			return err
		}
		if old != "" {
			return tx.DeleteMedia(ctx, old)
		}
		return nil
	})
	if err != nil {
		return errs.Internal(err)
	}
	return nil
}

// Media returns an uploaded file.
func (a *Actors) Media(ctx context.Context, id string) (*models.Media, error) {
	m, err := a.d.Store.MediaByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errs.NotFound("media not found")
	}
	if err != nil {
		return nil, errs.Internal(err)
	}
	return m, nil
}

// ByIDs loads known actors by row id.
func (a *Actors) ByIDs(ctx context.Context, ids []string) (map[string]*models.Actor, error) {
	out, err := a.d.Store.ActorsByIDs(ctx, ids)
	if err != nil {
		return nil, errs.Internal(err)
	}
	return out, nil
}

// KnownByURI loads an actor already stored here (nil when unknown); it does not
// fetch.
func (a *Actors) KnownByURI(ctx context.Context, uri string) *models.Actor {
	act, err := a.d.Store.ActorByURI(ctx, uri)
	if err != nil {
		return nil
	}
	return act
}
