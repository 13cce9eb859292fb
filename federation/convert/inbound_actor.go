package convert

import (
	"encoding/json"
	"net/url"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/commonsd/commonsd/content"
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
)

// MaxRemoteFields bounds the profile fields kept from a remote actor.
const MaxRemoteFields = 16

// RemoteActor maps a remote actor document, already validated by the fetcher
// (an actor type, a publicKey owned by it, an http(s) inbox, served from its
// own origin), onto our actor model; domain is its id's canonical host and now
// its fetch time. Storing it (refreshes, renaming a reassigned handle, never
// overwriting a local actor) is the service's: service.Actors.UpsertRemote.
//
//   - Username is preferredUsername, else the id's last path segment (see
//     remoteUsername); URL is the document's url when http(s), else its id.
//   - Name is plain text (at most 255 runes); the summary and field values are
//     sanitised HTML, field names plain text; at most MaxRemoteFields fields.
//   - Every other URL (outbox, followers, following, featured, sharedInbox,
//     icon, image) is kept only when http(s) (content.SafeURL), else empty.
//   - A Service or Application is a bot.
//   - Ed25519KeyID/Ed25519PublicKey: the first assertionMethod entry that is a
//     Multikey controlled by the actor (controller == id), whose id is on the
//     actor's host (domain) and whose publicKeyMultibase is an Ed25519 key
//     (see Ed25519Multikey); none: empty. AcceptsEd25519 when there is one and
//     the actor's generator implements vocab.CapRFC9421Ed25519 (FEP-844e):
//     only then do we sign to it with Ed25519, else with RSA.
func RemoteActor(obj *vocab.Object, domain string, now time.Time) *models.Actor {
	a := &models.Actor{}
	a.Type = truncate(obj.Type, 32)
	a.Username = remoteUsername(obj)
	a.Domain = domain
	a.URI = obj.ID
	a.URL = obj.ID
	if obj.URL != "" && content.SafeURL(obj.URL) == obj.URL {
		a.URL = obj.URL
	}
	a.Name = truncate(strings.TrimSpace(content.Text(obj.Name)), 255)
	a.Summary = content.Sanitize(obj.Summary)
	a.SummarySource = ""
	if obj.Source != nil && obj.Source.Content != "" {
		a.SummarySource = obj.Source.Content
	}
	a.InboxURI = obj.Inbox
	a.OutboxURI = content.SafeURL(obj.Outbox)
	a.FollowersURI = content.SafeURL(obj.Followers)
	a.FollowingURI = content.SafeURL(obj.Following)
	a.FeaturedURI = content.SafeURL(obj.Featured)
	a.SharedInbox = content.SafeURL(obj.SharedInbox)
	a.IconURL = content.SafeURL(obj.Icon)
	a.ImageURL = content.SafeURL(obj.Image)
	if obj.PublicKey != nil {
		a.PublicKeyID = obj.PublicKey.ID
		a.PublicKeyPEM = obj.PublicKey.PublicKeyPEM
	}
	if k, ok := Ed25519Multikey(obj, domain); ok {
		a.Ed25519KeyID, a.Ed25519PublicKey = k.ID, k.PublicKeyMultibase
		for _, im := range obj.Implements {
			a.AcceptsEd25519 = a.AcceptsEd25519 || im.Href == vocab.CapRFC9421Ed25519
		}
	}
	a.ManuallyApprovesFollowers = obj.ManuallyApprovesFollowers
	a.Discoverable = obj.Discoverable
	a.Bot = obj.Type == "Service" || obj.Type == models.ActorApplication
	var fields []models.Field
	for _, pv := range obj.Fields {
		if len(fields) == MaxRemoteFields {
			break
		}
		fields = append(fields, models.Field{Name: truncate(content.Text(pv.Name), 255), Value: content.Sanitize(pv.Value)})
	}
	a.Fields = ""
	if len(fields) > 0 {
		b, _ := json.Marshal(fields)
		a.Fields = string(b)
	}
	t := now.UTC()
	a.FetchedAt = &t
	return a
}

// Ed25519Multikey picks the Ed25519 key a remote actor advertises for
// signatures: the first assertionMethod entry of type Multikey whose
// controller is the actor, whose id is an http(s) URL on domain (the actor's
// canonical host, default port dropped) other than the actor's own id, and whose
// publicKeyMultibase decodes to an Ed25519 key. Keys of other types (RSA or
// P-256 Multikeys, which Fedify also lists) are skipped.
func Ed25519Multikey(obj *vocab.Object, domain string) (vocab.Multikey, bool) {
	for _, k := range obj.AssertionMethod {
		if k.Type != "Multikey" || k.Controller != obj.ID || k.ID == obj.ID || len(k.ID) > 2048 {
			continue
		}
		u, err := url.Parse(k.ID)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || canonicalHost(u) != domain {
			continue
		}
		if _, err := models.DecodeMultikey(k.PublicKeyMultibase); err != nil {
			continue
		}
		return k, true
	}
	return vocab.Multikey{}, false
}

// canonicalHost is u's lower-case host[:port] without the scheme's default port.
func canonicalHost(u *url.URL) string {
	h := strings.ToLower(u.Host)
	switch {
	case u.Scheme == "https" && strings.HasSuffix(h, ":443"):
		h = strings.TrimSuffix(h, ":443")
	case u.Scheme == "http" && strings.HasSuffix(h, ":80"):
		h = strings.TrimSuffix(h, ":80")
	}
	return strings.TrimSuffix(h, ".")
}

// remoteUsername is preferredUsername, or the id's last path segment, without
// a leading "@", at most 200 runes; "actor" when neither gives a name.
func remoteUsername(obj *vocab.Object) string {
	n := strings.TrimSpace(obj.PreferredUsername)
	if n == "" {
		if u, err := url.Parse(obj.ID); err == nil {
			n = path.Base(strings.TrimRight(u.Path, "/"))
		}
	}
	n = strings.TrimPrefix(n, "@")
	if n == "" || n == "." || n == "/" {
		n = "actor"
	}
	return truncate(n, 200)
}

// truncate cuts s to at most n runes.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n])
}
