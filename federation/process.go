package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/commonsd/commonsd/content"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/federation/fetch"
	"github.com/commonsd/commonsd/federation/vocab"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/queue"
	"github.com/commonsd/commonsd/service"
	"github.com/commonsd/commonsd/store"
)

// errIgnored marks an activity we understood and chose not to act on.
var errIgnored = errors.New("ignored")

// processInbox runs one stored inbound activity through the service layer. A
// domain refusal (bad request, forbidden, unknown object) ends the job: retrying
// would not change the answer. Transient failures (fetching, database) retry.
func (f *Federation) processInbox(ctx context.Context, job ProcessInbox) error {
	row, err := f.svc.Store.ActivityByID(ctx, job.ActivityID)
	if err != nil {
		return queue.Permanent(fmt.Errorf("activity %s: %w", job.ActivityID, err))
	}
	if row.State != models.ActivityPending {
		return nil
	}
	// The same reading the inbox checked, and the actor it verified: anything
	// else is refused for good (defence in depth against a second reader).
	act, err := vocab.ParseInbound([]byte(row.Raw))
	if err != nil {
		_ = f.svc.Store.FinishActivity(ctx, row.ID, models.ActivityFailed, err.Error())
		return queue.Permanent(err)
	}
	if act.Actor != row.ActorURI || row.ActorURI == "" {
		err := fmt.Errorf("activity %s: parsed actor %q is not the verified actor %q", row.ID, act.Actor, row.ActorURI)
		_ = f.svc.Store.FinishActivity(ctx, row.ID, models.ActivityFailed, "actor is not the verified signer")
		return queue.Permanent(err)
	}
	if undone, err := f.cancelled(ctx, act); err != nil {
		return err
	} else if undone {
		return f.svc.Store.FinishActivity(ctx, row.ID, models.ActivityIgnored, "undone or deleted by its actor before it was processed")
	}
	actor, err := f.fetch.Actor(ctx, act.Actor, false)
	if err != nil {
		if permanentFailure(err) {
			_ = f.svc.Store.FinishActivity(ctx, row.ID, models.ActivityFailed, clientReason(err))
			return nil
		}
		return err
	}
	err = f.dispatch(ctx, actor, act)
	switch {
	case err == nil:
		return f.svc.Store.FinishActivity(ctx, row.ID, models.ActivityProcessed, "")
	case errors.Is(err, errIgnored):
		f.log.Debug("inbox: ignored", "type", act.Type, "id", act.ID, "why", err)
		return f.svc.Store.FinishActivity(ctx, row.ID, models.ActivityIgnored, err.Error())
	case permanentFailure(err):
		// Another try within the retry window would get the same answer.
		f.log.Info("inbox: gave up", "type", act.Type, "id", act.ID, "actor", act.Actor, "why", err)
		_ = f.svc.Store.FinishActivity(ctx, row.ID, models.ActivityFailed, clientReason(err))
		return nil
	case errs.Status(err) < 500:
		f.log.Info("inbox: refused", "type", act.Type, "id", act.ID, "actor", act.Actor, "why", errs.Message(err))
		_ = f.svc.Store.FinishActivity(ctx, row.ID, models.ActivityFailed, errs.Message(err))
		return nil
	default:
		return err
	}
}

// cancelled reports whether the actor already undid act (or deleted the object it
// creates): peers deliver in parallel and our jobs run concurrently, so the Undo or
// Delete may have been processed first, finding nothing to cancel; act must not
// take effect after it.
func (f *Federation) cancelled(ctx context.Context, act *vocab.Object) (bool, error) {
	switch act.Type {
	case "Follow", "Like", "Announce", "Block":
		return f.svc.Store.InboundActivityExists(ctx, "Undo", act.Actor, act.ID)
	case "Create":
		if id := act.ObjectID(); id != "" {
			return f.svc.Store.InboundActivityExists(ctx, "Delete", act.Actor, id)
		}
	}
	return false, nil
}

// permanentFailure reports whether err will not change by retrying: the object
// is gone (404, 410), too large, not a document we read, refused by the
// parser or over its limits, served from the wrong origin, or on a host we do
// not talk to.
func permanentFailure(err error) bool {
	for _, s := range []error{fetch.ErrNotFound, fetch.ErrGone, fetch.ErrTooLarge, fetch.ErrInvalidDocument,
		fetch.ErrOrigin, fetch.ErrNotActor, fetch.ErrInvalidActor, fetch.ErrLocal, fetch.ErrInvalidURL,
		fetch.ErrBlockedDomain, fetch.ErrPrivateAddress, vocab.ErrRefused, vocab.ErrTooLarge} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// clientReason is the recorded reason of a permanent failure.
func clientReason(err error) string {
	var r *vocab.Refusal
	if errors.As(err, &r) {
		return r.Reason
	}
	return errs.Message(fetch.ClientError(err))
}

func ignored(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errIgnored}, args...)...)
}

// dispatch maps an activity onto the service call that owns its rule.
func (f *Federation) dispatch(ctx context.Context, actor *models.Actor, act *vocab.Object) error {
	social := f.svc.Social
	obj := act.Object
	if obj == nil && act.Type != "Flag" {
		return ignored("%s without object", act.Type)
	}
	switch act.Type {
	case "Follow":
		target, err := f.localActor(ctx, obj.ID)
		if err != nil {
			return err
		}
		_, err = social.Follow(ctx, actor, target, act.ID)
		return err
	case "Accept", "Reject":
		accept := act.Type == "Accept"
		innerType := obj.Type
		if innerType == "" {
			switch {
			case f.known(f.svc.Store.FollowByURI(ctx, obj.ID)):
				innerType = "Follow"
			case f.known(f.svc.Store.MembershipByURI(ctx, obj.ID)):
				innerType = "Join"
			case f.known(f.svc.Store.ContributionByOfferURI(ctx, obj.ID)):
				innerType = "Offer"
			}
		}
		switch innerType {
		case "Follow":
			return social.ReceiveFollowAnswer(ctx, actor, obj.ID, obj.Actor, accept)
		case "Join":
			return f.svc.Communities.ReceiveJoinAnswer(ctx, actor, obj.ID, accept)
		case "Offer":
			reason := act.Content
			if reason == "" {
				reason = act.Summary
			}
			return f.svc.Communities.ReceiveOfferAnswer(ctx, actor, obj.ID, accept, reason)
		}
		return ignored("%s of a %q", act.Type, innerType)
	case "Undo":
		innerType := obj.Type
		if innerType == "" {
			if known, err := f.svc.Store.ActivityByURI(ctx, obj.ID); err == nil {
				innerType = known.Type
			}
		}
		switch innerType {
		case "Follow":
			target := ""
			if obj.Object != nil {
				target = obj.Object.ID
			}
			if obj.Actor != "" && obj.Actor != actor.URI {
				return errs.Forbidden("cannot undo another actor's follow")
			}
			return social.ReceiveUndoFollow(ctx, actor, obj.ID, target)
		case "Announce", "Like", "Block":
			return social.ReceiveUndo(ctx, actor, innerType, obj.ID)
		case "Join":
			group, err := f.groupOf(ctx, obj)
			if err != nil {
				return err
			}
			return f.svc.Communities.Leave(ctx, actor, group)
		case "Lock":
			return f.applyLock(ctx, actor, obj, false)
		}
		return ignored("undo of %q", innerType)
	case "Create", "Update":
		if obj.IsActor() || (act.Type == "Update" && obj.ID == actor.URI) {
			_, err := f.fetch.Actor(ctx, actor.URI, true)
			return err
		}
		o, err := f.authoredObject(ctx, actor, obj)
		if err != nil {
			return err
		}
		rn := f.remoteNote(actor, o)
		rn.Addressed = append(append(append([]string{}, act.Audience...), act.To...), act.CC...)
		rn.Addressed = append(append(append(rn.Addressed, o.Audience...), o.To...), o.CC...)
		rn.Activity = string(mustMarshalRaw(act))
		_, err = social.ReceiveNote(ctx, actor, rn, act.Type == "Update")
		return err
	case "Delete":
		return social.ReceiveDelete(ctx, actor, obj.ID)
	case "Announce":
		if obj.IsActivity() || (obj.IsIRIOnly() && actor.Type == models.ActorGroup && !f.isNoteURI(ctx, obj.ID)) {
			return f.groupRelay(ctx, actor, act, obj)
		}
		n, err := f.knownOrFetchedNote(ctx, obj.ID)
		if err != nil {
			return err
		}
		return social.ReceiveAnnounce(ctx, actor, act.ID, n)
	case "Like":
		err := social.ReceiveLike(ctx, actor, act.ID, obj.ID)
		if errs.Status(err) == 404 {
			return ignored("like of an unknown object")
		}
		return err
	case "Block":
		target, err := f.localActor(ctx, obj.ID)
		if err != nil {
			return err
		}
		return social.ReceiveBlock(ctx, actor, target, act.ID)
	case "Join":
		group, err := f.localActor(ctx, obj.ID)
		if err != nil {
			return err
		}
		_, err = f.svc.Communities.Join(ctx, actor, group, act.ID)
		return err
	case "Leave":
		group, err := f.localActor(ctx, obj.ID)
		if err != nil {
			return err
		}
		return f.svc.Communities.Leave(ctx, actor, group)
	case "Offer":
		return f.receiveOffer(ctx, actor, act)
	case "Add", "Remove":
		// Roles and the commons of a local community change only through its
		// stewards and maintainers; a remote actor cannot Add itself anywhere here.
		if act.Target != nil && strings.HasPrefix(act.Target.ID, f.cfg.Server.PublicURL+"/") {
			return errs.Forbidden("only this instance's communities change their own collections")
		}
		return ignored("%s to a remote collection", act.Type)
	case "Lock":
		return f.applyLock(ctx, actor, obj, true)
	case "Flag":
		var objects []string
		for _, v := range asList(act.Raw["object"]) {
			switch x := v.(type) {
			case string:
				objects = append(objects, x)
			case map[string]any:
				if id, ok := x["id"].(string); ok {
					objects = append(objects, id)
				}
			}
		}
		return social.ReceiveFlag(ctx, actor, act.ID, objects, act.Content)
	}
	return ignored("activity type %s", act.Type)
}

func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	if v == nil {
		return nil
	}
	return []any{v}
}

// localActor resolves an id that must name one of our actors.
func (f *Federation) localActor(ctx context.Context, uri string) (*models.Actor, error) {
	a, err := f.svc.Store.ActorByURI(ctx, uri)
	if err != nil || !a.Local() {
		return nil, ignored("%s is not an actor of this instance", uri)
	}
	if a.Suspended {
		return nil, errs.NotFound("actor is gone")
	}
	return a, nil
}

// authoredObject returns the object of a Create/Update by actor. The inbox already
// refused embedded objects from other hosts; an object given by reference, or one
// without content, is fetched from its origin. Its author must be the actor.
func (f *Federation) authoredObject(ctx context.Context, actor *models.Actor, obj *vocab.Object) (*vocab.Object, error) {
	o := obj
	if obj.IsIRIOnly() || obj.Type == "" {
		fetched, err := f.fetch.Object(ctx, obj.ID)
		if err != nil {
			return nil, err
		}
		o = fetched
	}
	if err := vocab.CheckLimits(o); err != nil {
		return nil, err
	}
	if !noteTypes[o.Type] {
		return nil, ignored("object type %s", o.Type)
	}
	if len(o.AttributedTo) > 0 && o.AttributedTo[0] != actor.URI {
		return nil, errs.Forbidden("object is attributed to %s, not to the sender", o.AttributedTo[0])
	}
	if hostOf(o.ID) != hostOf(actor.URI) {
		return nil, errs.BadRequest("object id is not on the actor's host")
	}
	return o, nil
}

// noteTypes are the objects we keep as notes.
var noteTypes = map[string]bool{"Note": true, "Article": true, "Page": true, "Question": true, "Event": true, "Video": true}

// knownOrFetchedNote returns a note we have, or fetches it from its origin (never
// trusting an embedded copy) together with its author.
func (f *Federation) knownOrFetchedNote(ctx context.Context, uri string) (*models.Note, error) {
	if n, err := f.svc.Store.NoteByURI(ctx, uri); err == nil {
		if n.DeletedAt != nil {
			return nil, ignored("boost of a deleted note")
		}
		return n, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if hostOf(uri) == f.cfg.PublicHost() {
		return nil, ignored("boost of an unknown local object")
	}
	o, err := f.fetch.Object(ctx, uri)
	if err != nil {
		return nil, err
	}
	if err := vocab.CheckLimits(o); err != nil {
		return nil, err
	}
	if !noteTypes[o.Type] || len(o.AttributedTo) == 0 {
		return nil, ignored("boosted object is a %s", o.Type)
	}
	author, err := f.fetch.Actor(ctx, o.AttributedTo[0], false)
	if err != nil {
		return nil, err
	}
	if hostOf(author.URI) != hostOf(o.ID) {
		return nil, errs.BadRequest("boosted object and its author live on different hosts")
	}
	return f.svc.Social.ReceiveNote(ctx, author, f.remoteNote(author, o), false)
}

// remoteNote maps a remote object onto our note model.
func (f *Federation) remoteNote(author *models.Actor, o *vocab.Object) service.RemoteNote {
	n := &models.Note{ID: models.NewID(), URI: o.ID, URL: o.URL, Type: o.Type, Name: o.Name, Summary: o.Summary,
		Content: o.Content, Sensitive: o.Sensitive, InReplyToURI: o.InReplyTo, Published: o.Published,
		To: jsonOf(o.To), CC: jsonOf(o.CC), Visibility: visibility(o, author)}
	if n.Content == "" {
		for _, v := range o.ContentMap {
			n.Content = v
			break
		}
	}
	if len(o.Audience) > 0 {
		n.AudienceURI = o.Audience[0]
	}
	var tags []models.NoteTag
	for _, t := range o.Tags {
		if t.Type == vocab.TagMention || t.Type == vocab.TagHashtag {
			tags = append(tags, models.NoteTag{Type: t.Type, Name: t.Name, Href: t.Href})
		}
	}
	return service.RemoteNote{Note: n, Tags: tags}
}

func isPublic(l []string) bool {
	for _, v := range l {
		if v == vocab.PublicAddress || v == "as:Public" || v == "Public" {
			return true
		}
	}
	return false
}

// visibility derives Mastodon's four levels from the addressing.
func visibility(o *vocab.Object, author *models.Actor) string {
	switch {
	case isPublic(o.To):
		return models.VisibilityPublic
	case isPublic(o.CC):
		return models.VisibilityUnlisted
	}
	for _, v := range append(append([]string{}, o.To...), o.CC...) {
		if v == author.FollowersURI || strings.HasSuffix(v, "/followers") {
			return models.VisibilityFollowers
		}
	}
	return models.VisibilityDirect
}

func (f *Federation) known(_ any, err error) bool { return err == nil }

func mustMarshalRaw(o *vocab.Object) []byte {
	b, err := json.Marshal(o.Raw)
	if err != nil {
		return nil
	}
	return b
}

// isNoteURI reports whether uri names a note we already have.
func (f *Federation) isNoteURI(ctx context.Context, uri string) bool {
	_, err := f.svc.Store.NoteByURI(ctx, uri)
	return err == nil
}

// groupOf resolves the Group an activity is about (Undo{Join}'s object).
func (f *Federation) groupOf(ctx context.Context, obj *vocab.Object) (*models.Actor, error) {
	if obj.Object != nil {
		return f.localActor(ctx, obj.Object.ID)
	}
	if m, err := f.svc.Store.MembershipByURI(ctx, obj.ID); err == nil {
		return f.svc.Actors.ByID(ctx, m.CommunityID)
	}
	return nil, ignored("undo of an unknown join")
}

// groupRelay handles a remote community re-publishing an activity (FEP-1b12): the
// inner activity's objects are taken from their origin, never from the relay.
func (f *Federation) groupRelay(ctx context.Context, group *models.Actor, act, inner *vocab.Object) error {
	if group.Type != models.ActorGroup {
		return ignored("announce of an activity by a %s", group.Type)
	}
	if inner.IsIRIOnly() {
		fetched, err := f.fetch.Object(ctx, inner.ID)
		if err != nil {
			return err
		}
		inner = fetched
	}
	if noteTypes[inner.Type] {
		// A boost of a post (Mastodon-compatible Announce of the object).
		n, err := f.knownOrFetchedNote(ctx, inner.ID)
		if err != nil {
			return err
		}
		return f.svc.Social.ReceiveAnnounce(ctx, group, act.ID, n)
	}
	if inner.Object == nil {
		return ignored("relayed %s without object", inner.Type)
	}
	switch inner.Type {
	case "Create", "Update":
		n, err := f.knownOrFetchedNote(ctx, inner.Object.ID)
		if err != nil {
			return err
		}
		return f.svc.Social.ReceiveAnnounce(ctx, group, act.ID, n)
	case "Delete":
		n, err := f.svc.Store.NoteByURI(ctx, inner.Object.ID)
		if err != nil || n.AudienceURI != group.URI {
			return ignored("relayed delete of a note outside the community")
		}
		return f.svc.Store.MarkNoteDeleted(ctx, n.ID, f.svc.Now())
	case "Lock":
		return f.applyLock(ctx, group, inner.Object, true)
	}
	return ignored("relayed %s", inner.Type)
}

// applyLock locks a note's thread when the note's community says so.
func (f *Federation) applyLock(ctx context.Context, actor *models.Actor, obj *vocab.Object, locked bool) error {
	n, err := f.svc.Store.NoteByURI(ctx, obj.ID)
	if err != nil {
		return ignored("lock of an unknown note")
	}
	if n.AudienceURI != actor.URI {
		return errs.Forbidden("only the post's community may lock it")
	}
	return f.svc.Store.SetNoteLocked(ctx, n.ID, locked)
}

// receiveOffer turns a remote Offer{object: contribution, target: Group} into the
// same service call a local offer makes. The inbox already checked that the
// embedded object lives on the sender's host; one given by id is fetched.
func (f *Federation) receiveOffer(ctx context.Context, actor *models.Actor, act *vocab.Object) error {
	if act.Target == nil {
		return errs.BadRequest("an Offer needs a target community")
	}
	group, err := f.localActor(ctx, act.Target.ID)
	if err != nil {
		return err
	}
	o := act.Object
	if o.IsIRIOnly() || o.Type == "" {
		if o, err = f.fetch.Object(ctx, o.ID); err != nil {
			return err
		}
	}
	if err := vocab.CheckLimits(o); err != nil {
		return err
	}
	if hostOf(o.ID) != hostOf(actor.URI) {
		return errs.BadRequest("the offered object does not live on the contributor's host")
	}
	if len(o.AttributedTo) > 0 && o.AttributedTo[0] != actor.URI {
		return errs.Forbidden("the offered object is attributed to someone else")
	}
	in := service.ContributionInput{Title: o.Name, Kind: str(o.Raw["contributionKind"]), Licence: str(o.Raw["licence"])}
	if o.Source != nil && strings.Contains(o.Source.MediaType, "markdown") {
		in.Body = o.Source.Content
	}
	var docs []models.Attachment
	for _, att := range o.Attachments {
		switch {
		case att.URL == "":
		case att.Type == "Link":
			in.Links = append(in.Links, att.URL)
		case att.Type == "Document" || att.Type == "Image" || att.Type == "Audio" || att.Type == "Video":
			docs = append(docs, models.Attachment{URL: att.URL, MediaType: att.MediaType, Name: att.Name})
		}
	}
	if in.Title == "" {
		in.Title = firstLineOf(o.Content)
	}
	_, err = f.svc.Communities.Offer(ctx, actor, group, in, &service.RemoteOffer{ObjectURI: o.ID, OfferURI: act.ID,
		Contributors: o.AttributedTo, BodyHTML: o.Content, Attachments: docs})
	return err
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func firstLineOf(htmlText string) string {
	t := strings.TrimSpace(content.Text(htmlText))
	line, _, _ := strings.Cut(t, "\n")
	if r := []rune(line); len(r) > 200 {
		return string(r[:199]) + "…"
	}
	return line
}
