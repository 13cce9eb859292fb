package communities

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/commonsd/commonsd/content"
	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/service/social"
	"github.com/commonsd/commonsd/store"
)

// ContributionInput is a contribution as its contributor offers it.
type ContributionInput struct {
	Title, Body, Kind, Licence string
	Links                      []string
	// CoContributors are extra contributors (handles or actor URLs).
	CoContributors []string
	// Files are uploaded attachments (a local offer; at most models.MaxAttachments).
	Files []Upload
	// Bounty is the id or URI of a bounty the contribution claims (issue 12;
	// bounties.go), "" for none.
	Bounty string
}

// RemoteOffer identifies an Offer that arrived from another server.
type RemoteOffer struct {
	ObjectURI string // the contribution's id at its origin
	OfferURI  string
	// Contributors are the actor URIs the object is attributed to.
	Contributors []string
	BodyHTML     string
	// Attachments are the object's Documents: kept as URLs, never downloaded.
	Attachments []models.Attachment
}

func validKind(k string) bool {
	for _, v := range models.ContributionKinds {
		if v == k {
			return true
		}
	}
	return false
}

func (in *ContributionInput) validate() error {
	in.Title = strings.TrimSpace(in.Title)
	in.Body = strings.ReplaceAll(in.Body, "\r\n", "\n") // as a browser sends a textarea
	switch {
	case in.Title == "":
		return errs.Unprocessable("title is required")
	case len([]rune(in.Title)) > 200:
		return errs.Unprocessable("title is longer than 200 characters")
	case len([]rune(in.Body)) > 50000:
		return errs.Unprocessable("body is longer than 50000 characters")
	}
	if in.Kind == "" {
		in.Kind = "other"
	}
	if !validKind(in.Kind) {
		return errs.Unprocessable("kind must be one of %s", strings.Join(models.ContributionKinds, ", "))
	}
	if len(in.Links) > 20 {
		return errs.Unprocessable("at most 20 links")
	}
	for _, l := range in.Links {
		if content.SafeURL(l) != l {
			return errs.Unprocessable("link %q is not an http(s) URL", l)
		}
	}
	return nil
}

// OfferRequired says whether actor may offer to a local community under its policy.
func (c *Communities) mayOffer(ctx context.Context, group *models.Actor, com *models.Community, actor *models.Actor) error {
	switch com.OfferPolicy {
	case models.PolicyMembers:
		return c.require(ctx, group, actor, models.RoleCommunityMember, "offer contributions to this community")
	case models.PolicyMaintainers:
		return c.require(ctx, group, actor, models.RoleCommunityMaintainer, "offer contributions to this community")
	}
	return nil
}

// Offer offers a contribution to a community's commons. To a local community it is
// stored for review if the policy allows; to a remote one it is sent as an Offer and
// kept here, fetchable at its id. remote is set when the Offer came from another
// server.
func (c *Communities) Offer(ctx context.Context, contributor, group *models.Actor, in ContributionInput, remote *RemoteOffer) (*models.Contribution, error) {
	if group.Type != models.ActorGroup {
		return nil, errs.Unprocessable("contributions are offered to communities")
	}
	if remote != nil {
		// Another server's links and contributor ids: only http(s) URLs are
		// kept (a bad link is dropped, not a reason to refuse the offer).
		in.Links = content.SafeURLs(in.Links)
		remote.Contributors = content.SafeURLs(remote.Contributors)
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	named := []string{contributor.URI}
	if remote != nil {
		named = append(named, remote.Contributors...)
	} else {
		for _, h := range in.CoContributors {
			a, err := c.d.Social.ResolveActor(ctx, h)
			if err != nil {
				return nil, errs.Unprocessable("co-contributor %s not found", h)
			}
			named = append(named, a.URI)
		}
	}
	// A local community keeps the ledger: co-contributors wait for their own
	// confirmation (contribution_credit.go). An offer to a remote community
	// names them all; that community asks them.
	contributors, pending, err := splitCredit(contributor.URI, named)
	if err != nil {
		return nil, err
	}
	if !group.Local() {
		contributors, pending = append(contributors, pending...), nil
	}
	id := models.NewID()
	co := &models.Contribution{ID: id, CommunityID: group.ID, ContributorID: contributor.ID,
		Contributors: contributors, Title: in.Title, Body: in.Body, BodyHTML: content.Markdown(in.Body),
		Kind: in.Kind, Links: in.Links, Licence: in.Licence, State: models.ContributionOpen, Local: contributor.Local()}
	if len(pending) > 0 {
		co.PendingContributors = mustJSON(pending)
	}
	var com *models.Community
	if group.Local() {
		var err error
		if com, err = c.ByActor(ctx, group); err != nil {
			return nil, err
		}
		if co.Licence == "" {
			co.Licence = com.Licence
		}
		if co.Licence != com.Licence {
			return nil, errs.Unprocessable("this commons is licensed %s; contributions must be offered under it, not %s", LicenceName(com.Licence), LicenceName(co.Licence))
		}
		if err := c.mayOffer(ctx, group, com, contributor); err != nil {
			return nil, err
		}
	} else if co.Licence == "" {
		return nil, errs.Unprocessable("licence is required when offering to a remote community")
	} else if !validLicence(co.Licence) {
		return nil, errs.Unprocessable("unknown licence %s", co.Licence)
	}
	var media []*models.Media
	if remote != nil {
		if atts := remoteAttachments(remote.Attachments); len(atts) > 0 {
			co.Attachments = mustJSON(atts)
		}
	} else {
		var err error
		if media, err = c.checkUploads(contributor, in.Files, 0); err != nil {
			return nil, err
		}
	}
	claim, err := c.checkClaim(ctx, group, in.Bounty)
	if err != nil {
		return nil, err
	}
	if remote != nil {
		if remote.ObjectURI == "" || remote.OfferURI == "" {
			return nil, errs.BadRequest("a remote offer needs an object id and an offer id")
		}
		co.URI, co.OfferURI = remote.ObjectURI, remote.OfferURI
		if remote.BodyHTML != "" && strings.TrimSpace(in.Body) == "" {
			co.BodyHTML = content.Sanitize(remote.BodyHTML)
		}
		if existing, err := c.d.Store.ContributionByURI(ctx, co.URI); err == nil {
			return existing, nil // a re-delivered Offer
		}
	} else {
		co.URI = c.d.URLs.Contribution(id)
		co.OfferURI = c.d.URLs.Activity(models.NewID())
	}
	err = c.d.Store.Tx(ctx, func(tx *store.Store) error {
		if len(media) > 0 {
			atts, err := c.storeUploads(ctx, tx, co, media)
			if err != nil {
				return err
			}
			co.Attachments = mustJSON(atts)
		}
		if err := tx.CreateContribution(ctx, co); err != nil {
			return err
		}
		if claim.ID != "" {
			if err := tx.CreateBountyClaim(ctx, &models.BountyClaim{ContributionID: co.ID, BountyID: claim.ID, CreatedAt: c.d.Now()}); err != nil {
				return err
			}
		}
		if group.Local() {
			if err := c.notifyMaintainers(ctx, tx, group, models.Notification{Kind: models.NotifyContributionAwaitingReview,
				ActorID: contributor.ID, CommunityID: group.ID, ContributionID: co.ID, DedupeKey: "offer:" + co.ID}); err != nil {
				return err
			}
		}
		if !group.Local() && contributor.Local() {
			return c.d.Pub.Publish(ctx, tx, &core.Outbound{ID: co.OfferURI, Type: core.TypeOffer, Actor: contributor,
				Object: core.ContributionObject{Contribution: co, Group: group, Bounty: claim.URI}, Target: group.URI, To: []string{group.URI}, Recipients: []*models.Actor{group}})
		}
		return nil
	})
	if errors.Is(err, store.ErrExists) {
		return nil, errs.Conflict("this contribution was already offered")
	}
	if err != nil {
		return nil, errs.Internal(err)
	}
	return co, nil
}

// Contribution loads a contribution with its community.
func (c *Communities) Contribution(ctx context.Context, id string) (*models.Contribution, *models.Actor, error) {
	co, err := c.d.Store.ContributionByID(ctx, id)
	if err != nil {
		return nil, nil, errs.NotFound("contribution not found")
	}
	group, err := c.d.Actors.ByID(ctx, co.CommunityID)
	if err != nil {
		return nil, nil, err
	}
	return co, group, nil
}

// Comment adds a review comment. Maintainers may request changes; the contributor
// may answer.
func (c *Communities) Comment(ctx context.Context, by *models.Actor, contributionID, body string, requestChanges bool) (*models.ReviewComment, error) {
	co, group, err := c.Contribution(ctx, contributionID)
	if err != nil {
		return nil, err
	}
	if !group.Local() {
		return nil, errs.Forbidden("review happens on the community's own instance")
	}
	isMaintainer := roleRank(c.Role(ctx, group, by)) >= 2
	if !isMaintainer && co.ContributorID != by.ID {
		return nil, errs.Forbidden("only maintainers and the contributor comment on a review")
	}
	if requestChanges && !isMaintainer {
		return nil, errs.Forbidden("only maintainers request changes")
	}
	if strings.TrimSpace(body) == "" {
		return nil, errs.Unprocessable("comment is empty")
	}
	// Comments stay possible after the decision (or a withdrawal); changes
	// are requested of an undecided offer only.
	if requestChanges && co.State != models.ContributionOpen && co.State != models.ContributionChangesRequested {
		return nil, errs.Conflict("this contribution was already %s", co.State)
	}
	rc := &models.ReviewComment{ID: models.NewID(), ContributionID: co.ID, AuthorID: by.ID, Body: body,
		BodyHTML: content.Markdown(body), RequestChanges: requestChanges, Revision: co.Revision}
	err = c.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.AddReviewComment(ctx, rc); err != nil {
			return err
		}
		note := models.Notification{Kind: models.NotifyReviewComment, ActorID: by.ID, CommunityID: group.ID,
			ContributionID: co.ID, DedupeKey: "comment:" + rc.ID}
		if requestChanges {
			note.Kind = models.NotifyChangesRequested
		}
		if co.ContributorID != by.ID {
			note.RecipientID = co.ContributorID
			if err := c.d.Notify.Notify(ctx, tx, note); err != nil {
				return err
			}
		} else if err := c.notifyMaintainers(ctx, tx, group, note); err != nil {
			return err
		}
		var from []string
		to := models.ContributionChangesRequested
		switch {
		case requestChanges:
			from = []string{models.ContributionOpen, models.ContributionChangesRequested}
		case co.ContributorID == by.ID && co.State == models.ContributionChangesRequested:
			from, to = []string{models.ContributionChangesRequested}, models.ContributionOpen
		default:
			return nil
		}
		// Conditional: a decision taken meanwhile refuses the comment (409).
		if err := tx.TransitionContribution(ctx, co.ID, from, to, nil); err != nil {
			if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) {
				return errs.Conflict("this contribution was decided or changed in the meantime")
			}
			return err
		}
		co.State = to
		return nil
	})
	if err != nil {
		return nil, errs.Internal(err)
	}
	if co.ContributorID != by.ID {
		c.notifyRemoteContributor(ctx, by, co, body, requestChanges)
	}
	return rc, nil
}

// notifyRemoteContributor sends a maintainer's review comment to a contributor on
// another server as a direct note in reply to the contribution, so it reaches them
// where they are (their home timeline). Review itself stays on this instance.
func (c *Communities) notifyRemoteContributor(ctx context.Context, by *models.Actor, co *models.Contribution, body string, requestChanges bool) {
	contributor, err := c.d.Store.ActorByID(ctx, co.ContributorID)
	if err != nil || contributor.Local() {
		return
	}
	prefix := "Review of"
	if requestChanges {
		prefix = "Changes requested on"
	}
	text := fmt.Sprintf("@%s@%s %s “%s”:\n\n%s", contributor.Username, contributor.Domain, prefix, co.Title, body)
	if _, err := c.d.Social.PostNote(ctx, by, social.NoteInput{Content: text, Visibility: models.VisibilityDirect, InReplyTo: co.URI}); err != nil {
		c.d.Log.Warn("review comment not sent to the contributor", "contribution", co.ID, "err", err)
	}
}

// Comments lists a contribution's review comments.
func (c *Communities) Comments(ctx context.Context, contributionID string) ([]models.ReviewComment, error) {
	out, err := c.d.Store.ReviewComments(ctx, contributionID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	return out, nil
}

// Decide accepts or rejects a contribution (maintainers of a local community). On
// acceptance it joins the commons, every contributor gets a ledger entry, the
// contributor's server gets an Accept, and the Group tells its followers: Add to the
// commons collection and Announce of the contribution (Mastodon shows the boost).
// A rejection needs a reason, which goes back in the Reject.
// A community whose governance settings say contributions require a proposal
// accepts them only by a passed accept_contribution proposal (AcceptDecided);
// its maintainers may still reject.
func (c *Communities) Decide(ctx context.Context, by *models.Actor, contributionID string, accept bool, reason string) (*models.Contribution, error) {
	co, group, err := c.Contribution(ctx, contributionID)
	if err != nil {
		return nil, err
	}
	if !group.Local() {
		return nil, errs.Forbidden("a remote community decides on its own instance")
	}
	if err := c.require(ctx, group, by, models.RoleCommunityMaintainer, "accept or reject contributions"); err != nil {
		return nil, err
	}
	if co.State == models.ContributionAccepted || co.State == models.ContributionRejected {
		return nil, errs.Conflict("this contribution was already %s", co.State)
	}
	reason = strings.TrimSpace(reason)
	if !accept && reason == "" {
		return nil, errs.Unprocessable("a rejection needs a reason")
	}
	if gs, err := c.d.Store.GovernanceSettingsOf(ctx, group.ID); accept && err == nil && gs.ContributionsByProposal {
		return nil, errs.Forbidden("in this community contributions are accepted by proposal (kind accept_contribution)")
	}
	com, err := c.ByActor(ctx, group)
	if err != nil {
		return nil, err
	}
	contributor, err := c.d.Actors.ByID(ctx, co.ContributorID)
	if err != nil {
		return nil, err
	}
	var contributors []*models.Actor
	for _, u := range co.Contributors {
		if a, err := c.d.Store.ActorByURI(ctx, u); err == nil {
			contributors = append(contributors, a)
		}
	}
	if len(contributors) == 0 {
		contributors = []*models.Actor{contributor}
	}
	now := c.d.Now()
	undecided := []string{models.ContributionOpen, models.ContributionChangesRequested}
	err = c.d.Store.Tx(ctx, func(tx *store.Store) error {
		// The decision is one conditional update; the ledger entries and the
		// activities follow only if it applied, in the same transaction, so a
		// racing accept and reject cannot both take effect.
		to, extra := models.ContributionRejected, map[string]any{"decided_by_id": by.ID, "reason": reason}
		if accept {
			to, extra = models.ContributionAccepted, map[string]any{"decided_by_id": by.ID, "accepted_at": now}
		}
		if err := tx.TransitionContribution(ctx, co.ID, undecided, to, extra); err != nil {
			if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) {
				return errs.Conflict("this contribution was already decided")
			}
			return err
		}
		co.State, co.DecidedByID = to, by.ID
		kind, detail := models.NotifyContributionAccepted, ""
		if !accept {
			kind, detail = models.NotifyContributionRejected, reason
		}
		recipients := []string{contributor.ID}
		if accept {
			for _, a := range contributors {
				recipients = append(recipients, a.ID)
			}
		}
		if err := c.d.Notify.NotifyAll(ctx, tx, recipients, models.Notification{Kind: kind, ActorID: by.ID, CommunityID: group.ID,
			ContributionID: co.ID, Detail: detail, DedupeKey: "decision:" + co.ID}); err != nil {
			return err
		}
		if !accept {
			co.Reason = reason
			if contributor.Local() {
				return nil
			}
			return c.d.Pub.Publish(ctx, tx, &core.Outbound{ID: c.d.URLs.Activity(models.NewID()), Type: core.TypeReject,
				Actor: group, Object: core.OfferObject{Contribution: co, Contributor: contributor, Group: group}, Content: reason,
				To: []string{contributor.URI}, Recipients: []*models.Actor{contributor}})
		}
		return c.carryAccept(ctx, tx, by.ID, co, group, com, contributor, contributors, now)
	})
	if err != nil {
		return nil, errs.Internal(err)
	}
	return co, nil
}

// carryAccept is what accepting a contribution does once its state moved to
// accepted in tx: the ledger entries and the federated Accept, Add and
// Announce. byID is who decided (a maintainer, or a passed proposal's
// author).
func (c *Communities) carryAccept(ctx context.Context, tx *store.Store, byID string, co *models.Contribution, group *models.Actor, com *models.Community, contributor *models.Actor, contributors []*models.Actor, now time.Time) error {
	co.AcceptedAt = &now
	// Credit goes to the contributors as they are now that the row is ours: a
	// co-contributor's confirmation that committed after our first read is
	// counted here, and one that comes after this transaction sees the
	// contribution accepted and adds its own entry.
	if fresh, err := tx.ContributionByID(ctx, co.ID); err != nil {
		return err
	} else if !slices.Equal(fresh.Contributors, co.Contributors) {
		co.Contributors, co.PendingContributors = fresh.Contributors, fresh.PendingContributors
		contributors = contributors[:0]
		for _, u := range co.Contributors {
			if a, err := tx.ActorByURI(ctx, u); err == nil {
				contributors = append(contributors, a)
			}
		}
		if len(contributors) == 0 {
			contributors = []*models.Actor{contributor}
		}
	}
	weight := com.WeightMin
	if weight < 1 && com.WeightMax >= 1 {
		weight = 1
	}
	entries := make([]models.LedgerEntry, 0, len(contributors))
	for _, a := range contributors {
		entries = append(entries, models.LedgerEntry{ID: models.NewID(), CommunityID: group.ID, ContributionID: co.ID,
			ContributorID: a.ID, Kind: co.Kind, Weight: weight, SetByID: byID, RecordedAt: now})
	}
	if err := tx.AddLedgerEntries(ctx, entries); err != nil {
		return err
	}
	if err := c.bountyAccepted(ctx, tx, co, group, contributors, byID); err != nil {
		return err
	}
	var remote []*models.Actor
	for _, a := range contributors {
		if !a.Local() {
			remote = append(remote, a)
		}
	}
	if !contributor.Local() {
		if err := c.d.Pub.Publish(ctx, tx, &core.Outbound{ID: c.d.URLs.Activity(models.NewID()), Type: core.TypeAccept,
			Actor: group, Object: core.OfferObject{Contribution: co, Contributor: contributor, Group: group},
			To: []string{contributor.URI}, Recipients: []*models.Actor{contributor}}); err != nil {
			return err
		}
	}
	audience := []string{core.PublicCollection}
	cc := []string{group.FollowersURI}
	if err := c.d.Pub.Publish(ctx, tx, &core.Outbound{ID: c.d.URLs.Activity(models.NewID()), Type: core.TypeAdd,
		Actor: group, Object: core.ContributionObject{Contribution: co, Group: group},
		Target: group.URI + "/commons", Audience: group.URI, To: audience, CC: cc, ToFollowers: true, Recipients: remote}); err != nil {
		return err
	}
	return c.d.Pub.Publish(ctx, tx, &core.Outbound{ID: c.d.URLs.Activity(models.NewID()), Type: core.TypeAnnounce,
		Actor: group, Object: core.ContributionObject{Contribution: co, Group: group},
		Audience: group.URI, To: audience, CC: cc, ToFollowers: true, Recipients: remote, Public: true})

}

// ReceiveOfferAnswer records a remote community's Accept or Reject of a local
// actor's offer. Only the community the offer was made to may answer.
func (c *Communities) ReceiveOfferAnswer(ctx context.Context, group *models.Actor, offerURI string, accept bool, reason string) error {
	co, err := c.d.Store.ContributionByOfferURI(ctx, offerURI)
	if err != nil {
		co, err = c.d.Store.ContributionByURI(ctx, offerURI)
	}
	if err != nil {
		return errs.NotFound("no such offer")
	}
	if co.CommunityID != group.ID {
		return errs.Forbidden("only the community an offer was made to may answer it")
	}
	to, extra := models.ContributionRejected, map[string]any{"reason": content.Text(content.Sanitize(reason))}
	if accept {
		to, extra = models.ContributionAccepted, map[string]any{"accepted_at": c.d.Now()}
	}
	err = c.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.TransitionContribution(ctx, co.ID,
			[]string{models.ContributionOpen, models.ContributionChangesRequested}, to, extra); err != nil {
			return err
		}
		kind, detail := models.NotifyContributionAccepted, ""
		if !accept {
			kind, detail = models.NotifyContributionRejected, content.Text(content.Sanitize(reason))
		}
		return c.d.Notify.Notify(ctx, tx, models.Notification{RecipientID: co.ContributorID, Kind: kind, ActorID: group.ID,
			CommunityID: group.ID, ContributionID: co.ID, Detail: detail, DedupeKey: "decision:" + co.ID})
	})
	if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) {
		// Decided already: the same answer delivered again changes nothing; the
		// opposite answer cannot undo the first.
		if cur, err := c.d.Store.ContributionByID(ctx, co.ID); err == nil && cur.State == to {
			return nil
		}
		return errs.Conflict("this offer was already answered")
	}
	if err != nil {
		return errs.Internal(err)
	}
	return nil
}

// Commons pages a community's accepted contributions, with a search term.
func (c *Communities) Commons(ctx context.Context, group *models.Actor, q string, limit, offset int) ([]models.Contribution, int64, error) {
	states := []string{models.ContributionAccepted}
	out, err := c.d.Store.ListContributions(ctx, group.ID, states, q, limit, offset)
	if err != nil {
		return nil, 0, errs.Internal(err)
	}
	n, err := c.d.Store.CountContributions(ctx, group.ID, states)
	if err != nil {
		return nil, 0, errs.Internal(err)
	}
	return out, n, nil
}

// OpenContributions pages contributions awaiting review.
func (c *Communities) OpenContributions(ctx context.Context, group *models.Actor, limit, offset int) ([]models.Contribution, error) {
	out, err := c.d.Store.ListContributions(ctx, group.ID, []string{models.ContributionOpen, models.ContributionChangesRequested}, "", limit, offset)
	if err != nil {
		return nil, errs.Internal(err)
	}
	return out, nil
}

// Ledger pages a community's contributor ledger.
func (c *Communities) Ledger(ctx context.Context, group *models.Actor, limit, offset int) ([]models.LedgerEntry, int64, error) {
	out, err := c.d.Store.Ledger(ctx, group.ID, limit, offset)
	if err != nil {
		return nil, 0, errs.Internal(err)
	}
	n, err := c.d.Store.CountLedger(ctx, group.ID)
	if err != nil {
		return nil, 0, errs.Internal(err)
	}
	return out, n, nil
}

// SetWeight lets a maintainer set a ledger entry's weight within the charter's bounds.
func (c *Communities) SetWeight(ctx context.Context, by, group *models.Actor, entryID string, weight int) error {
	if err := c.require(ctx, group, by, models.RoleCommunityMaintainer, "weigh contributions"); err != nil {
		return err
	}
	com, err := c.ByActor(ctx, group)
	if err != nil {
		return err
	}
	e, err := c.d.Store.LedgerEntryByID(ctx, entryID)
	if err != nil || e.CommunityID != group.ID {
		return errs.NotFound("ledger entry not found")
	}
	if weight < com.WeightMin || weight > com.WeightMax {
		return errs.Unprocessable("weight must be between %d and %d (the charter's bounds)", com.WeightMin, com.WeightMax)
	}
	if err := c.d.Store.SetLedgerWeight(ctx, e.ID, weight, by.ID); err != nil {
		return errs.Internal(err)
	}
	return nil
}

// ---- Discussions ----

// mayPost applies a local community's posting policy.
func (c *Communities) mayPost(ctx context.Context, group *models.Actor, com *models.Community, author *models.Actor) error {
	switch com.PostingPolicy {
	case models.PolicyMembers:
		return c.require(ctx, group, author, models.RoleCommunityMember, "post in this community")
	case models.PolicyMaintainers:
		return c.require(ctx, group, author, models.RoleCommunityMaintainer, "post in this community")
	}
	return nil
}

// relay makes the Group re-publish a post (local or remote) addressed to it, as
// FEP-1b12 says: Announce of the Create, plus Announce of the note itself so that
// Mastodon shows a boost. created is the Create activity as received (JSON).
// It runs in tx, the transaction that stores the post, after the caller has
// applied the community's rules (posting policy, locked threads): the post is
// never stored without its relay, so a failure leaves nothing and the retry of
// the whole (the inbox job, the author's request) completes both.
func (c *Communities) relay(ctx context.Context, tx *store.Store, group *models.Actor, n *models.Note, created string) error {
	if !core.VisibleToAnyone(n) {
		return errs.Unprocessable("community posts are public or unlisted")
	}
	if err := c.homeTimelines(ctx, tx, group, n); err != nil {
		return err
	}
	if created != "" {
		if err := c.AnnounceActivity(ctx, tx, group, created); err != nil {
			return err
		}
	}
	return c.AnnounceObject(ctx, tx, group, n.URI)
}

// AnnounceObject publishes the Group's public Announce of the object at uri to
// its followers (FEP-1b12), in tx.
func (c *Communities) AnnounceObject(ctx context.Context, tx *store.Store, group *models.Actor, uri string) error {
	return c.d.Pub.Publish(ctx, tx, &core.Outbound{ID: c.d.URLs.Activity(models.NewID()), Type: core.TypeAnnounce,
		Actor: group, Object: core.Ref{URI: uri}, Audience: group.URI,
		To: []string{core.PublicCollection}, CC: []string{group.FollowersURI}, ToFollowers: true, Public: true})
}

// AnnounceActivity publishes the Group's Announce of an activity as received
// or published (its JSON) to its followers, as Lemmy relays edits, in tx.
func (c *Communities) AnnounceActivity(ctx context.Context, tx *store.Store, group *models.Actor, activity string) error {
	return c.d.Pub.Publish(ctx, tx, &core.Outbound{ID: c.d.URLs.Activity(models.NewID()), Type: core.TypeAnnounce,
		Actor: group, Object: core.RelayedActivity{JSON: activity}, Audience: group.URI,
		To: []string{core.PublicCollection}, CC: []string{group.FollowersURI}, ToFollowers: true})
}

// relayChange makes the Group re-publish an Update or Delete of one of its
// posts (local or remote author) as it re-published the Create: Announce of
// the activity to its followers (FEP-1b12; Lemmy announces edits and
// deletions the same way). Without it a follower on another server keeps the
// first version, or a deleted post, forever: the author's own Update or Delete
// reaches only the author's followers and addressees. It runs in the
// transaction that stores the change. Private notes are never relayed.
func (c *Communities) relayChange(ctx context.Context, tx *store.Store, group *models.Actor, n *models.Note, activity string) error {
	if !core.VisibleToAnyone(n) || activity == "" {
		return nil
	}
	return c.AnnounceActivity(ctx, tx, group, activity)
}

// Discussions pages a community's top-level posts.
func (c *Communities) Discussions(ctx context.Context, group *models.Actor, limit, offset int) ([]models.Note, error) {
	out, err := c.d.Store.ListDiscussions(ctx, group.URI, limit, offset)
	if err != nil {
		return nil, errs.Internal(err)
	}
	return out, nil
}

// maxThreadReplies caps the replies a thread page loads.
const maxThreadReplies = 200

// Thread loads a top-level post of a community and its public (or unlisted)
// replies, oldest first; replies to replies are included, up to maxThreadReplies.
func (c *Communities) Thread(ctx context.Context, group *models.Actor, noteID string) (*models.Note, []models.Note, error) {
	post, err := c.d.Store.NoteByID(ctx, noteID)
	if err != nil || post.AudienceURI != group.URI || post.DeletedAt != nil || post.InReplyToURI != "" || !threadVisible(post) {
		return nil, nil, errs.NotFound("post not found in this community")
	}
	var replies []models.Note
	queue := []string{post.URI}
	seen := map[string]bool{post.URI: true}
	for len(queue) > 0 && len(replies) < maxThreadReplies {
		uri := queue[0]
		queue = queue[1:]
		list, err := c.d.Store.ListReplies(ctx, uri, maxThreadReplies)
		if err != nil {
			return nil, nil, errs.Internal(err)
		}
		for _, r := range list {
			if seen[r.URI] || !threadVisible(&r) || len(replies) == maxThreadReplies {
				continue
			}
			seen[r.URI] = true
			replies = append(replies, r)
			queue = append(queue, r.URI)
		}
	}
	sort.SliceStable(replies, func(i, j int) bool { return replies[i].Published.Before(replies[j].Published) })
	return post, replies, nil
}

// ThreadRoot is the top-level post of the local community thread n belongs to
// (n itself for a post), or nil when n is not in a local community.
func (c *Communities) ThreadRoot(ctx context.Context, n *models.Note) (*models.Actor, *models.Note) {
	if n.AudienceURI == "" {
		return nil, nil
	}
	group, err := c.d.Store.ActorByURI(ctx, n.AudienceURI)
	if err != nil || !group.Local() || group.Type != models.ActorGroup {
		return nil, nil
	}
	for i := 0; i < 20 && n.InReplyToURI != ""; i++ {
		parent, err := c.d.Store.NoteByURI(ctx, n.InReplyToURI)
		if err != nil || parent.AudienceURI != group.URI {
			return nil, nil
		}
		n = parent
	}
	if n.InReplyToURI != "" || n.DeletedAt != nil || !threadVisible(n) {
		return nil, nil
	}
	return group, n
}

// threadVisible: only public and unlisted notes appear in a thread.
func threadVisible(n *models.Note) bool { return core.VisibleToAnyone(n) }

// Moderate locks or unlocks a post's thread; maintainers of the post's
// community only. The Group federates the Lock to its followers. Removing a
// post takes a reason for its author: RemovePost.
func (c *Communities) Moderate(ctx context.Context, by, group *models.Actor, noteID, action string) error {
	if action == "remove" {
		return errs.Unprocessable("removing a post takes a reason for its author")
	}
	return c.moderate(ctx, by, group, noteID, action)
}

// moderate removes a post or (un)locks its thread; the Group federates the
// Delete or Lock to its followers.
func (c *Communities) moderate(ctx context.Context, by, group *models.Actor, noteID, action string) error {
	if err := c.require(ctx, group, by, models.RoleCommunityMaintainer, "moderate posts"); err != nil {
		return err
	}
	n, err := c.d.Store.NoteByID(ctx, noteID)
	if err != nil || n.AudienceURI != group.URI || n.DeletedAt != nil {
		return errs.NotFound("post not found in this community")
	}
	out := &core.Outbound{ID: c.d.URLs.Activity(models.NewID()), Actor: group, Object: core.Ref{URI: n.URI},
		Audience: group.URI, To: []string{core.PublicCollection}, CC: []string{group.FollowersURI}, ToFollowers: true}
	err = c.d.Store.Tx(ctx, func(tx *store.Store) error {
		switch action {
		case "remove":
			out.Type = core.TypeDelete
			if err := tx.TombstoneNote(ctx, n.ID, time.Now().UTC()); core.LostRace(err) {
				return errs.NotFound("post not found in this community")
			} else if err != nil {
				return err
			}
		case "lock", "unlock":
			out.Type = core.TypeLock
			if err := tx.SetNoteLocked(ctx, n.ID, action == "lock"); err != nil {
				return err
			}
			if action == "unlock" {
				inner := *out
				out = &core.Outbound{ID: c.d.URLs.Activity(models.NewID()), Type: core.TypeUndo, Actor: group, Object: &inner,
					Audience: group.URI, To: out.To, CC: out.CC, ToFollowers: true}
			}
		default:
			return errs.Unprocessable("action must be remove, lock or unlock")
		}
		return c.d.Pub.Publish(ctx, tx, out)
	})
	var e *errs.Error
	if errors.As(err, &e) {
		return e
	}
	if err != nil {
		return errs.Internal(err)
	}
	return nil
}

// homeTimelines puts a community post, boosted by the Group, on the home
// timelines of the community's local followers (members follow when they
// join) and of its maintainers and stewards, who see every new post whether
// they follow or not. Those who have the post already (the author's
// followers) keep their one entry.
func (c *Communities) homeTimelines(ctx context.Context, tx *store.Store, group *models.Actor, n *models.Note) error {
	owners, err := tx.LocalFollowerIDs(ctx, group.ID)
	if err != nil {
		return err
	}
	mods, err := tx.ListMembers(ctx, group.ID, models.MembershipActive,
		[]string{models.RoleCommunityMaintainer, models.RoleCommunitySteward}, 200, 0)
	if err != nil {
		return err
	}
	for _, m := range mods {
		if m.Actor.Local() {
			owners = append(owners, m.Actor.ID)
		}
	}
	return tx.AddBoostToTimelines(ctx, n.ID, group.ID, owners)
}
