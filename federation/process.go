package federation

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/commonsd/commonsd/errs"
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
	act, err := vocab.Parse([]byte(row.Raw))
	if err != nil {
		_ = f.svc.Store.FinishActivity(ctx, row.ID, models.ActivityFailed, err.Error())
		return queue.Permanent(err)
	}
	if undone, err := f.cancelled(ctx, act); err != nil {
		return err
	} else if undone {
		return f.svc.Store.FinishActivity(ctx, row.ID, models.ActivityIgnored, "undone or deleted by its actor before it was processed")
	}
	actor, err := f.fetch.Actor(ctx, act.Actor, false)
	if err != nil {
		return err
	}
	err = f.dispatch(ctx, actor, act)
	switch {
	case err == nil:
		return f.svc.Store.FinishActivity(ctx, row.ID, models.ActivityProcessed, "")
	case errors.Is(err, errIgnored):
		f.log.Debug("inbox: ignored", "type", act.Type, "id", act.ID, "why", err)
		return f.svc.Store.FinishActivity(ctx, row.ID, models.ActivityIgnored, err.Error())
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
		followURI, followerURI := obj.ID, ""
		if obj.Actor != "" {
			followerURI = obj.Actor
		}
		if obj.Type != "" && obj.Type != "Follow" {
			return ignored("%s of a %s", act.Type, obj.Type)
		}
		return social.ReceiveFollowAnswer(ctx, actor, followURI, followerURI, act.Type == "Accept")
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
		_, err = social.ReceiveNote(ctx, actor, f.remoteNote(actor, o), act.Type == "Update")
		return err
	case "Delete":
		return social.ReceiveDelete(ctx, actor, obj.ID)
	case "Announce":
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
