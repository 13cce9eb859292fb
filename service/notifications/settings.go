package notifications

import (
	"context"
	"crypto/hmac"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// Settings are an account's e-mail choices.
type Settings struct {
	// EmailKinds are the kinds of notification e-mailed (none by default:
	// e-mail is opt-in per kind).
	EmailKinds []string
	// Digest sends them as one mail a day instead of one mail each.
	Digest bool
	// EmailEnabled says whether this instance can send e-mail at all (read only).
	EmailEnabled bool
}

// DigestKind is the pseudo-kind of the daily digest's unsubscribe link: it
// turns every e-mail off.
const DigestKind = "digest"

func wants(set *models.NotificationSetting, kind string) bool {
	return slices.Contains(emailKinds(set), kind)
}

func emailKinds(set *models.NotificationSetting) []string {
	var out []string
	if set != nil && set.EmailKinds != "" {
		_ = json.Unmarshal([]byte(set.EmailKinds), &out)
	}
	return out
}

// Settings returns me's e-mail choices.
func (n *Notifications) Settings(ctx context.Context, me *models.Actor) (Settings, error) {
	out := Settings{EmailKinds: []string{}, EmailEnabled: n.d.Mailer.Enabled()}
	set, err := n.d.Store.NotificationSetting(ctx, me.ID)
	if errors.Is(err, store.ErrNotFound) {
		return out, nil
	}
	if err != nil {
		return out, errs.Internal(err)
	}
	out.EmailKinds, out.Digest = emailKinds(set), set.Digest
	if out.EmailKinds == nil {
		out.EmailKinds = []string{}
	}
	return out, nil
}

// SetSettings stores me's e-mail choices (unknown kinds are refused) and
// returns them as stored.
func (n *Notifications) SetSettings(ctx context.Context, me *models.Actor, s Settings) (Settings, error) {
	if !me.Local() {
		return Settings{}, errs.Forbidden("only local accounts have notification settings")
	}
	kinds := []string{}
	for _, k := range s.EmailKinds {
		if !KnownKind(k) {
			return Settings{}, errs.Unprocessable("unknown kind of notification: %s", k)
		}
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	if err := n.put(ctx, n.d.Store, me.ID, kinds, s.Digest); err != nil {
		return Settings{}, errs.Internal(err)
	}
	return n.Settings(ctx, me)
}

func (n *Notifications) put(ctx context.Context, st interface {
	PutNotificationSetting(ctx context.Context, ns *models.NotificationSetting) error
}, actorID string, kinds []string, digest bool) error {
	b, err := json.Marshal(kinds)
	if err != nil {
		return err
	}
	return st.PutNotificationSetting(ctx, &models.NotificationSetting{ActorID: actorID, EmailKinds: string(b), Digest: digest, UpdatedAt: n.d.Now()})
}

// ---- Unsubscribe links ----

const unsubscribePurpose = "unsubscribe"

// UnsubscribeToken is the signed token of the link that turns actorID's
// e-mail of kind off (DigestKind: all e-mail).
func (n *Notifications) UnsubscribeToken(actorID, kind string) string {
	payload := actorID + ":" + kind
	mac := n.d.Signer.MAC(unsubscribePurpose, []byte(payload))[:16]
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + base64.RawURLEncoding.EncodeToString(mac)
}

// UnsubscribeURL is the one-click unsubscribe link of a mail (List-Unsubscribe
// and the mail's last line): mail clients POST to it (RFC 8058) and it is
// done; a browser opening it (GET) is sent on to the web page
// /notifications/unsubscribe, which asks for nothing but the click.
func (n *Notifications) UnsubscribeURL(actorID, kind string) string {
	return n.d.URLs.Base + "/api/v1/notifications/unsubscribe?token=" + url.QueryEscape(n.UnsubscribeToken(actorID, kind))
}

// CheckUnsubscribe verifies a token and returns the kind it turns off.
func (n *Notifications) CheckUnsubscribe(token string) (actorID, kind string, err error) {
	bad := errs.NotFound("this unsubscribe link is not valid")
	p, m, ok := strings.Cut(token, ".")
	if !ok {
		return "", "", bad
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(p)
	mac, err2 := base64.RawURLEncoding.DecodeString(m)
	if err1 != nil || err2 != nil || !hmac.Equal(mac, n.d.Signer.MAC(unsubscribePurpose, payload)[:16]) {
		return "", "", bad
	}
	actorID, kind, ok = strings.Cut(string(payload), ":")
	if !ok {
		return "", "", bad
	}
	return actorID, kind, nil
}

// Unsubscribe turns off the e-mail a signed link names: one kind, or all
// e-mail (the digest's link). No login: the signature is the permission. It
// returns the kind turned off.
func (n *Notifications) Unsubscribe(ctx context.Context, token string) (string, error) {
	actorID, kind, err := n.CheckUnsubscribe(token)
	if err != nil {
		return "", err
	}
	err = n.d.Store.Tx(ctx, func(tx *store.Store) error {
		set, err := tx.NotificationSetting(ctx, actorID)
		if errors.Is(err, store.ErrNotFound) {
			return nil // nothing is e-mailed already
		}
		if err != nil {
			return err
		}
		kinds, digest := emailKinds(set), set.Digest
		if kind == DigestKind {
			kinds, digest = []string{}, false
		} else {
			kinds = slices.DeleteFunc(kinds, func(k string) bool { return k == kind })
		}
		if kinds == nil {
			kinds = []string{}
		}
		return n.put(ctx, tx, actorID, kinds, digest)
	})
	if err != nil {
		return "", errs.Internal(err)
	}
	return kind, nil
}
