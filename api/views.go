package api

import (
	"strings"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// The JSON shapes the API renders. They are built field by field from the models so
// that nothing private (email, password hash, keys) leaks by accident.

type fieldJSON struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	// VerifiedAt is when the value (a URL) was found linking back with
	// rel="me"; null when not verified (as Mastodon's API).
	VerifiedAt *time.Time `json:"verified_at"`
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
		fields = append(fields, fieldJSON{Name: f.Name, Value: f.Value, VerifiedAt: f.VerifiedAt})
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

// actorJSON is any actor, local or remote, as it appears in follows, notes and
// reports. handle is always "@name@host".
type actorJSON struct {
	ID                        string `json:"id"`
	URI                       string `json:"uri"`
	URL                       string `json:"url"`
	Handle                    string `json:"handle"`
	Username                  string `json:"username"`
	Domain                    string `json:"domain"`
	DisplayName               string `json:"display_name"`
	Avatar                    string `json:"avatar"`
	Type                      string `json:"type"`
	Bot                       bool   `json:"bot"`
	Local                     bool   `json:"local"`
	ManuallyApprovesFollowers bool   `json:"manually_approves_followers"`
}

func (a *API) actorView(act *models.Actor) *actorJSON {
	if act == nil {
		return nil
	}
	domain := act.Domain
	if act.Local() {
		domain = a.svc.Cfg.PublicHost()
	}
	return &actorJSON{ID: act.ID, URI: act.URI, URL: act.URL, Handle: "@" + act.Username + "@" + domain,
		Username: act.Username, Domain: domain, DisplayName: act.Name, Avatar: act.IconURL, Type: act.Type,
		Bot: act.Bot, Local: act.Local(), ManuallyApprovesFollowers: act.ManuallyApprovesFollowers}
}

// followJSON is a follow the caller made (target) or received (follower).
type followJSON struct {
	ID        string     `json:"id"`
	State     string     `json:"state"`
	Target    *actorJSON `json:"target,omitempty"`
	Follower  *actorJSON `json:"follower,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
}

func (a *API) followingView(f *models.Follow, target *models.Actor) followJSON {
	return followJSON{ID: f.ID, State: f.State, Target: a.actorView(target), CreatedAt: f.CreatedAt.UTC()}
}

func (a *API) followerView(f *models.Follow, follower *models.Actor) followJSON {
	return followJSON{ID: f.ID, State: f.State, Follower: a.actorView(follower), CreatedAt: f.CreatedAt.UTC()}
}

type mentionJSON struct {
	URI    string `json:"uri"`
	Handle string `json:"handle"`
}

type tagJSON struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// noteJSON is a note; content and summary are sanitised HTML.
type noteJSON struct {
	ID         string        `json:"id"`
	URI        string        `json:"uri"`
	URL        string        `json:"url"`
	Content    string        `json:"content"`
	Summary    string        `json:"summary"`
	Sensitive  bool          `json:"sensitive"`
	Visibility string        `json:"visibility"`
	InReplyTo  string        `json:"in_reply_to"`
	Published  time.Time     `json:"published"`
	EditedAt   *time.Time    `json:"edited_at"`
	Author     *actorJSON    `json:"author"`
	Mentions   []mentionJSON `json:"mentions"`
	Tags       []tagJSON     `json:"tags"`
}

func (a *API) noteView(n *models.Note, author *models.Actor, tags []models.NoteTag) noteJSON {
	v := noteJSON{ID: n.ID, URI: n.URI, URL: n.URL, Content: n.Content, Summary: n.Summary, Sensitive: n.Sensitive,
		Visibility: n.Visibility, InReplyTo: n.InReplyToURI, Published: n.Published.UTC(), EditedAt: n.EditedAt,
		Author: a.actorView(author), Mentions: []mentionJSON{}, Tags: []tagJSON{}}
	if v.URL == "" {
		v.URL = n.URI
	}
	for _, t := range tags {
		switch t.Type {
		case "Mention":
			v.Mentions = append(v.Mentions, mentionJSON{URI: t.Href, Handle: t.Name})
		case "Hashtag":
			v.Tags = append(v.Tags, tagJSON{Name: strings.TrimPrefix(t.Name, "#"), URL: t.Href})
		}
	}
	return v
}

// timelineEntryJSON is one entry of the home timeline; id pages it (max_id).
type timelineEntryJSON struct {
	ID        string     `json:"id"`
	Note      noteJSON   `json:"note"`
	Author    *actorJSON `json:"author"`
	BoostedBy *actorJSON `json:"boosted_by,omitempty"`
}

func (a *API) timelineEntryView(e *service.TimelineEntry) timelineEntryJSON {
	n := a.noteView(&e.Note, e.Author, e.Tags)
	return timelineEntryJSON{ID: e.ID, Note: n, Author: n.Author, BoostedBy: a.actorView(e.BoostedBy)}
}

// domainBlockJSON is an entry of the domain policy.
type domainBlockJSON struct {
	Domain    string     `json:"domain"`
	Policy    string     `json:"policy"`
	Reason    string     `json:"reason"`
	Source    string     `json:"source"`
	CreatedAt *time.Time `json:"created_at"`
}

func domainBlockView(e service.DomainEntry) domainBlockJSON {
	v := domainBlockJSON{Domain: e.Domain, Policy: e.Policy, Reason: e.Reason, Source: e.Source}
	if !e.At.IsZero() {
		at := e.At.UTC()
		v.CreatedAt = &at
	}
	return v
}

// reportJSON is a report (a Flag) for the moderators.
type reportJSON struct {
	ID         string     `json:"id"`
	URI        string     `json:"uri"`
	Reporter   *actorJSON `json:"reporter"`
	Target     *actorJSON `json:"target"`
	ObjectURIs []string   `json:"object_uris"`
	Content    string     `json:"content"`
	CreatedAt  time.Time  `json:"created_at"`
	ResolvedAt *time.Time `json:"resolved_at"`
	Action     string     `json:"action"`
	Resolution string     `json:"resolution"`
}

func (a *API) reportView(e *service.ReportView) reportJSON {
	objs := e.Objects
	if objs == nil {
		objs = []string{}
	}
	return reportJSON{ID: e.Report.ID, URI: e.Report.URI, Reporter: a.actorView(e.Reporter), Target: a.actorView(e.Target),
		ObjectURIs: objs, Content: e.Report.Content, CreatedAt: e.Report.CreatedAt.UTC(), ResolvedAt: e.Report.ResolvedAt,
		Action: e.Report.Action, Resolution: e.Report.Resolution}
}
