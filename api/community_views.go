package api

import (
	"context"
	"time"

	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service"
)

// The JSON shapes of communities, contributions, the ledger and discussions. Like
// views.go, they are built field by field: no keys, e-mails or user ids leak.

// actorRefJSON names an actor, local or remote.
type actorRefJSON struct {
	URI    string `json:"uri"`
	Handle string `json:"handle"` // @name@host; "" when the actor is not known here
	Name   string `json:"name"`
	URL    string `json:"url"`
}

func (a *API) handleOf(act *models.Actor) string {
	domain := act.Domain
	if domain == "" {
		domain = a.svc.Cfg.PublicHost()
	}
	return "@" + act.Username + "@" + domain
}

func (a *API) actorRef(act *models.Actor) actorRefJSON {
	if act == nil {
		return actorRefJSON{}
	}
	return actorRefJSON{URI: act.URI, Handle: a.handleOf(act), Name: act.Name, URL: act.URL}
}

// actorRefByURI names an actor by URI, with a handle when it is known here.
func (a *API) actorRefByURI(ctx context.Context, uri string) actorRefJSON {
	if act := a.svc.Actors.KnownByURI(ctx, uri); act != nil {
		return a.actorRef(act)
	}
	return actorRefJSON{URI: uri}
}

// actorRefs loads the actors of some row ids at once.
func (a *API) actorRefs(ctx context.Context, ids []string) (map[string]actorRefJSON, error) {
	actors, err := a.svc.Actors.ByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]actorRefJSON, len(actors))
	for id, act := range actors {
		out[id] = a.actorRef(act)
	}
	return out, nil
}

type licenceJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func licenceView(id string) licenceJSON { return licenceJSON{ID: id, Name: service.LicenceName(id)} }

// communitySettingsJSON is what only the community's own instance knows.
type communitySettingsJSON struct {
	Licence          licenceJSON     `json:"licence"`
	Charter          string          `json:"charter"`
	CharterHTML      string          `json:"charter_html"`
	PostingPolicy    string          `json:"posting_policy"`
	OfferPolicy      string          `json:"offer_policy"`
	MembershipPolicy string          `json:"membership_policy"`
	MembersPublic    bool            `json:"members_public"`
	WeightMin        int             `json:"weight_min"`
	WeightMax        int             `json:"weight_max"`
	MemberCount      int64           `json:"member_count"`
	Maintainers      []memberRefJSON `json:"maintainers"`
}

type memberRefJSON struct {
	actorRefJSON
	Role string `json:"role"`
}

// viewerJSON is the caller's own membership.
type viewerJSON struct {
	Role  string `json:"role"`  // "" when not a member
	State string `json:"state"` // "", pending, invited or active
}

type communityJSON struct {
	ID       string                 `json:"id"`
	URI      string                 `json:"uri"`
	URL      string                 `json:"url"`
	Handle   string                 `json:"handle"`
	Username string                 `json:"username"`
	Name     string                 `json:"name"`
	Summary  string                 `json:"summary"`
	Avatar   string                 `json:"avatar"`
	Links    []fieldJSON            `json:"links"`
	Local    bool                   `json:"local"`
	Settings *communitySettingsJSON `json:"settings"` // null for a remote community
	Viewer   *viewerJSON            `json:"viewer,omitempty"`
	// CreatedAt is when this instance first stored the community.
	CreatedAt time.Time `json:"created_at"`
}

// communityView renders a community; com is nil for a remote one (only the actor
// is known). When full, a local community's member count and maintainers are
// loaded; viewer, when not nil, adds the caller's membership.
func (a *API) communityView(ctx context.Context, group *models.Actor, com *models.Community, full bool, viewer *models.Actor) (communityJSON, error) {
	links := []fieldJSON{}
	for _, f := range service.Fields(group) {
		links = append(links, fieldJSON{Name: f.Name, Value: f.Value})
	}
	v := communityJSON{ID: group.ID, URI: group.URI, URL: group.URL, Handle: a.handleOf(group), Username: group.Username,
		Name: group.Name, Summary: group.Summary, Avatar: group.IconURL, Links: links, Local: group.Local(),
		CreatedAt: group.CreatedAt.UTC()}
	if com != nil {
		s := &communitySettingsJSON{Licence: licenceView(com.Licence), Charter: com.Charter, CharterHTML: com.CharterHTML,
			PostingPolicy: com.PostingPolicy, OfferPolicy: com.OfferPolicy, MembershipPolicy: com.MembershipPolicy,
			MembersPublic: com.MembersPublic, WeightMin: com.WeightMin, WeightMax: com.WeightMax, Maintainers: []memberRefJSON{}}
		if full {
			n, err := a.svc.Communities.MemberCount(ctx, group)
			if err != nil {
				return v, err
			}
			s.MemberCount = n
			rows, err := a.svc.Communities.Maintainers(ctx, group)
			if err != nil {
				return v, err
			}
			for i := range rows {
				s.Maintainers = append(s.Maintainers, memberRefJSON{actorRefJSON: a.actorRef(&rows[i].Actor), Role: rows[i].Membership.Role})
			}
		}
		v.Settings = s
	}
	if viewer != nil {
		v.Viewer = &viewerJSON{}
		if m := a.svc.Communities.MembershipOf(ctx, group, viewer); m != nil {
			v.Viewer.State = m.State
			if m.State == models.MembershipActive {
				v.Viewer.Role = m.Role
			}
		}
	}
	return v, nil
}

type memberJSON struct {
	ID        string       `json:"id"` // the membership's id (approve and refuse use it)
	Actor     actorRefJSON `json:"actor"`
	Role      string       `json:"role"`
	State     string       `json:"state"`
	CreatedAt time.Time    `json:"created_at"`
}

func (a *API) memberView(m *models.Membership, act *models.Actor) memberJSON {
	return memberJSON{ID: m.ID, Actor: a.actorRef(act), Role: m.Role, State: m.State, CreatedAt: m.CreatedAt.UTC()}
}

type contributionJSON struct {
	ID           string         `json:"id"`
	URI          string         `json:"uri"`
	Community    actorRefJSON   `json:"community"`
	Title        string         `json:"title"`
	Body         string         `json:"body"`
	BodyHTML     string         `json:"body_html"`
	Kind         string         `json:"kind"`
	URLs         []string       `json:"urls"`
	Licence      licenceJSON    `json:"licence"`
	State        string         `json:"state"`
	Reason       string         `json:"reason"`
	Contributors []actorRefJSON `json:"contributors"`
	Local        bool           `json:"local"`
	AcceptedAt   *time.Time     `json:"accepted_at"`
	CreatedAt    time.Time      `json:"created_at"`
	UpdatedAt    time.Time      `json:"updated_at"`
	Revision     int            `json:"revision"`  // the current revision (1 until revised)
	EditedAt     *time.Time     `json:"edited_at"` // when the current revision was made; null if never revised
	Comments     []commentJSON  `json:"comments,omitempty"`
	// Attachments are files: uploaded here (served at /media/{id}) or, for a
	// remote offer, the URLs its server gave.
	Attachments []models.Attachment `json:"attachments"`

	// PendingContributors are named by the offer but have not confirmed: no
	// ledger credit until they do (CreditCode is what a remote one sends).
	PendingContributors []actorRefJSON `json:"pending_contributors"`
	CreditCode          string         `json:"credit_code,omitempty"`
}

// contributionView renders a contribution; group is its community.
func (a *API) contributionView(ctx context.Context, co *models.Contribution, group *models.Actor) (contributionJSON, error) {
	v := contributionJSON{ID: co.ID, URI: co.URI, Community: a.actorRef(group), Title: co.Title, Body: co.Body,
		BodyHTML: co.BodyHTML, Kind: co.Kind, URLs: append([]string{}, co.Links...), Licence: licenceView(co.Licence),
		State: co.State, Reason: co.Reason, Contributors: []actorRefJSON{}, Local: co.Local, Attachments: service.Attachments(co),
		AcceptedAt: co.AcceptedAt, CreatedAt: co.CreatedAt.UTC(), UpdatedAt: co.UpdatedAt.UTC(), Revision: co.Revision}
	if co.EditedAt != nil {
		t := co.EditedAt.UTC()
		v.EditedAt = &t
	}
	if v.AcceptedAt != nil {
		t := v.AcceptedAt.UTC()
		v.AcceptedAt = &t
	}
	uris := co.Contributors
	if len(uris) == 0 {
		refs, err := a.actorRefs(ctx, []string{co.ContributorID})
		if err != nil {
			return v, err
		}
		if r, ok := refs[co.ContributorID]; ok {
			v.Contributors = append(v.Contributors, r)
		}
	}
	for _, u := range uris {
		v.Contributors = append(v.Contributors, a.actorRefByURI(ctx, u))
	}
	v.PendingContributors = []actorRefJSON{}
	for _, u := range service.PendingContributors(co) {
		v.PendingContributors = append(v.PendingContributors, a.actorRefByURI(ctx, u))
	}
	if len(v.PendingContributors) > 0 {
		v.CreditCode = service.CreditCode(co)
	}
	return v, nil
}

func (a *API) contributionViews(ctx context.Context, list []models.Contribution, group *models.Actor) ([]contributionJSON, error) {
	out := make([]contributionJSON, 0, len(list))
	for i := range list {
		v, err := a.contributionView(ctx, &list[i], group)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

type commentJSON struct {
	ID             string       `json:"id"`
	Author         actorRefJSON `json:"author"`
	Body           string       `json:"body"`
	BodyHTML       string       `json:"body_html"`
	RequestChanges bool         `json:"request_changes"`
	Revision       int          `json:"revision"` // the revision it was written on
	CreatedAt      time.Time    `json:"created_at"`
}

func commentView(rc *models.ReviewComment, author actorRefJSON) commentJSON {
	return commentJSON{ID: rc.ID, Author: author, Body: rc.Body, BodyHTML: rc.BodyHTML,
		RequestChanges: rc.RequestChanges, Revision: rc.Revision, CreatedAt: rc.CreatedAt.UTC()}
}

type contributionRefJSON struct {
	ID    string `json:"id"`
	URI   string `json:"uri"`
	Title string `json:"title"`
}

type ledgerEntryJSON struct {
	ID           string              `json:"id"`
	Contributor  actorRefJSON        `json:"contributor"`
	Contribution contributionRefJSON `json:"contribution"`
	Kind         string              `json:"kind"`
	Weight       int                 `json:"weight"`
	RecordedAt   time.Time           `json:"recorded_at"`
}

// ledgerViews renders ledger entries with their contributors and contributions.
func (a *API) ledgerViews(ctx context.Context, list []models.LedgerEntry) ([]ledgerEntryJSON, error) {
	ids := make([]string, 0, len(list))
	for _, e := range list {
		ids = append(ids, e.ContributorID)
	}
	refs, err := a.actorRefs(ctx, ids)
	if err != nil {
		return nil, err
	}
	cos := map[string]contributionRefJSON{}
	out := make([]ledgerEntryJSON, 0, len(list))
	for _, e := range list {
		ref, ok := cos[e.ContributionID]
		if !ok {
			ref = contributionRefJSON{ID: e.ContributionID}
			if co, _, err := a.svc.Communities.Contribution(ctx, e.ContributionID); err == nil {
				ref.URI, ref.Title = co.URI, co.Title
			}
			cos[e.ContributionID] = ref
		}
		out = append(out, ledgerEntryJSON{ID: e.ID, Contributor: refs[e.ContributorID], Contribution: ref,
			Kind: e.Kind, Weight: e.Weight, RecordedAt: e.RecordedAt.UTC()})
	}
	return out, nil
}

type discussionJSON struct {
	ID         string       `json:"id"`
	URI        string       `json:"uri"`
	URL        string       `json:"url"`
	Author     actorRefJSON `json:"author"`
	Title      string       `json:"title"`
	Content    string       `json:"content"`
	Summary    string       `json:"summary"`
	Sensitive  bool         `json:"sensitive"`
	Visibility string       `json:"visibility"`
	InReplyTo  string       `json:"in_reply_to"`
	Locked     bool         `json:"locked"`
	Published  time.Time    `json:"published"`
	EditedAt   *time.Time   `json:"edited_at"`       // null when never edited
	Likes      *int64       `json:"likes,omitempty"` // on a thread's notes
}

func discussionView(n *models.Note, author actorRefJSON) discussionJSON {
	v := discussionJSON{ID: n.ID, URI: n.URI, URL: n.URL, Author: author, Title: n.Name, Content: n.Content,
		Summary: n.Summary, Sensitive: n.Sensitive, Visibility: n.Visibility, InReplyTo: n.InReplyToURI,
		Locked: n.Locked, Published: n.Published.UTC()}
	if n.EditedAt != nil {
		t := n.EditedAt.UTC()
		v.EditedAt = &t
	}
	return v
}

type roleChangeJSON struct {
	ID        string        `json:"id"`
	Actor     actorRefJSON  `json:"actor"`
	By        *actorRefJSON `json:"by"`
	OldRole   string        `json:"old_role"` // "" when the actor joined
	NewRole   string        `json:"new_role"` // "" when the actor left
	CreatedAt time.Time     `json:"created_at"`
}
