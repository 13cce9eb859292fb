// Package userdata is what a person does with their own account as a whole:
// export everything of theirs (JSON, and their follows as the CSV Mastodon
// imports) and delete the account.
//
// Deleting an account (Delete) asks for the password and refuses while the
// person is the last steward of a community (they hand it over first, as
// Leave refuses). In one transaction it then sends Delete{Person} — addressed
// to Public, delivered to its followers and to every inbox this server knows,
// as Mastodon does, so servers that got its posts drop them — and removes or
// anonymises the local data: notes become Tombstones (their text erased),
// follows both ways, likes, boosts, blocks, memberships, sessions, tokens,
// reset links, uploaded images and the home timeline go; the profile is
// emptied and the actor is served as a Tombstone (410) from then on, its handle
// staying taken so that nobody can take over its followers elsewhere; the
// user row keeps no e-mail or password. Contributions accepted into a commons
// and their ledger entries stay: the work was licensed to the community, and
// the ledger is the community's record; they stay attributed to the deleted
// handle. The actor's keys are kept to sign the Delete's deliveries.
//
// It calls the accounts domain's rules (password check) through accounts.
package userdata

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/accounts"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// Deps is everything the package needs, passed explicitly (no hub).
type Deps struct {
	Store Store
	URLs  core.URLs
	Host  string // public host[:port], the domain of local handles
	Now   func() time.Time
	Log   *slog.Logger
	Pub   core.Publisher
}

// Store is the part of the store this package uses (satisfied by *store.Store).
type Store interface {
	ActorByID(ctx context.Context, id string) (*models.Actor, error)
	ActorsByIDs(ctx context.Context, ids []string) (map[string]*models.Actor, error)
	AllContributionsBy(ctx context.Context, actorID string) ([]models.Contribution, error)
	FollowsBy(ctx context.Context, followerID, state string, limit, offset int) (*store.FollowPage, error)
	FollowsOf(ctx context.Context, targetID, state string, limit, offset int) (*store.FollowPage, error)
	LedgerOf(ctx context.Context, actorID string) ([]models.LedgerEntry, error)
	ListNotesBy(ctx context.Context, authorID string, visibilities []string, limit, offset int) ([]models.Note, error)
	MembershipsOf(ctx context.Context, actorID string) ([]models.Membership, error)
	Tx(ctx context.Context, fn func(tx *store.Store) error) error
}

var _ Store = (*store.Store)(nil)

// UserData exports and deletes accounts.
type UserData struct{ d Deps }

// New builds the service.
func New(d Deps) *UserData {
	if d.Pub == nil {
		d.Pub = core.NopPublisher{}
	}
	return &UserData{d: d}
}

// SetPublisher plugs in the federation edge.
func (u *UserData) SetPublisher(p core.Publisher) { u.d.Pub = p }

// Export is the JSON document of one's data. Its shape is a file format:
// fields are added, never renamed.
type Export struct {
	Format        string               `json:"format"` // "commonsd-export-1"
	ExportedAt    time.Time            `json:"exported_at"`
	Account       ExportAccount        `json:"account"`
	Notes         []ExportNote         `json:"notes"`
	Following     []ExportActor        `json:"following"`
	Followers     []ExportActor        `json:"followers"`
	Communities   []ExportMembership   `json:"communities"`
	Contributions []ExportContribution `json:"contributions"`
	Ledger        []ExportLedgerEntry  `json:"ledger"`
}

// ExportAccount is the profile and the account's settings.
type ExportAccount struct {
	Username    string         `json:"username"`
	Handle      string         `json:"handle"`
	URI         string         `json:"uri"`
	Email       string         `json:"email"`
	Role        string         `json:"role"`
	DisplayName string         `json:"display_name"`
	Bio         string         `json:"bio"` // Markdown as typed
	Fields      []models.Field `json:"fields"`
	AvatarURL   string         `json:"avatar_url"`
	BannerURL   string         `json:"banner_url"`
	CreatedAt   time.Time      `json:"created_at"`
}

// ExportNote is one of one's notes.
type ExportNote struct {
	URI        string     `json:"uri"`
	Visibility string     `json:"visibility"`
	Summary    string     `json:"summary"`
	Source     string     `json:"source"`  // Markdown as typed
	Content    string     `json:"content"` // HTML as published
	InReplyTo  string     `json:"in_reply_to"`
	Audience   string     `json:"audience"`
	Published  time.Time  `json:"published"`
	EditedAt   *time.Time `json:"edited_at"`
}

// ExportActor is someone one follows or who follows one.
type ExportActor struct {
	Handle string    `json:"handle"` // user@host
	URI    string    `json:"uri"`
	Since  time.Time `json:"since"`
}

// ExportMembership is one's membership of a community.
type ExportMembership struct {
	Community string    `json:"community"` // handle
	URI       string    `json:"uri"`
	Role      string    `json:"role"`
	State     string    `json:"state"`
	Since     time.Time `json:"since"`
}

// ExportContribution is a contribution one offered.
type ExportContribution struct {
	URI        string     `json:"uri"`
	Community  string     `json:"community"` // handle
	Title      string     `json:"title"`
	Kind       string     `json:"kind"`
	Body       string     `json:"body"` // Markdown
	Links      []string   `json:"links"`
	Licence    string     `json:"licence"`
	State      string     `json:"state"`
	CreatedAt  time.Time  `json:"created_at"`
	AcceptedAt *time.Time `json:"accepted_at"`
}

// ExportLedgerEntry is a ledger credit of one's.
type ExportLedgerEntry struct {
	Community    string    `json:"community"` // handle
	Contribution string    `json:"contribution"`
	Kind         string    `json:"kind"`
	Weight       int       `json:"weight"`
	RecordedAt   time.Time `json:"recorded_at"`
}

const pageSize = 500

var allVisibilities = []string{models.VisibilityPublic, models.VisibilityUnlisted, models.VisibilityFollowers, models.VisibilityDirect}

func (u *UserData) handle(a *models.Actor) string {
	if a == nil {
		return ""
	}
	if a.Local() {
		return a.Username + "@" + u.d.Host
	}
	return a.Username + "@" + a.Domain
}

// follows pages through accepted follows (by = true: those act made).
func (u *UserData) follows(ctx context.Context, act *models.Actor, by bool) ([]ExportActor, error) {
	out := []ExportActor{}
	for off := 0; ; off += pageSize {
		var p *store.FollowPage
		var err error
		if by {
			p, err = u.d.Store.FollowsBy(ctx, act.ID, models.FollowAccepted, pageSize, off)
		} else {
			p, err = u.d.Store.FollowsOf(ctx, act.ID, models.FollowAccepted, pageSize, off)
		}
		if err != nil {
			return nil, errs.Internal(err)
		}
		for _, f := range p.Follows {
			other := f.TargetID
			if !by {
				other = f.FollowerID
			}
			if a := p.Actors[other]; a != nil && a.DeletedAt == nil {
				out = append(out, ExportActor{Handle: u.handle(a), URI: a.URI, Since: f.CreatedAt.UTC()})
			}
		}
		if len(p.Follows) < pageSize {
			return out, nil
		}
	}
}

// Export gathers the user's data.
func (u *UserData) Export(ctx context.Context, user *models.User) (*Export, error) {
	act, err := u.d.Store.ActorByID(ctx, user.ActorID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	e := &Export{Format: "commonsd-export-1", ExportedAt: u.d.Now().UTC(),
		Account: ExportAccount{Username: act.Username, Handle: u.handle(act), URI: act.URI, Email: user.Email, Role: user.Role,
			DisplayName: act.Name, Bio: act.SummarySource, Fields: accounts.Fields(act), AvatarURL: act.IconURL,
			BannerURL: act.ImageURL, CreatedAt: user.CreatedAt.UTC()},
		Notes: []ExportNote{}, Communities: []ExportMembership{}, Contributions: []ExportContribution{}, Ledger: []ExportLedgerEntry{}}
	if e.Account.Fields == nil {
		e.Account.Fields = []models.Field{}
	}
	for off := 0; ; off += pageSize {
		notes, err := u.d.Store.ListNotesBy(ctx, act.ID, allVisibilities, pageSize, off)
		if err != nil {
			return nil, errs.Internal(err)
		}
		for _, n := range notes {
			e.Notes = append(e.Notes, ExportNote{URI: n.URI, Visibility: n.Visibility, Summary: n.Summary, Source: n.Source,
				Content: n.Content, InReplyTo: n.InReplyToURI, Audience: n.AudienceURI, Published: n.Published.UTC(), EditedAt: n.EditedAt})
		}
		if len(notes) < pageSize {
			break
		}
	}
	if e.Following, err = u.follows(ctx, act, true); err != nil {
		return nil, err
	}
	if e.Followers, err = u.follows(ctx, act, false); err != nil {
		return nil, err
	}
	ms, err := u.d.Store.MembershipsOf(ctx, act.ID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	cs, err := u.d.Store.AllContributionsBy(ctx, act.ID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	ledger, err := u.d.Store.LedgerOf(ctx, act.ID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.CommunityID)
	}
	for _, c := range cs {
		ids = append(ids, c.CommunityID)
	}
	for _, l := range ledger {
		ids = append(ids, l.CommunityID)
	}
	groups, err := u.d.Store.ActorsByIDs(ctx, ids)
	if err != nil {
		return nil, errs.Internal(err)
	}
	for _, m := range ms {
		g := groups[m.CommunityID]
		if g == nil {
			continue
		}
		e.Communities = append(e.Communities, ExportMembership{Community: u.handle(g), URI: g.URI, Role: m.Role, State: m.State, Since: m.CreatedAt.UTC()})
	}
	for _, c := range cs {
		links := c.Links
		if links == nil {
			links = []string{}
		}
		e.Contributions = append(e.Contributions, ExportContribution{URI: c.URI, Community: u.handle(groups[c.CommunityID]), Title: c.Title,
			Kind: c.Kind, Body: c.Body, Links: links, Licence: c.Licence, State: c.State, CreatedAt: c.CreatedAt.UTC(), AcceptedAt: c.AcceptedAt})
	}
	for _, l := range ledger {
		e.Ledger = append(e.Ledger, ExportLedgerEntry{Community: u.handle(groups[l.CommunityID]), Contribution: u.d.URLs.Contribution(l.ContributionID),
			Kind: l.Kind, Weight: l.Weight, RecordedAt: l.RecordedAt.UTC()})
	}
	return e, nil
}

// FollowsCSV is the accounts the user follows as Mastodon's import file
// ("Account address,Show boosts,Notify on new posts,Languages").
func (u *UserData) FollowsCSV(ctx context.Context, user *models.User) ([]byte, error) {
	act, err := u.d.Store.ActorByID(ctx, user.ActorID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	list, err := u.follows(ctx, act, true)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"Account address", "Show boosts", "Notify on new posts", "Languages"})
	for _, f := range list {
		_ = w.Write([]string{f.Handle, "true", "false", ""})
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// errLastSteward names the communities the user must hand over first.
func errLastSteward(names []string) error {
	return errs.Conflict("you are the last steward of %s: name another steward (or hand it over) before deleting your account",
		strings.Join(names, ", "))
}

// Delete deletes the user's account after checking the password (see the
// package comment for what goes and what stays).
func (u *UserData) Delete(ctx context.Context, user *models.User, password string) error {
	if !accounts.CheckPassword(user.PasswordHash, password) {
		return errs.Forbidden("password is wrong")
	}
	act, err := u.d.Store.ActorByID(ctx, user.ActorID)
	if err != nil {
		return errs.Internal(err)
	}
	now := u.d.Now()
	err = u.d.Store.Tx(ctx, func(tx *store.Store) error {
		ms, err := tx.MembershipsOf(ctx, act.ID)
		if err != nil {
			return err
		}
		var last []string
		local := map[string]bool{}
		for _, m := range ms {
			g, err := tx.ActorByID(ctx, m.CommunityID)
			if err != nil || !g.Local() {
				continue
			}
			local[g.ID] = true
			if m.Role != models.RoleCommunitySteward || m.State != models.MembershipActive {
				continue
			}
			if err := tx.LockCommunity(ctx, g.ID); err != nil {
				return err
			}
			n, err := tx.CountMembers(ctx, g.ID, []string{models.RoleCommunitySteward})
			if err != nil {
				return err
			}
			if n <= 1 {
				last = append(last, g.Name+" (@"+g.Username+")")
			}
		}
		if len(last) > 0 {
			return errLastSteward(last)
		}
		// Gone from here first (a second, racing deletion stops at this line).
		if err := tx.MarkActorDeleted(ctx, act.ID, now); err != nil {
			return err
		}
		known, err := tx.KnownInboxActors(ctx)
		if err != nil {
			return err
		}
		recipients := make([]*models.Actor, len(known))
		for i := range known {
			recipients[i] = &known[i]
		}
		if err := u.d.Pub.Publish(ctx, tx, &core.Outbound{ID: u.d.URLs.Activity(models.NewID()), Type: core.TypeDelete,
			Actor: act, Object: core.Ref{URI: act.URI}, To: []string{core.PublicCollection}, ToFollowers: true,
			Recipients: recipients}); err != nil {
			return err
		}
		if err := tx.DeleteContentOf(ctx, act.ID, now); err != nil {
			return err
		}
		if err := tx.DeleteFollowsOf(ctx, act.ID); err != nil {
			return err
		}
		if err := tx.DeleteMembershipsOf(ctx, act.ID); err != nil {
			return err
		}
		for _, m := range ms {
			if !local[m.CommunityID] {
				continue
			}
			if err := tx.LogRoleChange(ctx, &models.RoleChange{ID: models.NewID(), CommunityID: m.CommunityID, ActorID: act.ID,
				ByID: act.ID, OldRole: m.Role}); err != nil {
				return err
			}
		}
		if err := tx.EraseUserAccess(ctx, user.ID, act.ID); err != nil {
			return err
		}
		return tx.UpdateUserFields(ctx, user.ID, map[string]any{"email": "deleted-" + user.ID + "@deleted.invalid",
			"password_hash": "", "suspended": true, "signup_reason": "", "invite_code": ""})
	})
	var e *errs.Error
	if errors.As(err, &e) {
		return e
	}
	if errors.Is(err, store.ErrNotFound) {
		return errs.Conflict("this account is already deleted")
	}
	if err != nil {
		return errs.Internal(err)
	}
	u.d.Log.Info("account deleted by its owner", "user", user.Username)
	return nil
}
