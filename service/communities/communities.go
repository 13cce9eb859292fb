package communities

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/commonsd/commonsd/content"
	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/accounts"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// Communities owns communities (Group actors, FEP-1b12), their membership and
// roles, contributions to their commons and the contributor ledger. As everywhere
// in this package, one method serves a local action and the same action arriving
// from another server.
type Communities struct {
	d Deps
	// bounties is the economy's side of bounty claims (bounties.go).
	bounties BountyHooks
}

// Licences offered for a commons: common SPDX ids plus the Peer Production License
// (not in SPDX; "PPL" here). Contributions must be offered under the commons' own.
var Licences = []string{
	"PPL", "AGPL-3.0-or-later", "GPL-3.0-or-later", "GPL-2.0-or-later", "LGPL-3.0-or-later",
	"MPL-2.0", "Apache-2.0", "MIT", "BSD-3-Clause", "BSD-2-Clause", "ISC", "EUPL-1.2",
	"CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-SA-4.0", "GFDL-1.3-or-later", "ODbL-1.0",
	"CERN-OHL-S-2.0", "CERN-OHL-W-2.0", "CERN-OHL-P-2.0", "TAPR-OHL-1.0", "Unlicense",
}

// LicenceName is how a licence id is shown.
func LicenceName(id string) string {
	if id == "PPL" {
		return "Peer Production License"
	}
	return id
}

func validLicence(id string) bool {
	for _, l := range Licences {
		if l == id {
			return true
		}
	}
	return false
}

// roleRank orders community roles; 0 is "not a member".
func roleRank(role string) int {
	switch role {
	case models.RoleCommunityMember:
		return 1
	case models.RoleCommunityMaintainer:
		return 2
	case models.RoleCommunitySteward:
		return 3
	}
	return 0
}

// CommunityInput is what a founder sets (and a steward later edits).
type CommunityInput struct {
	Handle, Name, Summary, Licence, Charter string
	Links                                   []models.Field
	PostingPolicy                           string // open | members | maintainers
	OfferPolicy                             string // open | members | maintainers
	MembershipPolicy                        string // open | approval | invitation
	MembersPublic                           bool
	ApproveFollowers                        bool
	WeightMin, WeightMax                    int
}

// normalise fills defaults and reports every invalid field at once (errs.Fields,
// named as the form and the API name them). New communities default to
// members-only posting and offers, open membership.
func (in *CommunityInput) normalise(bad *errs.Fields) {
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		in.Name = in.Handle
	}
	bad.Add("name", accounts.ValidateDisplayName("name", in.Name))
	if len([]rune(in.Summary)) > 2000 {
		bad.Add("summary", errs.Unprocessable("summary is longer than 2000 characters"))
	}
	if !validLicence(in.Licence) {
		bad.Add("licence", errs.Unprocessable("licence must be one of: %s", strings.Join(Licences, ", ")))
	}
	if len([]rune(in.Charter)) > 20000 {
		bad.Add("charter", errs.Unprocessable("charter is longer than 20000 characters"))
	}
	for _, l := range in.Links {
		if u, err := url.Parse(l.Value); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			bad.Add("links", errs.Unprocessable("link %q is not a web address (http:// or https://)", l.Value))
		}
	}
	def := func(v *string, d string, allowed ...string) error {
		if *v == "" {
			*v = d
		}
		for _, a := range allowed {
			if *v == a {
				return nil
			}
		}
		return errs.Unprocessable("policy %q must be one of %s", *v, strings.Join(allowed, ", "))
	}
	bad.Add("policies", def(&in.PostingPolicy, models.PolicyMembers, models.PolicyOpen, models.PolicyMembers, models.PolicyMaintainers))
	bad.Add("policies", def(&in.OfferPolicy, models.PolicyMembers, models.PolicyOpen, models.PolicyMembers, models.PolicyMaintainers))
	bad.Add("policies", def(&in.MembershipPolicy, models.PolicyOpen, models.PolicyOpen, models.PolicyApproval, models.PolicyInvitation))
	if in.WeightMin == 0 && in.WeightMax == 0 {
		in.WeightMin, in.WeightMax = 1, 10
	}
	if in.WeightMin < 0 || in.WeightMax < in.WeightMin || in.WeightMax > 1000 {
		bad.Add("weights", errs.Unprocessable("ledger weights need 0 ≤ smallest ≤ largest ≤ 1000"))
	}
}

// Create founds a community; its creator becomes its first steward.
func (c *Communities) Create(ctx context.Context, by *models.User, in CommunityInput) (*models.Actor, *models.Community, error) {
	if by == nil {
		return nil, nil, errs.Unauthorized("log in to create a community")
	}
	if c.d.Cfg.Instance.CommunityCreation == "admins" && by.Role != models.RoleAdmin {
		return nil, nil, errs.Forbidden("only admins create communities on this instance")
	}
	var bad errs.Fields
	bad.Add("handle", accounts.ValidateHandle(in.Handle))
	in.normalise(&bad)
	if err := bad.Err(); err != nil {
		return nil, nil, err
	}
	founder, err := c.d.Actors.ByID(ctx, by.ActorID)
	if err != nil {
		return nil, nil, err
	}
	act, err := c.d.Actors.NewLocal(models.ActorGroup, in.Handle, in.Name)
	if err != nil {
		return nil, nil, err
	}
	act.Summary, act.SummarySource = content.PlainLinked(in.Summary, c.d.URLs.Base), in.Summary
	act.ManuallyApprovesFollowers = in.ApproveFollowers
	links, _ := json.Marshal(in.Links)
	act.Fields = string(links)
	com := &models.Community{Licence: in.Licence, Charter: in.Charter, CharterHTML: content.Markdown(in.Charter),
		Links: string(links), PostingPolicy: in.PostingPolicy, OfferPolicy: in.OfferPolicy,
		MembershipPolicy: in.MembershipPolicy, MembersPublic: in.MembersPublic, WeightMin: in.WeightMin,
		WeightMax: in.WeightMax, CreatedByID: by.ID}
	owner := &models.Membership{ID: models.NewID(), ActorID: founder.ID, Role: models.RoleCommunitySteward, State: models.MembershipActive}
	if err := c.d.Store.CreateCommunity(ctx, act, com, owner); err != nil {
		if errors.Is(err, store.ErrExists) {
			return nil, nil, errs.Conflict("handle %q is taken", in.Handle)
		}
		return nil, nil, errs.Internal(err)
	}
	_ = c.d.Store.LogRoleChange(ctx, &models.RoleChange{ID: models.NewID(), CommunityID: act.ID, ActorID: founder.ID, ByID: founder.ID, NewRole: models.RoleCommunitySteward})
	c.d.Log.Info("community created", "handle", in.Handle, "by", by.Username)
	return act, com, nil
}

// Local loads a local community by handle.
func (c *Communities) Local(ctx context.Context, handle string) (*models.Actor, *models.Community, error) {
	act, err := c.d.Actors.LocalByHandle(ctx, strings.TrimPrefix(handle, "@"))
	if err != nil {
		return nil, nil, err
	}
	if act.Type != models.ActorGroup {
		return nil, nil, errs.NotFound("@%s is not a community", act.Username)
	}
	com, err := c.d.Store.CommunityByActorID(ctx, act.ID)
	if err != nil {
		return nil, nil, errs.NotFound("community not found")
	}
	return act, com, nil
}

// Resolve finds a community by handle ("name", "@name@host") or URL, local or
// remote. com is nil for a remote community.
func (c *Communities) Resolve(ctx context.Context, handle string) (*models.Actor, *models.Community, error) {
	act, err := c.d.Social.ResolveActor(ctx, handle)
	if err != nil {
		return nil, nil, err
	}
	if act.Type != models.ActorGroup {
		return nil, nil, errs.NotFound("%s is not a community", handle)
	}
	if !act.Local() {
		return act, nil, nil
	}
	com, err := c.d.Store.CommunityByActorID(ctx, act.ID)
	if err != nil {
		return nil, nil, errs.NotFound("community not found")
	}
	return act, com, nil
}

// ByActor loads the community row of a local Group actor.
func (c *Communities) ByActor(ctx context.Context, group *models.Actor) (*models.Community, error) {
	if !group.Local() || group.Type != models.ActorGroup {
		return nil, errs.NotFound("not a local community")
	}
	com, err := c.d.Store.CommunityByActorID(ctx, group.ID)
	if err != nil {
		return nil, errs.NotFound("community not found")
	}
	return com, nil
}

// Directory lists local communities.
func (c *Communities) Directory(ctx context.Context, q string, limit, offset int) ([]models.Actor, error) {
	out, err := c.d.Store.ListCommunities(ctx, q, limit, offset)
	if err != nil {
		return nil, errs.Internal(err)
	}
	return out, nil
}

// Role returns actor's active role in a community ("" when not an active member).
func (c *Communities) Role(ctx context.Context, group, actor *models.Actor) string {
	if actor == nil {
		return ""
	}
	m, err := c.d.Store.Membership(ctx, group.ID, actor.ID)
	if err != nil || m.State != models.MembershipActive {
		return ""
	}
	return m.Role
}

// threadOpen refuses a reply to a locked thread. It runs before a reply is
// stored: a refused reply must not show in the thread either.
func (c *Communities) threadOpen(ctx context.Context, inReplyTo string) error {
	if inReplyTo == "" {
		return nil
	}
	if parent, err := c.d.Store.NoteByURI(ctx, inReplyTo); err == nil && parent.Locked {
		return errs.Forbidden("this thread is locked")
	}
	return nil
}

func (c *Communities) require(ctx context.Context, group, actor *models.Actor, min string, what string) error {
	if roleRank(c.Role(ctx, group, actor)) < roleRank(min) {
		return errs.Forbidden("only %ss may %s", min, what)
	}
	return nil
}

// ---- Membership ----

// Join asks for membership of group. A local group decides by its policy; a
// remote group is sent a Join and answers with Accept or Reject. joinURI is the
// Join activity's id when it arrived from another server.
func (c *Communities) Join(ctx context.Context, actor, group *models.Actor, joinURI string) (*models.Membership, error) {
	if group.Type != models.ActorGroup {
		return nil, errs.Unprocessable("only communities can be joined")
	}
	if err := c.clearAwaiting(ctx, group, actor); err != nil {
		return nil, errs.Internal(err)
	}
	if existing, err := c.d.Store.Membership(ctx, group.ID, actor.ID); err == nil {
		if existing.State != models.MembershipInvited {
			if !actor.Local() && existing.State == models.MembershipActive && group.Local() {
				// A repeated Join (lost Accept) is answered again.
				err := c.d.Store.Tx(ctx, func(tx *store.Store) error {
					return c.d.Pub.Publish(ctx, tx, c.answerJoin(group, actor, existing, true, ""))
				})
				if err != nil {
					return nil, errs.Internal(err)
				}
			}
			return existing, nil
		}
		// An invitation is accepted by joining.
		err := c.d.Store.Tx(ctx, func(tx *store.Store) error {
			err := tx.TransitionMembership(ctx, existing.ID, []string{models.MembershipInvited}, models.MembershipActive,
				map[string]any{"uri": joinURI},
				&models.RoleChange{ID: models.NewID(), CommunityID: group.ID, ActorID: actor.ID, ByID: actor.ID, NewRole: existing.Role})
			if core.LostRace(err) {
				return errs.Conflict("this invitation was answered or withdrawn in the meantime")
			}
			if err != nil {
				return err
			}
			existing.State, existing.URI = models.MembershipActive, joinURI
			if err := c.followOnJoin(ctx, tx, group, actor); err != nil {
				return err
			}
			if !actor.Local() {
				return c.d.Pub.Publish(ctx, tx, c.answerJoin(group, actor, existing, true, ""))
			}
			return nil
		})
		if err != nil {
			return nil, errs.Internal(err)
		}
		return existing, nil
	}
	m := &models.Membership{ID: models.NewID(), CommunityID: group.ID, ActorID: actor.ID,
		Role: models.RoleCommunityMember, State: models.MembershipPending, URI: joinURI}
	if !group.Local() {
		if !actor.Local() {
			return nil, errs.Forbidden("not a community of this instance")
		}
		m.URI = c.d.URLs.Activity(m.ID)
		err := c.d.Store.Tx(ctx, func(tx *store.Store) error {
			if err := tx.PutMembership(ctx, m); err != nil {
				return err
			}
			return c.d.Pub.Publish(ctx, tx, &core.Outbound{ID: m.URI, Type: core.TypeJoin, Actor: actor,
				Object: core.Ref{URI: group.URI}, To: []string{group.URI}, Recipients: []*models.Actor{group}})
		})
		if errors.Is(err, store.ErrExists) {
			// A concurrent Join got there first and sent the only Join activity.
			if existing, err := c.d.Store.Membership(ctx, group.ID, actor.ID); err == nil {
				return existing, nil
			}
			return nil, errs.Conflict("your membership changed in the meantime; try again")
		}
		if err != nil {
			return nil, errs.Internal(err)
		}
		return m, nil
	}
	com, err := c.ByActor(ctx, group)
	if err != nil {
		return nil, err
	}
	switch com.MembershipPolicy {
	case models.PolicyInvitation:
		if !actor.Local() && joinURI != "" {
			_ = c.d.Store.Tx(ctx, func(tx *store.Store) error {
				return c.d.Pub.Publish(ctx, tx, c.answerJoin(group, actor, m, false, "membership is by invitation only"))
			})
		}
		return nil, errs.Forbidden("membership of this community is by invitation only")
	case models.PolicyOpen:
		m.State = models.MembershipActive
	}
	if actor.Local() && m.URI == "" {
		m.URI = c.d.URLs.Activity(m.ID)
	}
	err = c.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.PutMembership(ctx, m); err != nil {
			return err
		}
		if m.State == models.MembershipPending {
			if err := c.notifyMaintainers(ctx, tx, group, models.Notification{Kind: models.NotifyMembershipRequest,
				ActorID: actor.ID, CommunityID: group.ID, DedupeKey: "membership:" + m.ID}); err != nil {
				return err
			}
		}
		if m.State == models.MembershipActive {
			if err := c.followOnJoin(ctx, tx, group, actor); err != nil {
				return err
			}
			if err := tx.LogRoleChange(ctx, &models.RoleChange{ID: models.NewID(), CommunityID: group.ID, ActorID: actor.ID, ByID: actor.ID, NewRole: m.Role}); err != nil {
				return err
			}
			if !actor.Local() {
				return c.d.Pub.Publish(ctx, tx, c.answerJoin(group, actor, m, true, ""))
			}
		}
		return nil
	})
	if errors.Is(err, store.ErrExists) {
		// A concurrent Join (or invitation) created the membership first.
		if existing, err := c.d.Store.Membership(ctx, group.ID, actor.ID); err == nil {
			return existing, nil
		}
		return nil, errs.Conflict("your membership changed in the meantime; try again")
	}
	if err != nil {
		return nil, errs.Internal(err)
	}
	return m, nil
}

func (c *Communities) answerJoin(group, actor *models.Actor, m *models.Membership, accept bool, reason string) *core.Outbound {
	t := core.TypeAccept
	if !accept {
		t = core.TypeReject
	}
	return &core.Outbound{ID: c.d.URLs.Activity(models.NewID()), Type: t, Actor: group,
		Object: core.MembershipObject{Membership: m, Member: actor, Group: group}, Content: reason, To: []string{actor.URI}, Recipients: []*models.Actor{actor}}
}

// DecideMembership approves or refuses a pending membership request (maintainers).
func (c *Communities) DecideMembership(ctx context.Context, by, group *models.Actor, membershipID string, approve bool) (*models.Membership, error) {
	if err := c.require(ctx, group, by, models.RoleCommunityMaintainer, "approve members"); err != nil {
		return nil, err
	}
	m, err := c.d.Store.MembershipByID(ctx, membershipID)
	if err != nil || m.CommunityID != group.ID {
		return nil, errs.NotFound("membership request not found")
	}
	if m.State != models.MembershipPending {
		return nil, errs.Conflict("this request was already answered")
	}
	member, err := c.d.Actors.ByID(ctx, m.ActorID)
	if err != nil {
		return nil, err
	}
	err = c.d.Store.Tx(ctx, func(tx *store.Store) error {
		// Approval is pending → active; refusal deletes the request while it is
		// still pending. Either applies only to a pending request, so of an
		// approval and a refusal (or a withdrawal) racing, one wins and the
		// other gets 409; the answer is published only by the winner.
		var err error
		if approve {
			err = tx.TransitionMembership(ctx, m.ID, []string{models.MembershipPending}, models.MembershipActive, nil,
				&models.RoleChange{ID: models.NewID(), CommunityID: group.ID, ActorID: member.ID, ByID: by.ID, NewRole: m.Role})
		} else {
			err = tx.RemoveMembership(ctx, m.ID, []string{models.MembershipPending})
		}
		if core.LostRace(err) {
			return errs.Conflict("this request was already answered")
		}
		if err != nil {
			return err
		}
		if approve {
			m.State = models.MembershipActive
			if err := c.followOnJoin(ctx, tx, group, member); err != nil {
				return err
			}
		}
		if err := c.notifyDecision(ctx, tx, group, member, m, by.ID, approve); err != nil {
			return err
		}
		if !member.Local() {
			return c.d.Pub.Publish(ctx, tx, c.answerJoin(group, member, m, approve, ""))
		}
		return nil
	})
	if err != nil {
		return nil, errs.Internal(err)
	}
	return m, nil
}

// Invite lets a maintainer invite an actor (needed under the invitation policy):
// the membership is active once the invited actor joins.
func (c *Communities) Invite(ctx context.Context, by, group, invitee *models.Actor) (*models.Membership, error) {
	if err := c.require(ctx, group, by, models.RoleCommunityMaintainer, "invite members"); err != nil {
		return nil, err
	}
	if err := c.clearAwaiting(ctx, group, invitee); err != nil {
		return nil, errs.Internal(err)
	}
	m := &models.Membership{ID: models.NewID(), CommunityID: group.ID, ActorID: invitee.ID, Role: models.RoleCommunityMember, State: models.MembershipInvited}
	err := c.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.PutMembership(ctx, m); err != nil {
			return err
		}
		return c.d.Notify.Notify(ctx, tx, models.Notification{RecipientID: invitee.ID, Kind: models.NotifyCommunityInvitation,
			ActorID: by.ID, CommunityID: group.ID, DedupeKey: "membership:" + m.ID})
	})
	if err != nil {
		if errors.Is(err, store.ErrExists) {
			return nil, errs.Conflict("already a member or invited")
		}
		return nil, errs.Internal(err)
	}
	return m, nil
}

// ReceiveJoinAnswer handles a remote community's Accept or Reject of a local
// actor's Join. Only the community itself may answer.
func (c *Communities) ReceiveJoinAnswer(ctx context.Context, group *models.Actor, joinURI string, accept bool) error {
	m, err := c.d.Store.MembershipByURI(ctx, joinURI)
	if err != nil {
		return errs.NotFound("no such membership request")
	}
	if m.CommunityID != group.ID {
		return errs.Forbidden("only the community may answer its membership requests")
	}
	member, err := c.d.Store.ActorByID(ctx, m.ActorID)
	if err != nil {
		return errs.Internal(err)
	}
	if !accept {
		// A Reject ends the request, or the membership (the group removed us).
		err := c.d.Store.Tx(ctx, func(tx *store.Store) error {
			if err := tx.RemoveMembership(ctx, m.ID, []string{models.MembershipPending, models.MembershipActive}); err != nil {
				return err
			}
			return c.notifyDecision(ctx, tx, group, member, m, group.ID, false)
		})
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return errs.Internal(err)
		}
		return nil
	}
	err = c.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.TransitionMembership(ctx, m.ID, []string{models.MembershipPending}, models.MembershipActive, nil, nil); err != nil {
			return err
		}
		if err := c.followOnJoin(ctx, tx, group, member); err != nil {
			return err
		}
		return c.notifyDecision(ctx, tx, group, member, m, group.ID, true)
	})
	if core.LostRace(err) {
		// An Accept delivered again is no change; one for a request we withdrew is.
		if cur, err := c.d.Store.MembershipByID(ctx, m.ID); err == nil && cur.State == models.MembershipActive {
			return nil
		}
		return errs.Conflict("this membership request was withdrawn")
	}
	if err != nil {
		return errs.Internal(err)
	}
	return nil
}

// Leave ends actor's membership (a local action, or a remote Leave/Undo Join).
func (c *Communities) Leave(ctx context.Context, actor, group *models.Actor) error {
	m, err := c.d.Store.Membership(ctx, group.ID, actor.ID)
	if err != nil {
		return errs.NotFound("not a member")
	}
	err = c.d.Store.Tx(ctx, func(tx *store.Store) error {
		if group.Local() {
			if err := c.keepsSteward(ctx, tx, group, m, "the last steward cannot leave; name another steward first"); err != nil {
				return err
			}
		}
		// Removed only as read: an approval or a role change that came first
		// makes this a 409, to be retried against the new state.
		if err := tx.RemoveMembershipAsRead(ctx, m); core.LostRace(err) {
			return errs.Conflict("your membership changed in the meantime; try again")
		} else if err != nil {
			return err
		}
		if group.Local() {
			if err := tx.LogRoleChange(ctx, &models.RoleChange{ID: models.NewID(), CommunityID: group.ID, ActorID: actor.ID, ByID: actor.ID, OldRole: m.Role}); err != nil {
				return err
			}
		} else if actor.Local() {
			if err := c.d.Pub.Publish(ctx, tx, &core.Outbound{ID: c.d.URLs.Activity(models.NewID()), Type: core.TypeLeave,
				Actor: actor, Object: core.Ref{URI: group.URI}, To: []string{group.URI}, Recipients: []*models.Actor{group}}); err != nil {
				return err
			}
		}
		return c.unfollowOnLeave(ctx, tx, group, actor)
	})
	if err != nil {
		return errs.Internal(err)
	}
	return nil
}

// SetRole changes a member's role. Stewards manage roles; the last steward cannot
// step down. The change is federated to the community's followers as Add/Remove on
// the moderators collection, and logged.
func (c *Communities) SetRole(ctx context.Context, by, group, member *models.Actor, role string) (*models.Membership, error) {
	if !group.Local() {
		return nil, errs.Forbidden("roles of a remote community are managed on its own instance")
	}
	if by == nil || !by.Local() {
		return nil, errs.Forbidden("only the community's stewards change roles")
	}
	if err := c.require(ctx, group, by, models.RoleCommunitySteward, "change roles"); err != nil {
		return nil, err
	}
	if roleRank(role) == 0 {
		return nil, errs.Unprocessable("role must be member, maintainer or steward")
	}
	m, err := c.d.Store.Membership(ctx, group.ID, member.ID)
	if err != nil || m.State != models.MembershipActive {
		return nil, errs.NotFound("%s is not a member", member.Username)
	}
	if m.Role == role {
		return m, nil
	}
	err = c.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.LockCommunity(ctx, group.ID); err != nil {
			return err
		}
		// Checked again under the lock: a steward demoted meanwhile has lost the
		// right to change roles.
		if me, err := tx.Membership(ctx, group.ID, by.ID); err != nil || me.State != models.MembershipActive || me.Role != models.RoleCommunitySteward {
			return errs.Forbidden("only stewards may change roles")
		}
		return c.applyRole(ctx, tx, group, member, m, role, by.ID)
	})
	if err != nil {
		return nil, errs.Internal(err)
	}
	return m, nil
}

// applyRole changes m (member's membership of group) to role in tx, logged as
// done by byID, and federates the change on the moderators collection: the
// path shared by a steward's SetRole and a passed proposal (SetRoleDecided).
// The community must be locked (keepsSteward locks it).
func (c *Communities) applyRole(ctx context.Context, tx *store.Store, group, member *models.Actor, m *models.Membership, role, byID string) error {
	old := m.Role
	wasMod, isMod := roleRank(old) >= 2, roleRank(role) >= 2
	if role != models.RoleCommunitySteward {
		if err := c.keepsSteward(ctx, tx, group, m, "a community needs at least one steward"); err != nil {
			return err
		}
	}
	err := tx.SetMembershipRole(ctx, m.ID, old, role,
		&models.RoleChange{ID: models.NewID(), CommunityID: group.ID, ActorID: member.ID, ByID: byID, OldRole: old, NewRole: role})
	if core.LostRace(err) {
		return errs.Conflict("%s's membership changed in the meantime; try again", member.Username)
	}
	if err != nil {
		return err
	}
	m.Role = role
	if err := c.d.Notify.Notify(ctx, tx, models.Notification{RecipientID: member.ID, Kind: models.NotifyRoleChange,
		ActorID: byID, CommunityID: group.ID, Detail: role, DedupeKey: "role:" + m.ID + ":" + old + ">" + role + ":" + models.NewID()}); err != nil {
		return err
	}
	if wasMod == isMod {
		return nil
	}
	t := core.TypeAdd
	if !isMod {
		t = core.TypeRemove
	}
	var recipients []*models.Actor
	if !member.Local() {
		recipients = append(recipients, member)
	}
	return c.d.Pub.Publish(ctx, tx, &core.Outbound{ID: c.d.URLs.Activity(models.NewID()), Type: t, Actor: group,
		Object: core.Ref{URI: member.URI}, Target: group.URI + "/moderators", Audience: group.URI,
		To: []string{core.PublicCollection}, CC: []string{group.FollowersURI}, ToFollowers: true, Recipients: recipients})
}

// keepsSteward refuses to let m stop being a steward when it is the community's
// last one. It locks the community first (tx must be a transaction), so that two
// stewards leaving or demoting each other at once are checked one after the
// other and one of them gets 409.
func (c *Communities) keepsSteward(ctx context.Context, tx *store.Store, group *models.Actor, m *models.Membership, refusal string) error {
	if err := tx.LockCommunity(ctx, group.ID); err != nil {
		return err
	}
	if m.Role != models.RoleCommunitySteward || m.State != models.MembershipActive {
		return nil
	}
	n, err := tx.CountMembers(ctx, group.ID, []string{models.RoleCommunitySteward})
	if err != nil {
		return err
	}
	if n <= 1 {
		return errs.Conflict("%s", refusal)
	}
	return nil
}

// Members lists active members (for the members collection, the API and the UI).
// Hidden member lists are shown only to members.
func (c *Communities) Members(ctx context.Context, viewer, group *models.Actor, state string, limit, offset int) ([]store.MemberRow, error) {
	com, err := c.ByActor(ctx, group)
	if err != nil {
		return nil, err
	}
	if state == "" {
		state = models.MembershipActive
	}
	if state != models.MembershipActive {
		if err := c.require(ctx, group, viewer, models.RoleCommunityMaintainer, "see membership requests"); err != nil {
			return nil, err
		}
	} else if !com.MembersPublic && c.Role(ctx, group, viewer) == "" {
		return nil, errs.Forbidden("this community's member list is private")
	}
	out, err := c.d.Store.ListMembers(ctx, group.ID, state, nil, limit, offset)
	if err != nil {
		return nil, errs.Internal(err)
	}
	return out, nil
}

// Maintainers lists maintainers and stewards (public: the moderators collection).
func (c *Communities) Maintainers(ctx context.Context, group *models.Actor) ([]store.MemberRow, error) {
	out, err := c.d.Store.ListMembers(ctx, group.ID, models.MembershipActive,
		[]string{models.RoleCommunityMaintainer, models.RoleCommunitySteward}, 200, 0)
	if err != nil {
		return nil, errs.Internal(err)
	}
	return out, nil
}

// RoleLog lists role changes, newest first.
func (c *Communities) RoleLog(ctx context.Context, group *models.Actor, limit int) ([]models.RoleChange, error) {
	out, err := c.d.Store.ListRoleChanges(ctx, group.ID, limit)
	if err != nil {
		return nil, errs.Internal(err)
	}
	return out, nil
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprint("service: ", err))
	}
	return string(b)
}

// MustActorID returns the row id of a known actor URI ("" when unknown).
func (c *Communities) MustActorID(ctx context.Context, uri string) string {
	a, err := c.d.Store.ActorByURI(ctx, uri)
	if err != nil {
		return ""
	}
	return a.ID
}

// SetImage sets a community's icon or banner; stewards only.
func (c *Communities) SetImage(ctx context.Context, by, group *models.Actor, slot, contentType string, data []byte) error {
	if _, err := c.ByActor(ctx, group); err != nil {
		return err
	}
	if err := c.require(ctx, group, by, models.RoleCommunitySteward, "change the community's images"); err != nil {
		return err
	}
	return c.d.Actors.SetImage(ctx, group, slot, contentType, data)
}

// notifyMaintainers notifies the community's active maintainers and stewards
// in tx (membership requests, contributions to review).
func (c *Communities) notifyMaintainers(ctx context.Context, tx *store.Store, group *models.Actor, nt models.Notification) error {
	rows, err := tx.ListMembers(ctx, group.ID, models.MembershipActive,
		[]string{models.RoleCommunityMaintainer, models.RoleCommunitySteward}, 200, 0)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(rows))
	for _, r := range rows {
		ids = append(ids, r.Actor.ID)
	}
	return c.d.Notify.NotifyAll(ctx, tx, ids, nt)
}

// notifyDecision tells a local member the answer to their membership request.
func (c *Communities) notifyDecision(ctx context.Context, tx *store.Store, group, member *models.Actor, m *models.Membership, byID string, accepted bool) error {
	detail := "rejected"
	if accepted {
		detail = "accepted"
	}
	return c.d.Notify.Notify(ctx, tx, models.Notification{RecipientID: member.ID, Kind: models.NotifyMembershipDecision,
		ActorID: byID, CommunityID: group.ID, Detail: detail, DedupeKey: "membership-decision:" + m.ID})
}

// followOnJoin makes a local member follow the community's Group when their
// membership becomes active, so that the community's posts reach their home
// timeline (joining follows by default; unfollowing a local community keeps
// the membership, see UnfollowedBy). A local community's follow is accepted at
// once; a remote one's is a Follow sent to it (in tx, with the membership's
// change), pending until the community accepts it, as any follow. A follow
// that exists is kept as it is.
func (c *Communities) followOnJoin(ctx context.Context, tx *store.Store, group, member *models.Actor) error {
	if !member.Local() {
		return nil
	}
	if _, err := tx.FollowByPair(ctx, member.ID, group.ID); err == nil {
		return nil
	}
	id := models.NewID()
	f := &models.Follow{ID: id, URI: c.d.URLs.Activity(id), FollowerID: member.ID, TargetID: group.ID, State: models.FollowAccepted}
	if !group.Local() {
		f.State = models.FollowPending
	}
	err := tx.CreateFollow(ctx, f)
	if errors.Is(err, store.ErrExists) {
		return nil
	}
	if err != nil || group.Local() {
		return err
	}
	return c.d.Pub.Publish(ctx, tx, &core.Outbound{ID: f.URI, Type: core.TypeFollow, Actor: member, Object: core.Ref{URI: group.URI},
		To: []string{group.URI}, Recipients: []*models.Actor{group}})
}

// unfollowOnLeave undoes a local member's follow of the community's Group as
// they leave it (in tx, with the membership's removal): joining followed it,
// leaving undoes that, for a local community and a remote one alike (there an
// Undo{Follow} goes after the Leave; its instance reads the Undo as leaving
// too, which it already is). A remote member's follow is their server's to
// undo.
func (c *Communities) unfollowOnLeave(ctx context.Context, tx *store.Store, group, member *models.Actor) error {
	if !member.Local() {
		return nil
	}
	f, err := tx.FollowByPair(ctx, member.ID, group.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := tx.RemoveFollow(ctx, f.ID, nil); errors.Is(err, store.ErrNotFound) {
		return nil // undone by a concurrent unfollow, which sent its own Undo
	} else if err != nil {
		return err
	}
	if group.Local() {
		return nil
	}
	return c.d.Pub.Publish(ctx, tx, &core.Outbound{ID: c.d.URLs.Activity(models.NewID()), Type: core.TypeUndo, Actor: member,
		Object: core.FollowObject{Follow: f, Follower: member, Target: group}, To: []string{group.URI}, Recipients: []*models.Actor{group}})
}
