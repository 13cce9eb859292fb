package api

import (
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// The JSON shapes the API renders. They are built field by field from the models so
// that nothing private (email, password hash, keys) leaks by accident.

type fieldJSON struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// accountJSON is the public view of a local actor.
type accountJSON struct {
	ID                        string      `json:"id"`
	URI                       string      `json:"uri"`
	Username                  string      `json:"username"`
	Acct                      string      `json:"acct"`
	DisplayName               string      `json:"display_name"`
	Note                      string      `json:"note"`
	Avatar                    string      `json:"avatar"`
	URL                       string      `json:"url"`
	Fields                    []fieldJSON `json:"fields"`
	Type                      string      `json:"type"`
	Bot                       bool        `json:"bot"`
	Discoverable              bool        `json:"discoverable"`
	ManuallyApprovesFollowers bool        `json:"manually_approves_followers"`
	CreatedAt                 time.Time   `json:"created_at"`
}

func accountView(act *models.Actor) accountJSON {
	fields := []fieldJSON{}
	for _, f := range service.Fields(act) {
		fields = append(fields, fieldJSON{Name: f.Name, Value: f.Value})
	}
	return accountJSON{
		ID: act.ID, URI: act.URI, Username: act.Username, Acct: act.Username, DisplayName: act.Name,
		Note: act.Summary, Avatar: act.IconURL, URL: act.URL, Fields: fields, Type: act.Type, Bot: act.Bot,
		Discoverable: act.Discoverable, ManuallyApprovesFollowers: act.ManuallyApprovesFollowers,
		CreatedAt: act.CreatedAt.UTC(),
	}
}

// sourceJSON is what the owner typed: the editable profile.
type sourceJSON struct {
	Bio                       string      `json:"bio"`
	Fields                    []fieldJSON `json:"fields"`
	Discoverable              bool        `json:"discoverable"`
	ManuallyApprovesFollowers bool        `json:"manually_approves_followers"`
	HideFollowers             bool        `json:"hide_followers"`
}

// userJSON is an account as its owner and the staff see it.
type userJSON struct {
	ID          string       `json:"id"`
	Username    string       `json:"username"`
	Email       string       `json:"email"`
	Role        string       `json:"role"`
	Approved    bool         `json:"approved"`
	Suspended   bool         `json:"suspended"`
	ActorID     string       `json:"actor_id"`
	CreatedAt   time.Time    `json:"created_at"`
	LastLoginAt *time.Time   `json:"last_login_at"`
	Account     *accountJSON `json:"account,omitempty"`
	Source      *sourceJSON  `json:"source,omitempty"`
}

func userView(u *models.User) userJSON {
	return userJSON{ID: u.ID, Username: u.Username, Email: u.Email, Role: u.Role, Approved: u.Approved,
		Suspended: u.Suspended, ActorID: u.ActorID, CreatedAt: u.CreatedAt.UTC(), LastLoginAt: u.LastLoginAt}
}

// ownerView adds the actor and the profile source, for the user themself.
func ownerView(u *models.User, act *models.Actor) userJSON {
	v := userView(u)
	acc := accountView(act)
	v.Account = &acc
	v.Source = &sourceJSON{Bio: act.SummarySource, Fields: acc.Fields, Discoverable: act.Discoverable,
		ManuallyApprovesFollowers: act.ManuallyApprovesFollowers, HideFollowers: act.HideFollowers}
	return v
}

// tokenJSON describes an API token; the secret is only ever shown at creation.
type tokenJSON struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

func tokenView(t *models.APIToken) tokenJSON {
	return tokenJSON{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt.UTC(), LastUsedAt: t.LastUsedAt, RevokedAt: t.RevokedAt}
}

type inviteJSON struct {
	Code      string     `json:"code"`
	URL       string     `json:"url"`
	MaxUses   int        `json:"max_uses"`
	Uses      int        `json:"uses"`
	ExpiresAt *time.Time `json:"expires_at"`
	CreatedAt time.Time  `json:"created_at"`
}

func (a *API) inviteView(inv *models.Invite) inviteJSON {
	return inviteJSON{Code: inv.Code, URL: a.svc.Cfg.Server.PublicURL + "/signup?invite=" + inv.Code,
		MaxUses: inv.MaxUses, Uses: inv.Uses, ExpiresAt: inv.ExpiresAt, CreatedAt: inv.CreatedAt.UTC()}
}
