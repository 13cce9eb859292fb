// Package moderation is reports and what moderators do about them.
//
// Local users report an account or some of its notes (File; remote servers'
// Flags arrive through social.ReceiveFlag into the same table). Moderators and
// admins resolve an open report once (a conditional update records who, when,
// the action and their note) with one action:
//
//   - none: nothing to do;
//   - remove_content: the reported notes are removed (a local note's Delete
//     goes out from its author) and the author is told why by a direct note
//     from the instance actor, which reaches remote authors too;
//   - suspend: the reported account is suspended (a local one through the
//     accounts rules, so moderators suspend members only; a remote one is cut
//     off here);
//   - block_domain: the reported account's server is blocked (admins only;
//     never this server's own domain).
//
// The web UI puts a confirmation page before each action.
package moderation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/accounts"
	"github.com/commonsd/commonsd/service/admin"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/service/social"
	"github.com/commonsd/commonsd/store"
)

// Deps is everything the package needs, passed explicitly (no hub).
type Deps struct {
	Store      Store
	URLs       core.URLs
	Now        func() time.Time
	Log        *slog.Logger
	Accounts   *accounts.Accounts
	Actors     *accounts.Actors
	Social     *social.Social
	Admin      *admin.FederationAdmin
	Visibility core.Visibility
	// Pub sends a report forwarded to the reported account's server (Flag).
	Pub core.Publisher
}

// Store is the part of the store this package uses (satisfied by *store.Store).
type Store interface {
	ActorByID(ctx context.Context, id string) (*models.Actor, error)
	ActorByURI(ctx context.Context, uri string) (*models.Actor, error)
	CreateReport(ctx context.Context, r *models.Report) error
	Tx(ctx context.Context, fn func(tx *store.Store) error) error
	NoteByID(ctx context.Context, id string) (*models.Note, error)
	NoteByURI(ctx context.Context, uri string) (*models.Note, error)
	ReportByID(ctx context.Context, id string) (*models.Report, error)
	ResolveReport(ctx context.Context, id, byID, action, note string, at time.Time) error
	SetActorSuspended(ctx context.Context, id string, suspended bool) error
	UserByActorID(ctx context.Context, actorID string) (*models.User, error)
	UserByID(ctx context.Context, id string) (*models.User, error)
}

var _ Store = (*store.Store)(nil)

// Moderation files and resolves reports.
type Moderation struct{ d Deps }

// New builds the service.
func New(d Deps) *Moderation {
	if d.Pub == nil {
		d.Pub = core.NopPublisher{}
	}
	return &Moderation{d: d}
}

// SetPublisher plugs in the federation edge (forwarded reports).
func (m *Moderation) SetPublisher(p core.Publisher) { m.d.Pub = p }

// MaxComment is the longest report comment or resolution note, in characters.
const MaxComment = 1000

// MaxNotes is how many notes one report may name.
const MaxNotes = 20

// Actions a resolution may take.
var Actions = []string{models.ReportActionNone, models.ReportActionRemoveContent, models.ReportActionSuspend, models.ReportActionBlockDomain}

// ReportInput is a local user's report: an account (actor id), or notes (ids)
// of one account, or both, with a comment for the moderators. Forward also
// sends it to the reported account's server when that is another one.
type ReportInput struct {
	AccountID string
	NoteIDs   []string
	Comment   string
	Forward   bool
}

func staff(u *models.User) bool {
	return u != nil && (u.Role == models.RoleAdmin || u.Role == models.RoleModerator)
}

// File stores a local user's report for the moderators. Only notes the
// reporter may see can be reported, all of one author; nobody reports
// themselves.
func (m *Moderation) File(ctx context.Context, by *models.User, in ReportInput) (*models.Report, error) {
	if by == nil {
		return nil, errs.Unauthorized("log in to report")
	}
	reporter, err := m.d.Actors.ByID(ctx, by.ActorID)
	if err != nil {
		return nil, err
	}
	comment := strings.TrimSpace(in.Comment)
	if utf8.RuneCountInString(comment) > MaxComment {
		return nil, errs.Unprocessable("the comment is longer than %d characters", MaxComment)
	}
	if in.AccountID == "" && len(in.NoteIDs) == 0 {
		return nil, errs.Unprocessable("say which account or posts you report")
	}
	if len(in.NoteIDs) > MaxNotes {
		return nil, errs.Unprocessable("a report names at most %d posts", MaxNotes)
	}
	targetID := in.AccountID
	var objects []string
	seen := map[string]bool{}
	for _, id := range in.NoteIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		n, err := m.d.Store.NoteByID(ctx, id)
		if err != nil || n.DeletedAt != nil || !m.d.Visibility.CanSee(ctx, reporter, n) {
			return nil, errs.NotFound("post not found")
		}
		if targetID == "" {
			targetID = n.AuthorID
		}
		if n.AuthorID != targetID {
			return nil, errs.Unprocessable("the posts of a report must all be by the reported account")
		}
		objects = append(objects, n.URI)
	}
	target, err := m.d.Store.ActorByID(ctx, targetID)
	if err != nil || target.DeletedAt != nil {
		return nil, errs.NotFound("account not found")
	}
	if target.ID == reporter.ID {
		return nil, errs.Unprocessable("you cannot report yourself")
	}
	if target.Type == models.ActorApplication {
		return nil, errs.Unprocessable("this account cannot be reported")
	}
	objects = append([]string{target.URI}, objects...)
	id := models.NewID()
	r := &models.Report{ID: id, URI: m.d.URLs.Base + "/reports/" + id, ReporterID: reporter.ID, TargetActorID: target.ID,
		ObjectURIs: objects, Content: comment, CreatedAt: m.d.Now()}
	var flag *core.Outbound
	if in.Forward && !target.Local() {
		if flag, err = m.forward(ctx, r, target); err != nil {
			return nil, err
		}
	}
	err = m.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateReport(ctx, r); err != nil {
			return err
		}
		if flag == nil {
			return nil
		}
		return m.d.Pub.Publish(ctx, tx, flag)
	})
	if err != nil {
		return nil, errs.Internal(err)
	}
	m.d.Log.Info("report filed", "report", r.ID, "target", target.URI, "forwarded", flag != nil)
	return r, nil
}

// forward is the Flag that tells the reported account's server about r, as
// Mastodon forwards a report: sent by the instance actor (never the reporter,
// whom the other server must not learn), its id the report's URI, its object
// the reported actor and notes, its content the reporter's comment. It goes to
// the reported account's inbox (its server's shared inbox when it has one).
// Only notes hosted on that server are named: another server's notes are not
// theirs to moderate.
func (m *Moderation) forward(ctx context.Context, r *models.Report, target *models.Actor) (*core.Outbound, error) {
	instance, err := m.d.Actors.Instance(ctx)
	if err != nil {
		return nil, err
	}
	uris := []string{target.URI}
	for _, o := range r.ObjectURIs[1:] {
		if sameHost(o, target.URI) {
			uris = append(uris, o)
		}
	}
	return &core.Outbound{ID: r.URI, Type: core.TypeFlag, Actor: instance, Object: core.FlagObject{URIs: uris},
		Content: r.Content, Recipients: []*models.Actor{target}}, nil
}

// sameHost reports whether two absolute URLs have the same host.
func sameHost(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && ua.Host != "" && strings.EqualFold(ua.Host, ub.Host)
}

// Detail is one report as moderators see it, with the reported notes still
// here (deleted ones included, marked by DeletedAt).
type Detail struct {
	social.ReportView
	Notes      []*models.Note
	ResolvedBy string // username of the moderator, once resolved
}

// NoteToReport loads a note the user may see, with its author, for the
// report form.
func (m *Moderation) NoteToReport(ctx context.Context, by *models.User, noteID string) (*models.Note, *models.Actor, error) {
	if by == nil {
		return nil, nil, errs.Unauthorized("log in to report")
	}
	reader, err := m.d.Actors.ByID(ctx, by.ActorID)
	if err != nil {
		return nil, nil, err
	}
	n, err := m.d.Store.NoteByID(ctx, noteID)
	if err != nil || n.DeletedAt != nil || !m.d.Visibility.CanSee(ctx, reader, n) {
		return nil, nil, errs.NotFound("post not found")
	}
	author, err := m.d.Actors.ByID(ctx, n.AuthorID)
	if err != nil {
		return nil, nil, err
	}
	return n, author, nil
}

// Report loads one report with its people and notes (moderators).
func (m *Moderation) Report(ctx context.Context, by *models.User, id string) (*Detail, error) {
	if !staff(by) {
		return nil, errs.Forbidden("only admins and moderators may read reports")
	}
	r, err := m.d.Store.ReportByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errs.NotFound("report not found")
	}
	if err != nil {
		return nil, errs.Internal(err)
	}
	v := &Detail{ReportView: social.ReportView{Report: *r, Objects: r.ObjectURIs}}
	v.Reporter, _ = m.d.Store.ActorByID(ctx, r.ReporterID)
	if r.TargetActorID != "" {
		v.Target, _ = m.d.Store.ActorByID(ctx, r.TargetActorID)
	}
	for _, uri := range r.ObjectURIs {
		if n, err := m.d.Store.NoteByURI(ctx, uri); err == nil {
			v.Notes = append(v.Notes, n)
		}
	}
	if r.ResolvedByID != "" {
		if u, err := m.d.Store.UserByID(ctx, r.ResolvedByID); err == nil {
			v.ResolvedBy = u.Username
		}
	}
	return v, nil
}

// Resolution is a moderator's decision on a report.
type Resolution struct {
	Action string // one of Actions
	Note   string // why; required to remove content (it is sent to the author)
}

// Resolve carries out the action and records the resolution (once).
func (m *Moderation) Resolve(ctx context.Context, by *models.User, id string, res Resolution) error {
	v, err := m.Report(ctx, by, id)
	if err != nil {
		return err
	}
	if v.Report.ResolvedAt != nil {
		return errs.Conflict("this report was resolved already")
	}
	note := strings.TrimSpace(res.Note)
	if utf8.RuneCountInString(note) > MaxComment {
		return errs.Unprocessable("the note is longer than %d characters", MaxComment)
	}
	return m.resolve(ctx, by, v, res.Action, note)
}

func (m *Moderation) resolve(ctx context.Context, by *models.User, v *Detail, action, note string) error {
	target := v.Target
	switch action {
	case models.ReportActionNone:
	case models.ReportActionRemoveContent:
		if note == "" {
			return errs.Unprocessable("give a reason: it is sent to the author")
		}
		var notes []*models.Note
		for _, n := range v.Notes {
			if n.DeletedAt == nil {
				notes = append(notes, n)
			}
		}
		if len(notes) == 0 {
			return errs.Unprocessable("this report names no post that is still here")
		}
		for _, n := range notes {
			if err := m.d.Social.RemoveNote(ctx, n); err != nil && errs.Status(err) != 404 {
				return err
			}
		}
		if target != nil {
			m.tellAuthor(ctx, target, len(notes), note)
		}
	case models.ReportActionSuspend:
		if target == nil {
			return errs.Unprocessable("this report names no account")
		}
		if target.Local() {
			u, err := m.d.Store.UserByActorID(ctx, target.ID)
			if err != nil {
				return errs.Unprocessable("only people's accounts can be suspended")
			}
			yes := true
			if _, err := m.d.Accounts.Moderate(ctx, by, u.Username, accounts.ModerationChange{Suspended: &yes}); err != nil {
				return err
			}
		} else if err := m.d.Store.SetActorSuspended(ctx, target.ID, true); err != nil {
			return errs.Internal(err)
		}
	case models.ReportActionBlockDomain:
		if target == nil {
			return errs.Unprocessable("this report names no account")
		}
		if target.Local() {
			return errs.Unprocessable("this account is on this server: its domain is ours and cannot be blocked")
		}
		if _, err := m.d.Admin.PutDomainPolicy(ctx, by, target.Domain, admin.PolicyBlock, note); err != nil {
			return err
		}
	default:
		return errs.Unprocessable("action must be one of %s", strings.Join(Actions, ", "))
	}
	err := m.d.Store.ResolveReport(ctx, v.Report.ID, by.ID, action, note, m.d.Now())
	if errors.Is(err, store.ErrConflict) {
		return errs.Conflict("this report was resolved already")
	}
	if err != nil {
		return errs.Internal(err)
	}
	m.d.Log.Info("report resolved", "report", v.Report.ID, "by", by.Username, "action", action)
	return nil
}

// tellAuthor sends the author of removed posts the moderators' reason, as a
// direct note from the instance actor (it reaches remote authors too).
func (m *Moderation) tellAuthor(ctx context.Context, author *models.Actor, n int, reason string) {
	inst, err := m.d.Actors.Instance(ctx)
	if err != nil {
		m.d.Log.Warn("removal reason not sent", "err", err)
		return
	}
	handle := "@" + author.Username
	if !author.Local() {
		handle += "@" + author.Domain
	}
	what := "Your post was"
	if n > 1 {
		what = fmt.Sprintf("%d of your posts were", n)
	}
	text := fmt.Sprintf("%s %s removed by the moderators of this server. Reason: %s", handle, what, reason)
	if _, err := m.d.Social.PostNote(ctx, inst, social.NoteInput{Content: text, Visibility: models.VisibilityDirect}); err != nil {
		m.d.Log.Warn("removal reason not sent", "to", author.URI, "err", err)
	}
}
