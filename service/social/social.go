package social

import (
	"context"
	"errors"
	"html"
	"regexp"
	"strings"
	"time"

	"github.com/commonsd/commonsd/content"
	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// Social owns follows, notes, boosts, likes, blocks, reports and timelines. Each
// rule lives in one method that serves both a local action and the same action
// arriving from another server: Follow is called by the API for a local user and by
// the inbox for a remote one.
type Social struct {
	d Deps
	// hooks are the community rules and side effects social calls back; see
	// CommunityHooks.
	hooks CommunityHooks
}

func (s *Social) now() time.Time { return s.d.Now() }

// ---- Follows ----

// Follow makes follower follow target. uri is the Follow activity's id for a remote
// follower ("" for a local one: we mint it). A local target auto-accepts unless it
// approves followers manually; a remote target answers with Accept or Reject.
func (s *Social) Follow(ctx context.Context, follower, target *models.Actor, uri string) (*models.Follow, error) {
	if follower.ID == target.ID {
		return nil, errs.Unprocessable("an actor cannot follow itself")
	}
	if target.Suspended || follower.Suspended {
		return nil, errs.Forbidden("this account is suspended")
	}
	if blocked, _ := s.d.Store.IsBlocked(ctx, target.ID, follower.ID); blocked {
		return nil, errs.Forbidden("you are blocked by this actor")
	}
	if existing, err := s.d.Store.FollowByPair(ctx, follower.ID, target.ID); err == nil {
		// A repeated Follow (a remote server retrying, or after a lost Accept) is
		// answered again instead of failing, as Mastodon does.
		if !follower.Local() && target.Local() && existing.State == models.FollowAccepted {
			if uri != "" && uri != existing.URI {
				existing.URI = uri
			}
			err := s.d.Store.Tx(ctx, func(tx *store.Store) error {
				return s.d.Pub.Publish(ctx, tx, s.acceptOut(target, follower, existing))
			})
			if err != nil {
				return nil, errs.Internal(err)
			}
		}
		return existing, nil
	}
	id := models.NewID()
	f := &models.Follow{ID: id, URI: uri, FollowerID: follower.ID, TargetID: target.ID, State: models.FollowPending}
	if follower.Local() {
		f.URI = s.d.URLs.Activity(id)
	} else if uri == "" {
		return nil, errs.BadRequest("a remote Follow needs an id")
	}
	if target.Local() && !target.ManuallyApprovesFollowers {
		f.State = models.FollowAccepted
	}
	err := s.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateFollow(ctx, f); err != nil {
			return err
		}
		if target.Local() {
			kind := models.NotifyFollow
			if f.State == models.FollowPending {
				kind = models.NotifyFollowRequest
			}
			if err := s.d.Notify.Notify(ctx, tx, models.Notification{RecipientID: target.ID, Kind: kind, ActorID: follower.ID,
				DedupeKey: "follow:" + f.ID}); err != nil {
				return err
			}
		}
		switch {
		case follower.Local() && !target.Local():
			return s.d.Pub.Publish(ctx, tx, &core.Outbound{ID: f.URI, Type: core.TypeFollow, Actor: follower, Object: core.Ref{URI: target.URI},
				To: []string{target.URI}, Recipients: []*models.Actor{target}})
		case !follower.Local() && f.State == models.FollowAccepted:
			return s.d.Pub.Publish(ctx, tx, s.acceptOut(target, follower, f))
		}
		return nil
	})
	if errors.Is(err, store.ErrExists) {
		return nil, errs.Conflict("already following")
	}
	if err != nil {
		return nil, errs.Internal(err)
	}
	return f, nil
}

func (s *Social) acceptOut(target, follower *models.Actor, f *models.Follow) *core.Outbound {
	return &core.Outbound{ID: s.d.URLs.Activity(models.NewID()), Type: core.TypeAccept, Actor: target,
		Object: core.FollowObject{Follow: f, Follower: follower, Target: target}, To: []string{follower.URI}, Recipients: []*models.Actor{follower}}
}

// FollowByHandle follows "@name@host", "name@host" or an actor URL.
func (s *Social) FollowByHandle(ctx context.Context, follower *models.Actor, handle string) (*models.Follow, *models.Actor, error) {
	target, err := s.ResolveActor(ctx, handle)
	if err != nil {
		return nil, nil, err
	}
	f, err := s.Follow(ctx, follower, target, "")
	return f, target, err
}

// ResolveActor finds a local or remote actor by handle or URL.
func (s *Social) ResolveActor(ctx context.Context, handle string) (*models.Actor, error) {
	handle = strings.TrimSpace(handle)
	if handle == "" {
		return nil, errs.Unprocessable("target is required")
	}
	local := strings.TrimPrefix(handle, "@")
	if name, host, ok := strings.Cut(local, "@"); ok && strings.EqualFold(host, s.d.Cfg.PublicHost()) {
		return s.d.Actors.LocalByHandle(ctx, name)
	} else if !ok && !strings.Contains(handle, "/") {
		return s.d.Actors.LocalByHandle(ctx, local)
	}
	if strings.HasPrefix(handle, s.d.Cfg.Server.PublicURL+"/") {
		act, err := s.d.Store.ActorByURI(ctx, handle)
		if err != nil {
			return nil, errs.NotFound("no actor at %s", handle)
		}
		return act, nil
	}
	if s.d.Resolver == nil {
		return nil, errs.New(503, "federation is not available")
	}
	return s.d.Resolver.ResolveActor(ctx, handle)
}

// Unfollow ends follower's follow of target (a local action, or a remote Undo).
func (s *Social) Unfollow(ctx context.Context, follower *models.Actor, f *models.Follow) error {
	if f.FollowerID != follower.ID {
		return errs.Forbidden("not your follow")
	}
	target, err := s.d.Store.ActorByID(ctx, f.TargetID)
	if err != nil {
		return errs.Internal(err)
	}
	err = s.d.Store.Tx(ctx, func(tx *store.Store) error {
		// Whatever its state; but only the request that removes it sends the Undo.
		if err := tx.RemoveFollow(ctx, f.ID, nil); errors.Is(err, store.ErrNotFound) {
			return errs.NotFound("follow not found")
		} else if err != nil {
			return err
		}
		if follower.Local() && !target.Local() {
			return s.d.Pub.Publish(ctx, tx, &core.Outbound{ID: s.d.URLs.Activity(models.NewID()), Type: core.TypeUndo,
				Actor: follower, Object: core.FollowObject{Follow: f, Follower: follower, Target: target},
				To: []string{target.URI}, Recipients: []*models.Actor{target}})
		}
		return nil
	})
	if err != nil {
		return errs.Internal(err)
	}
	if follower.Local() && !target.Local() {
		// The remote community ends the membership on our Undo{Follow}; so
		// does our copy of it (CommunityHooks.UnfollowedBy).
		return s.hooks.UnfollowedBy(ctx, target, follower)
	}
	return nil
}

// UnfollowByID ends a local actor's follow by the follow's id. Someone else's
// follow is a 404, as if it did not exist, so that follow ids cannot be probed.
func (s *Social) UnfollowByID(ctx context.Context, follower *models.Actor, id string) error {
	f, err := s.d.Store.FollowByID(ctx, id)
	if err != nil || f.FollowerID != follower.ID {
		return errs.NotFound("follow not found")
	}
	return s.Unfollow(ctx, follower, f)
}

// FollowEntry is a follow with the actor on its other side: the target in
// Following, the follower in Followers.
type FollowEntry struct {
	Follow models.Follow
	Actor  *models.Actor
}

// Following pages the follows actor made, pending ones included, newest first.
func (s *Social) Following(ctx context.Context, actor *models.Actor, limit, offset int) ([]FollowEntry, error) {
	page, err := s.d.Store.FollowsBy(ctx, actor.ID, "", limit, offset)
	if err != nil {
		return nil, errs.Internal(err)
	}
	return followEntries(page, func(f models.Follow) string { return f.TargetID }), nil
}

// Followers pages the follows of actor in state (accepted followers, or pending
// follow requests), newest first.
func (s *Social) Followers(ctx context.Context, actor *models.Actor, state string, limit, offset int) ([]FollowEntry, error) {
	page, err := s.d.Store.FollowsOf(ctx, actor.ID, state, limit, offset)
	if err != nil {
		return nil, errs.Internal(err)
	}
	return followEntries(page, func(f models.Follow) string { return f.FollowerID }), nil
}

func followEntries(page *store.FollowPage, other func(models.Follow) string) []FollowEntry {
	out := make([]FollowEntry, 0, len(page.Follows))
	for _, f := range page.Follows {
		if a := page.Actors[other(f)]; a != nil {
			out = append(out, FollowEntry{Follow: f, Actor: a})
		}
	}
	return out
}

// ReceiveUndoFollow handles a remote Undo{Follow}; followURI may be empty when the
// sender only named the target.
func (s *Social) ReceiveUndoFollow(ctx context.Context, follower *models.Actor, followURI, targetURI string) error {
	f, err := s.d.Store.FollowByURI(ctx, followURI)
	if err != nil && targetURI != "" {
		if target, err2 := s.d.Store.ActorByURI(ctx, targetURI); err2 == nil {
			f, err = s.d.Store.FollowByPair(ctx, follower.ID, target.ID)
		}
	}
	if err != nil {
		return errs.NotFound("no such follow")
	}
	if f.FollowerID == follower.ID {
		// Unfollowing a community is how Mastodon's users leave it: the
		// membership ends first, so that a retried Undo still ends it.
		if target, err := s.d.Store.ActorByID(ctx, f.TargetID); err == nil {
			if err := s.hooks.UnfollowedBy(ctx, target, follower); err != nil {
				return err
			}
		}
	}
	return s.Unfollow(ctx, follower, f)
}

// Decide accepts or rejects a pending follow of a local actor that approves
// followers manually.
func (s *Social) Decide(ctx context.Context, target *models.Actor, followID string, accept bool) error {
	f, err := s.d.Store.FollowByID(ctx, followID)
	if err != nil || f.TargetID != target.ID {
		return errs.NotFound("follow request not found")
	}
	if f.State != models.FollowPending {
		return errs.Conflict("this follow request was already answered")
	}
	follower, err := s.d.Store.ActorByID(ctx, f.FollowerID)
	if err != nil {
		return errs.Internal(err)
	}
	err = s.d.Store.Tx(ctx, func(tx *store.Store) error {
		// Both answers apply only to a pending request: of two racing answers (or
		// an answer and an Undo) one wins and only its Accept/Reject is sent.
		var err error
		if accept {
			err = tx.TransitionFollow(ctx, f.ID, []string{models.FollowPending}, models.FollowAccepted)
		} else {
			err = tx.RemoveFollow(ctx, f.ID, []string{models.FollowPending})
		}
		if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) {
			return errs.Conflict("this follow request was already answered or withdrawn")
		}
		if err != nil {
			return err
		}
		if follower.Local() {
			return nil
		}
		out := s.acceptOut(target, follower, f)
		if !accept {
			out.Type = core.TypeReject
		}
		return s.d.Pub.Publish(ctx, tx, out)
	})
	if err != nil {
		return errs.Internal(err)
	}
	return nil
}

// ReceiveFollowAnswer handles a remote Accept or Reject of a local actor's follow.
// Only the followed actor may answer.
func (s *Social) ReceiveFollowAnswer(ctx context.Context, target *models.Actor, followURI, followerURI string, accept bool) error {
	f, err := s.d.Store.FollowByURI(ctx, followURI)
	if err != nil && followerURI != "" {
		if follower, err2 := s.d.Store.ActorByURI(ctx, followerURI); err2 == nil {
			f, err = s.d.Store.FollowByPair(ctx, follower.ID, target.ID)
		}
	}
	if err != nil {
		return errs.NotFound("no such follow")
	}
	if f.TargetID != target.ID {
		return errs.Forbidden("only the followed actor may answer a follow")
	}
	if !accept {
		// A Reject ends the request, or the follow (the target removed us).
		if err := s.d.Store.RemoveFollow(ctx, f.ID, nil); err != nil && !errors.Is(err, store.ErrNotFound) {
			return errs.Internal(err)
		}
		return nil
	}
	err = s.d.Store.TransitionFollow(ctx, f.ID, []string{models.FollowPending}, models.FollowAccepted)
	switch {
	case errors.Is(err, store.ErrConflict):
		return nil // accepted already: an Accept delivered again
	case errors.Is(err, store.ErrNotFound):
		return errs.Conflict("this follow was undone before it was accepted")
	case err != nil:
		return errs.Internal(err)
	}
	return nil
}

// ---- Notes ----

// NoteInput is what a local author writes.
type NoteInput struct {
	Content    string // Markdown
	Visibility string
	Summary    string // content warning
	Sensitive  bool
	InReplyTo  string // URI of the note replied to
	// Community posts the note into a community (handle or URL), Lemmy-style.
	Community string
}

var (
	mentionRE = regexp.MustCompile(`(^|[^\w/@])@([a-zA-Z0-9_]{1,30})(?:@([a-zA-Z0-9.\-]+(?::\d+)?))?`)
	hashtagRE = regexp.MustCompile(`(^|[^\w/&#])#([\p{L}\p{N}_]{1,100})`)
)

// PostNote publishes a local note: Markdown rendered to sanitised HTML, mentions
// resolved and linked, hashtags linked, addressed by visibility as Mastodon does.
func (s *Social) PostNote(ctx context.Context, author *models.Actor, in NoteInput) (*models.Note, error) {
	if !author.Local() {
		return nil, errs.Forbidden("only local actors post here")
	}
	src := strings.TrimSpace(in.Content)
	if src == "" {
		return nil, errs.Unprocessable("content is required")
	}
	if len([]rune(src)) > 5000 {
		return nil, errs.Unprocessable("content is longer than 5000 characters")
	}
	if in.Visibility == "" {
		in.Visibility = models.VisibilityPublic
	}
	switch in.Visibility {
	case models.VisibilityPublic, models.VisibilityUnlisted, models.VisibilityFollowers, models.VisibilityDirect:
	default:
		return nil, errs.Unprocessable("visibility must be public, unlisted, followers or direct")
	}
	var group *models.Actor
	if in.Community != "" {
		g, com, err := s.hooks.Resolve(ctx, in.Community)
		if err != nil {
			return nil, err
		}
		if com != nil {
			if err := s.hooks.MayPost(ctx, g, com, author); err != nil {
				return nil, err
			}
		}
		group = g
		if in.Visibility == models.VisibilityDirect || in.Visibility == models.VisibilityFollowers {
			return nil, errs.Unprocessable("community posts are public or unlisted")
		}
	}
	var parent *models.Note
	if in.InReplyTo != "" {
		// A reply to a note its author may not read is refused as if the note
		// did not exist: ids of private notes must not be probed, nor a public
		// reply hung under them.
		if p, err := s.d.Store.NoteByURI(ctx, in.InReplyTo); err == nil {
			if !s.d.Visibility.CanSee(ctx, author, p) {
				return nil, errs.NotFound("the note replied to was not found")
			}
			parent = p
		}
	}
	if err := s.hooks.ThreadOpen(ctx, in.InReplyTo); err != nil {
		return nil, err
	}
	if group == nil && (in.Visibility == models.VisibilityPublic || in.Visibility == models.VisibilityUnlisted) {
		// A public reply in a community thread is a comment of that community,
		// relayed like its posts (a private reply stays with its addressees).
		if g := s.threadCommunity(ctx, in.InReplyTo); g != nil {
			com, err := s.hooks.ByActor(ctx, g)
			if err != nil {
				return nil, err
			}
			if err := s.hooks.MayPost(ctx, g, com, author); err != nil {
				return nil, err
			}
			group = g
		}
	}
	linked, tags, mentioned, seen := s.renderSource(ctx, src)
	if a := s.replyAddressee(ctx, author, parent, in.Visibility, len(mentioned)); a != nil && !seen[a.URI] {
		seen[a.URI] = true
		mentioned = append(mentioned, a)
		tags = append(tags, models.NoteTag{Type: "Mention", Name: "@" + a.Username + "@" + s.domainOf(a), Href: a.URI})
	}
	id := models.NewID()
	n := &models.Note{
		ID: id, URI: s.d.URLs.Note(id), Type: "Note", AuthorID: author.ID,
		Content: content.Markdown(linked), Source: src, Summary: html.EscapeString(strings.TrimSpace(in.Summary)),
		Sensitive: in.Sensitive || strings.TrimSpace(in.Summary) != "", Visibility: in.Visibility,
		InReplyToURI: in.InReplyTo, Local: true, Published: s.now(),
	}
	n.URL = n.URI
	var mentionURIs []string
	for _, a := range mentioned {
		mentionURIs = append(mentionURIs, a.URI)
	}
	var to, cc []string
	switch in.Visibility {
	case models.VisibilityPublic:
		to, cc = []string{core.PublicCollection}, append([]string{author.FollowersURI}, mentionURIs...)
	case models.VisibilityUnlisted:
		to, cc = []string{author.FollowersURI}, append([]string{core.PublicCollection}, mentionURIs...)
	case models.VisibilityFollowers:
		to, cc = []string{author.FollowersURI}, mentionURIs
	case models.VisibilityDirect:
		to = mentionURIs
		if len(to) == 0 {
			return nil, errs.Unprocessable("a direct note must mention someone")
		}
	}
	if group != nil {
		n.AudienceURI = group.URI
		cc = append(cc, group.URI)
		n.Name = firstLine(content.Text(n.Content), 100)
	}
	n.To, n.CC = to, cc
	var remote []*models.Actor
	if group != nil && !group.Local() {
		remote = append(remote, group)
	}
	var localOwners = []string{author.ID}
	for _, a := range mentioned {
		if a.Local() {
			localOwners = append(localOwners, a.ID)
		} else {
			remote = append(remote, a)
		}
	}
	createID := s.d.URLs.Activity(models.NewID())
	err := s.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateNote(ctx, n, tags); err != nil {
			return err
		}
		var local []string
		for _, a := range mentioned {
			if a.Local() {
				local = append(local, a.ID)
			}
		}
		if err := s.notifyNote(ctx, tx, author, n, parent, local); err != nil {
			return err
		}
		owners := localOwners
		if in.Visibility != models.VisibilityDirect {
			followers, err := tx.LocalFollowerIDs(ctx, author.ID)
			if err != nil {
				return err
			}
			owners = append(owners, followers...)
		}
		if err := tx.AddToTimelines(ctx, n.ID, "", owners); err != nil {
			return err
		}
		err := s.d.Pub.Publish(ctx, tx, &core.Outbound{ID: createID, Type: core.TypeCreate, Published: n.Published,
			Actor: author, Object: core.NoteObject{Note: n, Tags: tags, Author: author}, To: to, CC: cc, Recipients: remote, Audience: n.AudienceURI,
			ToFollowers: in.Visibility != models.VisibilityDirect,
			Public:      in.Visibility == models.VisibilityPublic || in.Visibility == models.VisibilityUnlisted})
		if err != nil || group == nil || !group.Local() {
			return err
		}
		// A local community relays the post in the same transaction (its rules
		// were applied above): no post without its boost.
		created, err := tx.ActivityByURI(ctx, createID)
		if err != nil {
			return err
		}
		return s.hooks.Relay(ctx, tx, group, n, created.Raw)
	})
	if err != nil {
		return nil, errs.Internal(err)
	}
	return n, nil
}

// firstLine is the first line of text, cut to max runes: the title of a post
// that has none (Mastodon posts into a community).
func firstLine(text string, max int) string {
	line, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
	r := []rune(strings.TrimSpace(line))
	if len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return string(r)
}

func (s *Social) domainOf(a *models.Actor) string {
	if a.Local() {
		return s.d.Cfg.PublicHost()
	}
	return a.Domain
}

// DeleteNote tombstones a note; its author (or a local moderator for local
// notes) may. The Delete goes to everyone who got the note.
func (s *Social) DeleteNote(ctx context.Context, by *models.Actor, noteID string) error {
	n, err := s.d.Store.NoteByID(ctx, noteID)
	if err != nil || n.DeletedAt != nil {
		return errs.NotFound("note not found")
	}
	if n.AuthorID != by.ID {
		return errs.Forbidden("only the author may delete this note")
	}
	return s.deleteNote(ctx, by, n, "")
}

// deleteNote tombstones n; a local author's Delete is published. When n is a
// post of a local community its Group announces the Delete to its followers:
// the published one, or received (the remote author's Delete as sent).
func (s *Social) deleteNote(ctx context.Context, author *models.Actor, n *models.Note, received string) error {
	group := s.postCommunity(ctx, n)
	tags, _ := s.d.Store.NoteTags(ctx, n.ID)
	var recipients []*models.Actor
	for _, t := range tags {
		if t.Type == "Mention" {
			if a, err := s.d.Store.ActorByURI(ctx, t.Href); err == nil && !a.Local() {
				recipients = append(recipients, a)
			}
		}
	}
	if n.AudienceURI != "" && group == nil && author.Local() {
		// A post in a remote community: its Group gets the Delete (as it got the
		// Create and gets an Update) and announces it to its followers.
		if g, err := s.d.Store.ActorByURI(ctx, n.AudienceURI); err == nil && !g.Local() {
			recipients = append(recipients, g)
		}
	}
	now := s.now()
	err := s.d.Store.Tx(ctx, func(tx *store.Store) error {
		// Only the deletion that tombstones the note publishes the Delete.
		if err := tx.TombstoneNote(ctx, n.ID, now); core.LostRace(err) {
			return errs.NotFound("note not found")
		} else if err != nil {
			return err
		}
		if !author.Local() {
			if group == nil {
				return nil
			}
			return s.hooks.RelayChange(ctx, tx, group, n, received)
		}
		n.DeletedAt = &now
		deleteID := s.d.URLs.Activity(models.NewID())
		err := s.d.Pub.Publish(ctx, tx, &core.Outbound{ID: deleteID, Type: core.TypeDelete,
			Actor: author, Object: core.Tombstone{URI: n.URI}, To: n.To, CC: n.CC, Recipients: recipients,
			ToFollowers: n.Visibility != models.VisibilityDirect})
		if err != nil || group == nil {
			return err
		}
		return s.relayOwn(ctx, tx, group, n, deleteID)
	})
	if err != nil {
		return errs.Internal(err)
	}
	return nil
}

// RemoteNote is a note received from another server, already checked for origin.
type RemoteNote struct {
	Note *models.Note
	Tags []models.NoteTag
	// Addressed are the ids the note was addressed to (audience, to, cc): a local
	// community among them makes it a community post.
	Addressed []string
	// Activity is the Create as received, which a community re-publishes.
	Activity string
}

// ReceiveNote stores a remote actor's Create or Update of a note and puts it in
// the timelines of local followers and mentioned local actors.
func (s *Social) ReceiveNote(ctx context.Context, author *models.Actor, in RemoteNote, update bool) (*models.Note, error) {
	n := in.Note
	n.AuthorID = author.ID
	n.Local = false
	n.Content = content.Sanitize(n.Content)
	n.Summary = content.Sanitize(n.Summary)
	in.Tags = safeRemoteURLs(n, in.Tags)
	s.hooks.ConfirmByMessage(ctx, author, n, in)
	existing, err := s.d.Store.NoteByURI(ctx, n.URI)
	if err == nil {
		if existing.AuthorID != author.ID {
			return nil, errs.Forbidden("note belongs to another actor")
		}
		if !update || existing.DeletedAt != nil {
			return existing, nil
		}
		now := s.now()
		existing.Content, existing.Summary, existing.Name, existing.Sensitive = n.Content, n.Summary, n.Name, n.Sensitive
		existing.Attachments = n.Attachments
		existing.EditedAt = &now
		group := s.postCommunity(ctx, existing)
		newly, err := s.newlyMentionedLocal(ctx, existing, in.Tags)
		if err != nil {
			return nil, errs.Internal(err)
		}
		err = s.d.Store.Tx(ctx, func(tx *store.Store) error {
			if err := tx.UpdateNote(ctx, existing, in.Tags); err != nil {
				return err
			}
			// An edit that adds a mention tells the newly mentioned local
			// people, and brings the note to their timelines.
			if err := tx.AddToTimelines(ctx, existing.ID, "", newly); err != nil {
				return err
			}
			if err := s.notifyNote(ctx, tx, author, existing, nil, newly); err != nil || group == nil {
				return err
			}
			// The community announces the edit as it announced the post.
			return s.hooks.RelayChange(ctx, tx, group, existing, in.Activity)
		})
		if core.LostRace(err) {
			return nil, errs.Conflict("the note was deleted before this update arrived")
		} else if err != nil {
			return nil, errs.Internal(err)
		}
		return existing, nil
	}
	if n.ID == "" {
		n.ID = models.NewID()
	}
	if n.Published.IsZero() {
		n.Published = s.now()
	}
	owners, err := s.d.Store.LocalFollowerIDs(ctx, author.ID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	if n.Visibility == models.VisibilityDirect {
		owners = nil
	}
	var mentionedLocal []string
	for _, t := range in.Tags {
		if t.Type == "Mention" {
			if a, err := s.d.Store.ActorByURI(ctx, t.Href); err == nil && a.Local() {
				owners = append(owners, a.ID)
				mentionedLocal = append(mentionedLocal, a.ID)
			}
		}
	}
	var parent *models.Note
	if n.InReplyToURI != "" {
		parent, _ = s.d.Store.NoteByURI(ctx, n.InReplyToURI)
	}
	owners = append(owners, s.localAddressees(ctx, in.Addressed)...)
	if err := s.hooks.ThreadOpen(ctx, n.InReplyToURI); err != nil {
		return nil, err
	}
	group := s.addressedCommunity(ctx, in)
	if group != nil && !core.VisibleToAnyone(n) {
		// Only public and unlisted notes become community posts (as for local
		// authors, see PostNote). A followers-only or direct note addressed to a
		// community reaches its maintainers and stewards, and nobody else: it is
		// neither listed, nor in feeds, nor relayed.
		if mods, err := s.hooks.Maintainers(ctx, group); err == nil {
			for _, m := range mods {
				owners = append(owners, m.Actor.ID)
			}
		}
		group = nil
		n.AudienceURI = ""
	}
	if group != nil {
		// Check the community's rules before anything is stored.
		com, err := s.hooks.ByActor(ctx, group)
		if err != nil {
			return nil, err
		}
		if err := s.hooks.MayPost(ctx, group, com, author); err != nil {
			return nil, err
		}
		n.AudienceURI = group.URI
		if n.Name == "" {
			n.Name = firstLine(content.Text(n.Content), 100)
		}
	}
	err = s.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateNote(ctx, n, in.Tags); err != nil {
			return err
		}
		if err := s.notifyNote(ctx, tx, author, n, parent, mentionedLocal); err != nil {
			return err
		}
		if err := tx.AddToTimelines(ctx, n.ID, "", owners); err != nil {
			return err
		}
		if group == nil {
			return nil
		}
		// Stored and relayed together: if the relay cannot be written the note
		// is not stored either, and the inbox job's retry does both.
		return s.hooks.Relay(ctx, tx, group, n, in.Activity)
	})
	if errors.Is(err, store.ErrExists) {
		return s.d.Store.NoteByURI(ctx, n.URI)
	}
	if err != nil {
		return nil, errs.Internal(err)
	}
	return n, nil
}

// newlyMentionedLocal are the local actors an update of n mentions (tags) that
// n did not mention before.
func (s *Social) newlyMentionedLocal(ctx context.Context, n *models.Note, tags []models.NoteTag) ([]string, error) {
	before, err := s.mentionedBefore(ctx, n.ID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, t := range tags {
		if t.Type != "Mention" || before[t.Href] {
			continue
		}
		before[t.Href] = true
		if a, err := s.d.Store.ActorByURI(ctx, t.Href); err == nil && a.Local() {
			out = append(out, a.ID)
		}
	}
	return out, nil
}

// mentionedBefore is the set of actor URIs a stored note mentions (its Mention
// tags): what an edit compares with, locally (EditNote) and received
// (ReceiveNote), to tell only the newly mentioned.
func (s *Social) mentionedBefore(ctx context.Context, noteID string) (map[string]bool, error) {
	tags, err := s.d.Store.NoteTags(ctx, noteID)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, t := range tags {
		if t.Type == "Mention" {
			out[t.Href] = true
		}
	}
	return out, nil
}

// localAddressees are the local people and services a remote note is addressed
// to (to, cc): they get it in their timelines, as mentioned actors do.
// Communities are left to addressedCommunity.
func (s *Social) localAddressees(ctx context.Context, addressed []string) []string {
	prefix := s.d.Cfg.Server.PublicURL + "/"
	var out []string
	seen := map[string]bool{}
	for _, u := range addressed {
		if seen[u] || !strings.HasPrefix(u, prefix) {
			continue
		}
		seen[u] = true
		if a, err := s.d.Store.ActorByURI(ctx, u); err == nil && a.Local() && a.Type != models.ActorGroup && !a.Suspended {
			out = append(out, a.ID)
		}
	}
	return out
}

// addressedCommunity finds the local community a remote note is posted into: its
// audience, an addressee, or a mention (how Mastodon users post to a group).
func (s *Social) addressedCommunity(ctx context.Context, in RemoteNote) *models.Actor {
	cands := append([]string{in.Note.AudienceURI}, in.Addressed...)
	for _, t := range in.Tags {
		if t.Type == "Mention" {
			cands = append(cands, t.Href)
		}
	}
	prefix := s.d.Cfg.Server.PublicURL + "/"
	for _, u := range cands {
		if !strings.HasPrefix(u, prefix) {
			continue
		}
		if a, err := s.d.Store.ActorByURI(ctx, u); err == nil && a.Local() && a.Type == models.ActorGroup && !a.Suspended {
			return a
		}
	}
	return s.threadCommunity(ctx, in.Note.InReplyToURI)
}

// threadCommunity is the local community a reply belongs to because the note it
// answers is a post (or a reply) in that community, whoever it addresses: a
// Mastodon user answering a post the Group boosted addresses only the post's
// author. FEP-1b12 (and Lemmy) relay every comment of a thread, so followers on
// other servers see the whole discussion.
func (s *Social) threadCommunity(ctx context.Context, inReplyTo string) *models.Actor {
	if inReplyTo == "" {
		return nil
	}
	parent, err := s.d.Store.NoteByURI(ctx, inReplyTo)
	if err != nil || parent.DeletedAt != nil || parent.AudienceURI == "" ||
		!strings.HasPrefix(parent.AudienceURI, s.d.Cfg.Server.PublicURL+"/") {
		return nil
	}
	if a, err := s.d.Store.ActorByURI(ctx, parent.AudienceURI); err == nil && a.Local() && a.Type == models.ActorGroup && !a.Suspended {
		return a
	}
	return nil
}

// ReceiveDelete handles a remote Delete: of the actor itself (drop its follows and
// content) or of one of its notes.
// activity is the Delete as received, which the note's community (if local)
// re-publishes.
func (s *Social) ReceiveDelete(ctx context.Context, actor *models.Actor, objectURI, activity string) error {
	if objectURI == actor.URI {
		now := s.now()
		err := s.d.Store.Tx(ctx, func(tx *store.Store) error {
			if err := tx.DeleteFollowsOf(ctx, actor.ID); err != nil {
				return err
			}
			if err := tx.DeleteContentOf(ctx, actor.ID, now); err != nil {
				return err
			}
			actor.Suspended = true
			return tx.UpdateActor(ctx, actor)
		})
		if err != nil {
			return errs.Internal(err)
		}
		return nil
	}
	n, err := s.d.Store.NoteByURI(ctx, objectURI)
	if err != nil {
		return nil // nothing of it here: nothing to delete
	}
	if n.AuthorID != actor.ID {
		return errs.Forbidden("only the author may delete a note")
	}
	if n.DeletedAt != nil {
		return nil
	}
	return s.deleteNote(ctx, actor, n, activity)
}

// postCommunity is the local community n was posted in (its audience is a
// local, unsuspended Group), or nil.
func (s *Social) postCommunity(ctx context.Context, n *models.Note) *models.Actor {
	if n.AudienceURI == "" || !strings.HasPrefix(n.AudienceURI, s.d.Cfg.Server.PublicURL+"/") {
		return nil
	}
	if a, err := s.d.Store.ActorByURI(ctx, n.AudienceURI); err == nil && a.Local() && a.Type == models.ActorGroup && !a.Suspended {
		return a
	}
	return nil
}

// relayOwn has group announce the activity activityID just published in tx
// (a local author's Update or Delete of a post in the community).
func (s *Social) relayOwn(ctx context.Context, tx *store.Store, group *models.Actor, n *models.Note, activityID string) error {
	a, err := tx.ActivityByURI(ctx, activityID)
	if err != nil {
		return err
	}
	return s.hooks.RelayChange(ctx, tx, group, n, a.Raw)
}

// ReceiveAnnounce records a boost of a note we have (fetched from its origin by the
// caller) and shows it to the booster's local followers.
func (s *Social) ReceiveAnnounce(ctx context.Context, actor *models.Actor, uri string, n *models.Note) error {
	owners, err := s.d.Store.LocalFollowerIDs(ctx, actor.ID)
	if err != nil {
		return errs.Internal(err)
	}
	err = s.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.PutAnnounce(ctx, &models.Announce{ID: models.NewID(), URI: uri, ActorID: actor.ID, ObjectURI: n.URI}); err != nil {
			return err
		}
		return tx.AddToTimelines(ctx, n.ID, actor.ID, owners)
	})
	if err != nil {
		return errs.Internal(err)
	}
	return nil
}

// ReceiveUndo undoes a remote Announce, Like or Block by its activity id.
func (s *Social) ReceiveUndo(ctx context.Context, actor *models.Actor, innerType, innerURI string) error {
	switch innerType {
	case core.TypeAnnounce:
		a, err := s.d.Store.AnnounceByURI(ctx, innerURI)
		if err != nil {
			return nil
		}
		if a.ActorID != actor.ID {
			return errs.Forbidden("not your boost")
		}
		n, _ := s.d.Store.NoteByURI(ctx, a.ObjectURI)
		return s.d.Store.Tx(ctx, func(tx *store.Store) error {
			if n != nil {
				if err := tx.RemoveBoostFromTimelines(ctx, n.ID, actor.ID); err != nil {
					return err
				}
			}
			return tx.DeleteAnnounce(ctx, a.ID)
		})
	case core.TypeLike:
		l, err := s.d.Store.LikeByURI(ctx, innerURI)
		if err != nil {
			return nil
		}
		if l.ActorID != actor.ID {
			return errs.Forbidden("not your like")
		}
		return s.d.Store.DeleteLike(ctx, l.ID)
	case core.TypeBlock:
		b, err := s.d.Store.BlockByURI(ctx, innerURI)
		if err != nil {
			return nil
		}
		if b.ActorID != actor.ID {
			return errs.Forbidden("not your block")
		}
		return s.d.Store.DeleteBlock(ctx, b.ID)
	}
	return errs.Unprocessable("cannot undo a %s", innerType)
}

// ReceiveLike records a like of a local or known note.
func (s *Social) ReceiveLike(ctx context.Context, actor *models.Actor, uri, objectURI string) error {
	if _, err := s.d.Store.NoteByURI(ctx, objectURI); err != nil {
		return errs.NotFound("liked object is not known here")
	}
	if err := s.d.Store.PutLike(ctx, &models.Like{ID: models.NewID(), URI: uri, ActorID: actor.ID, ObjectURI: objectURI}); err != nil {
		return errs.Internal(err)
	}
	return nil
}

// ReceiveBlock records that a remote actor blocks a local one; any follow between
// them ends, as on Mastodon.
func (s *Social) ReceiveBlock(ctx context.Context, actor, target *models.Actor, uri string) error {
	err := s.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.PutBlock(ctx, &models.Block{ID: models.NewID(), URI: uri, ActorID: actor.ID, TargetID: target.ID}); err != nil {
			return err
		}
		for _, pair := range [][2]string{{actor.ID, target.ID}, {target.ID, actor.ID}} {
			if f, err := tx.FollowByPair(ctx, pair[0], pair[1]); err == nil {
				if err := tx.RemoveFollow(ctx, f.ID, nil); err != nil && !errors.Is(err, store.ErrNotFound) {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return errs.Internal(err)
	}
	return nil
}

// ReceiveFlag stores a report for the moderators.
func (s *Social) ReceiveFlag(ctx context.Context, reporter *models.Actor, uri string, objects []string, text string) error {
	r := &models.Report{ID: models.NewID(), URI: uri, ReporterID: reporter.ID, ObjectURIs: objects,
		Content: content.Text(content.Sanitize(text))}
	for _, o := range objects {
		if a, err := s.d.Store.ActorByURI(ctx, o); err == nil {
			r.TargetActorID = a.ID
			break
		}
		if n, err := s.d.Store.NoteByURI(ctx, o); err == nil {
			r.TargetActorID = n.AuthorID
			break
		}
	}
	key := "report:" + r.ID
	if uri != "" {
		key = "report:" + uri // a Flag delivered again notifies once
	}
	err := s.d.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateReport(ctx, r); err != nil {
			return err
		}
		return s.d.Notify.NotifyStaff(ctx, tx, models.Notification{Kind: models.NotifyReport, ActorID: reporter.ID,
			ReportID: r.ID, Detail: firstLine(r.Content, 200), DedupeKey: key})
	})
	if err != nil {
		return errs.Internal(err)
	}
	return nil
}

// TimelineEntry is a note as shown in a timeline.
type TimelineEntry struct {
	ID        string // timeline entry id (for paging)
	Note      models.Note
	Tags      []models.NoteTag
	Author    *models.Actor
	BoostedBy *models.Actor
}

// Timeline returns a local actor's home timeline, newest first.
func (s *Social) Timeline(ctx context.Context, owner *models.Actor, maxID string, limit int) ([]TimelineEntry, error) {
	if limit <= 0 || limit > 100 {
		limit = 40
	}
	items, err := s.d.Store.Timeline(ctx, owner.ID, maxID, limit, core.NoteScope(owner, core.ListAll))
	if err != nil {
		return nil, errs.Internal(err)
	}
	var ids []string
	for _, it := range items {
		ids = append(ids, it.Note.AuthorID)
		if it.Entry.BoostedByID != "" {
			ids = append(ids, it.Entry.BoostedByID)
		}
	}
	actors, err := s.d.Store.ActorsByIDs(ctx, ids)
	if err != nil {
		return nil, errs.Internal(err)
	}
	noteIDs := make([]string, 0, len(items))
	for _, it := range items {
		noteIDs = append(noteIDs, it.Note.ID)
	}
	tags, err := s.d.Store.NoteTagsOf(ctx, noteIDs)
	if err != nil {
		return nil, errs.Internal(err)
	}
	out := make([]TimelineEntry, 0, len(items))
	for _, it := range items {
		e := TimelineEntry{ID: it.Entry.ID, Note: it.Note, Tags: tags[it.Note.ID], Author: actors[it.Note.AuthorID]}
		if it.Entry.BoostedByID != "" {
			e.BoostedBy = actors[it.Entry.BoostedByID]
		}
		out = append(out, e)
	}
	return out, nil
}

// NoteTags returns a note's mentions and hashtags.
func (s *Social) NoteTags(ctx context.Context, noteID string) ([]models.NoteTag, error) {
	tags, err := s.d.Store.NoteTags(ctx, noteID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	return tags, nil
}

// maxTagName is hashtagRE's bound on a tag name (what follows '#').
const maxTagName = 100

// Tagged lists the newest public notes with a hashtag, as its tag page shows them.
func (s *Social) Tagged(ctx context.Context, tag string, limit int) ([]TimelineEntry, error) {
	if !content.IsTagName(tag, maxTagName) {
		return nil, errs.NotFound("no such hashtag")
	}
	if limit <= 0 || limit > 100 {
		limit = 40
	}
	notes, err := s.d.Store.TaggedNotes(ctx, tag, limit, core.NoteScope(nil, core.ListTag))
	if err != nil {
		return nil, errs.Internal(err)
	}
	ids := make([]string, len(notes))
	for i, n := range notes {
		ids[i] = n.AuthorID
	}
	actors, err := s.d.Store.ActorsByIDs(ctx, ids)
	if err != nil {
		return nil, errs.Internal(err)
	}
	out := make([]TimelineEntry, 0, len(notes))
	for _, n := range notes {
		if a := actors[n.AuthorID]; a != nil && !a.Suspended {
			out = append(out, TimelineEntry{ID: n.ID, Note: n, Author: a})
		}
	}
	return out, nil
}

// notifyNote notifies, in the note's transaction, the local author of the note
// it replies to (reply) and the local people it mentions (mention; the
// parent's author is told once, of the reply).
func (s *Social) notifyNote(ctx context.Context, tx *store.Store, author *models.Actor, n *models.Note, parent *models.Note, mentioned []string) error {
	replied := ""
	if parent != nil && parent.AuthorID != author.ID {
		replied = parent.AuthorID
		if err := s.d.Notify.Notify(ctx, tx, models.Notification{RecipientID: parent.AuthorID, Kind: models.NotifyReply,
			ActorID: author.ID, NoteID: n.ID, DedupeKey: "note:" + n.ID}); err != nil {
			return err
		}
	}
	for _, id := range mentioned {
		if id == replied {
			continue
		}
		if err := s.d.Notify.Notify(ctx, tx, models.Notification{RecipientID: id, Kind: models.NotifyMention,
			ActorID: author.ID, NoteID: n.ID, DedupeKey: "note:" + n.ID}); err != nil {
			return err
		}
	}
	return nil
}
